"""Third-party connectors as a new user writes them (QA round 4, findings 3, 5, 6).

- 3: a plugin's `read_unit` that raises an ordinary exception (a truncated JSON
  file), or yields an item of the wrong type, crashed `import` with a traceback
  and failed the whole source; now that unit is one `unreadable` reject naming the
  connector and the exception, and the other units import. A `discover` that
  raises fails that source's run with a sentence, and `sync` goes on.
- 5: one misnamed entry point, or one named like a built-in, stopped every
  command; now it is listed BROKEN by `connectors` and the rest works.
- 6: a plugin at the default priority lost its own files to `cards` (priority 8);
  now a third-party connector that recognises a file reads it.

The plugins are tests/plugin/audit4/ (see its README); the inputs are the
auditor's (qa4_newuser/pfolder, pin), in tests/fixtures/plugin_audit4/.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reseausync import api
from reseausync.errors import RegistryError
from reseausync.itemcheck import item_problem
from reseausync.models import (
    INTERACTION_KINDS,
    Address,
    Interaction,
    Labeled,
    Participant,
    SourceRecord,
)
from reseausync.registry import registry
from tests.conftest import PHONE, PLUGIN_DIR, run_cli

AUDIT4 = PLUGIN_DIR / "audit4"
INPUTS = Path(__file__).parent / "fixtures" / "plugin_audit4"


def plugin_path(*variants: str) -> list[str]:
    """The module's folder, and the distributions (`main`, `misname`, ...) installed."""
    return [str(AUDIT4), *(str(AUDIT4 / v) for v in variants)]


@pytest.fixture
def install() -> Iterator[object]:
    """`install("main", ...)` puts those distributions on the path for this test."""
    added: list[str] = []

    def put(*variants: str) -> None:
        for path in plugin_path(*variants):
            sys.path.insert(0, path)
            added.append(path)
        registry.reload()

    yield put
    for path in added:
        sys.path.remove(path)
    sys.modules.pop("reseausync_audit4", None)
    registry.reload()


def cli(*args: str, variants: tuple[str, ...] = ("main",)):
    return run_cli(*args, env={"PYTHONPATH": os.pathsep.join(plugin_path(*variants))})


