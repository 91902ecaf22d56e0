"""The CardDAV story as a user lives it, through the command line against a real
Radicale: configure a source and a publish target, sync, publish, check."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.integration.conftest import PASSWORD, PASSWORD_ENV, Radicale

CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{family};{given};;;\r\n"
        "EMAIL:{email}\r\nTEL;TYPE=CELL:+1 514 555 {tail}\r\nEND:VCARD\r\n")


def _config(tmp_path: Path, source: str, target: str) -> Path:
    config = tmp_path / "reseausync.toml"
    config.write_text(f"""
region = "CA"

[directory]
path = "dir.db"

[[sources]]
name = "team"
connector = "carddav"
url = "{source}"
username = "alice"
password_env = "{PASSWORD_ENV}"
every = "15m"

[publish]
connector = "carddav"
url = "{target}"
username = "alice"
password_env = "{PASSWORD_ENV}"
""")
    return config


def test_sync_publish_and_check_from_the_command_line(radicale: Radicale, tmp_path: Path) -> None:
    source = radicale.make_addressbook()
    target = f"{radicale.root}/alice/clean-{tmp_path.name[-6:]}/"
    for i, (given, family) in enumerate([("Ada", "Lovelace"), ("Alan", "Turing")]):
        radicale.put_card(source, f"c{i}.vcf", CARD.format(
            uid=f"u{i}", name=f"{given} {family}", family=family, given=given,
            email=f"{given.lower()}@example.org", tail=f"010{i}"))
    config = _config(tmp_path, source, target)
    env = {PASSWORD_ENV: PASSWORD}

    checked = run_cli("check", "--config", str(config), env=env)
    assert checked.returncode == 0, checked.stderr
    assert "team: ok" in checked.stdout

    synced = run_cli("sync", "--config", str(config), env=env)
    assert synced.returncode == 0, synced.stderr
    assert "2 added" in synced.stdout
    again = run_cli("sync", "--config", str(config), env=env)
    assert "0 added, 0 updated, 2 unchanged" in again.stdout

    contacts = json.loads(run_cli("contacts", "--config", str(config), "--format", "json",
                                  env=env).stdout)
    assert sorted(c["phones"][0] for c in contacts) == ["+15145550100", "+15145550101"]

    published = run_cli("publish", "--config", str(config), env=env)
    assert published.returncode == 0, published.stderr
    assert "published: 2 created, 0 updated, 0 deleted" in published.stdout
    listing = radicale.session().request("PROPFIND", target, headers={"Depth": "1"},
                                         timeout=10).text
    assert listing.count("reseausync-c") >= 2
    assert PASSWORD not in published.stdout + published.stderr


def test_wrong_password_fails_the_sync_and_names_the_variable(radicale: Radicale,
                                                              tmp_path: Path) -> None:
    config = _config(tmp_path, radicale.make_addressbook(), radicale.make_addressbook())
    out = run_cli("sync", "--config", str(config), env={PASSWORD_ENV: "not it"})
    assert out.returncode == 1
    assert PASSWORD_ENV in out.stdout + out.stderr
    assert "not it" not in out.stdout + out.stderr
    runs = json.loads(run_cli("runs", "--config", str(config), "--format", "json").stdout)
    assert runs[-1]["status"] == "failed"


def test_check_reaches_the_publish_target_and_writes_nothing(radicale: Radicale,
                                                             tmp_path: Path) -> None:
    """QA: `check` said nothing of [publish]; `publish` then failed on its target."""
    source = radicale.make_addressbook()
    target = f"{radicale.root}/alice/not-yet-{tmp_path.name[-6:]}/"
    env = {PASSWORD_ENV: PASSWORD}
    checked = run_cli("check", "--config", str(_config(tmp_path, source, target)), env=env)
    assert checked.returncode == 0, checked.stdout
    assert "[publish]: ok" in checked.stdout and "the first publish creates it" in checked.stdout
    assert radicale.session().request("PROPFIND", target,
                                      headers={"Depth": "0"}).status_code == 404
    checked = run_cli("check", "--config", str(_config(tmp_path, source, source)), env=env)
    assert "[publish]: ok" in checked.stdout and "reachable" in checked.stdout
    wrong = run_cli("check", "--config", str(_config(tmp_path, source, target)),
                    env={PASSWORD_ENV: "not the password"})
    assert wrong.returncode == 1 and "[publish]: FAILED" in wrong.stdout
