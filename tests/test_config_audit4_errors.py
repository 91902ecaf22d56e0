"""Every wrong value in the config is a config error naming the file and the key
(QA round 4, findings 1 and 10): `options = 1`, `[[sources.options]]` and a
duration of 99999999999 days crashed every command with a traceback (exit 1), and
a running `schedule` died on such an edit instead of keeping its settings.
The inputs are the auditor's files (qa4_newuser/cfg/), copied here.
"""

from __future__ import annotations

import copy
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reseausync.config import load_settings
from reseausync.durations import parse_duration
from reseausync.errors import ConfigError
from tests.conftest import ROOT, run_cli
from tests.test_schedule_loop import START, FakeClock, schedule
from tests.test_schedule_reload import CONFIG, reader, setup

CENTURY = timedelta(days=36500)
SOURCE = '[[sources]]\nname = "phone"\nconnector = "vcard"\npath = "phone.vcf"\n'
CARDDAV = ('connector = "carddav"\nurl = "http://127.0.0.1:1/"\nusername = "u"\n'
           'password_env = "X"\n')

# (file as the auditor wrote it, the problem line expected)
BAD = {
    "opt_int": (SOURCE + "options = 1\n", "sources[0].options: must be a table"),
    "nested": (SOURCE + 'schedule = "0 */6 * * *"\n[[sources.options]]\nx=1\n',
               "sources[0].options: must be a table"),
    "f5_publish": ("[publish]\n" + CARDDAV + "options = 1\n", "publish.options: must be a table"),
    "f23_cold_after": ('[engagement]\ncold_after = "99999999999d"\n',
                       "engagement.cold_after: '99999999999d' is longer than 100 years"),
    "f24_every": (SOURCE.replace('"phone"', '"s"', 1) + 'every = "99999999999w"\n',
                  "sources[0].every: '99999999999w' is longer than 100 years"),
    "lock_timeout": ('[sync]\nlock_timeout = "5000000w"\n', "sync.lock_timeout: "),
}


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "reseausync.toml"
    path.write_text(text)
    (tmp_path / "phone.vcf").write_bytes((ROOT / "samples" / "phone.vcf").read_bytes())
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return caught.value.problems


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_value_of_the_wrong_shape_is_a_config_error_at_its_key(tmp_path, name):
    text, expected = BAD[name]
    found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].startswith(expected), found


@pytest.mark.parametrize("name", ["opt_int", "f24_every"])
def test_check_names_the_file_and_key_and_exits_2(tmp_path, name):
    text, expected = BAD[name]
    config = tmp_path / "bad.toml"
    config.write_text(text)
    done = run_cli("--config", str(config), "check", "--db", str(tmp_path / "c.db"))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "bad.toml: invalid configuration" in done.stderr and expected in done.stderr


def test_a_duplicate_source_name_is_reported_once_at_the_second_source(tmp_path):
    found = problems(tmp_path, 'region = "CA"\n' + SOURCE + SOURCE)
    assert found == ["sources[1].name: duplicate source name 'phone': "
                     "each source needs its own name"]


@given(st.integers(min_value=0, max_value=10**40), st.sampled_from("smhdw"),
       st.sampled_from(["", " "]))
def test_a_duration_is_a_timedelta_of_at_most_a_century_or_a_value_error(number, unit, gap):
    try:
        value = parse_duration(f"{number}{gap}{unit}")
    except ValueError as exc:
        assert "longer than 100 years" in str(exc)
    else:
        assert timedelta(0) <= value <= CENTURY


def test_a_century_is_still_a_duration():
    assert parse_duration("36500d") == CENTURY
    with pytest.raises(ValueError, match="longer than 100 years"):
        parse_duration("36501d")


