"""A running schedule follows the edited config (QA round 3, S4).

It read the config once: after the user set `region = "CA"` (and checked it with a
manual `sync`), each scheduled run rebuilt the directory with the old settings,
flipping every phone back. Driven by the fake clock of test_schedule_loop.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from reseausync import schedule as schedule_module
from reseausync.config import load_settings
from reseausync.schedule import Config
from tests.test_schedule_loop import START, FakeClock, recorded, schedule
from tests.test_sync import ensure_vcard_connector, people, write_cards

CONFIG = """\
[directory]
path = "d.db"
[[sources]]
name = "phone"
connector = "vcard"
path = "phone.vcf"
every = "20s"
"""


def setup(tmp_path: Path, monkeypatch, clock: FakeClock
          ) -> tuple[Path, list[tuple[float, str, str | None]]]:
    """A config file, and the runs as they happen: (time, source, region used)."""
    ensure_vcard_connector()
    write_cards(tmp_path / "phone.vcf", people("phone", 2))
    write_cards(tmp_path / "work.vcf", people("work", 2))
    config = tmp_path / "cfg.toml"
    config.write_text(CONFIG)
    used: list[tuple[float, str, str | None]] = []
    real = schedule_module.sync_sources

    def spy(settings, **kw):
        used.append((clock.at(), kw["source"], settings.region))
        return real(settings, **kw)

    monkeypatch.setattr(schedule_module, "sync_sources", spy)
    return config, used


def reader(config: Path):
    def reload() -> Config:
        settings = load_settings(config)
        return Config(settings, str(config.parent / "d.db"), settings.region)
    return reload


def edit(config: Path, text: str):
    return lambda: config.write_text(text)


def test_the_next_run_uses_the_edited_config(tmp_path, monkeypatch):
    clock = FakeClock(until=timedelta(seconds=70))
    config, used = setup(tmp_path, monkeypatch, clock)
    reload = reader(config)
    clock.events += [
        (START + timedelta(seconds=5), edit(config, 'region = "CA"\n' + CONFIG)),
        # an edit that does not validate: the schedule says so, keeps "CA"
        (START + timedelta(seconds=25), edit(config, 'region = "Canada"\n' + CONFIG)),
        # a source added, the interval shortened
        (START + timedelta(seconds=45), edit(config, 'region = "CA"\n' + CONFIG.replace(
            '"20s"', '"60s"') + CONFIG.split("\n", 2)[2].replace('"phone', '"work'))),
    ]
    first = reload()
    lines = schedule(first.settings, first.db, clock, region=first.region, reload=reload)
    # phone now every minute from the edit on (next at 105 s), work every 20 s from now
    assert used == [(0.0, "phone", None), (20.0, "phone", "CA"), (40.0, "phone", "CA"),
                    (45.0, "work", "CA"), (65.0, "work", "CA")]
    assert sum("re-read; the next runs use it" in line for line in lines) == 2
    refused = [line for line in lines if "not re-read, the previous settings stay" in line]
    assert len(refused) == 1 and "region" in refused[0] and "Canada" in refused[0]
    assert "work: scheduled every 0:00:20, next run now" in lines
    assert any(line.startswith("phone: scheduled every 0:01:00, next run ") for line in lines)
    assert recorded(str(tmp_path / "d.db"))[-1] == ("work", "ok")


def test_a_source_dropped_from_the_config_is_no_longer_run(tmp_path, monkeypatch):
    clock = FakeClock(until=timedelta(seconds=50))
    config, used = setup(tmp_path, monkeypatch, clock)
    config.write_text(CONFIG + CONFIG.split("\n", 2)[2].replace('"phone', '"work'))
    reload = reader(config)
    clock.events.append((START + timedelta(seconds=5), edit(config, CONFIG)))
    first = reload()
    lines = schedule(first.settings, first.db, clock, reload=reload)
    assert [(at, source) for at, source, _ in used] == [
        (0.0, "phone"), (0.0, "work"), (20.0, "phone"), (40.0, "phone")]
    assert "work: no longer scheduled by the config" in lines


def test_an_edit_scheduling_nothing_keeps_the_previous_settings(tmp_path, monkeypatch):
    clock = FakeClock(until=timedelta(seconds=30))
    config, used = setup(tmp_path, monkeypatch, clock)
    reload = reader(config)
    clock.events.append((START + timedelta(seconds=5),
                         edit(config, CONFIG.replace('every = "20s"\n', ""))))
    first = reload()
    lines = schedule(first.settings, first.db, clock, reload=reload)
    assert [at for at, _, _ in used] == [0.0, 20.0]
    assert any("not re-read" in line and "no source has a schedule" in line for line in lines)
