"""YAML files → model objects, keeping each value's file, line and column.

Loading never raises on bad input: it returns the model (or ``None``) and a
list of diagnostics. YAML is only *composed* (never constructed), so no
Python object can be created from a file, duplicate keys are seen, and the
text of every scalar is kept exactly as written.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sopcode.cache import Sharded, code_fingerprint, no_gc
from sopcode.diagnostics import Diagnostic, Loc, galat, tampak
from sopcode.diagnostics import peringatan
from sopcode.model.logo import Logo, baca_logo
from sopcode.model.sop import LABEL_IDENTITAS, Instansi, Keterkaitan, MutuBaku, Pejabat, Posisi, Simbol, Sop, Step, Teks
from sopcode.model.schema import (
    INVALID, Choice, Ctx, Date, Either, Field, Int, ListOf, Nip, Number, Obj, Str, WaktuSpec,
)

MAX_BYTES = 1_000_000
"""A real SOP is a few KB; anything near a megabyte is a mistake or an attack."""

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _FastResolve:
    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            return "tag:yaml.org,2002:null" if value in _NULLS else "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


class _PY_LOADER(_FastResolve, yaml.SafeLoader):
    """The pure-Python loader: slower, but its error messages are the ones translated below."""


class _LOADER(_FastResolve, _BASE_LOADER):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, in C (libyaml) when the wheel has it, with a quicker tag resolver.

    The model reads every scalar from its text as written (dates, numbers,
    times are parsed by :mod:`spec`), so a plain scalar only needs to be told
    apart from null; PyYAML's regex table for ints, floats, booleans and
    timestamps cost a third of the loading time. Explicit tags (``!!python``)
    keep their tag, and are refused by the spec.
    """


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        if _BASE_LOADER is yaml.SafeLoader:  # no libyaml: this already was the pure-Python parser
            raise
        # A broken file: ask the pure-Python parser, whose messages say more (and are translated).
        return yaml.compose(text, Loader=_PY_LOADER)

_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s\]},]")
"""Something that may be an alias (``*name`` where a value starts): a wider net than YAML's own."""

MAX_NODES = 100_000
"""Values in one file after aliases are expanded: refuses "billion laughs"."""

SETTINGS_FILE = "_instansi.yaml"
"""Institution-wide settings; files whose name starts with '_' are not SOPs."""

SOP_SUFFIXES = (".yaml", ".yml")

TERMINATOR = ("langkah", "terpisah")
"""How an SOP draws its start and end: as its first and last steps, or as separate capsules."""

LABEL_MAX = 40
"""A label of the identity sheet is a few words."""


def _frozen(pos: dict) -> Posisi:
    return Posisi(pos)


# --- the declared shape of the files -----------------------------------------------------

def _build_mutu_baku(v: dict, loc: Loc, pos: dict) -> MutuBaku:
    return MutuBaku(
        kelengkapan=v.get("kelengkapan", ()), waktu=v.get("waktu"), output=v.get("output", ()), pos=_frozen(pos))


MUTU_BAKU = Obj(
    title="mutu_baku",
    doc="Mutu Baku: kelengkapan, waktu dan output kegiatan.",
    fields={
        "kelengkapan": Field(ListOf(Str(), single_ok=True, doc="Persyaratan/kelengkapan: satu teks atau daftar.")),
        "waktu": Field(WaktuSpec(doc="Lama kegiatan: angka dan satuan (menit, jam, hari kerja), misalnya `15 menit`."),
                       required=True),
        "output": Field(ListOf(Str(), single_ok=True, doc="Hasil kegiatan: satu teks atau daftar.")),
    },
    build=_build_mutu_baku,
)


def _build_step(v: dict, loc: Loc, pos: dict) -> dict:
    # The default symbol depends on the step's place, known only once all steps
    # are read; ``_finish_steps`` completes it.
    return {"values": v, "loc": loc, "pos": pos}


STEP = Obj(
    title="langkah",
    doc="Satu kegiatan (satu baris lembar prosedur).",
    fields={
        "no": Field(Int(doc="Nomor langkah."), required=True),
        "kegiatan": Field(Str(doc="Uraian kegiatan: kata kerja aktif tanpa subjek."), required=True),
        "pelaksana": Field(ListOf(Str(), single_ok=True, min_items=1, doc=(
            "Pelaksana kegiatan: salah satu nama dalam `pelaksana` SOP, atau daftar nama bila "
            "kegiatan dikerjakan bersama (yang pertama memegang simbolnya).")), required=True),
        "simbol": Field(Choice(
            choices=tuple(s.value for s in Simbol),
            doc="Simbol bagan alir. Bawaan: terminator untuk langkah pertama dan terakhir, proses untuk lainnya.")),
        "mutu_baku": Field(MUTU_BAKU, required=True),
        "keterangan": Field(Str(doc="Keterangan.")),
        "lanjut": Field(Int(doc="Langkah berikutnya bila bukan langkah sesudahnya.")),
        "ya": Field(Int(doc="Keputusan: langkah berikutnya bila Ya.")),
        "tidak": Field(Int(doc="Keputusan: langkah berikutnya bila Tidak.")),
    },
    build=_build_step,
)

