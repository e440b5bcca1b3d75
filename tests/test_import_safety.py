"""Hostile and odd files given to the importer: each is refused (or its danger ignored) with an Indonesian
message, never a traceback, never a decompressed bomb, an expanded entity or a fetched address.

The files are built here byte by byte (zip, XML, OLE compound file) so each test shows the one thing
that makes it hostile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import struct
import time
import zipfile
from pathlib import Path

import pytest

from sopcode.importing import package
from sopcode.importing.package import ImportRefused, cfb_streams, open_package, sniff

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:body><w:p><w:r><w:t>SOP Pelayanan</w:t></w:r></w:p></w:body></w:document>'
)
W = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def doc_rels(*rels: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels) + "</Relationships>")


def make_docx(path: Path, extra: dict[str, str | bytes] | None = None, document: str | bytes = DOCUMENT,
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "word/document.xml": document,
    }
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def make_cfb(path: Path, streams: list[str]) -> Path:
    """A minimal OLE compound file (version 3, 512-byte sectors): a FAT sector, one directory sector
    holding the root entry and empty streams of the given names. Enough to be recognised as what an
    encrypted Office file or a legacy .doc is, by its directory."""
    assert len(streams) <= 3
    header = bytearray(512)
    header[0:8] = package.CFB_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    directory = bytearray()
    for i, (name, kind) in enumerate([("Root Entry", 5)] + [(s, 2) for s in streams]):
        entry = bytearray(128)
        raw = name.encode("utf-16-le") + b"\0\0"
        entry[0:len(raw)] = raw
        struct.pack_into("<HBB", entry, 0x40, len(raw), kind, 1)
        # siblings form a chain to the right; the root's child is the first stream
        struct.pack_into("<III", entry, 0x44, 0xFFFFFFFF, i + 1 if 0 < i < len(streams) else 0xFFFFFFFF,
                         1 if i == 0 and streams else 0xFFFFFFFF)
        struct.pack_into("<IQ", entry, 0x74, 0xFFFFFFFE, 0)
        directory += entry
    directory += bytes(512 - len(directory))
    path.write_bytes(bytes(header) + fat + bytes(directory))
    return path


def refused(path: Path) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught, open_package(path) as pkg:
        for name in pkg.names():
            if name.endswith((".xml", ".rels")):
                pkg.xml(name)
                pkg.rels(name)
    return caught.value


# ── an ordinary package reads ──────────────────────────────────────────────────────────────────────

def test_ordinary_package_gives_parts_relationships_and_content_types(tmp_path):
    path = make_docx(tmp_path / "sop.docx", {
        "word/_rels/document.xml.rels": doc_rels(
            f'<Relationship Id="rId5" Type="{W}image" Target="media/gambar1.png"/>',
            f'<Relationship Id="rId6" Type="{W}styles" Target="/word/styles.xml"/>'),
        "word/media/gambar1.png": b"\x89PNG\r\n\x1a\n" + bytes(100),
    })
    with open_package(path) as pkg:
        assert "word/document.xml" in pkg.names()
        assert pkg.xml("word/document.xml").findtext(".//{*}t") == "SOP Pelayanan"
        assert pkg.rels("")["rId1"].target == "word/document.xml"
        rels = pkg.rels("word/document.xml")
        assert rels["rId5"].target == "word/media/gambar1.png" and rels["rId5"].kind == "image"
        assert rels["rId6"].target == "word/styles.xml"
        assert pkg.size("word/media/gambar1.png") == 108
        types = pkg.content_types()
        assert types["word/document.xml"].endswith("document.main+xml")
        assert types["word/media/gambar1.png"] == "image/png"
        assert pkg.notes == []
    assert sniff(path) == "docx"


# ── zip guards ─────────────────────────────────────────────────────────────────────────────────────

def test_zip_bomb_is_refused_before_it_is_decompressed(tmp_path):
    bomb = make_docx(tmp_path / "bom.docx", {"word/media/isi.bin": bytes(40 * 1024 * 1024)})
    assert bomb.stat().st_size < 200_000  # 40 MiB of zeros deflates to a few dozen KiB
    err = refused(bomb)
    assert "bom zip" in err.message and "word/media/isi.bin" in err.message
    assert "minta salinan asli" in err.hint


def test_part_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "MAX_PART", 1024 * 1024)
    big = bytes(range(256)) * (4 * 1024 * 10)  # 10 MiB that do not compress: not a bomb, only large
    path = make_docx(tmp_path / "besar.docx", {"word/media/foto.png": big}, compression=zipfile.ZIP_STORED)
    err = refused(path)
    assert "word/media/foto.png terlalu besar" in err.message and "batas 1 MiB" in err.message


def test_a_header_that_lies_about_its_size_is_still_bounded(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "bohong.docx", {"word/media/a.bin": bytes(300_000)})
    with open_package(path) as pkg:
        monkeypatch.setattr(package, "MAX_PART", 100_000)
        with pytest.raises(ImportRefused, match="terlalu besar"):
            pkg.read("word/media/a.bin")


def test_too_many_entries_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "MAX_ENTRIES", 50)
    path = make_docx(tmp_path / "banyak.docx", {f"word/media/g{i}.png": b"x" for i in range(60)})
    assert "bagian (batas 50)" in refused(path).message


@pytest.mark.parametrize("name", ["../../etc/cron.d/sop", "/etc/passwd", "word\\..\\..\\x.xml", "C:/x.xml"])
def test_path_traversal_names_are_refused(tmp_path, name):
    path = make_docx(tmp_path / "jalan.docx", {name: "<x/>"})
    err = refused(path)
    assert "nama bagian yang tidak sah" in err.message and "keluar dari paket" in err.message
    assert not Path("/etc/cron.d/sop").exists()


def test_nested_zip_is_never_opened(tmp_path):
    inner = make_docx(tmp_path / "dalam.docx")
    path = make_docx(tmp_path / "luar.docx", {"word/embeddings/Lembar1.xlsx": inner.read_bytes()})
    with open_package(path) as pkg:
        assert "objek tersemat diabaikan (tidak dibuka)" in pkg.notes
        with pytest.raises(ImportRefused, match="tersemat dan tidak dibuka"):
            pkg.read("word/embeddings/Lembar1.xlsx")


def test_huge_image_is_sized_from_the_directory_not_decoded(tmp_path, monkeypatch):
    path = make_docx(tmp_path / "foto.docx", {"word/media/foto.png": b"\x89PNG\r\n\x1a\n" + bytes(3_000_000)},
                     compression=zipfile.ZIP_STORED)
    with open_package(path) as pkg:
        # the size comes from the zip directory, even when reading the part would be refused
        monkeypatch.setattr(package, "MAX_PART", 1000)
        assert pkg.size("word/media/foto.png") == 3_000_008


# ── XML guards ─────────────────────────────────────────────────────────────────────────────────────

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
)


def test_billion_laughs_is_refused_without_expanding(tmp_path):
    err = refused(make_docx(tmp_path / "tawa.docx", document=BILLION_LAUGHS))
    assert "word/document.xml memuat DOCTYPE" in err.message


@pytest.mark.parametrize("byte_check", [True, False])
def test_external_entity_is_never_resolved(tmp_path, monkeypatch, byte_check):
    if not byte_check:  # the parser alone must not read the file either
        monkeypatch.setattr(package, "_DOCTYPE_MARKS", ())
    secret = tmp_path / "rahasia.txt"
    secret.write_text("KATA-SANDI-RAHASIA")
    doc = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    err = refused(make_docx(tmp_path / "xxe.docx", document=doc))
    assert "DOCTYPE" in err.message and "KATA-SANDI-RAHASIA" not in err.message


def test_real_workbook_is_recognised(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Nomor SOP"
    book.save(tmp_path / "sop.xlsx")
    assert sniff(tmp_path / "sop.xlsx") == "xlsx"
    with open_package(tmp_path / "sop.xlsx") as pkg:
        assert pkg.rels("xl/workbook.xml")
        assert pkg.content_types()["xl/workbook.xml"].endswith("sheet.main+xml")


def test_doctype_hidden_in_utf16_is_refused(tmp_path):
    doc = BILLION_LAUGHS.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    err = refused(make_docx(tmp_path / "u16.docx", document=doc.encode("utf-16")))
    assert "DOCTYPE" in err.message


def test_the_parser_itself_never_expands_entities(monkeypatch):
    # behind the DOCTYPE check, the parser's own settings are the second wall
    monkeypatch.setattr(package, "_DOCTYPE_MARKS", ())
    with pytest.raises(ImportRefused, match=r"DOCTYPE|bukan XML yang sah"):
        package.parse_xml(BILLION_LAUGHS.encode(), "word/document.xml")


def test_broken_xml_names_the_part(tmp_path):
    err = refused(make_docx(tmp_path / "rusak.docx", document="<w:document><w:body>"))
    assert "word/document.xml bukan XML yang sah" in err.message


# ── relationships ──────────────────────────────────────────────────────────────────────────────────

def test_external_relationship_is_noted_and_never_fetched(tmp_path, monkeypatch):
    import socket
    import urllib.request

    def no_network(*a, **k):
        raise AssertionError("the importer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    path = make_docx(tmp_path / "luar.docx", {"word/_rels/document.xml.rels": doc_rels(
        f'<Relationship Id="rId9" Type="{W}image" Target="http://penyerang.example/lacak.png" TargetMode="External"/>',
        f'<Relationship Id="rId8" Type="{W}attachedTemplate" Target="file:///C:/templat.dotm" TargetMode="External"/>')})
    with open_package(path) as pkg:
        rels = pkg.rels("word/document.xml")
        assert rels["rId9"].external and rels["rId9"].target == "http://penyerang.example/lacak.png"
        assert "tautan luar tidak dibuka: http://penyerang.example/lacak.png" in pkg.notes
        assert "tautan luar tidak dibuka: file:///C:/templat.dotm" in pkg.notes


def test_internal_relationship_climbing_out_is_dropped(tmp_path):
    path = make_docx(tmp_path / "naik.docx", {"word/_rels/document.xml.rels": doc_rels(
        f'<Relationship Id="rId3" Type="{W}image" Target="../../../etc/passwd"/>')})
    with open_package(path) as pkg:
        assert pkg.rels("word/document.xml") == {}
        assert any("menunjuk ke luar berkas" in n for n in pkg.notes)


# ── macros, passwords, wrong content ───────────────────────────────────────────────────────────────

def test_macro_project_is_noted_and_never_run(tmp_path):
    path = make_docx(tmp_path / "makro.docm", {"word/vbaProject.bin": package.CFB_MAGIC + bytes(600)})
    with open_package(path) as pkg:
        assert pkg.notes == ["makro diabaikan (tidak dijalankan)"]
    assert sniff(path) == "docx"


def test_password_protected_file_says_how_to_fix_it(tmp_path):
    path = make_cfb(tmp_path / "terkunci.docx", ["EncryptionInfo", "EncryptedPackage"])
    assert {"encryptedpackage", "encryptioninfo", "root entry"} <= cfb_streams(path)
    assert sniff(path) == "encrypted"
    err = refused(path)
    assert err.message == "berkas dilindungi kata sandi"
    assert err.hint == "buka di Word/Excel, simpan tanpa kata sandi, lalu impor lagi"


def test_legacy_compound_file_is_told_apart(tmp_path):
    assert sniff(make_cfb(tmp_path / "lama.doc", ["WordDocument", "1Table"])) == "doc"
    assert sniff(make_cfb(tmp_path / "lama.xls", ["Workbook"])) == "xls"
    err = refused(tmp_path / "lama.doc")
    assert "format Office lama" in err.message


def test_text_renamed_docx_is_refused(tmp_path):
    path = tmp_path / "sop.docx"
    path.write_text("SOP Pelayanan Surat\n1. Terima berkas\n", encoding="utf-8")
    assert sniff(path) == "unknown"
    err = refused(path)
    assert "bukan dokumen Word (.docx) atau Excel (.xlsx)" in err.message
    assert "nama akhiran saja tidak mengubah isi berkas" in err.hint


def test_truncated_zip_is_refused(tmp_path):
    good = make_docx(tmp_path / "utuh.docx")
    cut = tmp_path / "potong.docx"
    cut.write_bytes(good.read_bytes()[:200])
    assert refused(cut).message == "berkas rusak atau terpotong: paket Office tidak dapat dibuka"


def test_damaged_part_is_told_in_indonesian(tmp_path):
    """A part whose compressed data is damaged: zlib's English text is not shown."""
    path = make_docx(tmp_path / "rusak.docx", {"word/styles.xml": "<w:styles>" + "x" * 5000 + "</w:styles>"})
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("word/styles.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 2:start + 12] = b"\xff" * 10
    path.write_bytes(bytes(data))
    with open_package(path) as pkg, pytest.raises(ImportRefused) as caught:
        pkg.read("word/styles.xml")
    assert caught.value.message == "bagian word/styles.xml rusak dan tidak dapat dibaca (isinya rusak atau terpotong)"


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ImportRefused) as caught:
        open_package(tmp_path / "tidak-ada.docx")
    assert caught.value.message == "berkas tidak dapat dibuka: berkas tidak ada"
    with pytest.raises(ImportRefused) as caught:
        sniff(tmp_path / "tidak-ada.docx" / "sub")
    assert caught.value.message == "berkas tidak dapat dibuka: berkas tidak ada"
    (tmp_path / "berkas.txt").write_text("x")
    with pytest.raises(ImportRefused) as caught:
        sniff(tmp_path / "berkas.txt" / "sub.docx")
    assert caught.value.message == "berkas tidak dapat dibuka: salah satu bagian jalurnya bukan folder"


