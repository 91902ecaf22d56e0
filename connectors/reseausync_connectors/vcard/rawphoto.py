"""A card's stored text without its photo's bytes (QA8 big files #2).

`records.raw` keeps the card as read, so that nothing a source said is lost to a
normalizer; the photo is kept too, once, by its SHA-256 in `photos`. With both, a
book of 3,000 cards with 150 KB photos made a 1.11 GB directory from a 640 MB
file: every photo was stored twice. The PHOTO line whose bytes the record kept is
stored as `PHOTO;ENCODING=b;TYPE=JPEG;X-RESEAUSYNC-DIGEST=<sha256>:` (its group and
parameters as written, its value empty, the digest naming the row of `photos`),
its folded continuation lines (and a 2.1 photo's unindented base64 run) with it.

Nothing reads `raw` back but the connector itself, before this is applied (a
second card with one UID is told apart by a hash of its whole text), so ids,
content hashes and change detection are unchanged: the content hash holds the
photo's digest, and a card whose photo changes is still "updated". A PHOTO line
whose bytes were not kept (too large, unreadable, a second photo) stays whole:
raw is then the only copy of it.
"""

from __future__ import annotations

import binascii
import re

from reseausync.models import Photo

_PHOTO = re.compile(r"(?:[A-Za-z0-9-]+\.)?PHOTO[;:]", re.IGNORECASE)
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=]+\Z")     # a 2.1 photo's unindented lines
DIGEST_PARAM = "X-RESEAUSYNC-DIGEST"


def without_photo_bytes(raw: str, photo: Photo | None) -> str:
    """`raw` with the kept photo's PHOTO line reduced to a digest (module text)."""
    if photo is None or "PHOTO" not in raw.upper():
        return raw
    lines = raw.split("\n")
    for start, line in enumerate(lines):
        if not _PHOTO.match(line):
            continue
        end = _photo_end(lines, start)
        head, payload = _split(lines[start:end])
        if head and _decodes_to(payload, photo.data):
            placeholder = f"{head};{DIGEST_PARAM}={photo.digest}:"
            return "\n".join([*lines[:start], placeholder, *lines[end:]])
    return raw


def _photo_end(lines: list[str], start: int) -> int:
    """The index after the PHOTO line's last continuation (folded or a base64 run)."""
    end = start + 1
    while end < len(lines) and (lines[end][:1] in (" ", "\t")
                                or _BASE64_RUN.match(lines[end].strip("\r"))):
        end += 1
    return end


def _split(lines: list[str]) -> tuple[str, str]:
    """(name and parameters, the base64 payload) of a PHOTO line and its
    continuations; ("", "") for a value that is no inline data (a URL)."""
    text = "".join(line.rstrip("\r").lstrip(" \t") if n else line.rstrip("\r")
                   for n, line in enumerate(lines))
    head, _, value = text.partition(":")
    if value.lower().startswith("data:"):
        meta, _, value = value.partition(",")
        if ";base64" not in meta.lower():
            return "", ""
    elif value.lower().startswith(("http://", "https://")):
        return "", ""
    return head, "".join(value.split())


def _decodes_to(payload: str, data: bytes) -> bool:
    """Whether the base64 `payload` is exactly the kept photo's bytes."""
    try:
        return binascii.a2b_base64(payload, strict_mode=True) == data   # no bytes ignored
    except (binascii.Error, ValueError):
        return False
