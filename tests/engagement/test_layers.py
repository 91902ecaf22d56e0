"""Network layers: shipped rules, user rules first, facts as of the date."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from reseausync.config import Settings
from reseausync.engagement import EngagementSettings, LayerRule
from reseausync.engagement.settings import default_rules

from .conftest import Directory, settings

AS_OF = date(2026, 11, 20)


def layer(d: Directory, cid: str = "x") -> tuple[str, str]:
    got = d.annotated(AS_OF)[cid]
    return got["layer"], got["layer_rule"]


@pytest.mark.parametrize(("categories", "expected"), [
    (("Famille", "Amis"), ("personal", "personal-category")),
    (("AMIS",), ("personal", "personal-category")),
    (("Hockey",), ("extra_professional", "extra-professional-category")),
    (("benevolat",), ("extra_professional", "extra-professional-category")),
    (("Clients",), ("professional", "professional-category")),
])
def test_categories_decide_ignoring_case_and_accents(directory: Directory, categories: tuple,
                                                      expected: tuple) -> None:
    directory.person("x", "Élise Gagnon", emails=("boss@acme.ca",), organization="Acme",
                     categories=categories)
    assert layer(directory) == expected


def test_linkedin_and_cards_are_professional(directory: Directory) -> None:
    directory.person("x", "Alex Dubois", source="linkedin", connector="linkedin")
    directory.person("y", "Sophie Martin", source="cards", connector="cards")
    got = directory.annotated(AS_OF)
    assert (got["x"]["layer"], got["x"]["layer_rule"]) == ("professional", "professional-source")
    assert got["y"]["layer"] == "professional"


def test_email_domain_and_organization(directory: Directory) -> None:
    directory.person("company", "A B", emails=("a@acme.ca", "a@gmail.com"))
    directory.person("webmail", "C D", emails=("c@GMAIL.com", "c@videotron.ca"))
    directory.person("org", "E F", organization="Nimbus Labs")
    directory.person("bare", "G H")
    got = directory.annotated(AS_OF)
    assert (got["company"]["layer"], got["company"]["layer_rule"]) == ("professional",
                                                                         "company-email")
    assert (got["webmail"]["layer"], got["webmail"]["layer_rule"]) == ("personal",
                                                                         "webmail-only")
    assert (got["org"]["layer"], got["org"]["layer_rule"]) == ("professional", "organization")
    assert (got["bare"]["layer"], got["bare"]["layer_rule"]) == ("unknown", "no rule matched")


def test_categories_from_any_member_record(directory: Directory) -> None:
    directory.person("x", "Mike Rossi", emails=("mike.rossi@outlook.com",))
    directory.record("x", source="google", connector="csv", categories=("Hockey",))
    assert layer(directory) == ("extra_professional", "extra-professional-category")


def test_user_rules_come_first(directory: Directory) -> None:
    directory.person("x", "Marie Tremblay", emails=("marie.t@desjardins.com",),
                     categories=("Clients",))
    directory.settings = settings(layers=[{"name": "my-bank", "layer": "personal",
                                           "email_domains": ["desjardins.com"]}])
    assert layer(directory) == ("personal", "my-bank")


def test_conditions_of_one_rule_all_hold(directory: Directory) -> None:
    directory.person("x", "Old Friend", source="phone", organization="Acme")
    rule = {"name": "phone-no-org", "layer": "personal", "sources": ["phone"],
            "organization": False}
    directory.settings = settings(layers=[rule])
    assert layer(directory) == ("professional", "organization")
    directory.settings = settings(layers=[dict(rule, organization=True)])
    assert layer(directory) == ("personal", "phone-no-org")


def test_shipped_rules_can_be_turned_off(directory: Directory) -> None:
    directory.person("x", "Élise Gagnon", categories=("Famille",))
    directory.settings = settings(default_layers=False)
    assert layer(directory) == ("unknown", "no rule matched")


def test_extra_webmail_domains(directory: Directory) -> None:
    directory.person("x", "C D", emails=("c@famille-roy.qc.ca",))
    assert layer(directory) == ("professional", "company-email")
    directory.settings = settings(webmail_domains=["famille-roy.qc.ca"])
    assert layer(directory) == ("personal", "webmail-only")


def test_records_collected_after_the_date_are_not_seen(directory: Directory) -> None:
    directory.person("x", "Mike Rossi", collected="2020-01-01")
    directory.record("x", source="google", connector="csv", categories=("Hockey",),
                     collected="2026-12-01T10:00:00")
    directory.person("y", "Later Person", categories=("Amis",), collected="2026-11-21")
    got = directory.annotated(AS_OF)
    assert (got["x"]["layer"], got["x"]["collected_as_of"]) == ("unknown", True)
    assert (got["y"]["layer"], got["y"]["layer_rule"], got["y"]["collected_as_of"]) == (
        "unknown", "not collected as of this date", False)
    later = directory.annotated(date(2026, 12, 1))
    assert (later["x"]["layer"], later["y"]["layer"]) == ("extra_professional", "personal")


def test_shipped_rules_load_and_are_ordered() -> None:
    names = [r.name for r in default_rules()]
    assert names[0] == "personal-category"
    assert names.index("professional-source") < names.index("webmail-only")


def test_bad_rules_and_thresholds_are_config_errors() -> None:
    with pytest.raises(ValidationError, match="no condition"):
        LayerRule(name="empty", layer="personal")
    with pytest.raises(ValidationError):
        LayerRule(name="x", layer="family", categories=["Famille"])
    with pytest.raises(ValidationError):
        EngagementSettings.model_validate({"layers": [{"name": "x", "layer": "personal",
                                                       "categorie": ["typo"]}]})
    with pytest.raises(ValidationError, match="cold_after"):
        EngagementSettings(cooling_after="400d")
    with pytest.raises(ValidationError, match="cold_after"):
        Settings.model_validate({"engagement": {"cooling_after": "2w", "cold_after": "1d"}})


def test_example_config_is_valid() -> None:
    text = (Path(__file__).parents[2] / "config" / "layers.example.toml").read_text("utf-8")
    parsed = Settings.model_validate(tomllib.loads(text))
    rules = parsed.engagement.layer_rules()
    assert [r.name for r in rules[:3]] == ["bank-is-personal", "yoga", "old-phone-book"]
    assert len(rules) == 3 + len(default_rules())
    assert "videotron.qc.ca" in parsed.engagement.webmail()
