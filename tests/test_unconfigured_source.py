"""A source taken out of the config keeps its records (there is no command to remove
a source yet): `sync` says so on stderr rather than keep them in silence (QA)."""

from __future__ import annotations

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
    assert "source 'google' is no longer in the config; its 3 record(s) stay" in later.stderr
    one = run_cli("--config", str(config), "sync", "--source", "phone")
    assert "no longer in the config" not in one.stderr       # asked for one source only
    # a one-off import's source is not the config's business
    assert run_cli("--config", str(config), "import", str(SAMPLES / "outlook.csv")
                   ).returncode == 0
    again = run_cli("--config", str(config), "sync")
    assert "'csv'" not in again.stderr and "'google'" in again.stderr
