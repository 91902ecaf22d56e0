"""Text of undeclared encoding: UTF-8, or the single-byte encoding its bytes point to.

Spreadsheets and address books write UTF-8, cp1252 (Windows: Outlook, Excel) or
Mac Roman (Excel for Mac, Numbers "Western (Mac OS Roman)"), and none of them says
which. Sniffing a head of the file is not enough: an Outlook export sorted by name
may hold 4,000 rows of "Adams", "Baker"… before its first "é", and decoding the
rest as UTF-8 turned every later accent into U+FFFD, silently.

So text is decoded as a stream (`Sniffed`, the codec `SNIFFED`): UTF-8 until the
first byte that is not UTF-8, at C speed and at no extra cost for a UTF-8 file.
At that byte the single-byte encoding is chosen from the bytes that follow it
(`single_byte_encoding`). What was decoded before was valid UTF-8; when it was
plain ASCII (the usual case) it reads the same in either encoding, so the file
is read as if it had been decoded in that encoding from the start, without a
second pass. From there each chunk of the file (64 KiB in `files.open_text`) is
read whole in the single-byte encoding, unless it is valid UTF-8 or mostly
UTF-8 sequences (`mostly_utf8`): a UTF-8 file with one stray byte keeps its later
accents, and a file of a UTF-8 export and a cp1252 one pasted together reads
both halves right (in a chunk that holds both, UTF-8 where it is valid, the
single-byte encoding for the bytes where it is not).
"""

from __future__ import annotations

import codecs
import re

SNIFFED = "reseausync_sniffed"   # codec name: UTF-8, then what the bytes point to
EVIDENCE_BYTES = 65536           # bytes after the first non-UTF-8 one that choose
CP1252, MAC_ROMAN = "cp1252", "mac_roman"

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# byte classes for `mostly_utf8`: L a UTF-8 lead byte, C a continuation byte
_CLASSES = bytes(ord("L") if 0xC2 <= b <= 0xF4 else ord("C") if 0x80 <= b <= 0xBF
                 else ord(".") for b in range(256))
_APOSTROPHES = "\u2019'"


def single_byte_encoding(sample: bytes) -> str:
    """cp1252 or Mac Roman, whichever reads `sample` as the more plausible text.

    The rule, from the byte ranges: cp1252's accented letters sit at 0xC0-0xFF,
    where Mac Roman has capitals and symbols; Mac Roman's (é è ê à ç ô ü ñ…) sit
    at 0x80-0x9F, where cp1252 has punctuation (’ “ ” – …) and five undefined
    bytes (0x81 0x8D 0x8F 0x90 0x9D: Å ç è ê ù in Mac Roman). So each candidate
    decodes the sample and scores its non-ASCII characters inside words
    (`_plausibility`): a letter whose case fits its neighbours (é in "Bélanger",
    É in "BÉLANGER") counts for it, a letter that breaks a word's case ("FrÈdÈric",
    "HƒLENE") or a symbol inside a word ("C™tŽ") against it, an undefined byte
    strongly against. Mac Roman must score higher to be chosen: cp1252 wins a tie,
    being what most exports that are not UTF-8 use.
    """
    if sample.isascii():
        return CP1252
    cp1252 = _plausibility(sample.decode(CP1252, "replace"))
    mac_roman = _plausibility(sample.decode(MAC_ROMAN, "replace"))
    return MAC_ROMAN if mac_roman > cp1252 else CP1252


def _plausibility(text: str) -> int:
    """How much the non-ASCII characters of `text` look like parts of words."""
    score = 0
    for match in _NON_ASCII.finditer(text):
        char, at = match.group(), match.start()
        if char == "\ufffd":        # a byte the encoding does not define
            score -= 4
            continue
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if before.isalpha() or after.isalpha():
            score += _fits_word(char, before, after)
    return score


# Letters of Western European words, by how common: a mojibake letter is often a
# rare one (cp1252 reads Mac Roman's "ö" as "š"), a symbol (its "ô" as "™") or
# outside these sets altogether (Mac Roman reads cp1252's "Ä" as "ƒ").
_COMMON = frozenset("éèêëàâäçîïôöùûüÿñáíóúìòãõåæøßÉÈÊËÀÂÄÇÎÏÔÖÙÛÜÑÁÍÓÚÃÕÅÆØ")
_LATIN = _COMMON | frozenset("œŒŠšŽžŸðþýÝÐÞÌÒ")
_BEFORE_WORD = "“‘«¿¡"
_AFTER_WORD = "”’»…"


