"""The config file: every problem at once, named by key; secrets refused; paths anchored."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, ValidationError

from reseausync import config as cfg
from reseausync.config import (
    Settings,
    load_settings,
    resolve_config_path,
    resolve_db_path,
    resolve_region,
)
from reseausync.connector import Connector
from reseausync.errors import ConfigError
from reseausync.registry import registry

ROOT = Path(__file__).resolve().parents[1]


class StrictOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    delimiter: str = ","
    username: str = ""
    password_env: str = ""


class LaxOptions(BaseModel):           # a third party that forgot extra="forbid"
    encoding: str = "utf-8"


class StrictConnector(Connector):
    name = "cfgtest-strict"
    Options = StrictOptions

    @classmethod
    def open_publish_target(cls, options, password):   # can publish: [publish] may name it
        raise NotImplementedError


class LaxConnector(Connector):
    name = "cfgtest-lax"
    Options = LaxOptions


@pytest.fixture(autouse=True)
def _connectors():
    registry.register(StrictConnector)
    registry.register(LaxConnector)
    yield
    registry.unregister(StrictConnector.name)
    registry.unregister(LaxConnector.name)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reseausync.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(path) in str(caught.value)
    assert caught.value.exit_code == 2
    return caught.value.problems


def test_defaults_are_valid():
    s = Settings()
    assert s.region is None and s.sources == [] and s.publish is None
    assert s.sync.max_removal_share == 0.5 and s.sync.lock_timeout == timedelta(seconds=60)
    assert s.engagement.cooling_after == timedelta(days=90)


def test_a_good_file_loads_with_options_and_anchored_paths(tmp_path):
    path = write(tmp_path, """
region = "ca"
[directory]
path = "data/dir.db"
[me]
emails = ["Marie@Example.com"]
linkedin_url = "https://www.linkedin.com/in/marie-example"
[[sources]]
name = "google"
connector = "cfgtest-strict"
path = "exports/google.csv"
delimiter = ";"
schedule = "0 */6 * * *"
[[sources]]
name = "team"
connector = "cfgtest-strict"
url = "https://dav.example.com/a/"
username = "marie"
password_env = "DAV_PASSWORD"
every = "15m"
[publish]
connector = "cfgtest-strict"
url = "https://dav.example.com/clean/"
[engagement]
cold_after = "104w"
[sync]
max_removal_share = 0.25
lock_timeout = "5m"
""")
    s = load_settings(path)
    assert s.region == "CA"
    assert s.me.emails == ["marie@example.com"]
    google, team = s.sources
    assert google.path == str(tmp_path / "exports" / "google.csv")
    assert google.options == {"delimiter": ";"} and google.schedule == "0 */6 * * *"
    assert google.connector_options().delimiter == ";"
    assert team.target() == "https://dav.example.com/a/" and team.every == timedelta(minutes=15)
    assert team.options == {"username": "marie", "password_env": "DAV_PASSWORD"}
    assert s.publish.url == "https://dav.example.com/clean/"
    assert s.engagement.cold_after == timedelta(weeks=104)
    assert s.sync.lock_timeout == timedelta(minutes=5)
    assert s.config_path == path.resolve()
    assert resolve_db_path(None, s) == str(tmp_path / "data" / "dir.db")


def test_every_problem_is_listed_with_its_key(tmp_path):
    path = write(tmp_path, """
regoin = "CA"
[[sources]]
name = "phone"
connector = "vcrad"
path = "phone.vcf"
[[sources]]
name = "google"
connector = "cfgtest-strict"
schedule = "0 */6 * *"
[[sources]]
name = "phone"
connector = "cfgtest-strict"
path = "x.csv"
every = "soon"
delimter = ";"
[sync]
max_removal_share = 2
""")
    found = problems(path)
    expected = [
        "regoin: unknown key",
        "sources[0].connector: unknown connector 'vcrad' (known: ",
        "sources[1].schedule: '0 */6 * *' is not a cron expression",
        "sources[1]: missing path",
        "sources[2].every: 'soon' is not a duration",
        "sources[2].delimter: unknown key for connector 'cfgtest-strict'",
        "sources[2].name: duplicate source name 'phone'",
        "sync.max_removal_share: ",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in found), (start, found)
    assert len(found) == len(expected), found
    unknown = next(p for p in found if "vcrad" in p)
    assert "cfgtest-strict" in unknown                       # says what was expected


@pytest.mark.parametrize("number", ["90", "60.5", "0", "true"])
def test_a_bare_number_is_not_a_duration(tmp_path, number):
    """Read as seconds, `cooling_after = 90` turned every engaged contact cold and
    `every = 1` synced every second: every duration key needs its unit."""
    path = write(tmp_path, f"""