def folder_of(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in names:
        shutil.copy(INPUTS / name, folder / name)
    return folder


# 3: an exception or a wrong item is one reject for its unit ---------------------------


def test_a_truncated_file_is_one_reject_and_the_good_file_imports(install, tmp_path, db):
    install("main")
    folder = folder_of(tmp_path, "a.people.json", "b.people.json")
    [result] = api.import_paths([str(folder)], db=db, connector="people4")
    assert result.status == "ok" and result.counts["added"] == 2
    rejects = {Path(r["location"]).name: r["reason"] for r in api.rejects(db, result.run)}
    broken = rejects["b.people.json"]
    assert "connector 'people4' failed reading b.people.json: JSONDecodeError" in broken


def test_import_of_a_truncated_file_exits_0_without_a_traceback(tmp_path):
    folder = folder_of(tmp_path, "a.people.json", "b.people.json")
    db = str(tmp_path / "d.db")
    done = cli("--db", db, "import", str(folder), "--connector", "people4")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "people4: 2 added" in done.stdout and "2 rejected" in done.stdout


def test_a_unit_that_fails_part_way_keeps_what_it_read_and_is_read_again(install, tmp_path,
                                                                         db):
    install("main")
    target = tmp_path / "x.raise.json"
    target.write_text("[]")
    first = api.import_paths([str(target)], db=db, connector="raiser4")[0]
    assert first.counts["added"] == 1
    [reject] = api.rejects(db, first.run)
    assert "connector 'raiser4' failed reading x.raise.json: ValueError: boom in read_unit" \
        in reject["reason"]
    again = api.import_paths([str(target)], db=db, connector="raiser4")[0]
    assert again.counts["unchanged"] == 1 and again.counts["rejected"] == 1   # read again


@pytest.mark.parametrize(("mode", "said"), [
    ("strs", "yielded a SourceRecord whose emails[0] is a str, expected Labeled"),
    ("date-text", "yielded an Interaction whose occurred_at is a str, expected a datetime"),
    ("none", "yielded None, expected a SourceRecord, an Interaction or a Reject"),
    ("noid", "yielded a SourceRecord whose external_id is empty"),
])
def test_an_item_of_the_wrong_type_is_named_in_a_reject(install, tmp_path, db, mode, said):
    install("main")
    target = tmp_path / f"{mode}.bad.json"
    target.write_text(mode)
    [result] = api.import_paths([str(target)], db=db, connector="badrec4")
    assert result.status == "ok" and result.counts["added"] == 1      # the good one
    [reject] = api.rejects(db, result.run)
    assert f"connector 'badrec4' {said} (reading {mode}.bad.json)" == reject["reason"]


SYNC = """\
[[sources]]
name = "boom"
connector = "raiser4"
path = "x.discover.raise.json"
[[sources]]
name = "phone"
connector = "vcard"
path = "{phone}"
"""


def test_discover_raising_fails_its_source_only_without_a_traceback(tmp_path):
    (tmp_path / "x.discover.raise.json").write_text("[]")
    config = tmp_path / "reseausync.toml"
    config.write_text(SYNC.format(phone=PHONE))
    db = str(tmp_path / "d.db")
    done = cli("--config", str(config), "--db", db, "sync")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    said = "connector 'raiser4' failed listing"
    assert said in done.stderr and "RuntimeError: boom in discover" in done.stderr
    assert "phone: 11 added" in done.stdout
    alone = cli("--db", db, "import", str(tmp_path / "x.discover.raise.json"))
    assert alone.returncode == 1 and "Traceback" not in alone.stderr and said in alone.stderr


# 5: a bad entry point is listed BROKEN, the rest works ---------------------------------


def test_a_misnamed_entry_point_is_broken_and_the_others_work(install, tmp_path, db):
    install("misname")
    assert "other4" in registry.broken and "vcard" in registry.names()
    assert "loads a connector named 'people4'" in registry.broken["other4"]
    [result] = api.import_paths([PHONE], db=db)
    assert result.connector == "vcard" and result.counts["added"] == 11
    with pytest.raises(RegistryError, match="connector 'other4' failed to load"):
        registry.get("other4")


def test_connectors_and_import_work_beside_a_misnamed_entry_point(tmp_path):
    listed = cli("connectors", variants=("misname",))
    assert listed.returncode == 0, listed.stderr
    assert "other4         BROKEN: entry point 'other4' of reseausync-audit4-misname 0.1 " \
           "loads a connector named 'people4'" in listed.stdout
    assert "vcard          reseausync " in listed.stdout
    done = cli("--db", str(tmp_path / "d.db"), "import", PHONE, variants=("misname",))
    assert done.returncode == 0 and "vcard: 11 added" in done.stdout, done.stderr


def test_a_plugin_named_like_a_built_in_is_broken_and_the_built_in_is_used(install, db):
    install("clash")
    assert registry.get("vcard").__module__.startswith("reseausync_connectors.")
    assert "has the name of a built-in connector" in registry.broken["vcard"]
    assert "reseausync-audit4-clash 0.1" in registry.broken["vcard"]
    [result] = api.import_paths([PHONE], db=db)
    assert result.counts["added"] == 11


def test_two_plugins_claiming_one_name_leave_it_unusable_and_the_rest_works(install):
    install("main", "twins")
    with pytest.raises(RegistryError, match="provided by both"):
        registry.get("people4")
    assert "raiser4" in registry.names() and "vcard" in registry.names()


# 6: a plugin's own files are read by the plugin ---------------------------------------


def test_a_plugin_reads_its_own_files_that_cards_would_take(install, tmp_path, db):
    install("main")
    target = folder_of(tmp_path, "team.people.json") / "team.people.json"
    assert registry.get("cards").can_open(str(target))         # the generic guess
    assert registry.detect(str(target)).name == "people4"
    [result] = api.import_paths([str(target)], db=db, region="CA")
    assert result.connector == "people4"
    assert result.counts["added"] == 2 and result.counts["interactions"] == 1


def test_a_built_in_still_reads_what_no_plugin_recognises(install, tmp_path):
    install("main")
    assert registry.detect(PHONE).name == "vcard"


# the check itself: every well-typed item passes ------------------------------------

_text = st.text(max_size=5)


@given(st.builds(SourceRecord, source=_text, connector=_text,
                 external_id=st.text(min_size=1, max_size=5), locator=_text,
                 emails=st.lists(st.builds(Labeled, _text, _text), max_size=2),
                 addresses=st.lists(st.builds(Address, street=_text), max_size=1),
                 urls=st.lists(_text, max_size=2),
                 collected_at=st.none() | st.dates() | st.datetimes()),
       st.builds(Interaction, source=_text, connector=_text,
                 external_id=st.text(min_size=1, max_size=5), locator=_text,
                 kind=st.sampled_from(INTERACTION_KINDS), occurred_at=st.datetimes(),
                 participants=st.lists(st.builds(Participant, name=_text), max_size=2)))
def test_well_typed_items_pass_the_check(record, event):
    assert item_problem(record) == "" and item_problem(event) == ""


def test_a_source_error_in_read_unit_still_fails_the_run(install, tmp_path, db, monkeypatch):
    """`SourceError` means the source itself went away: not one unit's reject."""
    from reseausync.errors import SourceError
    install("main")
    cls = registry.get("raiser4")

    def gone(self, unit):
        yield from ()
        raise SourceError("the share was unmounted")

    monkeypatch.setattr(cls, "read_unit", gone)
    target = tmp_path / "x.raise.json"
    target.write_text("[]")
    with pytest.raises(SourceError, match="unmounted"):
        api.import_paths([str(target)], db=db, connector="raiser4")
    assert api.runs(db)[-1]["status"] == "failed"
