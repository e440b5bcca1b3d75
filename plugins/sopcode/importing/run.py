"""``sop impor``: one file after another, from what it is (by content, never by its name) to SOP files
in the data folder, with one report per file in Indonesian.

The readers and the interpreter are loaded only when a file needs them, so a missing part says which
one it is instead of stopping every command of ``sop``.
"""

from __future__ import annotations

import importlib
import os
import shlex
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from sopcode.diagnostics import safe_text
from sopcode.importing.found import Found
from sopcode.importing.package import (
    PASSWORD_HINT,
    PASSWORD_MESSAGE,
    ImportRefused,
    convert_legacy,
    open_package,
    os_text,
    sniff,
    survey,
)
from sopcode.importing.page import Page
from sopcode.importing.write import PROJECT_DATA, Written, project_data_outside, sop_stem, write_found
from sopcode.model.load import load_sop
from sopcode.model.sop import Sop

READERS = {
    "docx": ("sopcode.importing.docx", "read_docx", "pembaca dokumen Word (.docx)"),
    "xlsx": ("sopcode.importing.xlsx", "read_xlsx", "pembaca buku kerja Excel (.xlsx)"),
    # a .doc once LibreOffice has converted it to .docx: read with that conversion's quirks
    "doc": ("sopcode.importing.docx", "read_converted_doc", "pembaca dokumen Word (.doc)"),
}
ODF_KINDS_READ = {"odt": "docx", "fodt": "docx", "ods": "xlsx", "fods": "xlsx"}
"""LibreOffice's files (by content: :func:`~sopcode.importing.package.sniff`) and what it converts them to."""
INTERPRETER = ("sopcode.importing.interpret", "interpret", "penafsir isi SOP")
MAX_PROBLEM_LINES = 12
COMPARE_FOLDER = "build/impor"
"""Where the guide imports a workbook of an existing SOP to compare it (``--ke build/impor``)."""
ODF_LABELS = ("bila Ya/Tidak diketik pada garis panahnya sendiri (teks di dalam garis penghubung), label itu hilang "
              "saat LibreOffice mengonversi berkas; tulis Ya/Tidak di kotak teks kecil di samping panahnya lalu impor "
              "lagi, atau isi `ya:` dan `tidak:` di berkas yang ditulis")
"""After a LibreOffice document's decision arrows were found unlabelled: Calc and Draw let a connector
carry text, which their .xlsx/.docx conversion drops (an Excel connector has no text)."""
CORE_PART = "docProps/core.xml"
DC_NS = "http://purl.org/dc/elements/1.1/"


@dataclass
class Imported:
    """What one file gave: the SOP files written and whether the file failed."""

    source: str
    written: list[Written] = field(default_factory=list)
    failed: bool = False