@pytest.mark.parametrize("code", ["EACCES", "EPERM", "ENOENT", "ENOTDIR", "EROFS", "ENOSPC", "EEXIST", "EISDIR"])
def test_operating_system_errors_are_told_in_indonesian(code):
    import errno

    number = getattr(errno, code)
    for writing in (True, False):
        text = package.os_text(OSError(number, os.strerror(number), "/x"), writing=writing)
        assert os.strerror(number) not in text and "galat sistem" not in text, text


# ── legacy conversion ──────────────────────────────────────────────────────────────────────────────

def test_missing_libreoffice_names_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ImportRefused) as caught:
        package.convert_legacy(make_cfb(tmp_path / "lama.doc", ["WordDocument"]), tmp_path / "keluar")
    assert "LibreOffice tidak terpasang" in caught.value.message
    assert "libreoffice-writer-nogui" in caught.value.hint


@pytest.mark.slow  # LibreOffice or a long property run: over a second
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_real_doc_is_converted_by_libreoffice(tmp_path):
    import subprocess

    # make a real .doc with LibreOffice itself (from plain text), then convert it back to .docx
    src = tmp_path / "asal.txt"
    src.write_text("SOP Pelayanan Surat Keterangan Domisili\n", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=120)
    doc = tmp_path / "asal.doc"
    assert sniff(doc) == "doc"
    out = package.convert_legacy(doc, tmp_path / "keluar")
    assert sniff(out) == "docx"
    with open_package(out) as pkg:
        text = "".join(pkg.xml("word/document.xml").itertext())
    assert "SOP Pelayanan Surat Keterangan Domisili" in text


