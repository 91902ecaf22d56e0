"""Zip safety and encoding sniffing, shared by every file connector."""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.connector import Unit
from reseausync.errors import SourceError, UnitError
from reseausync.files import (
    decode,
    open_text,
    read_bytes,
    read_text,
    sniff_encoding,
    suffix_filter,
    walk,
)

from .zipdamage import damage


@settings(max_examples=80)
@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x24F), min_size=1))
def test_utf16_without_bom_is_recognised(text: str) -> None:
    """Latin-script names (what address books hold) in BOM-less UTF-16 of either order."""
    for codec in ("utf-16-be", "utf-16-le"):
        data = ("BEGIN:VCARD\r\nFN:" + text).encode(codec, errors="surrogatepass")
        try:
            expected = data.decode(codec)
        except UnicodeDecodeError:
            continue
        assert decode(data)[0] == expected


@settings(max_examples=80)
@given(st.text(st.characters(blacklist_characters="\x00")))
def test_utf8_round_trips(text: str) -> None:
    """Any UTF-8 text (text files carry no NUL; NULs are how UTF-16 is recognised)."""
    data = text.encode("utf-8", errors="surrogatepass")
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    assert decode(data)[0] == expected


def test_cp1252_is_decoded_sensibly() -> None:
    assert decode("Frédéric Lévesque".encode("cp1252")) == ("Frédéric Lévesque", "cp1252")


def test_bom_wins() -> None:
    assert sniff_encoding(b"\xef\xbb\xbfabc") == "utf-8-sig"
    assert decode("é".encode("utf-16"))[0] == "é"


def test_zip_member_escaping_root_is_a_problem(tmp_path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../etc/passwd.vcf", "x")
        zf.writestr("ok/good.vcf", "BEGIN:VCARD")
    units = {u.member: u for u in walk(archive, suffix_filter(".vcf"))}
    assert units["../../etc/passwd.vcf"].problem[0] == "unsafe-path"
    assert units["ok/good.vcf"].problem is None
    assert read_text(units["ok/good.vcf"])[0] == "BEGIN:VCARD"


def test_folder_walk_is_sorted_and_skips_hidden(tmp_path) -> None:
    (tmp_path / "b.vcf").write_text("b")
    (tmp_path / "a.vcf").write_text("a")
    (tmp_path / ".hidden.vcf").write_text("h")
    (tmp_path / "notes.txt").write_text("n")
    names = [u.name for u in walk(tmp_path, suffix_filter(".vcf"))]
    assert names == ["a.vcf", "b.vcf"]


def test_missing_path_is_a_source_error(tmp_path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        list(walk(tmp_path / "gone.vcf", suffix_filter(".vcf")))


# --- damaged zip members: a read error is a UnitError, never a traceback ------------

def _zip_with(tmp_path: Path, member: str, data: bytes,
              method: int = zipfile.ZIP_DEFLATED) -> Path:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", method) as zf:
        zf.writestr(member, data)
    return archive


def _unit(archive: Path, member: str) -> Unit:
    return next(u for u in walk(archive, suffix_filter(member)) if u.member == member)


def _lines(count: int) -> bytes:
    """Text that compresses poorly enough to span many deflate blocks."""
    return b"".join(b"%d,%s\r\n" % (i, hashlib.sha256(b"%d" % i).hexdigest().encode())
                    for i in range(count))


def test_damaged_deflate_data_is_a_unit_error_in_every_reader(tmp_path: Path) -> None:
    archive = _zip_with(tmp_path, "Connections.csv", _lines(50))
    damage(archive, "Connections.csv", at=0.0)
    unit = _unit(archive, "Connections.csv")
    with pytest.raises(zlib.error):      # what the bare zipfile stream raises
        with zipfile.ZipFile(archive) as zf:
            zf.read("Connections.csv")
    for reader in (read_bytes, read_text, open_text):
        with pytest.raises(UnitError) as caught:
            reader(unit)
        assert caught.value.reason == "unreadable"
        assert caught.value.message.startswith(f"{archive}!Connections.csv: unreadable (")


def test_bad_crc_at_the_end_of_a_member_is_a_unit_error(tmp_path: Path) -> None:
    """A stored member decompresses fine; only the CRC check at its end fails."""
    archive = _zip_with(tmp_path, "a.vcf", b"BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n",
                        zipfile.ZIP_STORED)
    damage(archive, "a.vcf", at=0.5, count=1)
    with pytest.raises(UnitError, match="Bad CRC-32"):
        read_bytes(_unit(archive, "a.vcf"))


def test_text_read_before_mid_stream_damage_is_delivered(tmp_path: Path) -> None:
    """The lines before the damage are read; the error names the byte it stopped at.

    (Deflate may inflate some garbage before it notices the damage, as here: what
    comes just before the error is not checked, only what comes well before it.)
    """
    data = _lines(200_000)
    archive = _zip_with(tmp_path, "big.csv", data)
    damage(archive, "big.csv", at=0.8)
    stream, encoding = open_text(_unit(archive, "big.csv"))
    read: list[str] = []
    with pytest.raises(UnitError, match=r"read stopped at byte [1-9]\d*") as caught:
        with stream:
            for line in stream:
                read.append(line)
    assert encoding == "utf-8"
    assert len(read) > 100_000
    assert "".join(read[:100_000]).encode() == b"".join(data.splitlines(True)[:100_000])
    stopped = int(caught.value.message.rsplit(" ", 1)[1])
    assert stopped >= len("".join(read).encode())


def test_healthy_members_and_plain_files_read_as_before(tmp_path: Path) -> None:
    data = _lines(1000)
    archive = _zip_with(tmp_path, "ok.csv", data)
    assert read_bytes(_unit(archive, "ok.csv")) == data
    plain = tmp_path / "plain.csv"
    plain.write_bytes(data)
    assert read_bytes(next(walk(plain, suffix_filter(".csv")))) == data
    stream, _ = open_text(next(walk(plain, suffix_filter(".csv"))))
    with stream:
        assert stream.read() == data.decode()
