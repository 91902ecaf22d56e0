"""Syncs of a changing folder, driven by a hypothesis state machine (as vdirsyncer
tests its sync): after every sync the live records are exactly what the folder
holds, tombstoned records are kept, and every live record belongs to a contact."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from reseausync import api
from reseausync.pipeline import run_source
from reseausync.registry import registry
from reseausync.store import Store
from tests.conftest import PLUGIN_DIR

FILES = ("a.people", "b.people", "c.people")
NAMES = st.sampled_from(["Ada", "Alan", "Grace", "Linus", "Ken", "Barbara", "Edsger", "Donald"])


class FolderSync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        if str(PLUGIN_DIR) not in sys.path:
            sys.path.insert(0, str(PLUGIN_DIR))
            registry.reload()
        self.tmp = Path(tempfile.mkdtemp())
        self.folder = self.tmp / "people"
        self.folder.mkdir()
        self.db = str(self.tmp / "d.db")
        self.model: dict[str, dict[str, str]] = {f: {} for f in FILES}  # file -> email -> name
        self.synced: dict[str, str] | None = None

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        if str(PLUGIN_DIR) in sys.path:
            sys.path.remove(str(PLUGIN_DIR))
            sys.modules.pop("reseausync_lines", None)
            registry.reload()

    def _write(self, file: str) -> None:
        lines = [f"{name},{email}" for email, name in sorted(self.model[file].items())]
        (self.folder / file).write_text("\n".join(lines) + ("\n" if lines else ""))

    def _everyone(self) -> dict[str, str]:
        return {e: n for people in self.model.values() for e, n in people.items()}

    @rule(file=st.sampled_from(FILES), name=NAMES, number=st.integers(0, 5))
    def add(self, file: str, name: str, number: int) -> None:
        email = f"{name.lower()}{number}@x.org"
        if email in self._everyone():
            return
        self.model[file][email] = name
        self._write(file)

    @rule(file=st.sampled_from(FILES), data=st.data())
    def remove(self, file: str, data: st.DataObject) -> None:
        if self.model[file]:
            email = data.draw(st.sampled_from(sorted(self.model[file])))
            del self.model[file][email]
            self._write(file)

    @rule(file=st.sampled_from(FILES), data=st.data(), name=NAMES)
    def rename(self, file: str, data: st.DataObject, name: str) -> None:
        if self.model[file]:
            email = data.draw(st.sampled_from(sorted(self.model[file])))
            self.model[file][email] = name + " Jr"
            self._write(file)

    @rule(file=st.sampled_from(FILES))
    def delete_file(self, file: str) -> None:
        self.model[file] = {}
        (self.folder / file).unlink(missing_ok=True)

    @rule()
    def sync(self) -> None:
        store = Store.open(self.db)
        try:
            conn = api.make_connector("lines", "", source="friends")
            run_source(store, conn, [str(self.folder)], command="sync", full_listing=True,
                       allow_mass_removal=True)
        finally:
            store.close()
        self.synced = self._everyone()

    @invariant()
    def directory_matches_the_last_sync(self) -> None:
        if self.synced is None:
            return
        store = Store.open(self.db)
        try:
            live = {r["external_id"]: r["data"] for r in store.db.execute(
                "SELECT external_id, data FROM records WHERE removed_at IS NULL")}
            uncovered = store.db.execute(
                "SELECT COUNT(*) FROM records r LEFT JOIN contact_records c "
                "ON c.record_id = r.id WHERE r.removed_at IS NULL AND c.record_id IS NULL"
            ).fetchone()[0]
        finally:
            store.close()
        assert set(live) == set(self.synced)
        for email, name in self.synced.items():
            assert f'"display_name": "{name}"' in live[email]
        assert uncovered == 0


TestFolderSync = FolderSync.TestCase
TestFolderSync.settings = settings(max_examples=25, stateful_step_count=12, deadline=None)
