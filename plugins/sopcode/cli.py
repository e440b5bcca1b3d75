"""The ``sop`` command: check, create and inspect SOP files, print their PDFs and draw their charts.

Messages in Indonesian. ``sop pdf`` and ``sop gambar`` run the same publication as the site
(:func:`sopcode.publish.publish`), so a broken SOP stops them with the messages of ``sop check``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import shutil
import sys
import time
from collections.abc import Callable
from importlib import resources

from sopcode import cache
from sopcode import diagnostics as diag
from sopcode.atomic import os_reason
from sopcode.model.declaration import SCHEMA_FILES, json_schema
from sopcode.model.diff import compare, isi_disetujui
from sopcode.model.history import WORKING_TREE, find_revision, history_cache, read_history
from sopcode.model.institutions import data_root, kode_of, stem_of
from sopcode.model.load import SETTINGS_FILE, Loaded, find_with_settings, load_folder, sop_id
from sopcode.model.sop import Sop
from sopcode.rules import check
from sopcode.text import slug, suggest

# argparse's own words (usage, section titles, errors) come from its module-level
# ``_``; give them in Indonesian so help and usage errors match the rest.
_ARGPARSE_ID = {
    "usage: ": "pemakaian: ",
    "positional arguments": "argumen",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "the following arguments are required: %s": "argumen berikut wajib diberikan: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak dikenal: %(value)r (pilih dari %(choices)s)",
    "expected one argument": "membutuhkan satu nilai",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s bisa berarti %(matches)s",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
}
argparse._ = lambda text: _ARGPARSE_ID.get(text, text)  # type: ignore[attr-defined]

DEFAULT_DATA = "sop_data"
PDF_OUT = os.path.join("site", "pdf")
DRAWINGS_OUT = os.path.join("build", "gambar")
FORMS_OUT = os.path.join("site", "monev")
EXPORT_OUT = os.path.join("build", "ekspor")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        _dashed_file_hint(sys.argv[1:] if argv is None else argv, exc)
        raise
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("dibatalkan", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _dashed_file_hint(argv: list[str], exc: SystemExit) -> None:
    """After argparse refused `sop impor`: a file whose name starts with '-' was read as an option."""
    if exc.code != 2 or not argv or argv[0] != "impor" or "--" in argv:
        return
    dashed = next((arg for arg in argv[1:] if arg.startswith("-") and os.path.exists(arg)), None)
    if dashed is None:
        return
    # The user's own command again, its options kept and `--` before the file names.
    options: list[str] = []
    files: list[str] = []
    args = iter(argv[1:])
    for arg in args:
        if not arg.startswith("-") or os.path.exists(arg):
            files.append(arg)
            continue
        options.append(arg)
        if len(arg) > 2 and "--ke".startswith(arg):  # --ke FOLDER (or argparse's abbreviation --k FOLDER)
            value = next(args, None)
            if value is not None:
                options.append(value)
    print(f"    perbaikan: nama berkas yang diawali '-' terbaca sebagai opsi; tulis {shlex.quote('./' + dashed)}, atau "
          f"letakkan -- sebelum nama berkasnya: {program()} impor {shlex.join([*options, '--', *files])}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sop",
        description=("SOP sebagai kode: memeriksa dan membuat berkas SOP (Permenpan-RB No. 35/2012), "
                     "mencetak lembar SOP ke PDF dan menggambar bagan alirnya."),
        epilog="Bantuan tiap perintah: sop <perintah> --help",
    )
    sub = parser.add_subparsers(title="perintah", metavar="<perintah>")

    p = sub.add_parser("check", help="periksa berkas SOP", description=(
        "Memeriksa berkas SOP: susunan YAML, isian wajib, pelaksana, alur langkah, "
        "keterkaitan, dan gaya penulisan. Keluar dengan kode 1 bila ada galat."))
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help=f"berkas atau folder SOP (bawaan: {DEFAULT_DATA})")
    p.add_argument("--strict", action="store_true", help="anggap peringatan sebagai galat")
    p.add_argument("--json", action="store_true", help="keluarkan hasil sebagai JSON (untuk editor dan CI)")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("new", help="buat berkas SOP baru dari templat", description=(
        "Menulis templat SOP berkomentar ke folder data. Tidak pernah menimpa berkas yang sudah ada."))
    p.add_argument("nama", metavar="NAMA", help='nama SOP, misalnya "Pelayanan Surat Keterangan Domisili"')
    p.add_argument("--id", help="id SOP (nama berkas tanpa .yaml); bawaan: dibentuk dari NAMA")
    p.add_argument("--folder", default=DEFAULT_DATA, help=f"folder data (bawaan: {DEFAULT_DATA})")
    p.add_argument("--instansi", metavar="FOLDER", help=(
        "buat SOP di folder instansi ini (folder berisi _instansi.yaml, relatif terhadap folder data, "
        "misalnya dinas-kependudukan); id SOP-nya menjadi <folder instansi>/<nama berkas>"))
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("diff", help="perubahan isi SOP antara dua revisi", description=(
        "Menampilkan perubahan isi SOP antara dua revisi dalam istilah formulir SOP "
        "(langkah ditambahkan, waktu diubah, pelaksana diganti, ...), bukan perbedaan teks. "
        f"REVISI adalah commit git (hash, HEAD~1, tag) atau '{WORKING_TREE}' untuk perubahan yang belum di-commit. "
        "Tanpa REVISI: dua versi terakhir."))
    p.add_argument("sop_id", metavar="ID", help=(
        "id SOP (nama berkas tanpa .yaml; SOP sebuah instansi: <folder instansi>/<nama berkas>)"))
    p.add_argument("rev_a", nargs="?", metavar="REVISI_A", help="versi lama (bawaan: versi sebelum yang terakhir)")
    p.add_argument("rev_b", nargs="?", metavar="REVISI_B", help="versi baru (bawaan: versi terakhir)")
    p.add_argument("--folder", default=DEFAULT_DATA, help=f"folder data (bawaan: {DEFAULT_DATA})")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("schema", help="cetak JSON Schema berkas SOP, monitoring atau evaluasi", description=(
        "Mencetak JSON Schema berkas SOP (atau berkas monitoring _monev/<tahun>-<1|2>.yaml, atau berkas "
        "evaluasi _evaluasi/<tahun>.yaml), yang dipakai editor (YAML language server) "
        "untuk melengkapi dan memeriksa kunci."))
    p.add_argument("--jenis", choices=tuple(SCHEMA_FILES), default="sop", help=(
        "jenis berkas: sop (berkas SOP), monev (berkas monitoring), evaluasi (berkas evaluasi); bawaan: sop"))
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("pdf", help="cetak lembar SOP dan buku SOP ke PDF", description=(
        "Mencetak lembar identitas dan lembar prosedur setiap SOP ke <id>.pdf, lalu menjilid semuanya "
        "menjadi buku-sop.pdf (dengan banyak instansi: juga <instansi>/buku-sop.pdf untuk tiap instansi). "
        "Tiap berkas ditulis utuh atau tidak sama sekali. Berkas SOP yang bergalat "
        "menghentikannya dengan pesan yang sama seperti sop check; tidak ada yang ditulis."))
    _printing_options(p, "--keluar", PDF_OUT)
    p.set_defaults(run=cmd_pdf)

    p = sub.add_parser("gambar", help="gambar bagan alir satu berkas SOP (SVG dan PNG)", description=(
        "Menggambar bagan alir lintas fungsi satu berkas SOP (seperti di halaman situsnya) dan bagan "
        "lembar prosedurnya halaman demi halaman (pada baris polos yang sama tinggi), sebagai SVG dan PNG. "
        "Berkas yang bergalat tidak digambar; pesannya sama seperti sop check."))
    p.add_argument("berkas", metavar="BERKAS", help="berkas SOP (.yaml)")
    p.add_argument("--keluar", default=DRAWINGS_OUT, metavar="FOLDER",
                   help=f"folder hasil (bawaan: {DRAWINGS_OUT})")
    p.add_argument("--tanpa-cache", action="store_true", help="gambar ulang walau sudah ada di cache")
    p.set_defaults(run=cmd_gambar)

    p = sub.add_parser("formulir", help="cetak formulir monitoring dan evaluasi ke PDF", description=(
        "Mencetak formulir Monitoring Pelaksanaan SOP AP dan Evaluasi Penerapan SOP AP (Permenpan-RB 35/2012): "
        "formulir kosong per unit kerja untuk diisi di lapangan, dan formulir terisi per periode monitoring "
        "(_monev/<tahun>-<1|2>.yaml) dan per tahun evaluasi (_evaluasi/<tahun>.yaml). Berkas SOP yang bergalat "
        "menghentikannya dengan pesan yang sama seperti sop check; tidak ada yang ditulis."))
    _printing_options(p, "--ke", FORMS_OUT)
    p.set_defaults(run=cmd_formulir)

    p = sub.add_parser("ekspor", help="ekspor satu SOP ke buku kerja Excel (.xlsx)", description=(
        "Menulis satu SOP sebagai buku kerja Excel dalam tata letak Permenpan-RB 35/2012: lembar Identitas "
        "(dengan logo instansi bila _instansi.yaml menyebut logo:) dan lembar Prosedur dengan bagan alir sebagai "
        "bentuk Excel di kolom pelaksananya, daftar pilihan pelaksana dan pemeriksaan satuan waktu; halaman "
        "cetaknya dipotong di antara langkah, dengan penghubung antarhalaman di tempat alurnya berpindah "
        "halaman. `sop impor` atas berkas itu memberi kembali SOP yang sama. "
        "Berkas SOP yang bergalat tidak diekspor."))
    p.add_argument("sop_id", metavar="ID", help=(
        "id SOP (nama berkas tanpa .yaml; SOP sebuah instansi: <folder instansi>/<nama berkas>)"))
    p.add_argument("--xlsx", action="store_true", required=True, help="tulis sebagai buku kerja Excel (.xlsx)")
    p.add_argument("--keluar", default=EXPORT_OUT, metavar="FOLDER", help=f"folder hasil (bawaan: {EXPORT_OUT})")
    p.add_argument("--folder", default=DEFAULT_DATA, help=f"folder data (bawaan: {DEFAULT_DATA})")
    p.add_argument("--kertas", choices=["A4", "F4"], help="ukuran kertas cetaknya (bawaan: dari _instansi.yaml)")
    p.set_defaults(run=cmd_ekspor)

    p = sub.add_parser("impor", help="impor SOP dari berkas Word atau Excel", description=(
        "Membaca SOP yang sudah ada sebagai dokumen Word (.docx, .doc), buku kerja Excel (.xlsx, .xls) atau "
        "dokumen LibreOffice (.odt, .ods) dan menulisnya sebagai berkas SOP (.yaml), satu berkas per SOP, "
        "tanpa menimpa berkas yang ada. Nilai yang disimpulkan (tidak tertulis di sumber) diberi komentar "
        "'# disimpulkan'; yang tidak terbaca dilaporkan. Sesudahnya berkas yang ditulis diperiksa seperti "
        "sop check. Keluar dengan kode 1 bila ada berkas yang gagal diimpor (berkas lain tetap diimpor), dan "
        "dengan kode 2 tanpa membaca apa pun bila perintahnya keliru: berkas yang disebut tidak ada atau berupa "
        "folder, atau folder tujuan tidak dapat dipakai."))
    p.add_argument("berkas", nargs="+", metavar="BERKAS", help="berkas Word, Excel atau LibreOffice yang diimpor")
    p.add_argument("--ke", metavar="FOLDER", help=(
        f"folder tujuan, dibuat bila belum ada (bawaan: {DEFAULT_DATA}, yang harus sudah ada: jalankan perintah "
        "ini di folder proyek SOP)"))
    p.set_defaults(run=cmd_impor)
    return parser


def _printing_options(p: argparse.ArgumentParser, out_flag: str, out_default: str) -> None:
    """What the printing commands (``sop pdf``, ``sop formulir``) take: the data folder, where to write,
    the paper and whether to print again what the cache holds."""
    p.add_argument("folder", nargs="?", default=DEFAULT_DATA, metavar="FOLDER",
                   help=f"folder data SOP (bawaan: {DEFAULT_DATA})")
    p.add_argument(out_flag, default=out_default, metavar="FOLDER", help=f"folder hasil (bawaan: {out_default})")
    p.add_argument("--kertas", choices=["A4", "F4"], help="ukuran kertas (bawaan: dari _instansi.yaml)")
    p.add_argument("--tanpa-cache", action="store_true", help="cetak ulang walau sudah ada di cache")


def cmd_check(args) -> int:
    paths = args.paths or [DEFAULT_DATA]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        for p in missing:
            print(f"{diag.safe_text(p)}: galat: berkas atau folder tidak ada", file=sys.stderr)
        return 2
    # Cross-SOP rules (unique ids and numbers, Keterkaitan) look at the whole data folder a file
    # lives in (above its institution's folder too), so checking one file still resolves references.
    corpus = sorted({_shown(data_root(p), p) for p in paths})
    report = check(paths, corpus, models=False, known_elsewhere=getattr(args, "known_elsewhere", frozenset()),
                   history=getattr(args, "history", True))
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    if args.json:
        print(json.dumps([{
            "path": d.loc.path, "line": d.loc.line, "col": d.loc.col, "level": d.level.value,
            "code": d.code, "message": d.message, "hint": d.hint,
        } for d in report.diagnostics], ensure_ascii=True, indent=2))  # any file name, even not UTF-8
        return 1 if failed else 0
    for d in report.diagnostics:
        print(d.format())
    if report.history is not None and report.history.note and report.summaries:
        print(f"catatan: {report.history.note}", file=sys.stderr)
    n_files = report.loaded.n_files
    line = diag.summary(report.diagnostics, n_files)
    if n_files == 0:
        line = "tidak ada berkas SOP (.yaml) yang ditemukan"
    elif failed:
        line += ": GAGAL" + (" (--strict: peringatan dihitung sebagai galat)" if not report.errors else "")
    else:
        line += ": LULUS"
    print(line, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _find_sop(folder: str, sop_id: str) -> tuple[Loaded, Sop] | int:
    """The data folder loaded and its SOP ``sop_id``; or exit status 2 after saying in Indonesian that the
    folder or the SOP is not there, with the closest id (or the institution folders of that file name)."""
    if not os.path.isdir(folder):
        print(f"{diag.safe_text(folder)}: galat: folder data tidak ada", file=sys.stderr)
        print("    perbaikan: jalankan dari folder proyek, atau berikan --folder", file=sys.stderr)
        return 2
    loaded = load_folder(folder)
    sops = {s.id: s for s in loaded.sops}
    if sop_id not in sops:
        print(f"galat: SOP '{diag.safe_text(sop_id)}' tidak ada di {diag.safe_text(folder)} (atau berkasnya bergalat)",
              file=sys.stderr)
        same = sorted(i for i in sops if stem_of(i) == stem_of(sop_id))
        hint = (("SOP instansi ditulis dengan folder instansinya: " + ", ".join(same)) if len(same) > 1
                else suggest(sop_id, list(sops)))
        if hint:
            print(f"    perbaikan: {hint}", file=sys.stderr)
        return 2
    return loaded, sops[sop_id]


def cmd_diff(args) -> int:
    found = _find_sop(args.folder, args.sop_id)
    if isinstance(found, int):
        return found
    loaded = found[0]
    history = read_history(loaded.sops, args.folder, history_cache(cache.root(args.folder), args.folder))
    if not history.available:
        print(f"galat: {history.note}", file=sys.stderr)
        return 2
    revisions = history.per_sop[args.sop_id].revisi
    uncommitted = bool(revisions) and revisions[0].commit == ""
    if WORKING_TREE in (args.rev_a, args.rev_b) and not uncommitted and revisions:
        last = revisions[0]
        print(f"{args.sop_id}: tidak ada perubahan yang belum di-commit; berkasnya sama dengan versi "
              f"{last.short_id} ({last.tanggal})")
        return 0
    try:
        new = find_revision(revisions, args.rev_b, args.folder) if args.rev_b else revisions[0]
        if args.rev_a:
            old = find_revision(revisions, args.rev_a, args.folder)
        else:
            older = revisions[revisions.index(new) + 1:]
            if not older:
                print(f"SOP '{args.sop_id}' baru punya satu versi; belum ada perubahan untuk dibandingkan")
                return 0
            old = older[0]
    except LookupError as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 2
    if old.sop is None or new.sop is None:
        print("galat: salah satu versi tidak dapat dibaca (berkasnya bergalat pada versi itu)", file=sys.stderr)
        return 1
    if old is new:
        named = [diag.safe_text(r) for r in (args.rev_a, args.rev_b or "versi terakhir")]
        print(f"{args.sop_id}: SOP tidak berubah antara {named[0]} dan {named[1]}: pada keduanya berlaku "
              f"versi {old.short_id} ({old.tanggal})")
        return 0
    print(f"{args.sop_id}: perubahan dari {old.short_id} ({old.tanggal}) ke {new.short_id} ({new.tanggal})")
    # The versions the change is made of (undone, when the older is given second), newest first;
    # names and messages were made safe to print by read_history.
    a, b = sorted((revisions.index(old), revisions.index(new)))
    between = revisions[a:b]
    if between:
        print("revisi:")
        for r in between:
            print(f"  {r.short_id}  {r.tanggal}  {r.penulis}: {r.pesan}")
    changes = compare(old.sop, new.sop)
    if changes:
        print("perubahan isi:")
    for change in changes:
        print(f"  - {change}")
    if not changes:
        for line in _unlisted_changes(old.sop, new.sop):
            print(line)
    elif outside := _outside_changes(old.sop, new.sop):  # said with the form's changes too, not only alone
        print("di luar lembar SOP yang disahkan:")
        for line in outside:
            print(line)
    return 0


def _outside_changes(old: Sop, new: Sop) -> list[str]:
    """What changed outside the approved sheet: ``alias``, shown on the site and searched, never printed."""
    if tuple(map(str, old.alias)) == tuple(map(str, new.alias)):
        return []
    shown = [", ".join(diag.safe_text(str(a)) for a in s.alias) or "-" for s in (old, new)]
    return [f"  - alias (nama lain untuk pencarian di situs, tidak dicetak): {shown[0]} → {shown[1]}"]


def _unlisted_changes(old: Sop, new: Sop) -> list[str]:
    """What to say when no change of the form was found between two different versions: what changed
    outside the approved sheet (``alias``), content the form's words do not name, or only the writing."""
    outside = _outside_changes(old, new)
    fields = [name for (name, a), (_, b) in zip(isi_disetujui(old), isi_disetujui(new)) if a != b]
    if fields:
        return ["perubahan isi:", "  - berubah: " + ", ".join(fields), *outside]
    if outside:
        return ["isi lembar SOP yang disahkan tidak berubah; yang berubah hanya di luar lembar itu:", *outside]
    return ["isi SOP tidak berubah; yang berbeda hanya komentar atau tata letak berkasnya"]


