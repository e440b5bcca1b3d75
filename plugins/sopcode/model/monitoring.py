"""Monitoring records: the regulation's annex "Monitoring Pelaksanaan SOP AP", every six months.

One file per period in the data folder's ``_monev/`` subfolder, named ``<tahun>-<1|2>.yaml``
(semester 1: January to June, semester 2: July to December)::

    periode: 2026-1            # optional; when written, the same as the file name
    unit: Kecamatan Bungursari # optional
    hasil:
      - sop: sop-surat-keterangan-domisili
        penilaian: berjalan dengan baik      # or: tidak berjalan dengan baik
        catatan: ...                         # catatan hasil penilaian
        tindakan: ...                        # tindakan yang harus diambil (optional)
        penilai: {nama: ..., jabatan: ...}
        tanggal: 2026-05-12
        metode: [observasi atasan, wawancara pelaksana]   # optional

The shape is declared with the spec classes of :mod:`.schema` (same messages as SOP files);
:func:`check_monitoring` adds what needs the SOPs: unknown ids, a date outside the period,
the same SOP twice in one period.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from sopcode.diagnostics import Diagnostic, Loc, galat, peringatan
from sopcode.model.records import RecordFields, Records, check_records, read_all, read_record_file, record_file, record_files, record_row
from sopcode.model.schema import Choice, Field, ListOf, Str
from sopcode.text import format_tanggal

MONEV_FOLDER = "_monev"
"""The data folder's subfolder of monitoring records (a folder starting with '_' holds no SOP)."""

PENILAIAN = ("berjalan dengan baik", "tidak berjalan dengan baik")
"""The annex's two judgements of how an SOP is carried out."""

METODE = ("observasi atasan", "wawancara pelaksana", "wawancara pengguna/masyarakat",
          "rapat kelompok kerja", "arahan saat pelaksanaan")
"""The annex's ways of monitoring."""

_FILE_NAME = re.compile(r"([0-9]{4})-([12])\.yaml")
_RENAME = "beri nama berkas menurut periodenya: `<tahun>-1.yaml` (Januari-Juni) atau `<tahun>-2.yaml` (Juli-Desember)"


@dataclass(frozen=True, order=True)
class Periode:
    """Half a year: semester 1 is January to June, semester 2 July to December."""

    tahun: int
    semester: int

    @property
    def mulai(self) -> dt.date:
        return dt.date(self.tahun, 1 if self.semester == 1 else 7, 1)

    @property
    def akhir(self) -> dt.date:
        return dt.date(self.tahun, 6, 30) if self.semester == 1 else dt.date(self.tahun, 12, 31)

    @property
    def kode(self) -> str:
        """As in the file name: ``2026-1``."""
        return f"{self.tahun}-{self.semester}"

    @property
    def label(self) -> str:
        """As printed: ``Semester I 2026``."""
        return f"Semester {'I' if self.semester == 1 else 'II'} {self.tahun}"

    def __contains__(self, date: object) -> bool:
        return isinstance(date, dt.date) and self.mulai <= date <= self.akhir

    @staticmethod
    def of_file(path: str) -> Periode | None:
        m = _FILE_NAME.fullmatch(os.path.basename(path))
        return Periode(int(m.group(1)), int(m.group(2))) if m else None


@dataclass(frozen=True, kw_only=True)
class Penilaian(RecordFields):
    """One SOP's monitoring in one period: one row of the annex's form."""

    periode: Periode
    penilaian: str
    """One of :data:`PENILAIAN`."""
    catatan: str
    """Catatan hasil penilaian."""
    tindakan: str
    """Tindakan yang harus diambil ("" when none written)."""
    metode: tuple[str, ...] = ()
    """Of :data:`METODE`, as written."""

    @property
    def baik(self) -> bool:
        """Penilaian: berjalan dengan baik."""
        return self.penilaian == PENILAIAN[0]


@dataclass(frozen=True)
class Monitoring(Records[Penilaian]):
    """Every monitoring record of a data folder, ordered by period, file and place in it."""

    def period(self, record: Penilaian) -> Periode:
        return record.periode