PEJABAT = Obj(
    title="disahkan_oleh",
    doc="Pejabat yang mengesahkan SOP.",
    fields={
        "jabatan": Field(Str(doc="Jabatan, misalnya CAMAT BUNGURSARI; kosongkan bila tidak diketahui.")),
        "nama": Field(Str(doc="Nama lengkap dengan gelar; kosongkan bila tidak diketahui.")),
        "nip": Field(Nip(doc="NIP 18 angka, misalnya 19640104 199101 1 004; kosongkan bila tidak diketahui.")),
    },
    build=lambda v, loc, pos: Pejabat(pos=_frozen(pos), **v),
)

KETERKAITAN = Either(
    doc="SOP terkait: teks bebas, atau `sop: <id>` untuk merujuk SOP lain di sop_data/.",
    scalar=Str(),
    wrap=lambda teks: Keterkaitan(teks=teks, loc=teks.loc),
    mapping=Obj(
        title="keterkaitan",
        fields={"sop": Field(Str(doc="Id SOP lain (nama berkasnya tanpa .yaml)."), required=True)},
        build=lambda v, loc, pos: Keterkaitan(sop=v["sop"], loc=loc),
    ),
)

_BOX_DOCS = {
    "dasar_hukum": "Dasar Hukum: peraturan yang menjadi dasar SOP.",
    "kualifikasi_pelaksana": "Kualifikasi Pelaksana: kompetensi yang dibutuhkan.",
    "peralatan_perlengkapan": "Peralatan/Perlengkapan.",
    "peringatan": "Peringatan: akibat bila SOP tidak dilaksanakan.",
    "pencatatan_pendataan": "Pencatatan dan Pendataan: catatan, formulir dan penyimpannya.",
}

SOP_FIELDS = {
    "nomor": Field(Str(doc="Nomor SOP menurut tata naskah dinas; boleh kosong selama draf.")),
    "nama": Field(Str(doc="Nama SOP."), required=True),
    "nama_prosedur": Field(Str(doc="Judul pada lembar prosedur bila berbeda dari nama (sebaiknya sama).")),
    "unit": Field(Str(doc="Unit kerja pemilik SOP di dalam instansi.")),
    "tanggal_pembuatan": Field(Date(nullable=True, doc=(
        "Tanggal pembuatan; kosongkan bila sumbernya tidak mencantumkan, `-` bila sumbernya menulis '-'."))),
    "tanggal_revisi": Field(Date(nullable=True, doc="Tanggal revisi terakhir, atau kosong/`-`.")),
    "tanggal_efektif": Field(Date(nullable=True, doc=(
        "Tanggal efektif (tanggal pengesahan); kosongkan bila tidak diketahui."))),
    "disahkan_oleh": Field(PEJABAT),
    "terminator": Field(Choice(choices=TERMINATOR, doc=(
        "Simbol mulai/selesai: `langkah` (langkah pertama dan terakhir berbentuk kapsul) atau "
        "`terpisah` (kapsul Mulai dan Selesai tersendiri di atas langkah pertama dan di bawah langkah terakhir)."))),
    "dasar_hukum": Field(ListOf(Str(), doc=_BOX_DOCS["dasar_hukum"])),
    "kualifikasi_pelaksana": Field(ListOf(Str(), doc=_BOX_DOCS["kualifikasi_pelaksana"])),
    "keterkaitan": Field(ListOf(KETERKAITAN, doc="Keterkaitan dengan SOP lain.")),
    "peralatan_perlengkapan": Field(ListOf(Str(), doc=_BOX_DOCS["peralatan_perlengkapan"])),
    "peringatan": Field(ListOf(Str(), doc=_BOX_DOCS["peringatan"])),
    "pencatatan_pendataan": Field(ListOf(Str(), doc=_BOX_DOCS["pencatatan_pendataan"])),
    "pelaksana": Field(ListOf(Str(), doc="Pelaksana (aktor), berurutan sebagai kolom."), required=True),
    "langkah": Field(ListOf(STEP, doc="Langkah-langkah prosedur, berurutan."), required=True),
}

SOP = Obj(title="SOP", doc="Satu Standar Operasional Prosedur (Permenpan-RB No. 35/2012).",
          fields=SOP_FIELDS, build=lambda v, loc, pos: (v, loc, pos))

