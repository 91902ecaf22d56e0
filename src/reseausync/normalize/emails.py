"""Email addresses: trimmed and lower-cased, nothing provider-specific.

Gmail dots and plus tags are NOT removed: that is a guess about one provider, and
two distinct mailboxes must never look the same by default.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SHAPE = re.compile(r'^[^@\s<>(),;:"\[\]]+@[^@\s<>(),;:"\[\]]+\.[a-z0-9-]{2,}$')


# Small on purpose: addresses are nearly unique, so a large cache only keeps every raw
# address of a directory alive (~40 MB at 100k records); the repeats that pay (a
# person's records read one after the other, survivorship right after) stay in it.
@lru_cache(maxsize=1 << 13)
def normalize_email(raw: str) -> str:
    """The comparison form of an address, or "" when it is not one. An address
    written with its owner's name (`Ann Smith <ann@x.org>`, as Outlook exports
    and mail headers write it) is the address inside the brackets."""
    value = raw.strip()
    if ">" in value and "<" in value:
        value = value[value.rindex("<") + 1:].partition(">")[0]
    value = value.strip("<>").strip()
    if value[:7].lower() == "mailto:":
        value = value[7:]
    value = value.replace("(at)", "@").replace("[at]", "@").replace(" ", "")
    value = value.lower().rstrip(".")
    return value if _SHAPE.match(value) else ""


def local_part(email: str) -> str:
    return email.split("@", 1)[0]


# Mailboxes a business shares or a machine writes from: their name alone says they
# are nobody's own ("noreply@", "facturation@"), so agreeing on one is no sign of one
# person. Compared folded (see is_role_address).
ROLE_LOCALS = frozenset({
    "info", "infos", "information", "contact", "contacts", "contactus", "admin",
    "administration", "office", "bureau", "hello", "hi", "bonjour", "allo", "sales", "ventes",
    "vente", "support", "mail", "email", "courriel", "reception", "accueil", "noreply",
    "donotreply", "dontreply", "nepasrepondre", "noreponse", "notifications", "notification",
    "newsletter", "team", "equipe", "hr", "rh", "jobs", "careers", "carrieres", "emplois",
    "emploi", "recrutement", "billing", "facturation", "factures", "invoices", "accounts",
    "accounting", "comptabilite", "compta", "finance", "marketing", "press", "presse", "media",
    "medias", "webmaster", "postmaster", "hostmaster", "abuse", "help", "aide", "service",
    "services", "serviceclient", "serviceclientele", "customerservice", "customercare", "care",
    "clients", "client", "enquiries", "inquiries", "general", "direction", "secretariat",
    "reservations", "reservation", "booking", "bookings", "orders", "commandes", "boutique",
    "shop", "store", "events", "evenements", "it", "security", "privacy", "legal",
    "membership", "membres", "members", "ops", "operations"})


_ROLE_PUNCT = str.maketrans("", "", "._-")


def role_local(email: str) -> str:
    """The local part lower-cased without a "+tag" and without dots, dashes and
    underscores, so "No-Reply+x@", "do_not_reply@" and "no.reply@" compare alike."""
    return local_part(email).lower().partition("+")[0].translate(_ROLE_PUNCT)


def is_role_address(email: str) -> bool:
    """Whether an address is a shared or machine mailbox by its name (noreply@,
    info@, facturation@): such an address never stands for one person."""
    return role_local(email) in ROLE_LOCALS


# Mail providers whose domain says nothing about who the person works for: two
# addresses there are two accounts, not two colleagues.
PROVIDER_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.fr", "hotmail.ca", "outlook.com",
    "outlook.fr", "live.com", "live.ca", "msn.com", "yahoo.com", "yahoo.ca", "yahoo.fr",
    "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com",
    "gmx.com", "gmx.net", "videotron.ca", "videotron.qc.ca", "sympatico.ca", "bell.net",
    "rogers.com", "shaw.ca", "telus.net", "cogeco.ca", "free.fr", "orange.fr", "laposte.net",
    "wanadoo.fr", "sfr.fr", "fastmail.com", "zoho.com", "mail.com", "qq.com", "163.com"})


def organization_domain(email: str) -> str:
    """The domain of an address when it names an organization ("acme.com"), else ""."""
    domain = email.rpartition("@")[2]
    return "" if domain in PROVIDER_DOMAINS else domain