def cmd_new(args) -> int:
    nama = " ".join(args.nama.split())
    sop_id = args.id or ("sop-" + slug(nama) if slug(nama) else "")
    if not sop_id or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", sop_id):
        print(f"galat: id SOP '{sop_id}' tidak sah", file=sys.stderr)
        print("    perbaikan: id memakai huruf kecil, angka dan tanda '-', misalnya --id sop-pelayanan-domisili",
              file=sys.stderr)
        return 2
    folder = args.folder
    if args.instansi is not None:
        found = _institution_folder(args.folder, args.instansi)
        if isinstance(found, int):
            return found
        folder = found
    target = os.path.join(folder, sop_id + ".yaml")
    schema_path = os.path.relpath(str(resources.files("sopcode") / "schema.json"), folder)
    text = (resources.files("sopcode") / "sop-baru.yaml").read_text(encoding="utf-8")
    text = text.replace("{{SCHEMA}}", schema_path.replace(os.sep, "/")).replace("{{NAMA}}", _yaml_quote(nama))
    text = text.replace("{{HARI_INI}}", dt.date.today().isoformat())
    # The comment's command as the user runs it from here: the program as typed and this file's path.
    text = text.replace("{{PERIKSA}}", f"{program()} check {_shell_word(target)}")
    try:
        os.makedirs(folder, exist_ok=True)
        # 'x' mode: fails if the file exists, even if it appeared a moment ago.
        with open(target, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        print(f"{target}: galat: berkas sudah ada dan tidak ditimpa", file=sys.stderr)
        print("    perbaikan: pilih nama lain atau berikan --id yang lain", file=sys.stderr)
        return 1
    except OSError as exc:  # a read-only disk, a folder without write permission, a full disk
        print(f"{target}: galat: berkas SOP baru tidak dapat ditulis: {os_reason(exc)}", file=sys.stderr)
        print("    perbaikan: buat SOP di folder yang dapat ditulisi (--folder), atau periksa izin dan disk folder itu",
              file=sys.stderr)
        return 1
    print(f"berkas SOP baru dibuat: {target}")
    if args.instansi is not None:
        kode = kode_of(folder, data_root(folder))
        print(f"id SOP: {kode}/{sop_id} (halaman situs sop/{kode}/{sop_id}/)")
    print(f"isi bagian yang bertanda '...' lalu jalankan: {program()} check {_shell_word(target)}")
    print("selama masih ada '...', sop check melaporkannya sebagai galat dan SOP ini tidak diterbitkan")
    if args.instansi is None and not os.path.exists(os.path.join(args.folder, SETTINGS_FILE)):
        print(f"catatan: {os.path.join(args.folder, SETTINGS_FILE)} belum ada; "
              "nama instansi pada lembar identitas akan kosong; buat berkas itu berisi `hierarki:` (nama instansi) "
              "dan `nama_situs:` (nama situs SOP), lihat bagian \"Memulai untuk instansi baru\" di README")
    return 0


def program() -> str:
    """The ``sop`` program as the user can type it again from here: ``sop`` when that is what they typed
    (or what PATH finds), else the path they typed (``.venv/bin/sop``), relative to here when below here."""
    typed = sys.argv[0] if sys.argv else ""
    if os.path.splitext(os.path.basename(typed))[0] != "sop":
        return "sop"  # run some other way (python -m, a test): the installed command's name
    if os.sep not in typed and not (os.altsep and os.altsep in typed):
        return "sop"
    on_path = shutil.which("sop")
    if on_path and os.path.realpath(on_path) == os.path.realpath(typed):
        return "sop"
    shown = diag.display_path(os.path.abspath(typed))
    if not os.path.isabs(shown) and os.sep not in shown:
        shown = os.path.join(os.curdir, shown)  # `./sop`: a bare name would be looked up on PATH
    return _shell_word(shown)


def _shell_word(text: str) -> str:
    """``text`` as one word a shell reads back as it is (quoted when it holds spaces or quotes)."""
    return shlex.quote(diag.safe_text(text))


def _shown(folder: str, given: str) -> str:
    """``folder`` (absolute) written as ``given`` was: relative to here when it was."""
    return folder if os.path.isabs(given) else os.path.relpath(folder)


def _institution_folder(data: str, instansi: str) -> str | int:
    """The folder of ``--instansi`` (relative to the data folder, or a path to it), or the exit code
    after saying in Indonesian why it is no institution and how to make it one."""
    written = instansi.strip().strip("/\\")
    folder = os.path.normpath(os.path.join(data, written))
    if not os.path.isdir(folder) and os.path.isdir(instansi):
        folder = os.path.normpath(instansi)  # a path from here, e.g. sop_data/dinas-kependudukan
    rel = os.path.relpath(os.path.abspath(folder), os.path.abspath(data))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or rel != os.path.relpath(
            os.path.realpath(folder), os.path.realpath(data)):
        # Outside the data folder (or reached through a link, whose folder the build does not read):
        # an SOP written there would never be published, or not under the id said.
        known = _institution_names(data)
        print(f"galat: folder instansi '{diag.safe_text(written)}' berada di luar folder data {data} atau dicapai "
              "lewat tautan simbolik; SOP di sana tidak diterbitkan", file=sys.stderr)
        print("    perbaikan: tulis folder instansi relatif terhadap folder data, misalnya `--instansi "
              f"{known[0] if known else 'dinas-kependudukan'}`"
              + ("; instansi yang ada: " + ", ".join(known) if known else ""), file=sys.stderr)
        return 2
    settings = os.path.join(folder, SETTINGS_FILE)
    if os.path.isfile(settings):
        return folder
    # The example line is the folder's own name (dinas-pendidikan → DINAS PENDIDIKAN), not another institution's.
    line = " ".join(os.path.basename(folder).replace("-", " ").replace("_", " ").split()).upper() or "DINAS ..."
    example = f"berisi hierarki instansi itu, misalnya:\n        hierarki:\n          - {diag.safe_text(line)}\n" \
              "    (baris instansi induk, seperti PEMERINTAH KABUPATEN, diwarisi dari folder di atasnya)"
    if not os.path.isdir(folder):
        print(f"galat: folder instansi '{written}' tidak ada di {data}", file=sys.stderr)
        known = _institution_names(data)
        hint = suggest(written, known) if known else ""
        print("    perbaikan: " + (hint + "; " if hint else "") +
              ("instansi yang ada: " + ", ".join(known) + "; untuk instansi baru, " if known else "") +
              f"buat dulu folder {folder} dan di dalamnya {SETTINGS_FILE} " + example, file=sys.stderr)
        return 2
    print(f"galat: folder '{folder}' bukan folder instansi: {SETTINGS_FILE} tidak ada di dalamnya", file=sys.stderr)
    print(f"    perbaikan: buat {settings} " + example + "; atau pilih folder instansi lain dengan --instansi",
          file=sys.stderr)
    return 2


def _institution_names(data: str) -> list[str]:
    """The institution folders of a data folder, relative to it ('/'-separated)."""
    out = []
    for root, dirs, names in os.walk(data):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        if SETTINGS_FILE in names and os.path.normpath(root) != os.path.normpath(data):
            out.append(os.path.relpath(root, data).replace(os.sep, "/"))
    return out


def _yaml_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def cmd_schema(args) -> int:
    print(json.dumps(json_schema(args.jenis), ensure_ascii=False, indent=2))
    return 0


def cmd_pdf(args) -> int:
    # Printing and drawing are imported by the commands that use them: `sop check` starts without them.
    from sopcode.atomic import write_failure
    from sopcode.publish import Settings, publish
    from sopcode.shapes.graphviz import DrawError
    from sopcode.sheets import BUKU, PrintError

    if not os.path.isdir(args.folder):
        print(f"galat: folder '{diag.safe_text(args.folder)}' tidak ada", file=sys.stderr)
        return 2
    settings = Settings(cache_dir=None if args.tanpa_cache else cache.root(args.folder), paper=args.kertas,
                        progress=progress_bar())
    try:
        pub = publish(args.folder, settings)
    except (PrintError, DrawError) as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"galat: {write_failure(exc, args.keluar)}", file=sys.stderr)
        return 1
    with pub:
        if _nothing_to_print(pub, args.folder, "PDF"):
            return 1
        cut = pub.cut
        for problem in pub.problems:
            print(f"{'galat' if problem in cut else 'peringatan'}: tata letak: {diag.safe_text(problem)}",
                  file=sys.stderr)
        if cut:
            print(f"galat: {len(cut)} lembar cetak memotong teksnya: persingkat teks SOP itu atau kurangi butirnya",
                  file=sys.stderr)
            return 1
        try:
            written = pub.write_pdfs(args.keluar)
        except OSError as exc:
            print(f"galat: {write_failure(exc, args.keluar)}", file=sys.stderr)
            return 1
    books = sorted(pub.binders)
    named = BUKU if books == [BUKU] else f"{len(books)} buku SOP ({BUKU} seluruh instansi dan <instansi>/{BUKU} tiap instansi)"
    print(f"{len(written) - len(books)} PDF SOP dan {named} ditulis ke {args.keluar} "
          f"({pub.printed} dicetak, {pub.from_cache} dari cache)")
    return 0