INSTANSI = Obj(
    title="pengaturan instansi",
    doc="Pengaturan instansi, berlaku untuk semua SOP.",
    fields={
        "hierarki": Field(ListOf(Str(), min_items=1, doc="Baris-baris nama instansi dari atas ke bawah, huruf kapital."),
                          required=True),
        "logo": Field(Str(doc="Berkas logo, relatif terhadap folder sop_data.")),
        "label_tanggal_efektif": Field(Str(max_len=LABEL_MAX, doc=(
            "Label tanggal efektif pada lembar identitas, misalnya Tanggal Pengesahan."))),
        "label": Field(Obj(
            title="label",
            doc="Label lembar identitas sebagaimana ditulis instansi, misalnya `tanggal_efektif: Tgl Efektif`.",
            fields={key: Field(Str(max_len=LABEL_MAX, doc=f"Bawaan: {text}.")) for key, text in LABEL_IDENTITAS.items()},
            build=lambda v, loc, pos: _frozen({k: str(t) for k, t in v.items() if str(t)}))),
        "terminator": Field(Choice(choices=TERMINATOR, doc="Gaya simbol mulai/selesai bawaan bagi semua SOP.")),
        "kertas": Field(Choice(choices=("A4", "F4", "Folio"), doc="Ukuran kertas cetak (lanskap); Folio = F4.")),
        "jam_kerja_per_hari": Field(Number(minimum=1, maximum=24, doc="Jam kerja sehari untuk menghitung `hari`.")),
    },
    build=lambda v, loc, pos: _build_instansi(v, pos),
)


def _build_instansi(v: dict, pos: dict) -> Instansi:
    if v.get("kertas") == "Folio":  # the name most offices give F4
        v["kertas"] = "F4"
    label = v.get("label") or {}
    if "tanggal_efektif" in label:  # one name for the one label, whichever key gave it
        v["label_tanggal_efektif"] = label["tanggal_efektif"]
    if "label_tanggal_efektif" in v:
        v["label_tanggal_efektif"] = str(v["label_tanggal_efektif"]) or "Tanggal Efektif"
    return Instansi(pos=_frozen(pos), **v)


def json_schema() -> dict:
    """The JSON Schema of an SOP file, generated from the declaration above."""
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "title": "Berkas SOP"}
    schema.update(SOP.json_schema())
    return schema


# --- reading files -----------------------------------------------------------------------

@dataclass
class Loaded:
    """What loading a folder gives: the SOPs that loaded and every diagnostic."""

    sops: list[Sop] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    instansi: Instansi = field(default_factory=Instansi)
    n_files: int = 0
    kunci: dict[str, str] = field(default_factory=dict)
    """Each file's content key (its bytes and the settings): what caches of its results are keyed by."""