def import_file(path: str, folder: str, out: TextIO, err: TextIO, program: str = "sop") -> Imported:
    """Import one file into ``folder``, printing its report; never raises for a bad file. ``program`` is
    the ``sop`` command as the user typed it, for the commands a message suggests."""
    shown = safe_text(path)
    result = Imported(path)
    try:
        with tempfile.TemporaryDirectory(prefix="sop-impor-") as tmp:
            founds, notes, sop_id, odf = _read(path, tmp)
    except ImportRefused as exc:
        print(f"{shown}: galat: {exc.message}", file=err)
        if exc.hint:
            print(f"    perbaikan: {exc.hint}", file=err)
        result.failed = True
        return result
    except Exception as exc:  # noqa: BLE001 (a reader's fault on a file nobody foresaw: a message, not a traceback)
        print(f"{shown}: galat: berkas tidak dapat dibaca: kesalahan di pengimpor "
              f"({type(exc).__name__}: {safe_text(str(exc))})", file=err)
        print("    perbaikan: simpan ulang berkas dari Word/Excel lalu impor lagi; bila tetap gagal, "
              "laporkan kesalahan ini beserta berkasnya", file=err)
        result.failed = True
        return result
    if not founds:
        print(f"{shown}: galat: tidak ada SOP yang dikenali di berkas ini", file=err)
        print("    perbaikan: SOP dikenali dari tabel prosedurnya (kolom No, Kegiatan, Pelaksana, Mutu Baku, "
              "Keterangan) atau kotak identitasnya; periksa bahwa berkas ini lembar SOP menurut Permenpan-RB 35/2012",
              file=err)
        for note in notes:
            print(f"    catatan: {safe_text(note)}", file=err)
        result.failed = True
        return result
    existing = _exported_sop_present(founds, sop_id, folder)
    origin = existing or _project_sop(founds, sop_id, folder)
    origin_sop = load_sop(origin)[0] if origin is not None else None
    differs = _names_differ(founds[0], origin_sop) if origin_sop is not None else []
    if sop_id is not None and len(differs) == 2:
        # An exported workbook copied as the template of a new SOP: another name and another number.
        # Named by its own name, as any file: under the id it would replace the SOP it was copied from.
        notes.append(f"buku kerja ini dibuat dari buku kerja SOP {sop_id}, tetapi menamai SOP lain (Nama SOP "
                     "dan Nomor SOP-nya berbeda), jadi ditulis sebagai berkas SOP baru")
        notes += _drop_template_leftovers(founds[0], origin_sop, sop_id) if origin_sop is not None else []
        sop_id, existing, differs = None, None, []
    if existing is not None and sop_id is not None:
        _say_edited_copy(path, sop_id, existing, folder, program, err, differs)
        result.failed = True
        return result
    notes += [_differ_text(sop_id or "", d) for d in differs]
    print(f"{shown}: {len(founds)} SOP dibaca", file=out)
    for note in notes:
        print(f"    catatan: {safe_text(note)}", file=out)
    for found in founds:
        same = _same_sop_present(found, folder, sop_id if len(founds) == 1 else None)
        if same is not None:
            print(f"{shown}: galat: SOP '{safe_text(str(found.data.get('nama') or ''))}' sudah ada di {safe_text(same)} "
                  "(Nama dan Nomor SOP-nya sama): tidak ditulis lagi, agar tidak ada dua berkas untuk satu SOP", file=err)
            print("    perbaikan: bila berkas itu hasil impor sebelumnya yang ingin diganti, hapus dulu berkas itu lalu impor "
                  f"lagi; bila ingin membandingkan, impor ke folder lain (--ke {COMPARE_FOLDER})", file=err)
            result.failed = True
            continue
        try:
            # The id a workbook of `sop ekspor` carries names the file, so an SOP edited in Excel comes
            # back under its own id; a file that gave several SOPs names none of them.
            written = write_found(found, folder, sop_id=sop_id if len(founds) == 1 else None)
        except OSError as exc:
            where = exc.filename if isinstance(exc.filename, str) else folder  # the file or folder that failed
            print(f"{shown}: galat: SOP {safe_text(str(found.data.get('nama') or ''))} tidak dapat ditulis ke "
                  f"{safe_text(where)}: {os_text(exc)}", file=err)
            print("    perbaikan: impor ke folder yang dapat ditulisi (--ke), atau periksa izin dan disk folder itu",
                  file=err)
            result.failed = True
            continue
        result.written.append(written)
        print(f"  {safe_text(written.path)}: {summary(found)}", file=out)
        if written.note:
            print(f"    catatan: {written.note}", file=out)
        for line in problem_lines(found):
            print(f"    {line}", file=out)
        if odf and _unlabelled(found):
            print(f"    catatan: {ODF_LABELS}", file=out)
    return result


def _unlabelled(found: Found) -> bool:
    """A decision's arrows were found without Ya/Tidak (the interpreter's message; it is loaded by now)."""
    from sopcode.importing.interpret import UNLABELLED

    return any(pr.message == UNLABELLED for pr in found.problems)