def _group_alive(pgid: int) -> list[str]:
    """The processes of a process group that still run (a zombie has finished), as 'pid comm'."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        if int(rest[2]) == pgid and rest[0] != "Z":
            alive.append(f"{entry.name} {comm}")
    return alive


@pytest.mark.slow  # waits for the (shortened) timeout: a second
@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc to list processes")
def test_hanging_libreoffice_is_killed_with_everything_it_started(tmp_path, monkeypatch):
    """A stand-in soffice that hangs as LibreOffice's wrapper does, with a child (oosplash, soffice.bin):
    after the timeout nothing of its process group runs on."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pid_file = tmp_path / "soffice.pid"
    fake = bin_dir / "soffice"
    fake.write_text(f'#!/bin/sh\necho $$ > "{pid_file}"\nsleep 1001 &\nsleep 1002\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setattr(package, "CONVERT_TIMEOUT", 1)
    try:
        with pytest.raises(ImportRefused, match="tidak selesai mengonversi berkas dalam 1 detik"):
            package.convert_legacy(make_cfb(tmp_path / "lama.doc", ["WordDocument"]), tmp_path / "keluar")
        pgid = int(pid_file.read_text())
        deadline = time.monotonic() + 5  # SIGKILL is delivered at once; allow the kernel a moment
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _group_alive(pgid) == []
    finally:
        if pid_file.is_file():  # a failed test leaves no sleep behind either
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(pid_file.read_text()), signal.SIGKILL)