HASIL = record_row(
    "hasil monitoring", "Hasil monitoring satu SOP pada periode ini (satu baris formulir).",
    {"penilaian": Field(Choice(choices=PENILAIAN, doc="Penilaian terhadap penerapan SOP."), required=True),
     "catatan": Field(Str(doc="Catatan hasil penilaian."), required=True),
     "tindakan": Field(Str(doc="Tindakan yang harus diambil."))},
    when="Tanggal penilaian, di dalam periode berkas ini.",
    after={"metode": Field(ListOf(Choice(choices=METODE), single_ok=True,
                                      doc="Cara monitoring (boleh lebih dari satu)."))},
)

MONEV = record_file(
    "berkas monitoring", "Monitoring Pelaksanaan SOP AP untuk satu periode enam bulan.", HASIL,
    unit_doc="Unit kerja yang dimonitor.", rows_doc="Hasil monitoring per SOP.",
    before={"periode": Field(Str(doc="Periode sesuai nama berkas, misalnya 2026-1 (Januari-Juni)."))},
)


def monitoring_files(folder: str) -> list[str]:
    """The YAML files of a data folder's ``_monev/`` subfolder, in name order."""
    return record_files(folder, MONEV_FOLDER)


def load_monitoring_file(path: str) -> tuple[list[Penilaian], list[Diagnostic]]:
    """One period's file → its records (none when it has errors of shape) and diagnostics."""
    periode = Periode.of_file(path)
    values, diagnostics = read_record_file(path, MONEV, "berkas monitoring", misnamed=None if periode is not None else galat(
        Loc(path), "monev-periode-salah",
        f"nama berkas monitoring '{os.path.basename(path)}' tidak menyebut periodenya; berkas tidak dibaca", _RENAME))
    if values is None or periode is None:
        return [], diagnostics
    written = values.get("periode")
    if written is not None and str(written) != periode.kode:
        diagnostics.append(galat(
            written.loc, "monev-periode-salah",
            f"periode '{written}' berbeda dengan nama berkas '{os.path.basename(path)}' ({periode.kode})",
            f"tulis `periode: {periode.kode}`, atau ganti nama berkasnya menjadi '{written}.yaml'"))
    unit = str(values.get("unit") or "")
    records = []
    for v, _, pos in values["hasil"]:
        penilai = v["penilai"]
        records.append(Penilaian(
            sop=str(v["sop"]), periode=periode, penilaian=v["penilaian"], catatan=str(v["catatan"]),
            tindakan=str(v.get("tindakan", "")), penilai_nama=str(penilai["nama"]),
            penilai_jabatan=str(penilai["jabatan"]), tanggal=v["tanggal"], metode=tuple(v.get("metode", ())),
            unit=unit, loc=v["sop"].loc, tanggal_loc=pos["tanggal"]))
    return records, diagnostics


def load_monitoring(folder: str) -> tuple[Monitoring, list[Diagnostic]]:
    """Every period's records under ``folder/_monev/``, with what reading them found."""
    records, found = read_all(monitoring_files(folder), load_monitoring_file, lambda r: r.periode)
    return Monitoring(records), found


def check_monitoring(monitoring: Monitoring, sop_ids: set[str]) -> list[Diagnostic]:
    """What needs the SOPs or the period: an unknown id, a date outside the period, one SOP twice a period."""
    return check_records(
        monitoring, sop_ids,
        unknown=lambda r, fix: galat(r.loc, "monev-sop-tak-dikenal", f"SOP '{r.sop}' tidak ada di folder data", fix),
        twice=lambda r, first: galat(
            r.loc, "monev-sop-ganda",
            f"SOP '{r.sop}' sudah dinilai pada periode {r.periode.kode} (baris {first.loc.line})",
            "gabungkan kedua penilaian menjadi satu; satu SOP dinilai sekali per periode"),
        inside=lambda r: r.tanggal in r.periode,
        outside=lambda r: peringatan(
            r.tanggal_loc, "monev-di-luar-periode",
            f"tanggal penilaian {format_tanggal(r.tanggal)} di luar periode {r.periode.label} "
            f"({format_tanggal(r.periode.mulai)} - {format_tanggal(r.periode.akhir)})",
            "periksa tanggalnya, atau catat penilaian itu di berkas periodenya"))
