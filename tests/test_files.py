"""Zip safety and encoding sniffing, shared by every file connector."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reseausync.errors import SourceError
from reseausync.files import decode, read_text, sniff_encoding, suffix_filter, walk


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