[[sources]]
name = "a"
connector = "cfgtest-strict"
path = "a.csv"
every = {number}
[engagement]
cooling_after = {number}
cold_after = {number}
reply_window = {number}
[sync]
lock_timeout = {number}
""")
    assert problems(path) == [
        "sources[0].every: write a duration such as '6h' (a bare number has no unit)",
        "engagement.cooling_after: write a duration such as '90d' (a bare number has no unit)",
        "engagement.cold_after: write a duration such as '365d' (a bare number has no unit)",
        "engagement.reply_window: write a duration such as '30d' (a bare number has no unit)",
        "sync.lock_timeout: write a duration such as '60s' (a bare number has no unit)",
    ]


def test_durations_given_in_python_still_work():
    s = Settings.model_validate({"engagement": {"cooling_after": timedelta(days=10)},
                                 "sync": {"lock_timeout": "2m"}})
    assert s.engagement.cooling_after == timedelta(days=10)
    assert s.sync.lock_timeout == timedelta(minutes=2)


def test_bad_cron_with_five_fields_is_caught(tmp_path):
    path = write(tmp_path, """
[[sources]]
name = "a"
connector = "cfgtest-strict"
path = "a.csv"
schedule = "61 * * * *"
""")
    [problem] = problems(path)
    assert problem.startswith("sources[0].schedule: '61 * * * *' is not a cron expression")


def test_both_triggers_or_both_places_are_refused(tmp_path):
    path = write(tmp_path, """
[[sources]]
name = "a"
connector = "cfgtest-strict"
path = "a.csv"
url = "https://x.example/"
[[sources]]
name = "b"
connector = "cfgtest-strict"
path = "b.csv"
schedule = "0 * * * *"
every = "1h"
""")
    assert problems(path) == [
        "sources[0]: give either path or url, not both",
        "sources[1]: give either schedule (cron) or every (interval), not both"]


def test_lax_third_party_options_still_refuse_unknown_keys(tmp_path):
    path = write(tmp_path, """
[[sources]]
name = "a"
connector = "cfgtest-lax"
path = "a.txt"
encodng = "latin-1"
""")
    assert problems(path) == ["sources[0].encodng: unknown key for connector 'cfgtest-lax'"]


@pytest.mark.parametrize("key", ["password", "token", "secret", "api_key", "Password"])
def test_secrets_in_the_file_are_refused(tmp_path, key):
    path = write(tmp_path, f"""
[[sources]]
name = "team"
connector = "cfgtest-strict"
url = "https://dav.example.com/"
{key} = "hunter2"
[publish]
connector = "cfgtest-strict"
url = "https://dav.example.com/clean/"
[publish.nested]
{key} = "hunter2"
""")
    found = problems(path)
    secret_lines = [p for p in found if "secrets must not be written" in p]
    assert [p.split(":")[0] for p in secret_lines] == [f"sources[0].{key}",
                                                       f"publish.nested.{key}"]
    assert all(f'{key}_env = "VARIABLE_NAME"' in p for p in secret_lines)
    assert all("hunter2" not in p for p in found)            # never echo the secret
    assert not any(p.startswith(f"sources[0].{key}:") and "unknown" in p for p in found)


def test_secret_given_as_an_environment_variable_name_is_fine(tmp_path):
    path = write(tmp_path, """