def _exported_sop_present(founds: list[Found], sop_id: str | None, folder: str) -> str | None:
    """The file in ``folder`` (or below) of the SOP a workbook of ``sop ekspor`` was made from, when the
    workbook gives that one SOP back under its id; else None.

    Such a workbook is that SOP edited in Excel, not another SOP: written beside it as ``<id>-2.yaml``
    it would be a second file with the same Nomor SOP, which `sop check` then reports as an error to
    fix in the file, and `make site` stops on. Nothing is written; the message says how to compare it
    with the SOP instead (the guide's "Menyunting di Excel, lalu membawanya kembali"). A file not made
    by `sop ekspor` keeps the never-overwrite ``-2`` name."""
    if not sop_id or len(founds) != 1:
        return None
    stem = sop_stem(founds[0], sop_id)
    if stem != sop_id.strip().split("/")[-1]:
        return None  # not an id sop_stem accepts: the file is named from the SOP's name
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            base, ext = os.path.splitext(name)
            if ext.lower() in (".yaml", ".yml") and base.casefold() == stem.casefold():
                return os.path.join(root, name)
    return None


def _drop_template_leftovers(found: Found, sop: Sop, sop_id: str) -> list[str]:
    """What a workbook copied as a template still carries of the SOP it was copied from and that cannot
    be the new SOP's: that SOP's alias (a search for it would find both) and its procedure title (the
    export's title row, printed on the new sheet). Left out, and said; its dates and signer are kept
    (the workbook's), and said, so they are checked."""
    notes = []
    alias = found.data.get("alias")
    mine = [alias] if isinstance(alias, str) else list(alias or [])
    if mine and {str(a).casefold() for a in mine} & {str(a).casefold() for a in sop.alias}:
        found.data.pop("alias")
        notes.append(f"alias dari SOP {sop_id} ({', '.join(map(str, mine))}) tidak disalin ke SOP baru ini")
    title = found.data.get("nama_prosedur")
    if title and str(title).casefold() in {str(t).casefold() for t in (sop.nama, sop.nama_prosedur) if t}:
        found.data.pop("nama_prosedur")
        notes.append(f"judul lembar prosedur '{title}' dari SOP {sop_id} tidak disalin; judulnya Nama SOP ini")
    if any(key in found.data for key in ("tanggal_pembuatan", "tanggal_efektif", "disahkan_oleh")):
        notes.append(f"tanggal dan pejabat pengesah tertulis seperti di buku kerja (mungkin masih milik SOP {sop_id}): "
                     "periksa sebelum SOP baru ini disahkan")
    return notes


def _same_sop_present(found: Found, folder: str, sop_id: str | None) -> str | None:
    """The file in ``folder`` under the name this SOP would take, when it is this SOP already: the same
    Nama SOP and Nomor SOP (a document imported twice, a template's workbook imported again). Written
    beside it as ``-2`` it would be a second file for one SOP (with one Nomor SOP: an error `make site`
    stops on). Another SOP under that name still gets the ``-2`` name."""
    target = os.path.join(folder, sop_stem(found, sop_id) + ".yaml")
    if not os.path.isfile(target):
        return None
    sop, _ = load_sop(target)
    return target if sop is not None and not _names_differ(found, sop) else None


def _project_sop(founds: list[Found], sop_id: str | None, folder: str) -> str | None:
    """The file in the project's sop_data/ of the SOP a workbook of ``sop ekspor`` was made from, when
    it is imported elsewhere (``--ke build/impor``, to be copied over that file)."""
    return _exported_sop_present(founds, sop_id, PROJECT_DATA) if project_data_outside(folder) else None


def _names_differ(found: Found, sop: Sop) -> list[tuple[str, str, str]]:
    """(label, in the workbook, in the SOP file) for the Nama SOP and Nomor SOP of ``found`` that are not
    those of ``sop``, letter case and spacing aside."""
    out = []
    for key, label in (("nama", "Nama SOP"), ("nomor", "Nomor SOP")):
        mine, theirs = str(found.data.get(key) or ""), str(getattr(sop, key) or "")
        if "".join(mine.split()).casefold() != "".join(theirs.split()).casefold():
            out.append((label, mine, theirs))
    return out


def _differ_text(sop_id: str, differ: tuple[str, str, str]) -> str:
    label, mine, theirs = differ
    return (f"{label} di buku kerja ini berbeda dari SOP {sop_id}: '{mine or '-'}', di SOP itu '{theirs or '-'}'; "
            "bila buku kerja ini SOP baru yang dibuat dari buku kerja SOP itu, ganti Nama SOP dan Nomor SOP-nya, "
            "lalu impor lagi")


