"""Safe reading of the files an import is given: OOXML zip packages (.docx, .docm, .xlsx, .xlsm) and
the legacy binary Office files (.doc, .xls), which are OLE compound files (CFB).

Everything here treats the file as hostile. A package is refused before anything is decompressed when
it has too many entries, names that climb out of the package, a part or a total that is too large, or a
compression ratio no honest document has (a zip bomb). XML is parsed without a DTD, without entities
and without the network, and any DOCTYPE is refused. Relationships to the outside (http://, file://)
are noted and never followed. Nested zips (embedded workbooks) are never opened, images never decoded
(only their size is read, from the zip's own directory), macros (vbaProject.bin) never run.

A refusal is an :class:`ImportRefused` with an Indonesian message and a hint the user can act on.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from sopcode.atomic import os_reason
from sopcode.model.yaml_reading import os_error_text

MAX_ENTRIES = 5_000
MAX_PART = 64 * 1024 * 1024  # one part, uncompressed
MAX_TOTAL = 512 * 1024 * 1024  # all parts, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, for parts larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_INPUT = 256 * 1024 * 1024  # the file itself, before anything is opened
CONVERT_TIMEOUT = 120  # seconds LibreOffice may take to convert one legacy file

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
XLINK_NS = "http://www.w3.org/1999/xlink"
SCRIPT_NS = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"
MACROS_IGNORED = "makro diabaikan (tidak dijalankan)"
ODF_SCRIPT_FOLDERS = ("basic/", "scripts/")
"""Where an .odt/.ods package keeps its Basic and other macros (LibreOffice's ``Basic/``, ``Scripts/``)."""
ODF_TEXT = ("odt", "fodt")
ODF_SHEET = ("ods", "fods")
ODF_KINDS = {  # an OpenDocument mimetype: (kind as a zip package, kind as a flat XML file)
    "application/vnd.oasis.opendocument.text": ODF_TEXT,
    "application/vnd.oasis.opendocument.text-template": ODF_TEXT,
    "application/vnd.oasis.opendocument.spreadsheet": ODF_SHEET,
    "application/vnd.oasis.opendocument.spreadsheet-template": ODF_SHEET,
}
FLAT_HEAD = 64 * 1024  # bytes read to find a flat XML file's root element
ZIP_MAGIC = b"PK\x03\x04"
LIBREOFFICE_PACKAGES = "libreoffice-writer-nogui (dan libreoffice-calc-nogui untuk .xls)"

PASSWORD_MESSAGE = "berkas dilindungi kata sandi"
PASSWORD_HINT = "buka di Word/Excel, simpan tanpa kata sandi, lalu impor lagi"


class ImportRefused(Exception):
    """A file that cannot be imported: ``message`` says why, ``hint`` what to do, both in Indonesian."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Rel:
    """One relationship of a part: ``target`` is a part name inside the package (resolved against the
    part's folder, no leading slash) or, when ``external``, the address exactly as written (never
    fetched)."""

    type: str
    target: str
    external: bool = False

    @property
    def kind(self) -> str:
        """The last word of the type, e.g. ``image``, ``hyperlink``, ``officeDocument``."""
        return self.type.rstrip("/").rsplit("/", 1)[-1]


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
    remove_pis=True,
)
_DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))
_DOCTYPE_MARKS += tuple(m.lower() for m in _DOCTYPE_MARKS)

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


@dataclass
class Package:
    """An opened OOXML package. ``notes`` collects what was ignored on purpose (macros, external
    links, embedded files), in Indonesian, for the import's report."""

    path: str
    zip: zipfile.ZipFile
    notes: list[str] = field(default_factory=list)
    _infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    def names(self) -> list[str]:
        return list(self._infos)

    def size(self, name: str) -> int:
        """Uncompressed size as the zip's directory declares it (images are sized this way, never decoded)."""
        return self._info(name).file_size

    def read(self, name: str) -> bytes:
        info = self._info(name)
        if _is_zip_name(name):
            raise ImportRefused(f"bagian {name} adalah berkas terkompresi tersemat dan tidak dibuka",
                                "salin isinya ke dokumen utama bila diperlukan")
        # zipfile stops at the declared size and checks the CRC; read in chunks anyway so a lying
        # header cannot make us hold more than the limit.
        out = bytearray()
        try:
            with self.zip.open(info) as fh:
                while chunk := fh.read(1024 * 1024):
                    out += chunk
                    if len(out) > MAX_PART:
                        raise _too_large(name, len(out))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error,
                NotImplementedError, RuntimeError) as exc:
            raise ImportRefused(f"bagian {name} rusak dan tidak dapat dibaca ({_reason(exc)})",
                                "buka berkas di Word/Excel, simpan ulang sebagai .docx/.xlsx, lalu impor lagi") from None
        return bytes(out)

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.read(name), name)

    def rels(self, part: str = "") -> dict[str, Rel]:
        """The relationships of ``part`` ("" for the package itself), by id; {} when it has none."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self._infos:
            return {}
        out: dict[str, Rel] = {}
        for el in self.xml(rels_name):
            if not isinstance(el.tag, str) or etree.QName(el).localname != "Relationship":
                continue
            rid, rtype, target = el.get("Id"), el.get("Type", ""), el.get("Target", "")
            if not rid:
                continue
            if el.get("TargetMode") == "External":
                out[rid] = Rel(rtype, target, external=True)
                note = f"tautan luar tidak dibuka: {target}"
                if note not in self.notes:
                    self.notes.append(note)
                continue
            resolved = _resolve(folder, target)
            if resolved is None:
                note = f"tautan {rid} di {part or 'paket'} menunjuk ke luar berkas dan diabaikan"
                if note not in self.notes:
                    self.notes.append(note)
                continue
            out[rid] = Rel(rtype, resolved)
        return out

    def content_types(self) -> dict[str, str]:
        """The content type of every part, from [Content_Types].xml (overrides, then defaults by extension)."""
        if "[Content_Types].xml" not in self._infos:
            return {}
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}
        for el in self.xml("[Content_Types].xml"):
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            if local == "Default" and el.get("Extension"):
                defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif local == "Override" and el.get("PartName"):
                overrides[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")
        out = {}
        for name in self._infos:
            if name in overrides:
                out[name] = overrides[name]
            else:
                ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
                if ext in defaults:
                    out[name] = defaults[ext]
        return out

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _info(self, name: str) -> zipfile.ZipInfo:
        try:
            return self._infos[name]
        except KeyError:
            raise ImportRefused(f"bagian {name} tidak ada di dalam berkas",
                                "berkas tidak lengkap; simpan ulang dari Word/Excel lalu impor lagi") from None


def sniff(path: str | os.PathLike[str]) -> str:
    """What a file is by its content, not its name: ``docx``, ``xlsx``, ``encrypted``, ``doc``, ``xls``,
    ``cfb`` (another compound file), ``odt``, ``ods`` (LibreOffice's zip packages, by their ``mimetype``
    entry), ``fodt``, ``fods`` (its flat XML files, by the root element), ``zip`` (another zip) or
    ``unknown``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportRefused(f"berkas tidak dapat dibuka: {_reason(exc)}", "periksa nama dan izin berkas") from None
    if head.startswith(CFB_MAGIC):
        streams = cfb_streams(path)
        if "encryptedpackage" in streams:
            return "encrypted"
        if "worddocument" in streams:
            return "doc"
        if "workbook" in streams or "book" in streams:
            return "xls"
        return "cfb"
    if head.startswith(ZIP_MAGIC):
        with open_package(path) as pkg:
            names = set(pkg.names())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and pkg.size("mimetype") <= 200:
                return ODF_KINDS.get(pkg.read("mimetype").decode("ascii", "replace").strip(), ("zip",))[0]
        return "zip"
    return _flat_odf(path)