[[sources]]
name = "team"
connector = "cfgtest-strict"
url = "https://dav.example.com/"
password_env = "DAV_PASSWORD"
""")
    assert load_settings(path).sources[0].options == {"password_env": "DAV_PASSWORD"}


def test_toml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, 'region = "CA"\n[sync\nlock_timeout = "1m"\n')
    [problem] = problems(path)
    assert "not valid TOML" in problem and "line 2" in problem


def test_missing_file(tmp_path):
    assert problems(tmp_path / "nope.toml") == ["no such file"]


def test_the_example_config_is_valid_apart_from_unloadable_connectors(tmp_path):
    """Beside the folder of mappings it names (a placeholder, like its exports):
    a `mappings` entry that is not there is a config error (see below)."""
    example = tmp_path / "reseausync.toml"
    example.write_bytes((ROOT / "config" / "reseausync.example.toml").read_bytes())
    (tmp_path / "mappings").mkdir()
    try:
        s = load_settings(example)
    except ConfigError as exc:
        assert all("failed to load" in p for p in exc.problems), exc.problems
    else:
        assert [x.name for x in s.sources] == ["phone", "linkedin", "crm", "team"]


def test_the_samples_config_is_valid():
    s = load_settings(ROOT / "samples" / "reseausync.toml")
    assert "crm" in [x.name for x in s.sources]


CRM_MAPPING = ROOT / "samples" / "mappings" / "crm.toml"


def test_connector_options_its_connector_cannot_start_with_are_config_errors(tmp_path):
    """They passed `check`, then `sync` failed with exit 1 naming no key. Reported
    with the file's other problems (a bad cron here), each at its key."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "crm.toml").write_bytes(CRM_MAPPING.read_bytes())
    path = write(tmp_path, """
[[sources]]
name = "g"
connector = "csv"
path = "google.csv"
mapping = "nosuch"
schedule = "0 */6 * *"
[[sources]]
name = "crm"
connector = "csv"
path = "crm"
mappings = ["nowhere"]
mapping = "google"
[[sources]]
name = "own"
connector = "csv"
path = "crm"
mappings = ["mine"]
mapping = "crm"
[[sources]]
name = "file"
connector = "csv"
path = "crm"
mapping = "mine/crm.toml"
""")
    found = problems(path)
    assert found[0].startswith("sources[0].schedule: '0 */6 * *' is not a cron expression")
    assert found[1:] == [
        "sources[0].mapping: unknown mapping 'nosuch' (use one of google, google_legacy, "
        "outlook, outlook_de, outlook_fr or the path of a .toml file)",
        f"sources[1].mappings: {tmp_path / 'nowhere'}: cannot read the mapping "
        f"([Errno 2] No such file or directory: '{tmp_path / 'nowhere'}')",
    ]


def test_a_setup_problem_is_put_on_the_key_it_comes_from(tmp_path):
    """`mapping` names a mapping of `mappings`, whose file is missing: the missing
    file is the problem, not the name (which fails only because of it)."""
    path = write(tmp_path, """
[[sources]]
name = "crm"
connector = "csv"
path = "crm"
mappings = ["nowhere.toml"]
mapping = "crm"
""")
    [problem] = problems(path)
    assert problem.startswith(f"sources[0].mappings: {tmp_path / 'nowhere.toml'}: cannot read")


def test_options_the_model_refuses_are_not_reported_twice(tmp_path):
    path = write(tmp_path, """
[[sources]]
name = "crm"
connector = "csv"
path = "crm"
mapping = 3
""")
    [problem] = problems(path)
    assert problem.startswith("sources[0].mapping: Input should be a valid string")


def test_a_publish_connector_that_cannot_publish_is_reported(tmp_path):
    """`check` said valid, then `publish` refused the connector."""
    path = write(tmp_path, '[publish]\nconnector = "cfgtest-lax"\npath = "out.vcf"\n')
    [problem] = problems(path)
    assert problem.startswith("publish.connector: connector 'cfgtest-lax' cannot publish "
                              "(use one that can: ")
    assert "cfgtest-strict" in problem and "cfgtest-lax, " not in problem


def test_vcard_cannot_publish():
    with pytest.raises(ValidationError, match="connector 'vcard' cannot publish"):
        Settings.model_validate({"publish": {"connector": "vcard", "path": "out.vcf"}})


