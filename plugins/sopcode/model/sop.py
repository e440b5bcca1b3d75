"""The SOP as typed, immutable objects.

Names follow the regulation's own terms (Permenpan-RB 35/2012): a ``Sop`` has
an identity, six boxes, ``pelaksana`` (actors, in column order) and
``langkah`` (steps), each with its ``MutuBaku``. Every object keeps where it
came from (``loc``) and where each of its keys stands (``pos``), so checks and
renderers can point a user at the exact line.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from sopcode.diagnostics import Loc
from sopcode.text import format_angka, format_nip, format_tanggal


class Posisi(dict):
    """Where each key of a YAML mapping was written: read-only, and picklable (unlike a mappingproxy),
    so that SOPs can be loaded in worker processes."""

    def _read_only(self, *args, **kwargs):
        raise TypeError("posisi hanya-baca")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self):
        return (Posisi, (dict(self),))

    # dict's stub declares dicts unhashable (``__hash__ = None``); this read-only one is hashable on purpose.
    def __hash__(self) -> int:  # type: ignore[override]  # frozen dataclasses holding it stay hashable
        return id(self)


_EMPTY = Posisi()
"""Empty and read-only, so a mapping of any keys and values: shared by every default below."""
NO_POS: Mapping[str, Loc] = _EMPTY


class Teks(str):
    """A string from a YAML file that remembers where it stood."""

    __slots__ = ("loc",)
    loc: Loc

    def __new__(cls, value: str, loc: Loc) -> Teks:
        obj = super().__new__(cls, value)
        obj.loc = loc
        return obj

    def __reduce__(self):  # keep pickling (multiprocessing) working
        return (Teks, (str(self), self.loc))


class Simbol(str, Enum):
    """The flowchart symbols a step can have (arrows and connectors are drawn, not chosen)."""

    TERMINATOR = "terminator"
    PROSES = "proses"
    KEPUTUSAN = "keputusan"


class Satuan(str, Enum):
    MENIT = "menit"
    JAM = "jam"
    HARI = "hari"  # a working day: see Instansi.jam_kerja_per_hari


@dataclass(frozen=True)
class Waktu:
    """A duration as written in the Mutu Baku column: a number and a unit.

    Real SOPs also give a range (``1-2 hari``) or an upper bound (``maks. 3 hari``):
    ``jumlah`` is then the upper bound (what totals add up), ``dari`` the lower
    bound of a range, and ``teks`` the time as written, which is what is printed.
    """

    jumlah: float
    satuan: Satuan
    dari: float | None = None
    teks: str = ""

    @property
    def rentang(self) -> bool:
        """Written as a range or an upper bound: the total counts its upper bound."""
        return self.dari is not None or (bool(self.teks) and not self.teks[:1].isdigit())

    def menit(self, jam_kerja_per_hari: float) -> float:
        if self.satuan is Satuan.MENIT:
            return self.jumlah
        if self.satuan is Satuan.JAM:
            return self.jumlah * 60
        return self.jumlah * jam_kerja_per_hari * 60

    def __str__(self) -> str:
        return self.teks or f"{format_angka(self.jumlah)} {self.satuan.value}"


@dataclass(frozen=True)
class MutuBaku:
    kelengkapan: tuple[Teks, ...] = ()
    waktu: Waktu | None = None
    output: tuple[Teks, ...] = ()
    pos: Mapping[str, Loc] = field(default_factory=lambda: NO_POS, compare=False, repr=False)


@dataclass(frozen=True)
class Step:
    """One activity (one row of the procedure sheet)."""

    no: int
    kegiatan: Teks
    pelaksana: Teks
    """The actor whose column holds the step's symbol (the first one written)."""
    simbol: Simbol
    mutu_baku: MutuBaku
    keterangan: Teks | None = None
    lanjut: int | None = None
    ya: int | None = None
    tidak: int | None = None
    loc: Loc = Loc("")
    pos: Mapping[str, Loc] = field(default_factory=lambda: NO_POS, compare=False, repr=False)
    simbol_eksplisit: bool = False
    pelaksana_lain: tuple[Teks, ...] = ()
    """Further actors of an activity done together (``pelaksana: [Front Office, Pemohon]``)."""

    @property
    def semua_pelaksana(self) -> tuple[Teks, ...]:
        return (self.pelaksana, *self.pelaksana_lain)


