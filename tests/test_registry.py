"""The registry finds connectors only through entry points, validates them, and a
third party's connector is used by `import` without any change to the core."""

from __future__ import annotations

import pytest

from reseausync import api
from reseausync.connector import Connector
from reseausync.errors import RegistryError, UsageError
from reseausync.registry import Registry, registry
from tests.conftest import run_cli


def test_builtin_connectors_register_through_entry_points() -> None:
    fresh = Registry()
    names = fresh.names()
    for name in ("vcard", "linkedin", "csv", "cards", "ics", "mbox", "interactions", "carddav"):
        assert name in names or name in fresh.broken, name


def test_third_party_distribution_is_found(lines_plugin: None) -> None:
    entry = {e.name: e for e in registry.entries()}["lines"]
    assert entry.distribution == "reseausync-lines 0.1"


def test_third_party_connector_is_used_by_import(lines_plugin: None, tmp_path, db) -> None:
    people = tmp_path / "friends.people"
    people.write_text("Ada Lovelace,ada@example.org\n!garbage\nAlan Turing,alan@example.org\n")
    [result] = api.import_paths([str(people)], db=db)
    assert result.connector == "lines"
    assert result.counts["added"] == 2 and result.counts["rejected"] == 1


def test_third_party_connector_from_the_command_line(tmp_path) -> None:
    people = tmp_path / "friends.people"
    people.write_text("Ada Lovelace,ada@example.org\n")
    db = str(tmp_path / "d.db")
    listed = run_cli("connectors", plugin=True)
    assert "lines" in listed.stdout and "reseausync-lines 0.1" in listed.stdout
    done = run_cli("import", str(people), "--db", db, plugin=True)
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout


def test_entry_point_name_must_match_connector_name() -> None:
    class Misnamed(Connector):
        name = "other"

    reg = Registry()
    with pytest.raises(RegistryError, match="must be the same|named 'other'"):
        from reseausync.registry import _validate
        _validate(Misnamed, "lines", "dist 1.0")
    assert reg is not None


def test_duplicate_names_are_an_error_naming_both(lines_plugin: None) -> None:
    class Impostor(Connector):
        name = "lines"

    with pytest.raises(RegistryError, match="reseausync-lines 0.1 and evil-dist"):
        registry.register(Impostor, "evil-dist")


def test_unknown_connector_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown connector 'nope'"):
        registry.get("nope")


def test_detect_prefers_the_most_specific(lines_plugin: None, tmp_path) -> None:
    target = tmp_path / "x.people"
    target.write_text("A,a@b.c\n")
    assert registry.detect(str(target)).name == "lines"
    with pytest.raises(UsageError, match="no connector recognises"):
        registry.detect(str(tmp_path / "nothing.xyz"))
