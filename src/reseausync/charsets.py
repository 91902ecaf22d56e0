"""Text of undeclared encoding: UTF-8, or the single-byte encoding its bytes point to.

Spreadsheets and address books write UTF-8 or cp1252 (Windows: Outlook, Excel),
and none of them says which. Sniffing a head of the file is not enough: an Outlook
export sorted by name may hold 4,000 rows of "Adams", "Baker"… before its first
"é", and decoding the rest as UTF-8 turned every later accent into U+FFFD,
silently.

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

SNIFFED = "reseausync_sniffed"   # codec name: UTF-8, then what the bytes point to
EVIDENCE_BYTES = 65536           # bytes after the first non-UTF-8 one that choose
CP1252, MAC_ROMAN = "cp1252", "mac_roman"

# byte classes for `mostly_utf8`: L a UTF-8 lead byte, C a continuation byte
_CLASSES = bytes(ord("L") if 0xC2 <= b <= 0xF4 else ord("C") if 0x80 <= b <= 0xBF
                 else ord(".") for b in range(256))


def single_byte_encoding(sample: bytes) -> str:
    """The single-byte encoding `sample` (bytes that are not UTF-8) is in: cp1252,
    what Windows exports use and which decodes anything."""
    return CP1252


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

    def decode(self, input: bytes, final: bool = False) -> str:  # noqa: A002
        data = self._pending + input if self._pending else bytes(input)
        self._pending = b""
        if self.fallback is not None:
            return self._switched(data, final)
        try:
            text, used = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError as exc:
            self.fallback = single_byte_encoding(
                data[exc.start:exc.start + EVIDENCE_BYTES])
            return data[:exc.start].decode("utf-8") + self._switched(data[exc.start:], final)
        self._pending = data[used:]
        return text

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
        self._pending = b""

    def getstate(self) -> tuple[bytes, int]:
        return self._pending, (None, CP1252, MAC_ROMAN).index(self.fallback)

    def setstate(self, state: tuple[bytes, int]) -> None:
        self._pending, flag = state
        self.fallback = (None, CP1252, MAC_ROMAN)[flag]


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