@dataclass(frozen=True)
class Pejabat:
    """The approving official (Disahkan oleh). A part the source does not give is ``None``."""

    jabatan: Teks | None = None
    nama: Teks | None = None
    nip: Teks | None = None
    pos: Mapping[str, Loc] = field(default_factory=lambda: NO_POS, compare=False, repr=False)

    @property
    def nip_terformat(self) -> str:
        """NIP grouped 8 6 1 3, as printed: ``19640104 199101 1 004``."""
        return format_nip(self.nip) if self.nip else ""


@dataclass(frozen=True)
class Keterkaitan:
    """A related SOP: a reference to another SOP by id, or free text."""

    teks: Teks | None = None
    sop: Teks | None = None
    loc: Loc = Loc("")


@dataclass(frozen=True)
class Dicabut:
    """The SOP was withdrawn (``dicabut: {tanggal, alasan}``)."""

    tanggal: dt.date | None = None
    alasan: Teks | None = None
    pos: Mapping[str, Loc] = field(default_factory=lambda: NO_POS, compare=False, repr=False)


@dataclass(frozen=True)
class Instansi:
    """An institution's settings: its ``_instansi.yaml`` merged over its parents' (see
    :mod:`sopcode.model.institutions` for the rule); ``sop_data/_instansi.yaml`` is the top."""

    hierarki: tuple[Teks, ...] = ()
    logo: Teks | None = None
    label_tanggal_efektif: str = "Tanggal Efektif"
    kertas: str = "A4"
    jam_kerja_per_hari: float = 7.5
    path: str | None = None
    pos: Mapping[str, Loc] = field(default_factory=lambda: NO_POS, compare=False, repr=False)
    label: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    """The identity sheet's labels as the institution writes them (``tanggal_efektif: Tgl Efektif``)."""
    terminator: str = "langkah"
    """The default of :attr:`Sop.terminator` for every SOP of the institution."""
    kode: str = ""
    """The institution's folder relative to the data folder, '/'-separated; "" for the top."""
    nama: str = ""
    """Its name on the site and the binder: the ``nama:`` key, else the last line of ``hierarki``."""
    induk: str | None = None
    """The ``kode`` of the institution above it; None for the top."""
    hierarki_lengkap: bool = False
    """Its own file says its ``hierarki`` is whole (the parent's lines are not put above it)."""
    nama_situs: str = ""
    """The site's name (top ``_instansi.yaml`` only); "" leaves mkdocs.yml's ``site_name``."""
    deskripsi: str = ""
    """The site's description (top ``_instansi.yaml`` only); "" leaves mkdocs.yml's ``site_description``."""

    @property
    def logo_folder(self) -> str | None:
        """The folder ``logo:`` is relative to: that of the settings file that names it."""
        if not self.logo:
            return None
        where = getattr(self.logo, "loc", None)
        path = where.path if where is not None and where.path else self.path
        return os.path.dirname(path) or "." if path else None

    @property
    def unit_utama(self) -> str:
        return str(self.hierarki[-1]) if self.hierarki else "Tanpa unit"

    @property
    def labels(self) -> dict[str, str]:
        """Every label of the identity sheet (its rows and its six boxes), by key: the form's own
        unless the institution renamed it."""
        out = dict(LABEL_IDENTITAS, tanggal_efektif=self.label_tanggal_efektif)
        out.update({k: str(v) for k, v in self.label.items()})
        return out


_LABEL_BARIS = {
    "nomor": "Nomor SOP",
    "tanggal_pembuatan": "Tanggal Pembuatan",
    "tanggal_revisi": "Tanggal Revisi",
    "tanggal_efektif": "Tanggal Efektif",
    "disahkan_oleh": "Disahkan oleh",
    "nama": "Nama SOP",
}