# ── LibreOffice's own files (OpenDocument) ─────────────────────────────────────────────────────────

ODF_TEXT = "application/vnd.oasis.opendocument.text"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def flat_odf(path: Path, mimetype: str = ODF_TEXT, body: str = "<office:text/>", prolog: str = "") -> Path:
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document xmlns:office="{OFFICE}" '
                    f'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
                    f'xmlns:xlink="http://www.w3.org/1999/xlink" office:mimetype="{mimetype}">'
                    f"<office:body>{body}</office:body></office:document>", encoding="utf-8")
    return path


def odf_zip(path: Path, mimetype: str = ODF_TEXT, content: str = "<office:document-content/>") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", mimetype, zipfile.ZIP_STORED)
        zf.writestr("content.xml", content.replace("<office:document-content",
                                                   f'<office:document-content xmlns:office="{OFFICE}" '
                                                   'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
                                                   'xmlns:xlink="http://www.w3.org/1999/xlink"', 1))
    return path


def test_libreoffice_files_are_recognised_by_their_content(tmp_path):
    sheet = "application/vnd.oasis.opendocument.spreadsheet"
    assert sniff(odf_zip(tmp_path / "a.zip")) == "odt"
    assert sniff(odf_zip(tmp_path / "b.docx", sheet)) == "ods"
    assert sniff(odf_zip(tmp_path / "c.odp", "application/vnd.oasis.opendocument.presentation")) == "zip"
    assert sniff(flat_odf(tmp_path / "d.xml")) == "fodt"
    assert sniff(flat_odf(tmp_path / "e.fodt", sheet)) == "fods"
    assert sniff(flat_odf(tmp_path / "f.fodt", "text/plain")) == "unknown"
    (tmp_path / "g.xml").write_text("<svg/>", encoding="utf-8")
    assert sniff(tmp_path / "g.xml") == "unknown"


