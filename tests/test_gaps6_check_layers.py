"""`check` says which of the user's layer rules match no contact, and which
categories of the directory no rule names: a misspelt category ("Yogaa") used to
match nobody, silently, while the contacts filed under "Yoga" stayed `unknown`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.engagement.layers import LayerFacts, compile_rules, rule_use
from reseausync.engagement.settings import EngagementSettings, LayerRule

from .conftest import run_cli

BOOK = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Ann Proulx\r\nCATEGORIES:Yoga\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b\r\nFN:Bob Lessard\r\nCATEGORIES:Yoga,Famille\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c\r\nFN:Carol Fortin\r\nCATEGORIES:Hockeey\r\n"
    "EMAIL:carol@desjardins.com\r\nEND:VCARD\r\n")

RULES = """
[[engagement.layers]]
name = "yoga"
layer = "extra_professional"
categories = ["Yogaa"]

[[engagement.layers]]
name = "bank"
layer = "personal"
email_domains = ["desjardins.com"]
"""


def _setup(tmp_path: Path, rules: str = RULES) -> tuple[Path, str]:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.vcf").write_bytes(BOOK.encode())
    db = str(tmp_path / "d.db")
    config = tmp_path / "reseausync.toml"
    config.write_text(f'[directory]\npath = "{db}"\n\n[[sources]]\nname = "phone"\n'
                      f'connector = "vcard"\npath = "{folder}"\n{rules}')
    return config, db


def test_check_warns_for_a_rule_matching_nobody_and_lists_unnamed_categories(
        tmp_path: Path) -> None:
    config, _ = _setup(tmp_path)
    assert run_cli("sync", "--config", str(config)).returncode == 0
    done = run_cli("check", "--config", str(config))
    assert done.returncode == 0, done.stdout + done.stderr      # information, not failure
    out = done.stdout
    assert "warning: layer rule 'yoga' matches no contact of the directory" in out
    assert "(the directory has 'Yoga')" in out
    assert "'bank' matches no contact" not in out                # Carol's domain
    assert ("note: categories of the directory that no layer rule names: "
            "'Yoga' (2), 'Hockeey' (1)") in out
    assert "Famille" not in out                                  # a shipped rule names it
    assert "phone: ok" in out


def test_check_says_nothing_once_the_rule_is_right(tmp_path: Path) -> None:
    config, _ = _setup(tmp_path, RULES.replace('"Yogaa"', '"Yoga", "Hockeey"'))
    assert run_cli("sync", "--config", str(config)).returncode == 0
    out = run_cli("check", "--config", str(config)).stdout
    assert "matches no contact" not in out and "no layer rule names" not in out


def test_check_without_a_directory_says_nothing_about_rules(tmp_path: Path) -> None:
    config, db = _setup(tmp_path)
    done = run_cli("check", "--config", str(config))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "matches no contact" not in done.stdout and "layer rule names" not in done.stdout
    assert not Path(db).exists()                  # check creates no directory


def test_check_keeps_its_exit_code_when_a_source_fails(tmp_path: Path) -> None:
    config, _ = _setup(tmp_path)
    assert run_cli("sync", "--config", str(config)).returncode == 0
    (tmp_path / "book" / "book.vcf").unlink()
    (tmp_path / "book").rmdir()
    done = run_cli("check", "--config", str(config))
    assert done.returncode == 1
    assert "warning: layer rule 'yoga' matches no contact" in done.stdout


_WORD = st.text(alphabet="abcdéEFG ", min_size=1, max_size=6).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_WORD, max_size=3), max_size=6), st.lists(_WORD, min_size=1,
                                                                  max_size=3))
def test_rule_use_counts_agree_with_rule_matches(cards: list[list[str]],
                                                 wanted: list[str]) -> None:
    """A rule matches nobody exactly when no contact bears one of its categories,
    and a category is listed unnamed exactly when no rule names it (folded)."""
    facts = []
    for categories in cards:
        found = LayerFacts()
        found.add_record("phone", "vcard", categories, None, [])
        facts.append(found)
    user = compile_rules([LayerRule(name="mine", layer="personal", categories=wanted)])
    every = compile_rules(EngagementSettings(layers=[LayerRule(
        name="mine", layer="personal", categories=wanted)]).layer_rules())
    use = rule_use(facts, user, every, EngagementSettings().webmail())
    rule = user[0]
    assert use.matched["mine"] == sum(1 for f in facts if f.categories & rule.categories)
    named = {c for r in every for c in r.categories}
    present = {c for f in facts for c in f.categories}
    assert set(use.unnamed) == present - named
    for folded, (_, count) in use.unnamed.items():
        assert count == sum(1 for f in facts if folded in f.categories)


@pytest.mark.parametrize("rule", ["Yogaa", "yoga"])
def test_near_names_the_close_category(rule: str) -> None:
    found = LayerFacts()
    found.add_record("phone", "vcard", ["Yoga"], None, [])
    user = compile_rules([LayerRule(name="r", layer="personal", categories=[rule])])
    use = rule_use([found], user, user, EngagementSettings().webmail())
    assert use.near(user[0]) == ([] if rule == "yoga" else ["Yoga"])
