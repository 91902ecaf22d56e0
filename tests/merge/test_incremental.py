"""A directory built by a sequence of syncs equals one rebuilt from its final records."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.config import Settings
from reseausync.store import Store

from .directory import partition, person, write
from .test_resolve import cast

REGION = Settings(region="CA")
BASE = {f"{r.source}:{r.external_id}": r for r in cast()}
KEYS = sorted(BASE)

step = st.tuples(st.sampled_from(["add", "change", "remove"]), st.sampled_from(KEYS))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(step, min_size=1, max_size=6))
def test_incremental_equals_rebuild(tmp_path_factory, steps) -> None:
    path = tmp_path_factory.mktemp("inc")
    live = dict(list(BASE.items())[:40])
    synced = Store.open(path / "synced.db")
    write(synced, list(live.values()), settings=REGION)
    for action, key in steps:
        source, external_id = key.split(":", 1)
        if action == "remove":
            live.pop(key, None)
            write(synced, [], remove=((source, external_id),), settings=REGION)
            continue
        record = BASE[key]
        if action == "change":
            record = person(source, external_id, "Changed Person", phones=("514 555 4242",))
        live[key] = record
        write(synced, [record], settings=REGION)
    rebuilt = Store.open(path / "rebuilt.db")
    write(rebuilt, list(live.values()), settings=REGION)
    # Same model on both sides: the rebuild is scored with the synced directory's.
    rebuilt.set_meta("match.model", synced.get_meta("match.model"))
    write(rebuilt, [], settings=REGION)
    assert partition(synced) == partition(rebuilt)
