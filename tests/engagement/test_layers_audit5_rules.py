"""Network layers, QA audit 5: shipped words (2), subdomains (4), personal mailbox
providers (5), school addresses (6), what `show` says decided (8), and the config
checks of a rule's sources and connectors (3). Real SQLite files throughout."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reseausync.directory import render_show
from reseausync.engagement import explain_engagement
from reseausync.engagement.settings import default_webmail
from tests.conftest import run_cli

from .conftest import Directory, settings

AS_OF = date(2026, 11, 20)


def layer(d: Directory, cid: str = "x") -> tuple[str, str]:
    got = d.annotated(AS_OF)[cid]
    return got["layer"], got["layer_rule"]


@pytest.mark.parametrize(("labels", "emails", "organization", "expected"), [
    (("Parents",), ("paul.gagnon@sympatico.ca",), "", ("personal", "personal-category")),
    (("Parenté",), ("paul@acme.ca",), "", ("personal", "personal-category")),
    (("Team",), ("kevin.tran@acme.ca",), "Acme", ("professional", "company-email")),
    (("Équipe",), ("kevin@acme.ca",), "", ("professional", "company-email")),
    (("Parents d'élèves",), ("chloe@gmail.com",), "",
     ("extra_professional", "extra-professional-category")),
])
def test_ambiguous_words_no_longer_beat_the_other_evidence(
        directory: Directory, labels: tuple, emails: tuple, organization: str,
        expected: tuple) -> None:
    directory.person("x", "X Y", emails=emails, organization=organization, categories=labels)
    assert layer(directory) == expected


def test_email_domains_cover_subdomains(directory: Directory) -> None:
    directory.settings = settings(layers=[
        {"name": "lyon1", "layer": "extra_professional", "email_domains": ["univ-lyon1.fr"]},
        {"name": "mcgill", "layer": "extra_professional", "email_domains": ["@McGill.ca"]}])
    directory.person("x", "Camille Durand", emails=("camille.durand@etu.univ-lyon1.fr",))
    directory.person("y", "Tom Leclerc", emails=("tom.leclerc@mail.mcgill.ca",),
                     categories=("Friends",))
    directory.person("z", "Not McGill", emails=("a@notmcgill.ca",))
    assert layer(directory, "x") == ("extra_professional", "lyon1")
    assert layer(directory, "y") == ("extra_professional", "mcgill")
    assert layer(directory, "z") == ("professional", "company-email")


@given(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), min_size=1,
                max_size=4), st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True),
                                      min_size=0, max_size=3))
def test_a_domain_is_under_itself_and_its_parents_only(labels: list[str],
                                                       more: list[str]) -> None:
    from reseausync.engagement.webmail import under
    domain = ".".join(labels)
    child = ".".join([*more, domain])
    assert under(child, frozenset({domain}))
    assert not under(domain, frozenset({"x" + domain}))
    assert not under("x" + domain, frozenset({domain}))


@pytest.mark.parametrize("domain", [
    "comcast.net", "att.net", "sbcglobal.net", "verizon.net", "cox.net", "charter.net",
    "earthlink.net", "posteo.de", "mailbox.org", "libero.it", "virgilio.it",
    "bigpond.com", "optusnet.com.au"])
def test_common_isp_mailboxes_are_personal(directory: Directory, domain: str) -> None:
    assert domain in default_webmail()
    directory.person("x", "Dave Miller", emails=(f"dmiller55@{domain}",))
    assert layer(directory) == ("personal", "webmail-only")


@pytest.mark.parametrize(("email", "expected"), [
    ("camille.durand@etu.univ-lyon1.fr", "school-email"),
    ("o.smith@ed.ac.uk", "school-email"),
    ("anne.roy@umontreal.ca", "school-email"),
    ("anne.roy@iro.umontreal.ca", "school-email"),
    ("jo@cs.stanford.edu", "school-email"),
    ("max@uni-heidelberg.de", "school-email"),
    ("luc@cegepmontpetit.ca", "school-email"),
    ("buyer@uni-select.com", "company-email"),       # a company, not a university
    ("secretariat@paroissesaintjean.org", "company-email"),   # .org is not reclassified
])
def test_school_and_university_addresses_are_no_company(directory: Directory, email: str,
                                                        expected: str) -> None:
    directory.person("x", "A B", emails=(email,))
    got = layer(directory)
    assert got[1] == expected
    assert got[0] == ("extra_professional" if expected == "school-email" else "professional")


def test_a_school_address_with_an_employer_or_a_company_address_is_work(
        directory: Directory) -> None:
    directory.person("x", "Prof Roy", emails=("anne.roy@umontreal.ca",),
                     organization="Université de Montréal")
    directory.person("y", "C D", emails=("c@ulaval.ca", "c@acme.ca"))
    directory.person("z", "E F", emails=("e@ulaval.ca", "e@gmail.com"))
    assert layer(directory, "x") == ("professional", "organization")
    assert layer(directory, "y") == ("professional", "company-email")
    assert layer(directory, "z") == ("extra_professional", "school-email")


def test_show_names_the_deciding_value_and_what_it_outweighed(directory: Directory) -> None:
    directory.person("x", "Marc Dubé", emails=("marc.dube@acme.ca",), organization="Acme",
                     categories=("Friends", "Coworkers"))
    got = explain_engagement(directory.store, "x", AS_OF, directory.settings)
    assert (got["layer"], got["layer_rule"], got["layer_reason"]) == (
        "personal", "personal-category", None)
    assert got["layer_values"] == ["Friends"]
    assert [(o["rule"], o["values"]) for o in got["layer_outweighed"]] == [
        ("professional-category", ["Coworkers"]), ("company-email", ["acme.ca"]),
        ("organization", ["organization"])]


def test_no_rule_is_null_with_its_reason(directory: Directory) -> None:
    directory.person("x", "Rémi Ouellet", phones=("+15145550000",))
    got = explain_engagement(directory.store, "x", AS_OF, directory.settings)
    assert (got["layer"], got["layer_rule"], got["layer_reason"]) == (
        "unknown", None, "no rule matched")


def test_show_lines(tmp_path: Path) -> None:
    """Through the CLI on a real file: the rule with its value, and no "by rule
    no rule matched"; JSON `layer_rule` is null when no rule decided."""
    (tmp_path / "book.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Linda Harper\r\n"
        b"EMAIL:linda.harper@hockeymineurlaval.org\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Remi Ouellet\r\nTEL:+15145550000\r\nEND:VCARD\r\n")
    env = {"RESEAUSYNC_DB": str(tmp_path / "d.db")}
    assert run_cli("import", str(tmp_path / "book.vcf"), env=env).returncode == 0
    ids = {c["display_name"]: c["id"] for c in
           json.loads(run_cli("contacts", "--format", "json", env=env).stdout)}
    linda = run_cli("show", ids["Linda Harper"], env=env).stdout
    assert "layer professional by rule company-email: hockeymineurlaval.org" in linda
    remi = run_cli("show", ids["Remi Ouellet"], env=env).stdout
    assert "layer unknown: no rule matched" in remi and "by rule no rule" not in remi
    assert "layer: unknown (no rule matched)" in remi
    detail = json.loads(run_cli("show", ids["Remi Ouellet"], "--format", "json",
                                env=env).stdout)
    assert (detail["layer_rule"], detail["layer_reason"]) == (None, "no rule matched")
    assert detail["engagement"]["layer_rule"] is None


