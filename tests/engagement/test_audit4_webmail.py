"""QA round 4, engagement finding 6: the shipped webmail list missed common
providers' national domains and Québec ISPs, so a mother at globetrotter.net was a
`professional` contact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reseausync.engagement.settings import EngagementSettings
from reseausync.engagement.webmail import Webmail
from tests.conftest import run_cli

INPUTS = Path(__file__).parent / "audit4_inputs"
LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)


def test_personal_cards_at_common_providers_are_personal(tmp_path: Path) -> None:
    shutil.copyfile(INPUTS / "webmail.vcf", tmp_path / "webmail.vcf")
    db, config = str(tmp_path / "d.db"), str(INPUTS / "me.toml")
    done = run_cli("import", str(tmp_path / "webmail.vcf"), "--source", "phone",
                   "--db", db, "--config", config)
    assert done.returncode == 0, done.stderr
    out = run_cli("contacts", "--format", "json", "--db", db, "--config", config)
    layers = {c["display_name"]: (c["layer"]) for c in json.loads(out.stdout)}
    assert layers == dict.fromkeys(("Emma Smith", "Klaus Weber", "Léa Girard", "Maman Roy",
                                    "Noé Blanc", "Pierre Lefebvre"), "personal")


@given(st.sampled_from(["hotmail", "outlook", "live", "yahoo", "gmx"]), LABEL,
       st.sampled_from(["", "co.", "com."]))
def test_a_providers_national_domains_are_webmail(provider: str, tld: str,
                                                 second: str) -> None:
    assert f"{provider}.{second}{tld}" in EngagementSettings().webmail()


@given(LABEL, LABEL, LABEL)
def test_a_pattern_is_no_company_subdomain(provider: str, company: str, tld: str) -> None:
    """"live.*" is live.fr and live.co.uk, not a company's live.acme.com."""
    webmail = Webmail.of([f"{provider}.*"])
    assert f"{provider}.{tld}" in webmail
    assert (f"{provider}.{company}.{tld}" in webmail) == (company in ("co", "com", "net",
                                                                      "org", "ne", "or", "ac"))
    assert f"x{provider}.{tld}" not in webmail
    assert f"{company}.{provider}.{tld}" not in webmail or company == provider


def test_users_patterns_join_the_shipped_list() -> None:
    webmail = EngagementSettings(webmail_domains=["@Famille.*", "example.org"]).webmail()
    assert "famille.qc" in webmail and "example.org" in webmail and "gmail.com" in webmail
    assert "acme.com" not in webmail