def _say_edited_copy(path: str, sop_id: str, existing: str, folder: str, program: str, err: TextIO,
                     differs: list[tuple[str, str, str]]) -> None:
    shown = safe_text(path)
    if os.path.realpath(folder) == os.path.realpath(COMPARE_FOLDER):
        # an earlier import of the workbook: a scratch copy under build/, safe to remove
        print(f"{shown}: galat: SOP {safe_text(sop_id)} dari buku kerja ini sudah pernah diimpor ke "
              f"{safe_text(existing)}; berkas itu tidak ditimpa", file=err)
        for differ in differs:
            print(f"    catatan: {safe_text(_differ_text(sop_id, differ))}", file=err)
        print("    perbaikan: hapus hasil impor sebelumnya itu, lalu impor lagi:", file=err)
        commands = [f"rm {shlex.quote(existing)}", f"{program} impor {shlex.quote(path)} --ke {COMPARE_FOLDER}"]
    else:
        print(f"{shown}: galat: buku kerja ini hasil ekspor SOP {safe_text(sop_id)} yang sudah ada "
              f"({safe_text(existing)}); tidak ditulis, agar tidak ada dua berkas untuk satu SOP", file=err)
        for differ in differs:
            print(f"    catatan: {safe_text(_differ_text(sop_id, differ))}", file=err)
        print(f"    perbaikan: impor ke folder {COMPARE_FOLDER}, salin hasilnya menggantikan berkas SOP itu, lalu lihat "
              'apa yang berubah (panduan "Memindahkan SOP lama dari Word/Excel", bagian "Menyunting di Excel, '
              'lalu membawanya kembali"):', file=err)
        written = os.path.join(COMPARE_FOLDER, sop_id.strip().split("/")[-1] + ".yaml")  # as write_found names it
        commands = [f"{program} impor {shlex.quote(path)} --ke {COMPARE_FOLDER}",
                    f"cp {shlex.quote(written)} {shlex.quote(os.path.dirname(existing) or '.')}/",
                    f"{program} diff {shlex.quote(sop_id)} HEAD kerja"]
    for command in commands:
        print(f"        {safe_text(command)}", file=err)


def problem_lines(found: Found, limit: int = MAX_PROBLEM_LINES) -> list[str]:
    """What could not be read ('tidak terbaca', to fill in) and what was decided between two readings
    ('periksa', to check), once each (with how many times), at most ``limit`` lines; all of them are in
    the head of the written file."""
    counts: dict[str, int] = {}
    for pr in sorted(found.problems, key=lambda pr: pr.settled):
        where = pr.where + (f", langkah {pr.step}" if pr.step is not None else "")
        text = f"{'periksa' if pr.settled else 'tidak terbaca'}: {safe_text(where)}: {safe_text(pr.message)}"
        counts[text] = counts.get(text, 0) + 1
    lines = [text + (f" ({n}×)" if n > 1 else "") for text, n in counts.items()]
    if len(lines) > limit:
        rest = len(lines) - limit + 1
        lines = [*lines[: limit - 1], f"… dan {rest} hal lain (semuanya tercatat di kepala berkasnya)"]
    return lines


def summary(found: Found) -> str:
    """One line: what was read (steps, actors, symbols, branches and what the interpreter lists),
    how many values were inferred, how many things could not be read."""
    steps = [s for s in found.data.get("langkah") or [] if isinstance(s, dict)]
    decisions = [s for s in steps if "ya" in s or "tidak" in s or str(s.get("simbol", "")).strip() == "keputusan"]
    branches = sum(("ya" in s) + ("tidak" in s) for s in decisions)
    said = [r for r in found.read if not r.endswith((" langkah", " pelaksana"))]
    parts = [f"{len(steps)} langkah", f"{len(found.data.get('pelaksana') or [])} pelaksana",
             f"{len(decisions)} keputusan" + (f" ({branches} dari {2 * len(decisions)} cabangnya terbaca)" if decisions else "")]
    text = ", ".join(parts)
    if said:
        text += "; dibaca: " + ", ".join(safe_text(r) for r in said)
    if found.inferred:
        text += f"; {len(found.inferred)} nilai disimpulkan (bertanda '# disimpulkan' di berkasnya)"
    unread = sum(not pr.settled for pr in found.problems)
    if unread:
        text += f"; {unread} hal tidak terbaca"
    if len(found.problems) > unread:
        text += f"; {len(found.problems) - unread} hal diputuskan saat impor (periksa)"
    return text