def survey(path: str | os.PathLike[str]) -> list[str]:
    """What a package holds that an import ignores on purpose (macros, embedded files, links to the
    outside), in Indonesian, for the import's report: every relationship part is read for it."""
    with open_package(path) as pkg:
        for name in pkg.names():
            if name.endswith(".rels"):
                folder, base = posixpath.split(posixpath.dirname(name))
                if base == "_rels":
                    pkg.rels(posixpath.join(folder, posixpath.basename(name)[: -len(".rels")]))
        return list(pkg.notes)


def open_package(path: str | os.PathLike[str]) -> Package:
    """Open an OOXML package after checking its directory; refuses what is not one (with the reason)."""
    path = os.fspath(path)
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportRefused(f"berkas tidak dapat dibuka: {_reason(exc)}", "periksa nama dan izin berkas") from None
    if head.startswith(CFB_MAGIC):
        if "encryptedpackage" in cfb_streams(path):
            raise ImportRefused(PASSWORD_MESSAGE, PASSWORD_HINT)
        raise ImportRefused("berkas ini format Office lama (.doc/.xls), bukan .docx/.xlsx",
                            "impor berkas ini lewat `sop impor` (dikonversi dengan LibreOffice) atau simpan "
                            "sebagai .docx/.xlsx di Word/Excel")
    if not head.startswith(ZIP_MAGIC):
        raise ImportRefused("berkas ini bukan dokumen Word (.docx) atau Excel (.xlsx): isinya bukan paket Office",
                            "buka berkas di Word/Excel lalu simpan sebagai .docx atau .xlsx; "
                            "nama akhiran saja tidak mengubah isi berkas")
    if size > MAX_INPUT:
        raise ImportRefused(f"berkas terlalu besar ({_mib(size)}; batas {_mib(MAX_INPUT)})",
                            "pisahkan dokumen menjadi beberapa berkas atau kecilkan gambar di dalamnya")
    try:
        zf = zipfile.ZipFile(path)
    except OSError as exc:
        if exc.errno is None:
            raise ImportRefused("berkas rusak atau terpotong: paket Office tidak dapat dibuka",
                                "buka berkas di Word/Excel, simpan ulang sebagai .docx/.xlsx, lalu impor lagi") from None
        raise ImportRefused(f"berkas tidak dapat dibuka: {_reason(exc)}", "periksa nama dan izin berkas") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ImportRefused("berkas rusak atau terpotong: paket Office tidak dapat dibuka",
                            "buka berkas di Word/Excel, simpan ulang sebagai .docx/.xlsx, lalu impor lagi") from None
    try:
        pkg = Package(path, zf)
        _check_directory(pkg, zf.infolist())
    except BaseException:
        zf.close()
        raise
    return pkg


