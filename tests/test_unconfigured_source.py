"""A source taken out of the config keeps its records until `sync --source NAME`
removes them: a full `sync` says so on stderr rather than keep them in silence (QA)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import run_cli

SAMPLES = Path(__file__).parent.parent / "samples"


def _config(path: Path, sources: list[str]) -> Path:
    blocks = {"phone": 'name = "phone"\nconnector = "vcard"\npath = "phone.vcf"\n',
              "google": 'name = "google"\nconnector = "csv"\npath = "google.csv"\n'}
    path.write_text('region = "CA"\n[directory]\npath = "d.db"\n'
                    + "".join(f"[[sources]]\n{blocks[s]}" for s in sources), encoding="utf-8")
    return path


def test_sync_names_a_source_the_config_no_longer_has(tmp_path: Path) -> None:
    for name in ("phone.vcf", "google.csv"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    config = _config(tmp_path / "c.toml", ["phone", "google"])
    first = run_cli("--config", str(config), "sync")
    assert first.returncode == 0 and "no longer in the config" not in first.stderr
    _config(config, ["phone"])
    later = run_cli("--config", str(config), "sync")
    assert later.returncode == 0
    assert ("source 'google' is no longer in the config; its 3 record(s) and "
            "0 interaction(s) stay") in later.stderr
    one = run_cli("--config", str(config), "sync", "--source", "phone")
    assert "no longer in the config" not in one.stderr       # asked for one source only
    # a one-off import's source is not the config's business
    assert run_cli("--config", str(config), "import", str(SAMPLES / "outlook.csv")
                   ).returncode == 0
    again = run_cli("--config", str(config), "sync")
    assert "'csv'" not in again.stderr and "'google'" in again.stderr


def _contacts(config: Path) -> list[dict]:
    out = run_cli("--config", str(config), "contacts", "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _sources(contacts: list[dict]) -> set[str]:
    return {s["source"] for c in contacts for s in c["sources"]}


def _synced(tmp_path: Path, names: list[str]) -> Path:
    for name in ("phone.vcf", "google.csv"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    config = _config(tmp_path / "c.toml", names)
    assert run_cli("--config", str(config), "sync").returncode == 0
    return config


def test_a_source_out_of_the_config_is_removed_by_a_sync_of_it(tmp_path: Path) -> None:
    config = _synced(tmp_path, ["phone", "google"])
    before = _contacts(config)
    assert "google" in _sources(before)
    _config(config, ["phone"])
    note = run_cli("--config", str(config), "sync")
    assert "`reseausync sync --source google --allow-mass-removal`" in note.stderr
    # all of a source: the guard asks for the flag, and says why, changing nothing
    refused = run_cli("--config", str(config), "sync", "--source", "google")
    assert refused.returncode == 1
    assert "would remove 3 of 3 records" in refused.stdout
    assert "source 'google' is not in the config" in refused.stderr
    dry = run_cli("--config", str(config), "sync", "--source", "google",
                  "--allow-mass-removal", "--dry-run")
    assert dry.returncode == 0 and "3 removed" in dry.stdout
    assert _contacts(config) == before
    gone = run_cli("--config", str(config), "sync", "--source", "google",
                   "--allow-mass-removal")
    assert gone.returncode == 0, gone.stderr
    assert "google: 0 added, 0 updated, 0 unchanged, 3 removed" in gone.stdout
    after = _contacts(config)
    assert _sources(after) == {"phone"}
    phone_ids = {c["id"] for c in before if any(s["source"] == "phone" for s in c["sources"])}
    assert {c["id"] for c in after} == phone_ids       # the phone book's people stay
    quiet = run_cli("--config", str(config), "sync")
    assert "no longer in the config" not in quiet.stderr
    # nothing left of it: the name is a typo again
    assert run_cli("--config", str(config), "sync", "--source", "google").returncode == 2


def test_a_removed_source_put_back_comes_back_with_its_ids(tmp_path: Path) -> None:
    config = _synced(tmp_path, ["phone", "google"])
    before = _contacts(config)
    _config(config, ["phone"])
    assert run_cli("--config", str(config), "sync", "--source", "google",
                   "--allow-mass-removal").returncode == 0
    _config(config, ["phone", "google"])
    back = run_cli("--config", str(config), "sync")
    assert back.returncode == 0 and "google: 3 added" in back.stdout
    assert _contacts(config) == before


def test_a_mailbox_out_of_the_config_takes_its_interactions(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "phone.vcf", tmp_path / "phone.vcf")
    shutil.copytree(SAMPLES / "mail", tmp_path / "mail")
    config = tmp_path / "c.toml"
    head = ('region = "CA"\n[directory]\npath = "d.db"\n[me]\nemails = ["marie@example.com"]\n'
            '[[sources]]\nname = "phone"\nconnector = "vcard"\npath = "phone.vcf"\n')
    config.write_text(head + '[[sources]]\nname = "mail"\nconnector = "mbox"\npath = "mail"\n',
                      encoding="utf-8")
    assert run_cli("--config", str(config), "sync").returncode == 0
    assert any(c["interaction_count"] for c in _contacts(config))
    config.write_text(head, encoding="utf-8")
    note = run_cli("--config", str(config), "sync")
    assert "source 'mail' is no longer in the config; its 0 record(s) and 7 " in note.stderr
    gone = run_cli("--config", str(config), "sync", "--source", "mail", "--allow-mass-removal")
    assert gone.returncode == 0 and "(7 removed)" in gone.stdout
    assert not any(c["interaction_count"] for c in _contacts(config))


def test_a_one_off_import_is_removed_the_same_way(tmp_path: Path) -> None:
    config = _synced(tmp_path, ["phone"])
    assert run_cli("--config", str(config), "import", str(SAMPLES / "outlook.csv")
                   ).returncode == 0
    assert "csv" in _sources(_contacts(config))
    gone = run_cli("--config", str(config), "sync", "--source", "csv", "--allow-mass-removal")
    assert gone.returncode == 0, gone.stderr
    assert _sources(_contacts(config)) == {"phone"}