def test_flat_libreoffice_file_with_entities_is_refused_before_libreoffice_sees_it(tmp_path):
    path = flat_odf(tmp_path / "tawa.fodt", prolog='<!DOCTYPE office:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                    body="<office:text>&x;</office:text>")
    assert sniff(path) == "fodt"
    with pytest.raises(ImportRefused, match="memuat DOCTYPE"):
        package.check_odf(path, "fodt")


def test_libreoffice_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = flat_odf(tmp_path / "besar.fodt", body="<office:text>" + "x" * 5000 + "</office:text>")
    monkeypatch.setattr(package, "MAX_PART", 4096)
    with pytest.raises(ImportRefused, match="terlalu besar"):
        package.check_odf(path, "fodt")


@pytest.mark.parametrize("href", ["http://127.0.0.1:8765/x.png", "file:///etc/passwd", "../../etc/passwd",
                                  "/etc/passwd"])
def test_libreoffice_file_linking_outside_content_is_refused(tmp_path, href):
    """LibreOffice loads a linked picture while converting: such a file never reaches it."""
    image = f'<draw:frame><draw:image xlink:href="{href}"/></draw:frame>'
    with pytest.raises(ImportRefused, match="ditautkan dari luar berkas"):
        package.check_odf(flat_odf(tmp_path / "tautan.fodt", body=f"<office:text>{image}</office:text>"), "fodt")
    with pytest.raises(ImportRefused, match="ditautkan dari luar berkas"):
        package.check_odf(odf_zip(tmp_path / "tautan.odt", content=f"<office:document-content>{image}"
                                  "</office:document-content>"), "odt")


def test_libreoffice_file_with_its_own_pictures_and_hyperlinks_is_accepted(tmp_path):
    body = ('<office:text><draw:frame><draw:image xlink:href="Pictures/logo.png"/></draw:frame>'
            '<draw:a xlink:href="https://jdih.go.id/">JDIH</draw:a></office:text>')
    package.check_odf(flat_odf(tmp_path / "biasa.fodt", body=body), "fodt")
    package.check_odf(odf_zip(tmp_path / "biasa.odt", content=f"<office:document-content>{body}"
                              "</office:document-content>"), "odt")


def test_macros_of_a_libreoffice_file_are_noted_and_never_run(tmp_path):
    """A script bound to an event, or a package's Basic folder: noted for the report, as for a .docm;
    a file without either has no such note."""
    listener = ('<office:scripts><office:event-listeners><script:event-listener xmlns:script='
                '"urn:oasis:names:tc:opendocument:xmlns:script:1.0" script:event-name="office:load" '
                'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>'
                "</office:event-listeners></office:scripts>")
    noted = ["makro diabaikan (tidak dijalankan)"]
    assert package.check_odf(flat_odf(tmp_path / "makro.fodt", body="<office:text/>", prolog=""), "fodt") == []
    path = tmp_path / "makro.fodt"
    path.write_text(path.read_text(encoding="utf-8").replace("<office:body>", listener + "<office:body>"),
                    encoding="utf-8")
    assert package.check_odf(path, "fodt") == noted
    assert package.check_odf(odf_zip(tmp_path / "acara.odt", content=f"<office:document-content>{listener}"
                                     "</office:document-content>"), "odt") == noted
    basic = odf_zip(tmp_path / "basic.odt")
    assert package.check_odf(basic, "odt") == []
    with zipfile.ZipFile(basic, "a") as zf:
        zf.writestr("Basic/Standard/Module1.xml", "<script:module xmlns:script=\"http://openoffice.org/2000/script\"/>")
    assert package.check_odf(basic, "odt") == noted


def test_password_protected_libreoffice_file_says_how_to_fix_it(tmp_path):
    """LibreOffice encrypts content.xml and lists it in the manifest with its encryption data."""
    path = odf_zip(tmp_path / "terkunci.odt")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("META-INF/manifest.xml",
                    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                    '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"/>'
                    "</manifest:file-entry></manifest:manifest>")
        zf.writestr("styles.xml", bytes(range(256)))  # encrypted parts are not XML
    with pytest.raises(ImportRefused) as caught:
        package.check_odf(path, "odt")
    assert caught.value.message == "berkas dilindungi kata sandi"
    assert caught.value.hint == "buka di LibreOffice, simpan tanpa kata sandi, lalu impor lagi"


def test_libreoffice_file_without_libreoffice_names_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ImportRefused) as caught:
        package.convert_legacy(flat_odf(tmp_path / "sop.fods", "application/vnd.oasis.opendocument.spreadsheet"),
                               tmp_path / "keluar", "xlsx", "fods")
    assert "LibreOffice tidak terpasang" in caught.value.message
    assert "libreoffice-calc-nogui" in caught.value.hint
