"""Which email domains are personal mailboxes (webmail, an ISP), not an employer.

A domain is listed as is ("videotron.ca") or as a provider's every national
domain ("hotmail.*": hotmail.co.uk, hotmail.de, hotmail.com.br...): the big
providers have dozens, and a family member at `outlook.fr` is no colleague.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# the second-level labels countries put before their code ("co.uk", "com.au"): a
# provider pattern covers "name.<tld>" and "name.<one of these>.<tld>" only, so
# "live.*" is not every company's "live.acme.com"
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ne", "or", "ac"})


@dataclass(frozen=True, slots=True)
class Webmail:
    domains: frozenset[str]
    providers: frozenset[str]      # "hotmail" for "hotmail.*"

    @classmethod
    def of(cls, entries: Iterable[str]) -> Webmail:
        """From list entries: "gmail.com" or "hotmail.*" (any case, a leading "@")."""
        domains, providers = set(), set()
        for entry in entries:
            text = entry.strip().lower().lstrip("@")
            if text.endswith(".*"):
                providers.add(text[:-2])
            elif text:
                domains.add(text)
        return cls(frozenset(domains), frozenset(providers))

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
        return Webmail(self.domains | other.domains, self.providers | other.providers)

    def all_of(self, domains: set[str]) -> bool:
        """Every one of `domains` is a personal mailbox (and there is one)."""
        return bool(domains) and all(d in self for d in domains)

    def any_other(self, domains: set[str]) -> bool:
        """One of `domains` is not a personal mailbox: an employer's."""
        return any(d not in self for d in domains)