class Tolak(Exception):
    """A file that is not read, and why (a diagnostic at the file)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_OS_ERRORS = {
    errno.ENOENT: ("berkas tidak ada", "periksa nama berkasnya (huruf besar-kecil dibedakan) dan letaknya"),
    errno.EACCES: ("tidak ada izin membaca berkas ini",
                   "beri izin baca (`chmod a+r <berkas>`) atau periksa pemilik berkasnya (`ls -l`)"),
    errno.EPERM: ("tidak ada izin membaca berkas ini",
                  "beri izin baca (`chmod a+r <berkas>`) atau periksa pemilik berkasnya (`ls -l`)"),
    errno.EISDIR: ("ini folder, bukan berkas", "berikan nama berkas SOP (.yaml) atau folder datanya"),
    errno.ENOTDIR: ("salah satu bagian jalurnya bukan folder", "periksa jalur berkasnya"),
    errno.ENAMETOOLONG: ("nama berkas atau jalurnya terlalu panjang", "perpendek nama berkas atau nama foldernya"),
    errno.ELOOP: ("tautan simbolik berputar (menunjuk dirinya sendiri) atau bertingkat terlalu dalam",
                  "perbaiki atau hapus tautan simbolik itu"),
    errno.EIO: ("galat baca pada media penyimpanan (disk rusak atau terputus)",
                "salin berkasnya dari cadangan, atau periksa disknya"),
}


def pesan_os(exc: OSError) -> tuple[str, str]:
    """An OS error in Indonesian: what happened, and the fix (``exc.strerror`` is English)."""
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    name = errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return f"galat sistem {name} ({exc.strerror or exc})", "periksa nama dan hak akses berkas"


def _unreadable(path: str, exc: OSError) -> Diagnostic:
    what, fix = pesan_os(exc)
    return galat(Loc(path), "berkas-tak-terbaca", f"berkas tidak dapat dibaca: {what}", fix)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_large(path: str, size: int) -> Diagnostic:
    return galat(Loc(path), "berkas-terlalu-besar",
                 f"berkas berukuran {_number(size)} bita, melebihi batas {_number(MAX_BYTES)} bita",
                 "satu SOP cukup beberapa kilobita; periksa apakah isinya benar")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "pipa bernama (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "berkas perangkat"
    if stat.S_ISSOCK(mode):
        return "soket"
    if stat.S_ISDIR(mode):
        return "folder"
    return "berkas khusus"


def _not_regular(path: str, mode: int) -> Diagnostic:
    return peringatan(Loc(path), "bukan-berkas-biasa",
                      f"'{os.path.basename(path)}' berupa {_kind(mode)}, bukan berkas teks; tidak dibaca dan dilewati",
                      "hapus berkas itu, atau ganti dengan berkas SOP biasa (.yaml)")


def read_bounded(path: str) -> bytes:
    """The bytes of a regular file, at most :data:`MAX_BYTES` + 1; raises :class:`Tolak`.

    A device (``/dev/zero``) has no end and a named pipe blocks whoever opens it: the file is
    opened without waiting (``O_NONBLOCK``) and read only when it is a regular file, and never
    more than one byte past the limit (a file that grows while read is still bounded).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Tolak(_unreadable(path, exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Tolak(_not_regular(path, st.st_mode))
        if st.st_size > MAX_BYTES:
            raise Tolak(_too_large(path, st.st_size))
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Tolak(_unreadable(path, exc)) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_yaml(path: str, ctx: Ctx, data: bytes | None = None) -> yaml.Node | None:
    """Bytes (the file's, or ``data`` such as an old revision from git) → one YAML node tree,
    or ``None`` with a diagnostic in ``ctx``."""
    if data is None:
        try:
            data = read_bounded(path)
        except Tolak as no:
            ctx.diagnostics.append(no.diagnostic)
            return None
    if len(data) > MAX_BYTES:
        ctx.diagnostics.append(_too_large(path, len(data)))
        return None
    text = decode(data, path, ctx)
    if text is None:
        return None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        ctx.diagnostics.append(yaml_error(exc, path))
        return None
    except yaml.reader.ReaderError as exc:  # a control character, often pasted in from another program
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        ctx.diagnostics.append(galat(
            Loc(path, line, col), "karakter-kendali",
            f"karakter tak terlihat U+{exc.character:04X} tidak boleh ada dalam berkas SOP",
            "hapus karakter itu (sering ikut terbawa saat menempel teks dari aplikasi lain); "
            "editor dengan tampilan karakter tersembunyi menunjukkannya"))
        return None
    except yaml.YAMLError as exc:  # unmarked errors (rare): still no traceback
        problem = " ".join(str(exc).split())
        ctx.diagnostics.append(galat(Loc(path), "yaml-sintaks", f"YAML tidak sah: {problem}",
                                     "periksa susunan berkas"))
        return None
    except RecursionError:
        ctx.diagnostics.append(galat(Loc(path), "yaml-sintaks", "susunan YAML bersarang terlalu dalam",
                                     "berkas SOP hanya perlu beberapa tingkat indentasi"))
        return None
    if node is None:
        ctx.diagnostics.append(galat(Loc(path), "wajib-diisi", "berkas kosong",
                                     "isi berkas dengan SOP; `sop new \"Nama SOP\"` membuat contohnya"))
        return None
    try:
        # Only a file with an alias (*name) can grow when expanded: the others skip the count.
        size = expanded_size(node, {}) if ("*" in text and _ALIAS.search(text)) else 0
    except RecursionError:
        size = MAX_NODES + 1
    if size > MAX_NODES:
        ctx.diagnostics.append(galat(
            Loc(path), "yaml-terlalu-besar",
            f"berkas menjadi lebih dari {MAX_NODES:,} nilai setelah alias (*) dan anchor (&) dijabarkan".replace(",", "."),
            "tulis isinya langsung tanpa alias YAML; berkas SOP biasa tidak membutuhkannya"))
        return None
    found = _hidden_character(node)
    if found is not None:
        ctx.diagnostics.append(_hidden_diagnostic(path, *found))
        return None
    return node


_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
"""What no value may hold, however written: controls but tab and newline (a raw one is refused by
the YAML reader, but ``"\\x1b"``, ``"\\e[2K"``, ``"\\u0085"`` write them as escapes), surrogates
(``"\\uD800"``: no UTF-8 text can hold one; a page, a PDF or a terminal fails on it) and the
non-characters U+FFFE and U+FFFF; and the controls that reorder how text is shown (U+202A–U+202E,
U+2066–U+2069), raw or escaped, with which a page or a message can show other text than the file holds."""


def _hidden_character(root: yaml.Node) -> tuple[yaml.Node, str] | None:
    """The first scalar (keys too) holding a character of :data:`_HIDDEN`, and that text; one pass
    over the composed tree, each node once (aliases are not expanded)."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            m = _HIDDEN.search(node.value)
            if m:
                return node, node.value[m.start():m.start() + 2]
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                todo += (value, key)
        elif isinstance(node, yaml.SequenceNode):
            todo += reversed(node.value)
    return None


def _hidden_diagnostic(path: str, node: yaml.Node, found: str) -> Diagnostic:
    mark = node.start_mark
    loc = Loc(path, mark.line + 1, mark.column + 1)
    c = found[0]
    if "\ud800" <= c <= "\udfff":
        pair = found if len(found) == 2 and c <= "\udbff" and "\udc00" <= found[1] <= "\udfff" else ""
        real = pair.encode("utf-16-le", "surrogatepass").decode("utf-16-le") if pair else ""
        return galat(
            loc, "karakter-kendali",
            (f"teks ini berisi escape {tampak(pair)}: sepasang surrogate UTF-16, yang dalam YAML "
             "tidak menjadi satu karakter" if pair else
             f"teks ini berisi escape {tampak(c)}: separuh surrogate UTF-16, bukan karakter"),
            (f"tulis karakternya langsung ({real}) atau sebagai \\U{ord(real):08X}" if real
             else "hapus escape itu atau tulis karakter yang dimaksud secara langsung"))
    if "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069":
        return galat(
            loc, "karakter-kendali",
            f"teks ini berisi karakter pengatur arah teks U+{ord(c):04X}, yang membalik urutan tampilan "
            "teks sesudahnya (yang tampak tidak sama dengan yang tertulis)",
            "hapus karakter itu (sering ikut terbawa saat menempel teks dari aplikasi lain)")
    return galat(
        loc, "karakter-kendali",
        f"teks ini berisi karakter tak terlihat U+{ord(c):04X} ({tampak(c)}), "
        "ditulis sebagai escape dalam tanda kutip",
        "hapus escape itu; karakter kendali mengacaukan halaman, PDF dan layar terminal")


def expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values the tree holds once aliases are expanded (linear in the file)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_NODES + 1  # a cycle counts as too large
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(expanded_size(k, memo) + expanded_size(v, memo) for k, v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def decode(data: bytes, path: str, ctx: Ctx) -> str | None:
    """UTF-8 (a BOM is dropped); anything else gets a message saying how to save the file."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = ""
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > len(data[:200]) // 4:
            guess = " (tampaknya UTF-16, yang dipakai Windows untuk pilihan simpan 'Unicode')"
        else:
            try:
                data.decode("cp1252")
                guess = " (tampaknya Windows-1252, umum pada teks yang ditempel dari Word)"
            except UnicodeDecodeError:
                pass
        ctx.diagnostics.append(galat(
            Loc(path, line, col), "pengodean",
            f"berkas tidak tersimpan dalam UTF-8{guess}: bita 0x{data[exc.start]:02X} tidak sah",
            "buka berkas di editor teks lalu simpan ulang dengan pengodean UTF-8",
        ))
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        ctx.diagnostics.append(galat(Loc(path, line), "pengodean", "berkas berisi karakter NUL (berkas biner?)",
                                     "berkas SOP harus berupa teks YAML biasa dalam UTF-8"))
        return None
    return text


_YAML_PROBLEMS = [
    ("mapping values are not allowed", "tanda ':' muncul di tempat yang tidak diharapkan",
     "periksa indentasi baris ini; teks yang mengandung ': ' harus diberi tanda kutip"),
    ("could not find expected ':'", "tanda ':' setelah kunci tidak ditemukan",
     "setiap kunci ditulis `kunci: nilai`; teks lanjutan harus menjorok lebih dalam atau diberi tanda kutip"),
    ("'\\t'", "karakter tab tidak boleh dipakai untuk indentasi",
     "ganti tab dengan spasi (biasanya 2 spasi per tingkat)"),
    ("expected <block end>", "indentasi tidak konsisten",
     "samakan indentasi dengan kunci lain di tingkat yang sama (gunakan spasi, bukan tab)"),
    ("expected <block mapping start>", "indentasi tidak konsisten",
     "samakan indentasi dengan kunci lain di tingkat yang sama"),
    ("found undefined alias", "teks yang diawali '*' dibaca sebagai alias YAML yang tidak ada",
     "beri tanda kutip pada teks itu (misalnya `- \"*Komputer\"`) atau hapus tanda '*' "
     "(tanda butir dari Word tidak perlu ditulis)"),
    ("sequence entries are not allowed here", "tanda '-' (butir daftar) tidak boleh di sini",
     "butir daftar ditulis pada baris sendiri, menjorok di bawah kuncinya; bila maksudnya tanda strip, "
     "beri tanda kutip: `\"-\"`"),
    ("expected ',' or ']'", "daftar dalam kurung siku [...] tidak ditutup dengan benar",
     "tutup dengan ']', atau tulis setiap butir pada baris sendiri diawali '- '; "
     "butir yang mengandung ':' atau ',' diberi tanda kutip"),
    ("expected ',' or '}'", "pemetaan dalam kurung kurawal {...} tidak ditutup dengan benar",
     "tutup dengan '}', atau tulis setiap kunci pada baris sendiri"),
    ("expected alphabetic or numeric character", "teks yang diawali '&' atau '*' dibaca sebagai tanda YAML",
     "beri tanda kutip pada teks itu, misalnya `- \"& Komputer\"`"),
    ("found unexpected end of stream", "tanda kutip tidak ditutup sampai akhir berkas",
     "tutup tanda kutip pembuka dengan pasangannya"),
    ("found unknown escape character", "urutan escape (\\) dalam teks berkutip ganda tidak dikenal",
     "gunakan kutip tunggal ('...') atau tulis \\\\ untuk garis miring terbalik"),
    ("expected a single document", "berkas berisi lebih dari satu dokumen YAML",
     "hapus baris '---' tambahan; satu berkas berisi satu SOP"),
    ("found duplicate anchor", "anchor YAML (&) ditulis dua kali", "beri nama lain pada salah satunya"),
    ("found character", "karakter ini tidak boleh mengawali nilai YAML",
     "beri tanda kutip pada teks yang diawali karakter khusus seperti @ atau `"),
]


def yaml_error(exc: yaml.MarkedYAMLError, path: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    if exc.context and "quoted scalar" in exc.context and exc.context_mark:
        mark = exc.context_mark  # an unclosed quote: where it opens, not the end of the file
    loc = Loc(path, mark.line + 1, mark.column + 1) if mark else Loc(path)
    problem = f"{exc.problem or ''} {exc.context or ''}"
    for needle, message, hint in _YAML_PROBLEMS:
        if needle in problem:
            return galat(loc, "yaml-sintaks", f"sintaks YAML: {message}", hint)
    return galat(loc, "yaml-sintaks", f"sintaks YAML tidak sah ({(exc.problem or exc.context or '').strip()})",
                 "periksa indentasi, tanda ':' dan tanda kutip pada baris ini dan sebelumnya")


def load_instansi(path: str) -> tuple[Instansi, list[Diagnostic]]:
    ctx = Ctx(path)
    node = read_yaml(path, ctx)
    if node is None:
        return Instansi(path=path), ctx.diagnostics
    result = INSTANSI.convert(node, ctx, SETTINGS_FILE)
    if result is INVALID:
        return Instansi(path=path), ctx.diagnostics
    return _replace(result, path=path), ctx.diagnostics


def _replace(obj, **changes):
    from dataclasses import replace
    return replace(obj, **changes)


def load_sop(path: str, instansi: Instansi | None = None,
             data: bytes | None = None) -> tuple[Sop | None, list[Diagnostic]]:
    """One SOP file (or ``data``, its bytes at another revision) → the model, or ``None`` on errors."""
    ctx = Ctx(path)
    node = read_yaml(path, ctx, data)
    if node is None:
        return None, ctx.diagnostics
    result = SOP.convert(node, ctx, "SOP")
    if result is INVALID:
        return None, ctx.diagnostics
    values, loc, pos = result
    instansi = instansi or Instansi()
    terminator = values.pop("terminator", None) or instansi.terminator
    langkah = _finish_steps(values.pop("langkah"), terminator == "terpisah")
    # A date the source marks "-" is no date, but is printed as the source wrote it.
    strip = frozenset(k for k in ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif") if values.get(k) == "-")
    for key in strip:
        values[key] = None
    sop = Sop(
        id=sop_id(path), path=path, langkah=langkah, instansi=instansi,
        loc=loc, pos=_frozen(pos), terminator=terminator, strip=strip, **values,
    )
    return sop, ctx.diagnostics


def _finish_steps(raw: tuple[dict, ...], terminator_terpisah: bool = False) -> tuple[Step, ...]:
    steps = []
    last = len(raw) - 1
    ends = () if terminator_terpisah else (0, last)  # separate capsules: no step is the start or end
    for i, item in enumerate(raw):
        v = dict(item["values"])
        explicit = "simbol" in v
        if explicit:
            simbol = Simbol(v.pop("simbol"))
        elif "ya" in v or "tidak" in v:
            simbol = Simbol.KEPUTUSAN
        else:
            simbol = Simbol.TERMINATOR if i in ends else Simbol.PROSES
        actors = v.pop("pelaksana")
        steps.append(Step(simbol=simbol, simbol_eksplisit=explicit, loc=item["loc"], pos=_frozen(item["pos"]),
                          pelaksana=actors[0], pelaksana_lain=tuple(actors[1:]), **v))
    return tuple(steps)


def sop_id(path: str) -> str:
    return Path(path).stem


def _roots(folder: str) -> tuple[str, ...]:
    """Where a data folder's files may lead through a link: the project (the folder holding the data
    folder, as for the logo). A data folder that is itself a link out of the project is not followed
    (a committed `sop_data -> /elsewhere` would publish what lies there)."""
    return (os.path.realpath(os.path.dirname(os.path.abspath(folder))),)


def check_path(path: str, roots: tuple[str, ...]) -> Diagnostic | None:
    """Why an SOP or settings file is not to be read (None: read it), without opening it.

    A regular file, or a symbolic link to one inside the project (not into a hidden folder such
    as ``.git/``): a link leading out would print another file's lines in the messages and
    publish it; a named pipe would block, a device never end.
    """
    rename = "ganti namanya dengan huruf a-z, angka dan tanda hubung, misalnya `sop-nama-prosedur.yaml`"
    name = os.path.basename(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are no UTF-8 text: its pages, links and messages could not be written
        return galat(Loc(path), "nama-berkas-salah",
                     "nama berkas ini bukan teks UTF-8 (mungkin dibuat di sistem lain); berkas tidak dibaca", rename)
    if tampak(name) != name:  # ESC, a newline, a direction control: the id is printed and published
        return galat(Loc(path), "nama-berkas-salah",
                     "nama berkas ini berisi karakter kendali atau tak terlihat; berkas tidak dibaca", rename)
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            target = os.path.realpath(path)
            written = os.readlink(path)
            inside = [r for r in roots if os.path.commonpath([r, target]) == r]
            fix = ("simpan berkasnya sendiri (bukan tautan) di folder data, atau hapus tautan itu; "
                   "tautan hanya boleh menunjuk berkas di dalam proyek")
            if not inside:
                return galat(Loc(path), "tautan-ke-luar",
                             f"berkas ini tautan simbolik ke '{written}', di luar folder proyek; "
                             "isinya tidak dibaca dan tidak diterbitkan", fix)
            hidden = [p for p in os.path.relpath(target, inside[-1]).split(os.sep) if p.startswith(".")]
            if hidden:
                return galat(Loc(path), "tautan-ke-luar",
                             f"berkas ini tautan simbolik ke '{written}', berkas tersembunyi atau isi folder "
                             f"tersembunyi '{hidden[0]}'; isinya tidak dibaca dan tidak diterbitkan", fix)
            st = os.stat(path)
        elif not any(os.path.commonpath([r, os.path.realpath(path)]) == r for r in roots):
            return galat(Loc(path), "tautan-ke-luar",
                         "berkas ini dicapai lewat folder yang berupa tautan simbolik ke luar folder proyek; "
                         "isinya tidak dibaca dan tidak diterbitkan",
                         "simpan folder data SOP sebagai folder biasa di dalam proyek, bukan tautan ke tempat lain")
    except OSError as exc:
        return _unreadable(path, exc)
    if not stat.S_ISREG(st.st_mode):
        return _not_regular(path, st.st_mode)
    return None


def _near_miss(name: str) -> str | None:
    """The name a file was meant to have when it looks like an SOP or the settings but is not
    read as one (``X.YAML``, ``x.Yaml``, ``x.yaml ``); None otherwise."""
    if name.startswith("."):
        return None
    clean = name.strip()
    low = clean.lower()
    if low == SETTINGS_FILE:
        return SETTINGS_FILE if name != SETTINGS_FILE else None
    suffix = next((s for s in SOP_SUFFIXES if low.endswith(s)), None)
    if suffix is None or (name.endswith(SOP_SUFFIXES) and name == clean) or clean.startswith("_"):
        return None
    return clean[: -len(suffix)].strip() + ".yaml"


def find_sop_files(paths: list[str], skipped: list[Diagnostic] | None = None) -> tuple[list[str], list[str]]:
    """Expand folders into SOP files; also return the settings files found.

    Only files that may be read are returned (see :func:`check_path`): the others, and files that
    look like an SOP but are not read as one (``X.YAML``), are said in ``skipped`` when given.
    """
    files: list[str] = []
    settings: list[str] = []
    said: list[Diagnostic] = [] if skipped is None else skipped

    def take(full: str, into: list[str], roots: tuple[str, ...]) -> None:
        why = check_path(full, roots)
        if why is None:
            into.append(full)
        else:
            said.append(why)

    for p in paths:
        if os.path.isdir(p):
            roots = _roots(p)
            for root, dirs, names in os.walk(p):
                for d in dirs:
                    if not d.startswith(".") and os.path.islink(os.path.join(root, d)):
                        said.append(peringatan(
                            Loc(os.path.join(root, d)), "berkas-dilewati",
                            f"folder '{d}' adalah tautan simbolik; isinya tidak dibaca",
                            "simpan berkas SOP di folder biasa di dalam folder data"))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    full = os.path.join(root, name)
                    if name == SETTINGS_FILE:
                        take(full, settings, roots)
                    elif name.endswith(SOP_SUFFIXES) and not name.startswith(("_", ".")):
                        take(full, files, roots)
                    elif (meant := _near_miss(name)) is not None:
                        said.append(peringatan(
                            Loc(full), "berkas-dilewati",
                            f"berkas '{name}' tidak dibaca: nama berkas SOP berakhiran '.yaml' "
                            "(huruf kecil, tanpa spasi sesudahnya)",
                            f"ganti namanya menjadi '{meant}'"))
        elif os.path.basename(p) == SETTINGS_FILE:
            take(p, settings, _roots(os.path.dirname(p) or "."))
        else:
            take(p, files, _roots(os.path.dirname(p) or "."))
    # One file named two ways (`x.yaml` and `./x.yaml`, a folder and a file in it) is one file.
    unique = {os.path.normpath(f): None for f in files}
    return list(unique), [os.path.normpath(f) for f in settings]


def load_folder(paths: list[str] | str, cache_dir: str | None = None) -> Loaded:
    """Load every SOP under the given files/folders, with the institution settings.

    The settings come from ``_instansi.yaml`` in the folder given (or beside a
    single file given); without one, defaults apply. With ``cache_dir``, a file
    loaded before with the same bytes and settings is taken from there.
    """
    if isinstance(paths, str):
        paths = [paths]
    files, loaded = find_with_settings(paths)
    with no_gc():  # thousands of models that all stay: nothing for the cycle collector to find
        many = _load_many(files, loaded.instansi, cache_dir)
    for path, key, sop, diags in many:
        loaded.diagnostics.extend(diags)
        loaded.kunci[path] = key
        if sop is not None:
            loaded.sops.append(sop)
    return loaded


def find_with_settings(paths: list[str]) -> tuple[list[str], Loaded]:
    """The SOP files under ``paths``, and what loading them starts from: the settings and their findings."""
    skipped: list[Diagnostic] = []
    files, settings = find_sop_files(paths, skipped)
    settings_path = _settings_for(paths, settings, skipped)
    loaded = Loaded(n_files=len(files), diagnostics=skipped)
    if settings_path:
        loaded.instansi, diags = load_instansi(settings_path)
        loaded.diagnostics.extend(diags)
        loaded.diagnostics.extend(check_logo(loaded.instansi, os.path.dirname(settings_path) or "."))
    return files, loaded


def read_for_key(path: str) -> bytes | None:
    """A file's bytes to key caches by; ``None`` when it cannot be read or is too large (the loader says why)."""
    try:
        data = read_bounded(path)
    except Tolak:
        return None
    return data if len(data) <= MAX_BYTES else None


def content_salt(instansi: Instansi) -> bytes:
    """What every file's content key shares: our code and the settings."""
    return (code_fingerprint() + repr(instansi)).encode()


def content_key(salt: bytes, path: str, data: bytes) -> str:
    return hashlib.sha256(salt + path.encode() + b"\0" + data).hexdigest()


MODEL_CACHE = "model"
"""The folder of the model cache (in shards, see :class:`cache.Sharded`)."""


def _load_many(files: list[str], instansi: Instansi, cache_dir: str | None
               ) -> list[tuple[str, str, Sop | None, list[Diagnostic]]]:
    """Each file → (path, content key, SOP or None, diagnostics).

    Measured on 1,000 SOPs: about 3 ms a file goes to YAML composition and
    building the model, and loading in worker processes is slower still
    (sending the models back costs more than parsing them). So the models
    are kept in ``cache_dir``, keyed by the file's bytes and the settings:
    a file that did not change is not parsed again.
    """
    stored = Sharded(os.path.join(cache_dir, MODEL_CACHE) if cache_dir else None)
    salt = content_salt(instansi)
    out = []
    for path in files:
        data = read_for_key(path)
        if data is None:
            sop, diags = load_sop(path, instansi)  # the loader says what is wrong with it
            out.append((path, "", sop, diags))
            continue
        key = content_key(salt, path, data)
        hit = stored.get(path)
        if hit is not None and hit[0] == key:
            out.append((path, key, hit[1], hit[2]))
            continue
        sop, diags = load_sop(path, instansi, data)
        stored.put(path, (key, sop, diags))
        out.append((path, key, sop, diags))
    stored.drop_where(lambda p: not os.path.exists(p))
    stored.save()
    return out


def logo_path(instansi: Instansi, folder: str) -> str | None:
    """The institution's logo file, only when it is accepted (see :mod:`.logo`); ``folder``: the data folder."""
    logo, _ = baca_logo(instansi, folder)
    return os.path.realpath(os.path.join(folder, str(instansi.logo))) if logo else None


def read_logo(instansi: Instansi, folder: str) -> Logo | None:
    """The accepted logo's bytes as read once (what was checked is what is published), or None."""
    return baca_logo(instansi, folder)[0]


def check_logo(instansi: Instansi, folder: str) -> list[Diagnostic]:
    """Why the logo is not used, when it is not: one warning at the line of ``logo:``.

    Only a PNG or JPEG of the project is taken, known by its content, of a
    bounded size, never from a hidden folder such as ``.git/`` nor through a
    link leading out; the rules and the decision to warn (not to stop the
    build) are written in :mod:`.logo`.
    """
    return baca_logo(instansi, folder)[1]


def _settings_for(paths: list[str], found: list[str], skipped: list[Diagnostic] | None = None) -> str | None:
    """The settings file for ``paths``: beside the first of them that has one, else the first found.

    ``found`` were checked already (:func:`find_sop_files`); one beside a single file given is
    checked here, and why it is not read is said in ``skipped``."""
    accepted = set(found)
    for p in paths:
        isdir = os.path.isdir(p)
        folder = p if isdir else os.path.dirname(p) or "."
        candidate = os.path.normpath(os.path.join(folder, SETTINGS_FILE))
        if candidate in accepted:
            return candidate
        if isdir or not os.path.lexists(candidate):
            continue  # a folder's own settings file was looked at by find_sop_files
        why = check_path(candidate, _roots(folder))
        if why is None:
            return candidate
        if skipped is not None and why not in skipped:
            skipped.append(why)
    return found[0] if found else None