def _nothing_to_print(pub, folder: str, what: str) -> bool:
    """Say the checks' errors; True (and why, in one line) when they stopped the run or there is no SOP."""
    report = pub.report
    for d in report.errors:
        print(d.format(), file=sys.stderr)
    if pub.stopped:
        named = "" if folder == DEFAULT_DATA else " " + _shell_word(folder)
        print(f"galat: {len(report.errors)} galat; {what} tidak dibuat "
              f"(`{program()} check{named}` menampilkan pesan yang sama)",
              file=sys.stderr)
        return True
    if not pub.sops:
        print(f"galat: tidak ada berkas SOP (.yaml) di {diag.safe_text(folder)}; {what} tidak dibuat", file=sys.stderr)
        return True
    return False


def cmd_formulir(args) -> int:
    from sopcode.atomic import write_atomic, write_failure
    from sopcode.publish import Settings, publish
    from sopcode.shapes.graphviz import DrawError
    from sopcode.sheets import PrintError
    from sopcode.sheets.forms import MONEV_DIR, forms, print_forms

    if not os.path.isdir(args.folder):
        print(f"galat: folder '{diag.safe_text(args.folder)}' tidak ada", file=sys.stderr)
        return 2
    root = None if args.tanpa_cache else cache.root(args.folder)
    try:
        pub = publish(args.folder, Settings(cache_dir=root, pdf=False, paper=args.kertas))
    except DrawError as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 1
    with pub:
        report = pub.report
        if _nothing_to_print(pub, args.folder, "formulir"):
            return 1
        made = forms(pub.sops, report.monitoring, report.evaluation, dt.date.today(), args.kertas, pub.logo, pub.logos)
    try:
        pdfs = print_forms(made, os.path.join(root, "printing", "formulir") if root else None)
    except PrintError as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 1
    try:
        for path, data in pdfs.items():
            # monev/<file>, or monev/<institution>/<file> with many institutions: kept below --ke as in the site
            write_atomic(os.path.join(args.ke, os.path.relpath(path, MONEV_DIR)), data)
    except OSError as exc:
        print(f"galat: {write_failure(exc, args.ke)}", file=sys.stderr)
        return 1
    for f in made:
        print(f"  {os.path.relpath(f.path, MONEV_DIR)}: {diag.safe_text(f.judul)}")
    print(f"{len(pdfs)} formulir PDF ditulis ke {args.ke}")
    return 0


