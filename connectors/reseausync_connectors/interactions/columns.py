"""The vocabulary of a hand-kept interactions log: its column names, its channels,
its directions, in English and French.

A person writes these files by hand, so the header is matched loosely: case,
accents, spaces, dashes and underscores do not matter ("Téléphone", "e-mail",
"Date et heure"). The tables are the documentation: the package docstring points
here.
"""

from __future__ import annotations

import csv
import unicodedata

# column role -> accepted header names (after `fold`)
COLUMNS: dict[str, frozenset[str]] = {
    "date": frozenset({"date", "when", "datetime", "date time", "day", "quand",
                       "date et heure", "jour"}),
    "who": frozenset({"who", "with", "person", "people", "contact", "contacts",
                      "participant", "participants", "qui", "avec", "personne",
                      "personnes"}),
    "email": frozenset({"email", "e mail", "emails", "mail", "courriel",
                        "adresse courriel"}),
    "phone": frozenset({"phone", "telephone", "tel", "mobile", "cell", "cellulaire"}),
    "name": frozenset({"name", "full name", "nom", "nom complet"}),
    "channel": frozenset({"channel", "kind", "type", "how", "medium", "via", "canal",
                          "moyen"}),
    "note": frozenset({"note", "notes", "subject", "summary", "what", "description",
                       "comment", "comments", "sujet", "quoi", "objet", "commentaire",
                       "commentaires"}),
    "direction": frozenset({"direction", "sens"}),
}
WHO_ROLES = ("who", "email", "phone", "name")

# kind -> words that name it in the channel column (after `fold`); the first kind
# with a word found in the channel wins, in this order, so "video call" is a call
# and "coffee" a meeting. A channel matching nothing, or empty, is a "note".
CHANNELS: tuple[tuple[str, frozenset[str]], ...] = (
    ("email", frozenset({"email", "e mail", "mail", "courriel"})),
    ("call", frozenset({"call", "phone", "appel", "telephone", "tel", "video", "visio",
                        "zoom", "teams", "facetime", "skype"})),
    ("message", frozenset({"message", "messages", "sms", "text", "texto", "chat",
                           "whatsapp", "signal", "messenger", "linkedin", "dm",
                           "imessage", "slack"})),
    ("meeting", frozenset({"meeting", "meet", "rencontre", "reunion", "rdv",
                           "rendez vous", "coffee", "cafe", "lunch", "diner", "dinner",
                           "souper", "dejeuner", "breakfast", "brunch", "beer", "beers",
                           "biere", "bieres", "drink", "drinks", "verre", "apero",
                           "5 a 7", "5@7", "5 7", "visit", "visite", "event",
                           "evenement", "conference", "party", "fete", "game", "match",
                           "in person", "en personne"})),
)

DIRECTIONS: dict[str, str] = {
    **dict.fromkeys(("in", "incoming", "received", "inbound", "recu", "entrant"), "in"),
    **dict.fromkeys(("out", "outgoing", "sent", "outbound", "envoye", "sortant"), "out"),
    **dict.fromkeys(("both", "two way", "mutual", "les deux", "deux sens",
                     "reciproque"), "both"),
    **dict.fromkeys(("none", "unknown", "inconnu"), "none"),
}
DELIMITERS = (",", ";", "\t", "|")


def fold(text: str) -> str:
    """Lower case, no accents, single spaces for runs of space, dash, underscore."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for mark in ("-", "_", "/", "."):
        plain = plain.replace(mark, " ")
    return " ".join(plain.split())


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most in the header line (spreadsheets in French locales
    write `;`); `,` when none appears."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_roles(cells: list[str]) -> dict[str, int]:
    """Column role -> index, from a header row (first matching column wins)."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = fold(cell)
        for role, names in COLUMNS.items():
            if name in names and role not in roles:
                roles[role] = index
                break
    return roles


def is_log_header(roles: dict[str, int]) -> bool:
    return "date" in roles and any(role in roles for role in WHO_ROLES)


def roles_of_line(line: str) -> dict[str, int]:
    """The roles of a raw header line, its delimiter sniffed."""
    delimiter = sniff_delimiter(line)
    try:
        cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return {}
    return header_roles(cells)


def kind_of(channel: str) -> str:
    padded = f" {fold(channel)} "
    for kind, words in CHANNELS:
        if any(f" {word} " in padded for word in words):
            return kind
    return "note"


def direction_of(value: str) -> str | None:
    """The direction a cell names; "both" when empty; None when unrecognised."""
    folded = fold(value)
    if not folded:
        return "both"
    return DIRECTIONS.get(folded)