def _check_directory(pkg: Package, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise ImportRefused(f"berkas berisi {len(infos)} bagian (batas {MAX_ENTRIES}); ini bukan dokumen biasa",
                            "simpan ulang dokumen dari Word/Excel lalu impor lagi")
    total = 0
    for info in infos:
        name = info.filename
        if not _safe_name(name):
            raise ImportRefused(f"berkas berisi nama bagian yang tidak sah: {name!r} (keluar dari paket)",
                                "berkas ini kemungkinan dibuat untuk menyerang; jangan dibuka, minta salinan asli")
        if name.endswith("/"):
            continue
        if name in pkg._infos:
            raise ImportRefused(f"berkas berisi bagian {name} lebih dari sekali",
                                "simpan ulang dokumen dari Word/Excel lalu impor lagi")
        if info.file_size > MAX_PART:
            raise _too_large(name, info.file_size)
        total += info.file_size
        if total > MAX_TOTAL:
            raise ImportRefused(f"isi berkas setelah dibuka melebihi {_mib(MAX_TOTAL)}",
                                "pisahkan dokumen menjadi beberapa berkas atau kecilkan gambar di dalamnya")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportRefused(
                f"bagian {name} memekar {info.file_size // max(info.compress_size, 1)} kali saat dibuka "
                "(bom zip); berkas ditolak", "berkas ini kemungkinan dibuat untuk menyerang; minta salinan asli")
        pkg._infos[name] = info
    for name in pkg._infos:
        base = name.rsplit("/", 1)[-1].lower()
        if base.startswith("vbaproject") and base.endswith(".bin"):
            _note(pkg, MACROS_IGNORED)
        elif name.lower().startswith(("word/embeddings/", "xl/embeddings/")):
            _note(pkg, "objek tersemat diabaikan (tidak dibuka)")
        elif name.lower().startswith(("word/activex/", "xl/activex/")):
            _note(pkg, "kontrol ActiveX diabaikan")


def _note(pkg: Package, text: str) -> None:
    if text not in pkg.notes:
        pkg.notes.append(text)


def _safe_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in name.split("/")


def _is_zip_name(name: str) -> bool:
    return name.lower().rsplit(".", 1)[-1] in {"zip", "docx", "docm", "xlsx", "xlsm", "pptx", "pptm", "jar"}


def _resolve(folder: str, target: str) -> str | None:
    """A relationship target as a part name, or None when it climbs out of the package."""
    target = target.split("#", 1)[0]
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(folder, target)
    parts: list[str] = []
    for piece in joined.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one part: no DTD, no entities, no network; any DOCTYPE is refused, before parsing (Office
    never writes one, nor CDATA or comments that could hold the word) and again after."""
    if any(mark in data for mark in _DOCTYPE_MARKS):
        raise _doctype(name)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ImportRefused(f"bagian {name} bukan XML yang sah ({exc.msg})",
                            "buka berkas di Word/Excel, simpan ulang, lalu impor lagi") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _doctype(name)
    return root


def _doctype(name: str) -> ImportRefused:
    return ImportRefused(f"bagian {name} memuat DOCTYPE (entitas XML); berkas Office tidak pernah memakainya",
                         "berkas ini kemungkinan dibuat untuk menyerang; minta salinan asli dari pembuatnya")


def _too_large(name: str, size: int) -> ImportRefused:
    return ImportRefused(f"bagian {name} terlalu besar setelah dibuka ({_mib(size)}; batas {_mib(MAX_PART)})",
                         "kecilkan gambar atau pisahkan dokumen menjadi beberapa berkas, lalu impor lagi")


def _mib(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MiB"
    return f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} bita"


def _reason(exc: BaseException) -> str:
    """Why a file or one of its parts could not be read, in Indonesian: the texts of the operating
    system and of zipfile are English, and a civil servant reads them inside an Indonesian sentence."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_text(exc, writing=False)
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return "isinya rusak atau terpotong"
    if isinstance(exc, NotImplementedError):
        return "dikompresi dengan cara yang tidak dikenal"
    if isinstance(exc, RuntimeError) and "password" in str(exc).lower():
        return "bagian ini dikunci dengan kata sandi"
    return "isinya rusak atau tidak sah"


def os_text(exc: OSError, writing: bool = True) -> str:
    """An operating-system error in Indonesian (the repository's own texts: ``atomic.os_reason`` for
    writing, ``yaml_reading.os_error_text`` for reading), with the few an import meets that they lack."""
    if exc.errno == errno.EEXIST:
        return "sudah ada berkas atau tautan dengan nama itu (EEXIST)"
    if not writing and exc.errno not in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
        return os_error_text(exc)[0]
    return os_reason(exc)


# ── OLE compound files (CFB): just enough to list the stream names ────────────────────────────────────

_FREESECT, _ENDOFCHAIN = 0xFFFFFFFF, 0xFFFFFFFE


def cfb_streams(path: str | os.PathLike[str]) -> set[str]:
    """The lower-cased names of the storages and streams of a compound file (directory only; no stream
    is read). A damaged directory gives what could be read."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_INPUT + 1)
    except OSError as exc:
        raise ImportRefused(f"berkas tidak dapat dibuka: {_reason(exc)}", "periksa nama dan izin berkas") from None
    if len(data) > MAX_INPUT:
        raise ImportRefused(f"berkas terlalu besar (batas {_mib(MAX_INPUT)})",
                            "pisahkan dokumen menjadi beberapa berkas")
    if len(data) < 512 or not data.startswith(CFB_MAGIC):
        return set()
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        return set()
    ssize = 1 << shift
    n_sectors = max(0, (len(data) - ssize) // ssize)

    def sector(i: int) -> bytes:  # the header fills sector -1 (512 bytes of it in version 3 files)
        return data[ssize + i * ssize:2 * ssize + i * ssize]

    n_fat, first_dir, first_difat, n_difat = (struct.unpack_from("<I", data, off)[0] for off in (0x2C, 0x30, 0x44, 0x48))
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < n_sectors]
    seen: set[int] = set()
    d = first_difat
    while d < n_sectors and d not in seen and len(seen) <= n_difat:
        seen.add(d)
        entries = struct.unpack(f"<{ssize // 4}I", sector(d))
        fat_sectors += [s for s in entries[:-1] if s < n_sectors]
        d = entries[-1]
    fat: list[int] = []
    for s in fat_sectors[:max(n_fat, 1)]:
        fat += struct.unpack(f"<{ssize // 4}I", sector(s))
    names: set[str] = set()
    s, visited = first_dir, set()
    while s < n_sectors and s not in visited:
        visited.add(s)
        block = sector(s)
        for off in range(0, len(block) - 127, 128):
            length = struct.unpack_from("<H", block, off + 0x40)[0]
            kind = block[off + 0x42]
            if kind in (1, 2, 5) and 2 <= length <= 64:
                names.add(block[off:off + length - 2].decode("utf-16-le", "replace").lower())
        s = fat[s] if s < len(fat) else _ENDOFCHAIN
    return names


# ── LibreOffice's own files (OpenDocument): recognised here, converted below ─────────────────────────

def _flat_odf(path: str | os.PathLike[str]) -> str:
    """``fodt``/``fods`` when the file is a flat OpenDocument XML file (root ``office:document`` with an
    ``office:mimetype`` of a text or a spreadsheet), else ``unknown``. Only the file's head is parsed,
    without DTD, entities or network, up to its root element."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(FLAT_HEAD)
    except OSError as exc:
        raise ImportRefused(f"berkas tidak dapat dibuka: {_reason(exc)}", "periksa nama dan izin berkas") from None
    if not head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        return "unknown"
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False)
    try:
        parser.feed(head)
        for _event, el in parser.read_events():
            if el.tag != f"{{{OFFICE_NS}}}document":
                return "unknown"
            return ODF_KINDS.get(el.get(f"{{{OFFICE_NS}}}mimetype", ""), ("", "unknown"))[1]
    except etree.XMLSyntaxError:
        pass
    return "unknown"