KOTAK = (
    ("dasar_hukum", "Dasar Hukum"),
    ("kualifikasi_pelaksana", "Kualifikasi Pelaksana"),
    ("keterkaitan", "Keterkaitan"),
    ("peralatan_perlengkapan", "Peralatan/Perlengkapan"),
    ("peringatan", "Peringatan"),
    ("pencatatan_pendataan", "Pencatatan dan Pendataan"),
)
"""The six boxes of the identity sheet, in print order (left, right, left, ...)."""

LABEL_IDENTITAS = {**_LABEL_BARIS, **dict(KOTAK)}
"""The labels of the identity sheet (its rows, then its six boxes), in the regulation's words."""


@dataclass(frozen=True)
class Sop:
    id: str
    path: str
    nama: Teks
    pelaksana: tuple[Teks, ...]
    langkah: tuple[Step, ...]
    tanggal_pembuatan: dt.date | None = None
    tanggal_efektif: dt.date | None = None
    disahkan_oleh: Pejabat = field(default_factory=Pejabat)
    nomor: Teks | None = None
    nama_prosedur: Teks | None = None
    unit: Teks | None = None
    tanggal_revisi: dt.date | None = None
    dasar_hukum: tuple[Teks, ...] = ()
    kualifikasi_pelaksana: tuple[Teks, ...] = ()
    keterkaitan: tuple[Keterkaitan, ...] = ()
    peralatan_perlengkapan: tuple[Teks, ...] = ()
    peringatan: tuple[Teks, ...] = ()
    pencatatan_pendataan: tuple[Teks, ...] = ()
    instansi: Instansi = field(default_factory=Instansi)
    loc: Loc = Loc("")
    pos: Mapping[str, Loc] = field(default_factory=lambda: NO_POS, compare=False, repr=False)
    terminator: str = "langkah"
    """``langkah``: the first and last steps are the capsules; ``terpisah``: separate
    "Mulai" and "Selesai" capsules before the first step and after the last, without rows of their own."""
    dicabut: Dicabut | None = None
    """Withdrawn: when and why; None while the SOP is not withdrawn."""
    diganti_oleh: Teks | None = None
    """The id of the SOP that supersedes this one."""
    alias: tuple[Teks, ...] = ()
    """Short names or other names readers know the SOP by (``SKD``): shown on its page and searched,
    never printed; not part of what an approval covers (:data:`sopcode.model.diff._NOT_CONTENT`)."""
    strip: frozenset[str] = frozenset()
    """Identity fields the source itself marks ``-`` (printed as ``-``), as opposed to
    fields it does not give at all (``None``: printed as an empty cell, never invented)."""

    @property
    def terminator_terpisah(self) -> bool:
        return self.terminator == "terpisah"

    @property
    def judul_prosedur(self) -> str:
        """Title on the procedure sheet: its own when given, else the SOP's name."""
        return str(self.nama_prosedur or self.nama)

    @property
    def nama_unit(self) -> str:
        return str(self.unit) if self.unit else self.instansi.unit_utama

    def step(self, no: int) -> Step | None:
        for step in self.langkah:
            if step.no == no:
                return step
        return None

    def kotak(self, key: str) -> tuple:
        return getattr(self, key)

    def identitas(self, key: str) -> str:
        """An identity field as the sheet prints it: the value, ``-`` where the source
        marks none, and an empty string where the source gives nothing (never an invented value).

        Keys: ``nomor``, ``tanggal_pembuatan``, ``tanggal_revisi``, ``tanggal_efektif``, and
        ``jabatan``, ``nama``, ``nip`` of the approving official.
        """
        if key in ("jabatan", "nama", "nip"):
            value = getattr(self.disahkan_oleh, key)
            if key == "nip" and value and str(value) != "-":
                return self.disahkan_oleh.nip_terformat
            return str(value or "")
        value = getattr(self, key)
        if isinstance(value, dt.date):
            return format_tanggal(value)
        if value:
            return str(value)
        # "No revision yet" is what "-" means in the Tanggal Revisi row (the regulation's own use),
        # written as `tanggal_revisi: null` or "-"; a file that does not say is not known to be unrevised.
        return "-" if key in self.strip or (key == "tanggal_revisi" and key in self.pos) else ""

    def tanggal_terakhir(self) -> dt.date | None:
        """The latest of the SOP's own dates (revision, effective, made), None when it gives none."""
        dates = [d for d in (self.tanggal_revisi, self.tanggal_efektif, self.tanggal_pembuatan) if d]
        return max(dates) if dates else None

    def total_waktu(self) -> TotalWaktu:
        return TotalWaktu.of(self)