def test_render_show_lists_the_outweighed_rules() -> None:
    detail = {"display_name": "M", "id": "c1", "status": "engaged", "layer": "personal",
              "layer_rule": "personal-category", "fields": [], "records": [],
              "engagement": {"layer": "personal", "layer_rule": "personal-category",
                             "layer_values": ["Friends"],
                             "layer_outweighed": [{"rule": "professional-source",
                                                   "layer": "professional",
                                                   "values": ["linkedin"]}]},
              "merge": {}}
    text = render_show(detail)
    assert "layer personal by rule personal-category: Friends" in text
    assert "outweighed: professional-source (professional): linkedin" in text


CONFIG = """
[[sources]]
name = "phone"
connector = "vcard"
path = "phone.vcf"
every = "1d"

[[engagement.layers]]
name = "old-phone"
layer = "personal"
sources = ["phon"]
"""


def test_check_warns_about_a_rule_naming_no_configured_source(tmp_path: Path) -> None:
    (tmp_path / "phone.vcf").write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A B\r\n"
                                         b"END:VCARD\r\n")
    (tmp_path / "r.toml").write_text(CONFIG, encoding="utf-8")
    done = run_cli("--config", str(tmp_path / "r.toml"), "check",
                   env={"RESEAUSYNC_DB": str(tmp_path / "d.db")})
    assert done.returncode == 0, done.stderr
    assert "warning: layer rule 'old-phone': no [[sources]] is named 'phon'" in done.stdout
    fixed = CONFIG.replace('["phon"]', '["phone"]')
    (tmp_path / "r.toml").write_text(fixed, encoding="utf-8")
    done = run_cli("--config", str(tmp_path / "r.toml"), "check",
                   env={"RESEAUSYNC_DB": str(tmp_path / "d.db")})
    assert "warning" not in done.stdout


def test_a_rule_naming_an_unknown_connector_is_a_config_error(tmp_path: Path) -> None:
    text = CONFIG.replace('sources = ["phon"]', 'connectors = ["vcards"]')
    (tmp_path / "r.toml").write_text(text, encoding="utf-8")
    (tmp_path / "phone.vcf").write_bytes(b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n")
    done = run_cli("--config", str(tmp_path / "r.toml"), "check",
                   env={"RESEAUSYNC_DB": str(tmp_path / "d.db")})
    assert done.returncode == 2
    assert "engagement.layers[0].connectors: unknown connector 'vcards'" in done.stderr