def check_odf(path: str | os.PathLike[str], kind: str) -> list[str]:
    """Refuse an OpenDocument file LibreOffice should not be given: the package checks of any Office
    file (entries, names, sizes, zip bombs) and, in every XML part (the flat file is one part), no
    DOCTYPE and nothing LibreOffice would fetch or read from outside the file while converting it (a
    linked picture, section or object; a hyperlink is only text and stays). Returns, for the import's
    report, what the file holds that is ignored on purpose (its macros: never run by a conversion).
    A refusal's advice names LibreOffice, where such a file is opened and saved again."""
    try:
        return _check_odf(path, kind)
    except ImportRefused as exc:
        raise ImportRefused(exc.message, exc.hint.replace("Word/Excel", "LibreOffice")) from None


def _check_odf(path: str | os.PathLike[str], kind: str) -> list[str]:
    if kind in ("fodt", "fods"):
        try:
            size = os.path.getsize(path)
            if size > MAX_PART:
                raise _too_large(os.path.basename(path), size)
            with open(path, "rb") as fh:
                root = parse_xml(fh.read(MAX_PART + 1), "berkas XML")
        except OSError as exc:
            raise ImportRefused(f"berkas tidak dapat dibuka: {_reason(exc)}", "periksa nama dan izin berkas") from None
        _outside_links(root)
        return [MACROS_IGNORED] if _has_scripts(root) else []
    scripts = False
    with open_package(path) as pkg:
        manifest = "META-INF/manifest.xml"
        if manifest in pkg.names() and any(isinstance(el.tag, str) and etree.QName(el).localname == "encryption-data"
                                           for el in pkg.xml(manifest).iter()):
            raise ImportRefused(PASSWORD_MESSAGE, "buka di LibreOffice, simpan tanpa kata sandi, lalu impor lagi")
        for name in pkg.names():
            scripts = scripts or name.lower().startswith(ODF_SCRIPT_FOLDERS)
            if name.lower().endswith((".xml", ".rdf")):
                root = pkg.xml(name)
                _outside_links(root)
                scripts = scripts or _has_scripts(root)
    return [MACROS_IGNORED] if scripts else []