def _read(path: str, tmp: str) -> tuple[list[Found], list[str], str | None, bool]:
    """The SOPs of the file at ``path``, the notes on how it was read, the SOP id it records, and whether
    it was a LibreOffice document read through its conversion."""
    kind = sniff(path)
    odf = kind in ODF_KINDS_READ
    if kind == "encrypted":
        raise ImportRefused(PASSWORD_MESSAGE, PASSWORD_HINT)
    target, notes = path, []
    if kind in ("doc", "xls"):
        target = str(convert_legacy(path, tmp, "docx" if kind == "doc" else "xlsx"))
        notes.append(f"berkas format lama .{kind} dikonversi dengan LibreOffice")
        kind = "xlsx" if kind == "xls" else kind  # a converted .doc keeps its own reader (READERS)
    elif kind in ODF_KINDS_READ:
        # LibreOffice's own files: its conversion to .docx/.xlsx is read as any file it saved as such
        to = ODF_KINDS_READ[kind]
        ignored: list[str] = []  # its macros: never run, by LibreOffice's conversion nor here
        target = str(convert_legacy(path, tmp, to, kind, ignored))
        notes.append(f"dokumen LibreOffice .{kind} dikonversi ke .{to} dengan LibreOffice")
        notes += ignored
        kind = to
    elif kind == "cfb":
        raise ImportRefused("berkas Office format lama ini bukan dokumen Word maupun buku kerja Excel",
                            "buka berkasnya lalu simpan sebagai .docx atau .xlsx, kemudian impor lagi")
    elif kind == "zip":
        raise ImportRefused("berkas ini paket zip, tetapi bukan dokumen Word (.docx), Excel (.xlsx) atau "
                            "LibreOffice (.odt, .ods) (mungkin .pptx, .odp atau arsip biasa)",
                            "buka berkasnya di Word/Excel/LibreOffice lalu simpan sebagai .docx atau .xlsx")
    elif kind == "unknown":
        raise ImportRefused("berkas ini bukan dokumen Word (.docx, .doc), Excel (.xlsx, .xls) atau LibreOffice "
                            "(.odt, .ods): isinya bukan berkas Office",
                            "buka berkas di Word/Excel lalu simpan sebagai .docx atau .xlsx; "
                            "nama akhiran saja tidak mengubah isi berkas")
    notes += [note for note in survey(target) if note not in notes]
    reader: Callable[[str], list[Page]] = _part(*READERS[kind])
    interpret: Callable[[list[Page], str], list[Found]] = _part(*INTERPRETER)
    pages = reader(target)
    return interpret(pages, path), notes, identifier(target), odf


def identifier(path: str) -> str | None:
    """The document's identifier property (docProps/core.xml, ``dc:identifier``): `sop ekspor` writes
    the SOP's id there. Read through the same safe package reading; None when there is none."""
    with open_package(path) as pkg:
        if CORE_PART not in pkg.names():
            return None
        for el in pkg.xml(CORE_PART).iter(f"{{{DC_NS}}}identifier"):
            return (el.text or "").strip() or None
    return None


def _part(module: str, name: str, what: str) -> Callable:
    """A part of the importer, loaded when first needed."""
    try:
        found = getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        found = None
    except AttributeError:
        found = None
    if found is None:
        raise ImportRefused(f"{what} belum tersedia di versi sop ini ({module}.{name})",
                            "perbarui sop ke versi yang memuat bagian itu; sementara itu impor jenis berkas lain")
    return found


def written_paths(results: list[Imported]) -> list[str]:
    return [os.fspath(w.path) for r in results for w in r.written]
