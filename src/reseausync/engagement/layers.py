"""Network layers: personal, professional, extra-professional, by ordered rules.

The facts a rule looks at (sources, connectors, categories, employer, email
domains) are gathered from the contact's member records collected on or before
the as-of date, so an old as-of date sees the contact as it was then. Rules come
from `EngagementSettings.layer_rules()`: the user's first, then the shipped ones;
the first whose conditions all hold decides and is named in the result.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .keys import email_key, fold
from .settings import LayerRule
from .webmail import Webmail, under

NO_RULE = "no rule matched"
NOT_COLLECTED = "not collected as of this date"


@dataclass(slots=True)
class LayerFacts:
    sources: set[str] = field(default_factory=set)
    connectors: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)      # folded
    # a folded category as a record wrote it first ("friends" -> "Friends"), so
    # `show` names the value that decided
    category_names: dict[str, str] = field(default_factory=dict)
    organization: bool = False
    domains: set[str] = field(default_factory=set)
    # when the directory holds it from: the earliest record's date (the source's,
    # else when the directory first saw it); None when no record says (cold.py)
    collected: str | None = None

    def add_record(self, source: str, connector: str, categories: Any, organization: Any,
                   emails: Any) -> None:
        """One member record; list columns arrive as JSON text from SQLite."""
        self.sources.add(source)
        self.connectors.add(connector)
        for category in _list(categories):
            if isinstance(category, str) and category.strip():
                folded = fold(category)
                self.categories.add(folded)
                self.category_names.setdefault(folded, category.strip())
        if isinstance(organization, str) and organization.strip():
            self.organization = True
        for item in _list(emails):
            value = item.get("value", "") if isinstance(item, dict) else item
            key = email_key(value if isinstance(value, str) else "")
            if key:
                self.domains.add(key.rsplit("@", 1)[1])

    @classmethod
    def from_contact(cls, contact: dict[str, Any]) -> LayerFacts:
        """For a contact with no member records in the store: its own fields."""
        facts = cls()
        for src in contact.get("sources") or []:
            facts.sources.add(src.get("source", ""))
            facts.connectors.add(src.get("connector", ""))
        facts.add_record("", "", contact.get("categories"), contact.get("organization"),
                         contact.get("emails"))
        facts.sources.discard("")
        facts.connectors.discard("")
        return facts


def _list(value: Any) -> list[Any]:
    if value == "[]" or not value:
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class Compiled:
    """A rule with its values folded once, not once per contact."""

    name: str
    layer: str
    sources: frozenset[str]
    connectors: frozenset[str]
    categories: frozenset[str]
    organization: bool | None
    email: str | None
    domains: frozenset[str]


def compile_rules(rules: list[LayerRule]) -> list[Compiled]:
    return [Compiled(r.name, r.layer, frozenset(r.sources), frozenset(r.connectors),
                     frozenset(fold(c) for c in r.categories), r.organization, r.email,
                     frozenset(d.lower().lstrip("@") for d in r.email_domains))
            for r in rules]


def rule_matches(rule: Compiled, facts: LayerFacts, webmail: Webmail) -> bool:
    if rule.sources and rule.sources.isdisjoint(facts.sources):
        return False
    if rule.connectors and rule.connectors.isdisjoint(facts.connectors):
        return False
    if rule.categories and rule.categories.isdisjoint(facts.categories):
        return False
    if rule.organization is not None and rule.organization != facts.organization:
        return False
    if rule.domains and not any(under(d, rule.domains) for d in facts.domains):
        return False
    if rule.email == "webmail" and not webmail.all_of(facts.domains):
        return False
    if rule.email == "company" and not webmail.any_other(facts.domains):
        return False
    if rule.email == "school" and not webmail.school_only(facts.domains):
        return False
    return True


def decide_layer(facts: LayerFacts | None, rules: list[Compiled],
                 webmail: Webmail) -> tuple[str, str]:
    """(layer, name of the deciding rule, or why none did)."""
    if facts is None:
        return "unknown", NOT_COLLECTED
    for rule in rules:
        if rule_matches(rule, facts, webmail):
            return rule.layer, rule.name
    return "unknown", NO_RULE


@dataclass(frozen=True, slots=True)
class Verdict:
    """A rule that holds for a contact, with the contact's values that made it hold
    ("Friends", "comcast.net", "linkedin"): what `show` names."""

    rule: str
    layer: str
    values: list[str]


def matching_rules(facts: LayerFacts, rules: list[Compiled],
                   webmail: Webmail) -> list[Verdict]:
    """Every rule that holds, in order: the first decides, the others are the
    evidence it outweighed (a friend who is also a colleague)."""
    return [Verdict(r.name, r.layer, deciding_values(r, facts, webmail))
            for r in rules if rule_matches(r, facts, webmail)]


def deciding_values(rule: Compiled, facts: LayerFacts, webmail: Webmail) -> list[str]:
    """The contact's values each condition of a matching rule held on."""
    values = sorted(rule.sources & facts.sources) + sorted(rule.connectors & facts.connectors)
    values += [facts.category_names.get(c, c) for c in sorted(rule.categories & facts.categories)]
    if rule.organization is not None:
        values.append("organization" if rule.organization else "no organization")
    values += sorted(d for d in facts.domains if under(d, rule.domains))
    if rule.email == "webmail":
        values += sorted(facts.domains)
    elif rule.email == "company":
        values += webmail.companies(facts.domains)
    elif rule.email == "school":
        values += webmail.school_only(facts.domains)
    return list(dict.fromkeys(values))


@dataclass(slots=True)
class RuleUse:
    """What `check` tells about the rules against a directory: how many contacts
    each user rule holds for, and the categories no rule names (folded -> as first
    written, contacts). A misspelt category in a rule ("Yogaa") matches nobody and
    leaves "Yoga" unnamed: the two lists side by side show it."""

    matched: dict[str, int] = field(default_factory=dict)
    unnamed: dict[str, tuple[str, int]] = field(default_factory=dict)

    def near(self, rule: Compiled) -> list[str]:
        """Categories of the directory close to the ones `rule` names: the likely
        spelling the user meant."""
        from difflib import get_close_matches
        present = {folded: name for folded, (name, _) in self.unnamed.items()}
        return sorted({present[m] for c in rule.categories
                       for m in get_close_matches(c, list(present), n=3, cutoff=0.75)})


def rule_use(facts: Iterable[LayerFacts], user: list[Compiled], every: list[Compiled],
             webmail: Webmail) -> RuleUse:
    """Count, over every contact's facts, the contacts each user rule holds for
    (whether or not an earlier rule decided: a rule outweighed everywhere still
    says something true) and the categories that no rule, the user's or the
    shipped ones, names."""
    use = RuleUse(matched={r.name: 0 for r in user})
    named = {c for r in every for c in r.categories}
    for found in facts:
        for rule in user:
            if rule_matches(rule, found, webmail):
                use.matched[rule.name] += 1
        for folded in found.categories - named:
            name, count = use.unnamed.get(folded, (found.category_names[folded], 0))
            use.unnamed[folded] = (name, count + 1)
    return use