@pytest.mark.parametrize(("me", "expected"), [
    ('emails = ["marie@example.com", "not-an-email"]',
     "me.emails[1]: 'not-an-email' is not an email address"),
    ('linkedin_url = "nope"',
     "me.linkedin_url: 'nope' is not a LinkedIn profile URL such as "
     "'https://www.linkedin.com/in/your-name'"),
])
def test_an_owner_that_could_never_match_is_reported(tmp_path, me, expected):
    """A broken owner address or profile URL never matches: the owner's sent mail
    would look received and the owner would be listed as a contact."""
    assert problems(write(tmp_path, f"[me]\n{me}\n")) == [expected]


_CHARS = st.characters(exclude_categories=("Cs",))


@settings(max_examples=60, deadline=None)
@given(schedule=st.text(_CHARS, max_size=30), every=st.text(_CHARS, max_size=8))
def test_any_trigger_text_is_accepted_or_reported_never_crashes(tmp_path_factory, schedule,
                                                                 every):
    folder = tmp_path_factory.mktemp("cfg")
    source = {"name": "a", "connector": "cfgtest-strict", "path": "a.csv",
              "schedule": schedule}
    lines = [f"{k} = {_toml_string(v)}" for k, v in source.items()]
    path = write(folder, "[[sources]]\n" + "\n".join(lines) + "\n[sync]\nlock_timeout = "
                 + _toml_string(every) + "\n")
    try:
        load_settings(path)
    except ConfigError as exc:
        assert all(p.startswith(("sources[0].schedule", "sync.lock_timeout"))
                   for p in exc.problems), exc.problems


@settings(max_examples=60, deadline=None)
@given(mapping=st.text(_CHARS, max_size=20))
def test_any_mapping_text_is_accepted_or_reported_at_its_key(tmp_path_factory, mapping):
    folder = tmp_path_factory.mktemp("cfg")
    path = write(folder, '[[sources]]\nname = "a"\nconnector = "csv"\npath = "a.csv"\n'
                 f"mapping = {_toml_string(mapping)}\n")
    try:
        load_settings(path)
    except ConfigError as exc:
        assert [p.split(":")[0] for p in exc.problems] == ["sources[0].mapping"], exc.problems


def _toml_string(value: str) -> str:
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}"
                      for c in value)
    return f'"{escaped}"'


# where things come from ------------------------------------------------------