def cmd_impor(args) -> int:
    from sopcode.importing.run import import_file, written_paths

    # Exit 2: the command itself is wrong (a named file that is not a file, a --ke that is a file, no
    # sop_data/ here) and nothing is read; exit 1: a file could not be imported, the others were.
    missing = [p for p in args.berkas if not os.path.isfile(p)]
    for p in missing:
        what = ("berkas adalah folder, bukan berkas" if os.path.isdir(p)
                else "ini bukan berkas biasa (perangkat, pipa atau soket)" if os.path.exists(p) else "berkas tidak ada")
        print(f"{diag.safe_text(p)}: galat: {what}", file=sys.stderr)
        if os.path.isdir(p):
            name = p.rstrip("/") or "/"  # quoted as the guide writes it ("SOP lama"/*.docx), when that is safe
            quoted = shlex.quote(name) if re.search(r'["$`\\!]', name) else f'"{name}"'
            print(f"    perbaikan: untuk mengimpor semua berkas di folder itu: {program()} impor {quoted}/*.docx "
                  f"(buku kerja Excel: {quoted}/*.xlsx; jenis lain: *.doc, *.xls, *.odt, *.ods)", file=sys.stderr)
    if missing and len(args.berkas) > 1:
        print("tidak ada berkas yang diimpor, juga yang ada: perbaiki nama berkas di atas, lalu ulangi perintahnya",
              file=sys.stderr)
    if args.ke is not None and not args.ke.strip():
        # `--ke "$TUJUAN"` with the variable unset: refused, not taken as no --ke (sop_data/)
        print("galat: --ke kosong: folder tujuan tidak disebut; tidak ada yang diimpor", file=sys.stderr)
        print(f"    perbaikan: sebutkan foldernya, misalnya --ke build/impor, atau hapus --ke untuk mengimpor ke "
              f"{DEFAULT_DATA}", file=sys.stderr)
        return 2
    folder = args.ke or DEFAULT_DATA
    if os.path.exists(folder) and not os.path.isdir(folder):
        print(f"{diag.safe_text(folder)}: galat: folder tujuan (--ke) adalah berkas, bukan folder", file=sys.stderr)
        print("    perbaikan: berikan folder data, misalnya --ke sop_data", file=sys.stderr)
        return 2
    if args.ke is None and not os.path.isdir(folder):
        # Decided: refused, not created. Without --ke the SOPs go to the project's sop_data/; when there
        # is none here the command was run outside the project (a terminal opened in the home folder),
        # and a new ./sop_data/ would hold files the site never sees. A folder named with --ke is made.
        print(f"galat: folder {DEFAULT_DATA} tidak ada di {diag.safe_text(os.path.abspath('.'))}: perintah ini "
              "dijalankan di luar folder proyek SOP; tidak ada yang diimpor", file=sys.stderr)
        print(f"    perbaikan: pindah ke folder proyek SOP (yang memuat {DEFAULT_DATA}/ dan mkdocs.yml) dengan cd, "
              "lalu ulangi; atau sebutkan folder tujuan dengan --ke FOLDER (folder itu dibuat bila belum ada)",
              file=sys.stderr)
        return 2
    if missing:
        return 2
    results = [import_file(p, folder, sys.stdout, sys.stderr, program()) for p in args.berkas]
    written = written_paths(results)
    if written:
        print(f"pemeriksaan berkas yang ditulis ({program()} check):")
        known = _project_ids(folder)
        # Files just written have no history to judge (nor a note about git to print).
        if cmd_check(argparse.Namespace(paths=written, strict=False, json=False, known_elsewhere=known, history=False)):
            print("catatan: SOP hasil impor sudah ditulis tetapi belum lengkap; perbaiki galat di atas pada "
                  f"berkasnya, lalu jalankan {program()} check", file=sys.stderr)
    failed = sum(r.failed for r in results)
    if failed:
        print(f"{failed} dari {len(results)} berkas gagal diimpor", file=sys.stderr)
        return 1
    return 0