@dataclass(frozen=True)
class Summary:
    """What the rules across SOPs and the history need of one SOP file.

    Small enough to cache per file and to send back from a worker process:
    ``sop check`` works from these, without keeping every SOP's model.
    """

    id: str
    path: str
    nomor: Teks | None
    nomor_loc: Loc | None
    rujukan: tuple[Teks, ...]
    """The ids of the SOPs this one names in Keterkaitan, each where it was written."""
    versi: dict | None = None
    """The history's summary of this content (see :func:`sopcode.model.history.content_digest`), made with the model."""
    diganti_oleh: Teks | None = None
    """The id of the SOP that supersedes this one, where it was written."""
    disahkan: dt.date | None = None
    """The latest date the file says it was approved on (tanggal_revisi or tanggal_efektif; see
    :func:`sopcode.model.history.approval_date`), None when it gives none."""
    tanggal_efektif: dt.date | None = None
    tanggal_pembuatan: dt.date | None = None
    dicabut: Dicabut | None = None
    """What :mod:`sopcode.model.status` and :mod:`sopcode.model.due` need of the SOP, as in :class:`Sop`."""
    efektif_loc: Loc | None = None
    """Where ``tanggal_efektif`` is written (None when it is not)."""

    @classmethod
    def of(cls, sop: Sop, versi: dict | None = None) -> Summary:
        disahkan = max((d for d in (sop.tanggal_efektif, sop.tanggal_revisi) if d is not None), default=None)
        return cls(sop.id, sop.path, sop.nomor, sop.pos.get("nomor"),
                   tuple(ref.sop for ref in sop.keterkaitan if ref.sop is not None), versi,
                   sop.diganti_oleh or None, disahkan, sop.tanggal_efektif, sop.tanggal_pembuatan,
                   sop.dicabut, sop.pos.get("tanggal_efektif"))


@dataclass(frozen=True)
class TotalWaktu:
    """The SOP's total time: per unit as written, and converted to minutes."""

    per_satuan: Mapping[Satuan, float]
    menit: float
    jam_kerja_per_hari: float
    rentang: bool = False
    """Some step's time is a range or an upper bound: the total is its upper bound."""

    @classmethod
    def of(cls, sop: Sop) -> TotalWaktu:
        sums: dict[Satuan, float] = {}
        rentang = False
        for step in sop.langkah:
            w = step.mutu_baku.waktu
            if w is not None:
                sums[w.satuan] = sums.get(w.satuan, 0) + w.jumlah
                rentang = rentang or w.rentang
        per_day = sop.instansi.jam_kerja_per_hari
        total = sum(Waktu(v, s).menit(per_day) for s, v in sums.items())
        ordered = {s: sums[s] for s in Satuan if s in sums}
        return cls(MappingProxyType(ordered), total, per_day, rentang)

    def rincian(self) -> str:
        """``2 hari + 3 jam + 45 menit`` (units as written, largest first)."""
        parts = [f"{format_angka(v)} {s.value}" for s, v in reversed(list(self.per_satuan.items()))]
        return " + ".join(parts) if parts else "-"

    def in_minutes(self) -> str:
        """The converted total: ``795 menit (13 jam 15 menit)``."""
        minutes = self.menit
        text = f"{format_angka(round(minutes, 2))} menit"
        if minutes >= 60:
            hours, rest = divmod(round(minutes), 60)
            text += f" ({hours} jam" + (f" {rest} menit" if rest else "") + ")"
        return text

    def teks(self) -> str:
        """What the total row shows: the sum as written, and converted when units mix;
        ``paling lama`` in front when a range or an upper bound was counted at its upper bound."""
        if list(self.per_satuan) in ([], [Satuan.MENIT]):
            text = self.in_minutes()
        else:
            text = f"{self.rincian()} = {self.in_minutes()}"
        return f"paling lama {text}" if self.rentang else text