# The example config, with one or two values replaced by a value of another shape:
# whatever the mix, loading it ends in a ConfigError, never another exception.
EXAMPLE = tomllib.loads((ROOT / "config" / "reseausync.example.toml").read_text())
ODD = [1, -1, 0, 10**30, 1.5, float("nan"), float("inf"), True, "x", "", "99999999999d",
       "1d", [], [1], ["a"], [{}], {}, {"x": 1}, {"options": 1}, "0 0 * * *"]


def _places(data: object, loc: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    items = (data.items() if isinstance(data, dict)
             else enumerate(data) if isinstance(data, list) else ())
    for key, value in items:
        out += [(*loc, key), *_places(value, (*loc, key))]
    return out


PLACES = _places(EXAMPLE) + [("sources", 0, "options"), ("publish", "options"),
                             ("sources", 3, "timeout"), ("engagement", "reply_window")]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else "inf" if value == float("inf") else repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + "}"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(ODD)), min_size=1,
                max_size=2))
def test_any_value_anywhere_gives_a_config_error_or_settings(tmp_path, edits):
    data = copy.deepcopy(EXAMPLE)
    for place, value in edits:
        target: object = data
        try:
            for key in place[:-1]:
                target = target[key]      # type: ignore[index]
            target[place[-1]] = copy.deepcopy(value)      # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            continue
    path = tmp_path / "fuzz.toml"
    path.write_text("\n".join(f'"{k}" = {_toml(v)}' for k, v in data.items()))
    try:
        load_settings(path)
    except ConfigError:
        pass


def test_schedule_keeps_its_settings_when_an_edit_gives_options_1(tmp_path, monkeypatch):
    clock = FakeClock(until=timedelta(seconds=50))
    config, used = setup(tmp_path, monkeypatch, clock)
    clock.events.append((START + timedelta(seconds=5),
                         lambda: config.write_text(CONFIG + "options = 1\n")))
    reload = reader(config)
    first = reload()
    lines = schedule(first.settings, first.db, clock, reload=reload)
    assert [at for at, _, _ in used] == [0.0, 20.0, 40.0]
    refused = [line for line in lines if "not re-read, the previous settings stay" in line]
    assert len(refused) == 1 and "sources[0].options: must be a table" in refused[0]


def test_schedule_outlives_any_failure_to_re_read_its_config(tmp_path, monkeypatch):
    """Whatever goes wrong re-reading (a plugin's bug in its options model), the
    schedule says so and goes on with what it had."""
    clock = FakeClock(until=timedelta(seconds=30))
    config, used = setup(tmp_path, monkeypatch, clock)
    first = reader(config)()
    calls = []

    def broken():
        calls.append(1)
        raise RuntimeError("a plugin's bug")

    clock.events.append((START + timedelta(seconds=5), lambda: config.write_text(CONFIG + "\n")))
    lines = schedule(first.settings, first.db, clock, reload=broken)
    assert calls and [at for at, _, _ in used] == [0.0, 20.0]
    assert any("not re-read, the previous settings stay: RuntimeError: a plugin's bug" in line
               for line in lines)


def test_a_plugin_options_model_that_raises_is_a_config_error(tmp_path):
    """pydantic passes on what a validator raises other than ValueError: a plugin's
    TypeError stopped every command reading the config with a traceback."""
    from pydantic import BaseModel, field_validator

    from reseausync.connector import Connector
    from reseausync.registry import registry

    class Careless(BaseModel):
        size: object = 1

        @field_validator("size")
        @classmethod
        def _size(cls, value: object) -> object:
            return len(value)        # type: ignore[arg-type]

    class CarelessConnector(Connector):
        name = "audit4-careless"
        Options = Careless

    registry.register(CarelessConnector)
    try:
        found = problems(tmp_path, '[[sources]]\nname = "c"\nconnector = "audit4-careless"\n'
                                   'path = "phone.vcf"\nsize = 3\n')
    finally:
        registry.unregister(CarelessConnector.name)
    assert found == ["sources[0]: connector 'audit4-careless' could not check its options "
                     "(TypeError: object of type 'int' has no len())"]
