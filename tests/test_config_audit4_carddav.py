"""The CardDAV `timeout` is written like every other duration (QA round 4,
finding 8): `timeout = "30s"` was refused by a message whose own hint said
durations are written 45s; a bare number keeps meaning seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseausync.config import load_settings
from reseausync.errors import ConfigError

TMO = """[[sources]]
name = "s"
connector = "carddav"
url = "http://127.0.0.1:1/"
username = "u"
password_env = "X"
timeout = {value}
"""


def timeout_of(tmp_path: Path, value: str) -> float:
    path = tmp_path / "tmo.toml"
    path.write_text(TMO.format(value=value))
    return load_settings(path).sources[0].connector_options().timeout


@pytest.mark.parametrize(("value", "seconds"), [('"30s"', 30.0), ('"2m"', 120.0),
                                                ("45", 45.0), ("7.5", 7.5), ('"10m"', 600.0)])
def test_a_timeout_is_a_duration_or_seconds(tmp_path, value, seconds):
    assert timeout_of(tmp_path, value) == seconds


@pytest.mark.parametrize(("value", "said"), [
    ('"30"', "sources[0].timeout: '30' is not a duration; write it like 45s"),
    ('"11m"', "sources[0].timeout: Input should be less than or equal to 600"),
    ('"0s"', "sources[0].timeout: Input should be greater than 0"),
])
def test_a_wrong_timeout_is_a_config_error_at_its_key(tmp_path, value, said):
    with pytest.raises(ConfigError) as caught:
        timeout_of(tmp_path, value)
    assert [p for p in caught.value.problems if p.startswith(said)], caught.value.problems


def test_30s_and_30_read_the_same_so_nothing_is_read_again(tmp_path):
    """The options' digest is part of each file's fingerprint (pipeline)."""
    from reseausync.config import validate_connector_options

    dumped = [validate_connector_options("carddav", {"url": "http://h/", "timeout": v})
              .model_dump(mode="json") for v in ("30s", 30)]
    assert dumped[0] == dumped[1]