def _fits_word(char: str, before: str, after: str) -> int:
    """Points for `char` beside a letter: a Latin letter whose case fits the word
    (é in "Bélanger", É in "BÉLANGER" or "Élise"; not "FrÈdÈric", nor "ŽcoleÓ"),
    an apostrophe inside a word (l’équipe), a quote or "…" on the side of a word
    it belongs to; against, a letter of the wrong case and a symbol inside a word
    ("C™tŽ")."""
    if char in _LATIN:
        weight = 2 if char in _COMMON else 1
        if char.islower():   # not before a capital ("HƒL") nor alone after one ("Tƒ ")
            fits = after.islower() or (before.islower() and not after.isupper())
        else:                # not after a small letter ("FrÈdÈric")
            fits = not before.islower()
        return weight if fits else -weight
    inside = before.isalpha() and after.isalpha()
    if char in _APOSTROPHES:
        return 2 if inside else 0
    if inside:
        return -1
    if (char in _BEFORE_WORD and after.isalpha()) or (char in _AFTER_WORD and before.isalpha()):
        return 2
    return 0


def mostly_utf8(data: bytes) -> bool:
    """Whether most UTF-8 lead bytes of `data` start a sequence (a lead followed by
    a continuation byte), as in UTF-8 text, and at least two do.

    In cp1252 text an accented letter (a lead byte) is followed by an ASCII
    letter; one followed by punctuation of 0x80-0xBF ("É»") is rare. Two passes
    in C (translate, count), cheap next to decoding."""
    classes = data.translate(_CLASSES)
    starts = classes.count(b"LC")
    return starts >= 2 and starts * 2 > classes.count(b"L")


def _fallback_handler(encoding: str):
    def handle(exc: UnicodeError) -> tuple[str, int]:
        assert isinstance(exc, UnicodeDecodeError)
        return exc.object[exc.start:exc.end].decode(encoding, "replace"), exc.end
    return handle


_HANDLERS = {name: f"reseausync_{name}" for name in (CP1252, MAC_ROMAN)}
for _name, _handler_name in _HANDLERS.items():
    codecs.register_error(_handler_name, _fallback_handler(_name))


class Sniffed(codecs.IncrementalDecoder):
    """UTF-8 until the first byte that is not; then the single-byte encoding the
    bytes after it point to (see the module docstring). `fallback` names it once
    chosen. `errors` is ignored: nothing here fails, an undefined byte is U+FFFD."""

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self.fallback: str | None = None
        self._pending = b""          # an incomplete UTF-8 sequence, for the next call
        self._held = b""             # from the first non-UTF-8 byte, until it can choose

    def decode(self, input: bytes, final: bool = False) -> str:  # noqa: A002
        data = self._pending + input if self._pending else bytes(input)
        self._pending = b""
        if self.fallback is not None:
            return self._switched(data, final)
        if self._held:
            data, self._held = self._held + data, b""
            return self._choose(data, final)
        try:
            text, used = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError as exc:
            return data[:exc.start].decode("utf-8") + self._choose(data[exc.start:], final)
        self._pending = data[used:]
        return text

    def _choose(self, data: bytes, final: bool) -> str:
        """Choose the fallback from EVIDENCE_BYTES after the first non-UTF-8 byte (or
        all there is), holding the bytes back until then: however the stream is cut
        into chunks, the choice sees the same evidence."""
        if len(data) < EVIDENCE_BYTES and not final:
            self._held = data
            return ""
        self.fallback = single_byte_encoding(data[:EVIDENCE_BYTES])
        return self._switched(data, final)

    def _switched(self, data: bytes, final: bool) -> str:
        """A chunk after the switch: UTF-8 if it is, else the fallback encoding,
        byte by byte where it is mostly UTF-8."""
        assert self.fallback is not None
        try:
            text, used = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError:
            pass
        else:
            self._pending = data[used:]
            return text
        if not mostly_utf8(data):
            return data.decode(self.fallback, "replace")
        text, used = codecs.utf_8_decode(data, _HANDLERS[self.fallback], final)
        self._pending = data[used:]
        return text

    def reset(self) -> None:
        self.fallback = None
        self._pending = self._held = b""

    def getstate(self) -> tuple[bytes, int]:
        if self._held:
            return self._held, _CHOOSING
        return self._pending, (None, CP1252, MAC_ROMAN).index(self.fallback)

    def setstate(self, state: tuple[bytes, int]) -> None:
        buffered, flag = state
        self._pending = self._held = b""
        if flag == _CHOOSING:
            self.fallback, self._held = None, buffered
        else:
            self.fallback, self._pending = (None, CP1252, MAC_ROMAN)[flag], buffered


_CHOOSING = 3       # getstate's flag while the bytes after the first bad one are held


def decode_sniffed(data: bytes) -> tuple[str, str]:
    """Bytes decoded as `Sniffed` decodes a stream; returns (text, encoding used)."""
    decoder = Sniffed()
    text = decoder.decode(data, final=True)
    return text, decoder.fallback or "utf-8"


def _search(name: str) -> codecs.CodecInfo | None:
    if name != SNIFFED:
        return None
    return codecs.CodecInfo(
        name=SNIFFED, encode=codecs.utf_8_encode,
        decode=lambda data, errors="strict": (decode_sniffed(bytes(data))[0], len(data)),
        incrementaldecoder=Sniffed,
        incrementalencoder=codecs.getincrementalencoder("utf-8"))


codecs.register(_search)
