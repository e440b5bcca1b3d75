"""What changed between two versions of an SOP, in the terms of the form, not as a text diff.

``compare(lama, baru)`` gives a list of :class:`Change`, each a sentence
in Indonesian: *langkah 5 ditambahkan*, *langkah 7: waktu 60 menit → 120
menit*, *pelaksana 'Sekretaris' diganti nama menjadi 'Sekretaris Kecamatan'*,
*Dasar Hukum: butir dihapus …*. Steps are paired by their text (so inserting
a step does not make every later step look changed), actors by position when
a rename is evident.

``isi_disetujui(sop)`` is what an approval covers: everything but the
approval dates themselves and the file's formatting and comments.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections import Counter

from sopcode.model.sop import KOTAK, Simbol, Sop, Step
from sopcode.text import format_tanggal, short

PANAH = "→"
TANGGAL_PERSETUJUAN = ("tanggal_efektif", "tanggal_revisi")
"""The dates an approval writes into the file; changing only these is an approval, not a change."""


@dataclasses.dataclass(frozen=True)
class Change:
    jenis: str  # identitas | kotak | pelaksana | langkah
    teks: str

    def __str__(self) -> str:
        return self.teks


def _full(value: object) -> str:
    """A value as compared: the whole text (one space between words), dates as printed."""
    if value is None or value == "" or value == ():
        return "-"
    if hasattr(value, "year"):
        return format_tanggal(value)  # type: ignore[arg-type]
    return " ".join(str(value).split())


def _value(value: object) -> str:
    return short(_full(value), 80)


CONTEXT = 24
"""Letters of unchanged text kept on each side of a change shown from a long text."""


def _both(a: object, b: object, limit: int = 80) -> tuple[str, str] | None:
    """Two versions of a value for a reader, or None when they are the same.

    Long texts are compared whole and shown around what changed: their common
    start and end are cut to a few words each, so an edit at the end of a long
    kegiatan is seen, not hidden behind an ellipsis.
    """
    x, y = _full(a), _full(b)
    if x == y:
        return None
    if len(x) <= limit and len(y) <= limit:
        return x, y
    start = 0
    while start < min(len(x), len(y)) and x[start] == y[start]:
        start += 1
    end = 0
    while end < min(len(x), len(y)) - start and x[-1 - end] == y[-1 - end]:
        end += 1
    lo = max(0, start - CONTEXT)
    lo = x.rfind(" ", 0, lo + 1) + 1 if lo else 0  # from the start of a word

    def cut(text: str) -> str:
        hi = len(text) - max(0, end - CONTEXT)
        if hi < len(text):
            space = text.find(" ", hi)
            hi = len(text) if space < 0 else space
        middle = text[lo:hi]
        return ("…" if lo else "") + short(middle, limit) + ("…" if hi < len(text) else "")

    return cut(x), cut(y)


_NOT_CONTENT = frozenset(("loc", "pos", "path", "instansi", "simbol_eksplisit", "alias"))
"""Not approved content: where things are written, and ``alias`` (names for search, never printed)."""


@functools.cache
def _content_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of a model class that are content (``None``: not a model class)."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in _NOT_CONTENT)


def _plain(obj: object) -> object:
    kind: type = type(obj)  # as ``type``: mypy takes ``type[object]`` for unhashable (python/mypy#11470)
    names = _content_fields(kind)
    if names is not None:
        return tuple((name, _plain(getattr(obj, name))) for name in names)
    if isinstance(obj, (tuple, list)):
        return tuple(_plain(x) for x in obj)
    if isinstance(obj, str):
        return str(obj)
    return obj


def isi_disetujui(sop: Sop) -> tuple:
    """A comparable fingerprint of the approved content (no positions, no approval dates)."""
    return tuple((name, value) for name, value in _plain(sop) if name not in TANGGAL_PERSETUJUAN)  # type: ignore


def tanggal_persetujuan(sop: Sop) -> tuple:
    return tuple(getattr(sop, name) for name in TANGGAL_PERSETUJUAN)


def compare(lama: Sop, baru: Sop) -> list[Change]:
    """Every change from ``lama`` to ``baru``, identity first, then boxes, actors, steps."""
    out: list[Change] = []
    out += _identitas(lama, baru)
    out += _kotak(lama, baru)
    renamed, actor_changes = _pelaksana(lama, baru)
    out += actor_changes
    out += _langkah(lama, baru, renamed)
    a, b = lama.total_waktu(), baru.total_waktu()
    if a.teks() != b.teks():
        out.append(Change("langkah", f"jumlah waktu: {a.teks()} {PANAH} {b.teks()}"))
    return out


_IDENTITAS = (
    ("nama", "Nama SOP"), ("nomor", "Nomor SOP"), ("nama_prosedur", "judul prosedur"), ("unit", "unit"),
    ("tanggal_pembuatan", "Tanggal Pembuatan"), ("tanggal_revisi", "Tanggal Revisi"),
)


def _identitas(lama: Sop, baru: Sop) -> list[Change]:
    out = []
    for field, label in _IDENTITAS:
        a, b = getattr(lama, field), getattr(baru, field)
        shown = _both(a, b)
        if shown:
            out.append(Change("identitas", f"{label}: {shown[0]} {PANAH} {shown[1]}"))
    label = baru.instansi.label_tanggal_efektif
    if lama.tanggal_efektif != baru.tanggal_efektif:
        out.append(Change("identitas", f"{label}: {_value(lama.tanggal_efektif)} {PANAH} {_value(baru.tanggal_efektif)}"))
    for field, text in (("jabatan", "jabatan pengesah"), ("nama", "nama pengesah"), ("nip", "NIP pengesah")):
        shown = _both(getattr(lama.disahkan_oleh, field), getattr(baru.disahkan_oleh, field))
        if shown:
            out.append(Change("identitas", f"{text}: {shown[0]} {PANAH} {shown[1]}"))
    return out


def _item_text(key: str, item: object) -> str:
    if key == "keterkaitan":
        return f"SOP {item.sop}" if item.sop else str(item.teks)  # type: ignore[attr-defined]
    return str(item)


def _kotak(lama: Sop, baru: Sop) -> list[Change]:
    out = []
    for key, label in KOTAK:
        a = Counter(" ".join(_item_text(key, x).split()) for x in lama.kotak(key))
        b = Counter(" ".join(_item_text(key, x).split()) for x in baru.kotak(key))
        removed, added = list((a - b).elements()), list((b - a).elements())
        # An entry edited in place reads better as one change than as a removal and an addition.
        while removed and added:
            old, new = _both(removed.pop(0), added.pop(0)) or ("", "")
            out.append(Change("kotak", f"{label}: butir '{old}' diubah menjadi '{new}'"))
        for item in removed:
            out.append(Change("kotak", f"{label}: butir dihapus: '{short(item, 80)}'"))
        for item in added:
            out.append(Change("kotak", f"{label}: butir ditambahkan: '{short(item, 80)}'"))
    return out


def _pelaksana(lama: Sop, baru: Sop) -> tuple[dict[str, str], list[Change]]:
    """Actors added, removed, moved or renamed. Returns the renames (old → new) too."""
    a, b = [str(x) for x in lama.pelaksana], [str(x) for x in baru.pelaksana]
    gone = [x for x in a if x not in b]
    new = [x for x in b if x not in a]
    renamed: dict[str, str] = {}
    for old in list(gone):
        # A rename: the new name sits where the old one was, and the steps the old
        # name did are done by the new one.
        pos = a.index(old)
        candidate = b[pos] if pos < len(b) and b[pos] in new else None
        if candidate is None:
            continue
        old_steps = {_key(s) for s in lama.langkah if str(s.pelaksana) == old}
        new_steps = {_key(s) for s in baru.langkah if str(s.pelaksana) == candidate}
        if (old_steps and old_steps & new_steps) or not old_steps:
            renamed[old] = candidate
            gone.remove(old)
            new.remove(candidate)
    out = [Change("pelaksana", f"pelaksana '{o}' diganti nama menjadi '{n}'") for o, n in renamed.items()]
    out += [Change("pelaksana", f"pelaksana '{x}' dihapus") for x in gone]
    out += [Change("pelaksana", f"pelaksana '{x}' ditambahkan") for x in new]
    kept_a = [renamed.get(x, x) for x in a if x not in gone]
    kept_b = [x for x in b if x not in new]
    if kept_a != kept_b:
        out.append(Change("pelaksana", "urutan kolom pelaksana: " + ", ".join(kept_a) + f" {PANAH} "
                             + ", ".join(kept_b)))
    return renamed, out


def _key(step: Step) -> str:
    return " ".join(str(step.kegiatan).split()).casefold()


def _langkah(lama: Sop, baru: Sop, renamed: dict[str, str]) -> list[Change]:
    a, b = list(lama.langkah), list(baru.langkah)
    matcher = difflib.SequenceMatcher(a=[_key(s) for s in a], b=[_key(s) for s in b], autojunk=False)
    out: list[Change] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs = list(zip(a[i1:i2], b[j1:j2]))
        elif op == "replace":
            n = min(i2 - i1, j2 - j1)
            pairs = list(zip(a[i1:i1 + n], b[j1:j1 + n]))
            for s in a[i1 + n:i2]:
                out.append(Change("langkah", f"langkah {s.no} dihapus: '{short(s.kegiatan, 80)}'"))
            for s in b[j1 + n:j2]:
                out.append(Change("langkah", f"langkah {s.no} ditambahkan: '{short(s.kegiatan, 80)}'"))
        elif op == "delete":
            pairs = []
            for s in a[i1:i2]:
                out.append(Change("langkah", f"langkah {s.no} dihapus: '{short(s.kegiatan, 80)}'"))
        else:  # insert
            pairs = []
            for s in b[j1:j2]:
                out.append(Change("langkah", f"langkah {s.no} ditambahkan: '{short(s.kegiatan, 80)}'"))
        for old, new in pairs:
            out += _step_changes(old, new, renamed)
    return out


def _waktu(step: Step) -> str:
    w = step.mutu_baku.waktu
    return str(w) if w is not None else "-"  # as written: "1-2 hari" and "maks. 2 hari" differ


def _step_changes(old: Step, new: Step, renamed: dict[str, str]) -> list[Change]:
    where = f"langkah {new.no}" if old.no == new.no else f"langkah {old.no} (kini {new.no})"
    out = []

    def change(label: str, a: object, b: object) -> None:
        shown = _both(a, b)
        if shown:
            out.append(Change("langkah", f"{where}: {label} {shown[0]} {PANAH} {shown[1]}"))

    change("kegiatan", old.kegiatan, new.kegiatan)
    if [renamed.get(str(a), str(a)) for a in old.semua_pelaksana] != [str(a) for a in new.semua_pelaksana]:
        change("pelaksana", ", ".join(map(str, old.semua_pelaksana)), ", ".join(map(str, new.semua_pelaksana)))
    # The first and last steps are terminators by position: adding a step after the last one
    # changes its symbol as a matter of course; only a written or a decision change is news.
    if old.simbol_eksplisit or new.simbol_eksplisit or (old.simbol is Simbol.KEPUTUSAN) != (new.simbol is Simbol.KEPUTUSAN):
        change("simbol", old.simbol.value, new.simbol.value)
    change("waktu", _waktu(old), _waktu(new))
    change("kelengkapan", ", ".join(map(str, old.mutu_baku.kelengkapan)), ", ".join(map(str, new.mutu_baku.kelengkapan)))
    change("output", ", ".join(map(str, old.mutu_baku.output)), ", ".join(map(str, new.mutu_baku.output)))
    change("keterangan", old.keterangan, new.keterangan)
    for field, label in (("ya", "Ya ke langkah"), ("tidak", "Tidak ke langkah"), ("lanjut", "lanjut ke langkah")):
        change(label, getattr(old, field), getattr(new, field))
    return out