def _project_ids(folder: str) -> frozenset[str]:
    """The ids of the project's SOPs (./sop_data) when ``folder`` lies outside it: an SOP staged there
    (an edited workbook in build/impor) refers to them, and will be copied among them."""
    from sopcode.importing.write import project_data_outside

    if project_data_outside(folder) is None:
        return frozenset()
    files, loaded = find_with_settings([DEFAULT_DATA])
    return frozenset(sop_id(path, loaded.settings_of(path).kode) for path in files)


def progress_bar(stream=sys.stderr) -> Callable[[int, int, str], None]:
    """A progress callback: a bar redrawn in place on a terminal, a line per file elsewhere."""
    tty = stream.isatty()
    start = time.monotonic()

    def show(done: int, total: int, name: str) -> None:
        if tty:
            width = 30
            filled = int(width * done / max(total, 1))
            bar = "#" * filled + "-" * (width - filled)
            stream.write(f"\r[{bar}] {done}/{total} {name[:40]:<40}")
            if done == total:
                stream.write(f"\rselesai: {total} berkas PDF dalam {time.monotonic() - start:.1f} detik"
                             + " " * 40 + "\n")
        elif name:
            stream.write(f"dicetak {done}/{total}: {name}\n")
        stream.flush()

    return show


def _sheet_charts(sop: Sop, drawings: str | None) -> dict[str, bytes]:
    """The chart of the procedure sheet, one drawing per page, on plain equal rows."""
    from sopcode.shapes.graphviz import cached_render_many, render_bytes
    from sopcode.shapes.sheet_chart import sheet_dots, simple_layout

    layout = simple_layout(sop, sop.instansi.kertas)
    # The table's lines are drawn too: without them the columns cannot be told apart.
    dots = sheet_dots(sop, layout, grid=True)
    svgs = cached_render_many(dots, "neato", "svg", drawings, args=["-n2"])
    out: dict[str, bytes] = {}
    for n, (svg, dot) in enumerate(zip(svgs, dots), 1):
        out[f"lembar-{n}.svg"] = svg.encode("utf-8")
        out[f"lembar-{n}.png"] = render_bytes(dot, "neato", "png", args=["-n2", "-Gdpi=144"])
    return out