def _has_scripts(root: etree._Element) -> bool:
    """A macro in an OpenDocument part: a script bound to an event (``script:event-listener``, in
    ``office:event-listeners`` of the document or a form control) or the document's own scripts (an
    ``office:scripts`` with anything in it)."""
    for el in root.iter(f"{{{SCRIPT_NS}}}event-listener", f"{{{OFFICE_NS}}}scripts"):
        if el.tag == f"{{{SCRIPT_NS}}}event-listener" or len(el):
            return True
    return False


def _outside_links(root: etree._Element) -> None:
    for el in root.iter():
        href = el.get(f"{{{XLINK_NS}}}href") if isinstance(el.tag, str) else None
        if href is None or etree.QName(el).localname == "a" or href.startswith("vnd.sun.star.script:"):
            continue  # a hyperlink, or a macro binding (never run in a conversion)
        target = href.strip().replace("\\", "/")
        if (re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("/")
                or ".." in target.split("#", 1)[0].split("/")):
            raise ImportRefused(
                f"berkas ini memuat isi yang ditautkan dari luar berkas ({target[:120]}); LibreOffice akan "
                "membukanya saat mengonversi, jadi berkas ditolak",
                "buka berkas di LibreOffice, putuskan tautannya (menu Sunting > Tautan), simpan, lalu impor lagi; "
                "atau simpan sebagai .docx/.xlsx")