def test_config_path_resolution(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RESEAUSYNC_CONFIG", raising=False)
    assert resolve_config_path(None) is None
    (tmp_path / "reseausync.toml").write_text("")
    assert resolve_config_path(None) == Path("reseausync.toml")
    monkeypatch.setenv("RESEAUSYNC_CONFIG", "/etc/r.toml")
    assert resolve_config_path(None) == Path("/etc/r.toml")
    assert resolve_config_path("cli.toml") == Path("cli.toml")


def test_db_path_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("RESEAUSYNC_DB", raising=False)
    assert resolve_db_path(None, Settings()) == "reseausync.db"
    s = load_settings(write(tmp_path, '[directory]\npath = "d/x.db"\n'))
    assert resolve_db_path(None, s) == str(tmp_path / "d" / "x.db")
    monkeypatch.setenv("RESEAUSYNC_DB", "/env.db")
    assert resolve_db_path(None, s) == "/env.db"
    assert resolve_db_path("/cli.db", s) == "/cli.db"


def test_region_resolution(monkeypatch):
    monkeypatch.delenv("RESEAUSYNC_REGION", raising=False)
    for var in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert resolve_region(None, Settings()) == "CA"
    assert resolve_region(None, Settings(region="fr")) == "FR"
    monkeypatch.setenv("RESEAUSYNC_REGION", "be")
    assert resolve_region(None, Settings(region="FR")) == "BE"
    assert resolve_region("ch", Settings(region="FR")) == "CH"


def test_region_without_a_locale_country_is_none(monkeypatch):
    monkeypatch.delenv("RESEAUSYNC_REGION", raising=False)
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        monkeypatch.setenv(var, "C.UTF-8")
    # what Python's alias table makes of C.UTF-8: not a country the user chose
    monkeypatch.setattr(cfg.locale, "getlocale", lambda: ("en_US", "UTF-8"))
    assert resolve_region(None, Settings()) is None


def test_region_follows_the_locale_the_c_library_picks(monkeypatch):
    monkeypatch.delenv("RESEAUSYNC_REGION", raising=False)
    monkeypatch.setenv("LC_ALL", "fr_BE.UTF-8")      # LC_ALL overrides LANG
    monkeypatch.setenv("LANG", "en_CA.UTF-8")
    assert resolve_region(None, Settings()) == "BE"
    monkeypatch.delenv("LC_ALL")
    monkeypatch.setenv("LC_CTYPE", "C.UTF-8")         # set: it decides, LANG is not asked
    assert resolve_region(None, Settings()) is None


def test_bad_region_is_reported(tmp_path):
    assert problems(write(tmp_path, 'region = "Canada"\n')) == [
        "region: 'Canada' is not an ISO country code such as 'CA' or 'FR'"]


def test_owner_addresses_are_kept_in_the_form_the_pipeline_compares(tmp_path):
    s = load_settings(write(tmp_path, '[me]\nemails = ["Marie <Marie@Example.com>", '
                                      '"mailto:marie@x.org"]\n'))
    assert s.me.emails == ["marie@example.com", "marie@x.org"]


class BrokenConnector(Connector):
    name = "cfgtest-broken"

    def __init__(self, options=None, context=None) -> None:
        raise RuntimeError("a plugin's own bug")


def test_a_connector_that_breaks_when_built_does_not_break_every_command(tmp_path):
    registry.register(BrokenConnector)
    try:
        s = load_settings(write(tmp_path, '[[sources]]\nname = "b"\n'
                                          'connector = "cfgtest-broken"\npath = "x"\n'))
    finally:
        registry.unregister(BrokenConnector.name)
    assert s.sources[0].connector == "cfgtest-broken"


@pytest.mark.parametrize("code", ["UK", "XX", "ZZ"])
def test_a_region_phonenumbers_does_not_know_is_refused(code: str) -> None:
    """QA: `region = "UK"` passed the two-letter check, and every national number
    then stayed bare digits instead of E.164."""
    with pytest.raises(ValidationError, match="no country phonenumbers knows"):
        Settings.model_validate({"region": code})
    assert Settings.model_validate({"region": "gb"}).region == "GB"


def test_uk_says_which_code_to_write() -> None:
    with pytest.raises(ValidationError, match="'GB'"):
        Settings.model_validate({"region": "UK"})


@pytest.mark.parametrize("key", ["cooling_after", "cold_after"])
def test_status_thresholds_count_whole_days(key: str) -> None:
    """QA: `cooling_after = "12h"` passed `check` and was explained as "0 days"."""
    other = {"cooling_after": "1d", "cold_after": "36h"} if key == "cold_after" else \
        {"cooling_after": "12h", "cold_after": "2d"}
    with pytest.raises(ValidationError, match=f"engagement.{key} counts whole days"):
        Settings.model_validate({"engagement": other})
    ok = Settings.model_validate({"engagement": {"cooling_after": "2w", "cold_after": "30d"}})
    assert ok.engagement.cooling_after.days == 14


def test_the_next_step_speaks_of_durations_only_for_durations(tmp_path) -> None:
    bad_key = tmp_path / "a.toml"
    bad_key.write_text("[directory]\npathh = 'x.db'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(bad_key)
    assert "durations" not in (info.value.hint or "")
    bad_time = tmp_path / "b.toml"
    bad_time.write_text("[engagement]\ncooling_after = 90\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(bad_time)
    assert "durations are written" in (info.value.hint or "")


def test_a_missing_nickname_file_is_a_config_error(tmp_path) -> None:
    """QA: it passed `check`; each import then stored its records and crashed with a
    traceback before building any contact."""
    config = tmp_path / "bad.toml"
    config.write_text('[match]\nnicknames = "nicknames.txt"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="match.nicknames: cannot read"):
        load_settings(config)


def test_the_nickname_file_is_found_beside_the_config(tmp_path, monkeypatch) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "nick.txt").write_text("Robert, Bob, Rob\n", encoding="utf-8")
    config = tmp_path / "conf" / "x.toml"
    config.write_text('[match]\nnicknames = "nick.txt"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)          # started from the parent folder
    settings = load_settings(Path("conf/x.toml"))
    assert Path(settings.match.nicknames) == (tmp_path / "conf" / "nick.txt").resolve()