def cmd_gambar(args) -> int:
    if not os.path.isfile(args.berkas):  # said before the drawing modules are imported
        print(f"galat: berkas '{diag.safe_text(args.berkas)}' tidak ada", file=sys.stderr)
        return 2
    from sopcode.atomic import write_atomic, write_failure
    from sopcode.publish import Settings, publish
    from sopcode.shapes.graphviz import DrawError
    from sopcode.shapes.swimlane import standalone_svg, swimlane_png

    root = None if args.tanpa_cache else cache.root(args.berkas)
    try:
        pub = publish(args.berkas, Settings(cache_dir=root, pdf=False))
        errors = pub.report.errors
        for d in errors:
            print(d.format(), file=sys.stderr)
        if pub.stopped or not pub.sops:
            print(f"galat: {len(errors)} galat pada {diag.safe_text(args.berkas)}; bagan alir tidak digambar "
                  f"(`{program()} check {_shell_word(args.berkas)}` menampilkan pesan yang sama)", file=sys.stderr)
            return 1
        sop = pub.sops[0]
        drawings = os.path.join(root, "graphviz") if root else None
        drawn = [  # the swimlane as on the SOP's page (no page here: its symbols link nowhere) and as a picture
            ("bagan alir lintas fungsi", {"swimlane.svg": standalone_svg(pub.drawings[sop.id], None).encode("utf-8"),
                                          "swimlane.png": swimlane_png(sop, drawings)}),
            ("bagan dalam lembar prosedur", _sheet_charts(sop, drawings))]
    except DrawError as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 1
    try:
        for name, outputs in drawn:
            for suffix, data in outputs.items():
                path = os.path.join(args.keluar, f"{sop.id}-{suffix}")
                write_atomic(path, data)
                print(f"{name}: {path} ditulis")
    except OSError as exc:
        print(f"galat: {write_failure(exc, args.keluar)}", file=sys.stderr)
        return 1
    return 0