# ── legacy .doc / .xls, and .odt / .ods, through LibreOffice ──────────────────────────────────────────

def convert_legacy(path: str | os.PathLike[str], outdir: str | os.PathLike[str], to: str = "docx",
                   kind: str | None = None, notes: list[str] | None = None) -> Path:
    """Convert a .doc (``to="docx"``) or .xls (``to="xlsx"``), or a LibreOffice file of ``kind``
    ``odt``/``fodt`` (to docx) or ``ods``/``fods`` (to xlsx), with LibreOffice headless, in its own
    profile folder, and return the converted file in ``outdir``. Macros are not run (LibreOffice's
    conversion does not run them); an OpenDocument file is checked first (:func:`check_odf`), and what
    that check says is ignored on purpose is added to ``notes``."""
    kind = kind or ("doc" if to == "docx" else "xls")
    odf = kind in (*ODF_TEXT, *ODF_SHEET)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if odf:
            needed = "libreoffice-writer-nogui" if kind in ODF_TEXT else "libreoffice-calc-nogui"
            raise ImportRefused(
                f"dokumen LibreOffice (.{kind}) perlu LibreOffice untuk dikonversi, tetapi LibreOffice tidak terpasang",
                f"pasang paket Debian {needed}, atau buka berkasnya di LibreOffice lalu simpan sebagai "
                f"{'.docx' if kind in ODF_TEXT else '.xlsx'}")
        raise ImportRefused(
            "berkas format lama (.doc/.xls) perlu LibreOffice untuk dikonversi, tetapi LibreOffice tidak terpasang",
            f"pasang paket Debian {LIBREOFFICE_PACKAGES}, atau simpan berkas sebagai .docx/.xlsx di Word/Excel")
    if odf:
        ignored = check_odf(path, kind)
        if notes is not None:
            notes.extend(ignored)
    src = Path(path).resolve()
    out = Path(outdir)
    # LibreOffice names its output after the input; copy under a plain name so odd names (spaces,
    # leading dashes, no extension) cannot confuse it.
    plain = out / ("masukan." + kind)
    try:
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, plain)
    except OSError as exc:
        raise ImportRefused(f"folder sementara untuk konversi ({out}) tidak dapat ditulis: {os_text(exc)}",
                            "kosongkan ruang disk atau periksa folder sementara (TMPDIR), lalu impor lagi") from None
    with tempfile.TemporaryDirectory(prefix="sop-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", to, "--outdir", str(out), str(plain)]
        try:
            # Its own session, so its process group holds everything it starts (the soffice wrapper
            # starts oosplash, which starts soffice.bin); see _kill_group.
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            why = {errno.ENOENT: "programnya tidak ditemukan", errno.EACCES: "tidak ada izin menjalankan programnya",
                   errno.ENOEXEC: "programnya rusak"}.get(exc.errno or 0) or os_text(exc, writing=False)
            raise ImportRefused(f"LibreOffice ({soffice}) tidak dapat dijalankan: {why}",
                                f"periksa pemasangan paket {LIBREOFFICE_PACKAGES}") from None
        try:
            stdout, stderr = proc.communicate(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired:
            _kill_group(proc)  # before the profile folder it uses is removed
            raise ImportRefused(f"LibreOffice tidak selesai mengonversi berkas dalam {CONVERT_TIMEOUT} detik",
                                "simpan berkas sebagai .docx/.xlsx di Word/Excel lalu impor lagi") from None
        except BaseException:  # Ctrl+C: nothing of LibreOffice outlives the import either
            _kill_group(proc)
            raise
    result = out / ("masukan." + to)
    plain.unlink(missing_ok=True)
    if proc.returncode != 0 or not result.is_file():
        said = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()
        raise ImportRefused("LibreOffice gagal mengonversi berkas" + (f" ({said[-1]})" if said else ""),
                            "buka berkas di Word/Excel, simpan sebagai .docx/.xlsx, lalu impor lagi")
    return result


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and everything it started, then wait for it. ``subprocess.run``'s timeout kills
    only the process it started (the wrapper), which leaves soffice.bin converting, using CPU and the
    profile folder about to be removed. The group is killed while its leader is not yet reaped, so
    its id cannot have been given to another process."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()  # reaps it; the pipes end, as every process that held them is gone
