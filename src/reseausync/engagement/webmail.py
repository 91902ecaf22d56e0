"""Which email domains are personal mailboxes (webmail, an ISP), or schools: not an
employer either way.

A domain is listed as is ("videotron.ca") or as a provider's every national
domain ("hotmail.*": hotmail.co.uk, hotmail.de, hotmail.com.br...): the big
providers have dozens, and a family member at `outlook.fr` is no colleague.

Schools and universities (`is_school`): a listed domain and its subdomains
("umontreal.ca" covers "iro.umontreal.ca"), and what their names say the world
over: `.edu` and `edu.<cc>`, `ac.<cc>` (ed.ac.uk), a label starting `univ-`,
`universit` or `cegep` (etu.univ-lyon1.fr), `uni-` in Germany, Austria,
Switzerland, Liechtenstein and Luxembourg (uni-heidelberg.de). A student
address says nothing about an employer, so it is not a "company" address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# the second-level labels countries put before their code ("co.uk", "com.au"): a
# provider pattern covers "name.<tld>" and "name.<one of these>.<tld>" only, so
# "live.*" is not every company's "live.acme.com"
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ne", "or", "ac"})


_SCHOOL_PREFIXES = ("univ-", "universit", "cegep")
# "uni-" is a university only where it is the universities' own habit: Uni-Select
# (uni-select.com) is a company
_UNI_COUNTRIES = frozenset({"de", "at", "ch", "li", "lu"})


@dataclass(frozen=True, slots=True)
class Webmail:
    domains: frozenset[str]
    providers: frozenset[str]      # "hotmail" for "hotmail.*"
    schools: frozenset[str] = frozenset()

    @classmethod
    def of(cls, entries: Iterable[str], schools: Iterable[str] = ()) -> Webmail:
        """From list entries: "gmail.com" or "hotmail.*" (any case, a leading "@");
        `schools`: school domains, each covering its subdomains."""
        domains, providers = set(), set()
        for entry in entries:
            text = entry.strip().lower().lstrip("@")
            if text.endswith(".*"):
                providers.add(text[:-2])
            elif text:
                domains.add(text)
        listed = frozenset(t for e in schools if (t := e.strip().lower().lstrip("@")))
        return cls(frozenset(domains), frozenset(providers), listed)

    def is_school(self, domain: str) -> bool:
        """A school's or a university's domain (see the module's docstring)."""
        labels = domain.split(".")
        if labels[-1] == "edu" or (len(labels) > 2 and labels[-2] in ("edu", "ac")
                                   and len(labels[-1]) == 2):
            return True
        if any(label.startswith(_SCHOOL_PREFIXES) for label in labels[:-1]):
            return True
        if labels[-1] in _UNI_COUNTRIES and any(x.startswith("uni-") for x in labels[:-1]):
            return True
        return under(domain, self.schools)

    def __contains__(self, domain: object) -> bool:
        if not isinstance(domain, str):
            return False
        if domain in self.domains:
            return True
        name, _, rest = domain.partition(".")
        if name not in self.providers or not rest:
            return False
        labels = rest.split(".")
        return len(labels) == 1 or (len(labels) == 2 and labels[0] in _SECOND_LEVEL)

    def __or__(self, other: Webmail) -> Webmail:
        return Webmail(self.domains | other.domains, self.providers | other.providers,
                       self.schools | other.schools)

    def all_of(self, domains: set[str]) -> bool:
        """Every one of `domains` is a personal mailbox (and there is one)."""
        return bool(domains) and all(d in self for d in domains)

    def companies(self, domains: set[str]) -> list[str]:
        """The domains neither a personal mailbox nor a school: an employer's."""
        return sorted(d for d in domains if d not in self and not self.is_school(d))

    def any_other(self, domains: set[str]) -> bool:
        """One of `domains` is an employer's (neither a mailbox nor a school)."""
        return any(d not in self and not self.is_school(d) for d in domains)

    def school_only(self, domains: set[str]) -> list[str]:
        """The school domains, when there is one and every other is a personal
        mailbox; else none."""
        schools = sorted(d for d in domains if d not in self and self.is_school(d))
        return schools if schools and not self.any_other(domains) else []


def under(domain: str, listed: frozenset[str]) -> bool:
    """`domain` is one of `listed` or a subdomain of one: "mail.mcgill.ca" is
    under "mcgill.ca" (an organisation spreads its people over subdomains)."""
    if not listed:
        return False
    labels = domain.split(".")
    return any(".".join(labels[i:]) in listed for i in range(len(labels)))