def cmd_ekspor(args) -> int:
    from sopcode.atomic import write_atomic, write_failure
    from sopcode.model.logo import Refusal, accept
    from sopcode.rules import check_sop
    from sopcode.sheets.excel import export_xlsx

    found = _find_sop(args.folder, args.sop_id)
    if isinstance(found, int):
        return found
    sop = found[1]
    errors = [d for d in check_sop(sop) if d.is_error]
    if errors:  # a workbook of a broken flow would be imported back broken
        for d in errors:
            print(d.format(), file=sys.stderr)
        print(f"galat: {len(errors)} galat pada {sop.id}; tidak diekspor "
              f"(`{program()} check {_shell_word(sop.path)}` menampilkan pesan yang sama)", file=sys.stderr)
        return 1
    try:  # the logo of the SOP's institution, as the printed sheets draw it
        logo = accept(sop.instansi, args.folder)
    except Refusal as refused:
        logo = None
        print(f"peringatan: {refused.message}; buku kerja ditulis tanpa logo", file=sys.stderr)
        print(f"    perbaikan: {refused.hint}", file=sys.stderr)
    path = os.path.join(args.keluar, f"{sop.id}.xlsx")
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, export_xlsx(sop, args.kertas, logo))
    except OSError as exc:
        print(f"galat: {write_failure(exc, path)}", file=sys.stderr)
        return 1
    print(f"buku kerja Excel: {path} ditulis (lembar Identitas dan Prosedur)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
