"""Evaluation records: the regulation's annex "Evaluasi Penerapan SOP AP", once a year.

One file per year in the data folder's ``_evaluasi/`` subfolder, named ``<tahun>.yaml``::

    unit: Kecamatan Bungursari   # optional
    hasil:
      - sop: sop-surat-keterangan-domisili
        kriteria:                 # the annex's seven criteria, each ya or tidak, with an optional note
          mendorong_kinerja: {nilai: ya}
          mudah_dipahami: {nilai: ya, catatan: ...}
          mudah_dilaksanakan: {nilai: tidak, catatan: ...}
          peran_jelas: {nilai: ya}
          mengatasi_masalah: {nilai: ya}
          menjawab_kebutuhan: {nilai: ya}
          sinergi: {nilai: ya}
        kesimpulan: tetap         # or: perlu direvisi, dicabut
        catatan: ...              # optional
        penilai: {nama: ..., jabatan: ...}
        tanggal: 2026-11-20

The shape is declared with the spec classes of :mod:`.schema` (same messages as SOP files);
:func:`check_evaluation` adds what needs the SOPs: unknown ids, a date outside the year, the same
SOP twice in one year, and an SOP found in need of revision that has not been revised since.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sopcode.diagnostics import Diagnostic, Loc, galat, peringatan
from sopcode.model.records import RecordFields, Records, check_records, read_all, read_record_file, record_file, record_files, record_row
from sopcode.model.schema import Choice, Field, Obj, Str
from sopcode.model.sop import Summary
from sopcode.text import format_tanggal

EVALUASI_FOLDER = "_evaluasi"
"""The data folder's subfolder of evaluation records (a folder starting with '_' holds no SOP)."""

KRITERIA = {
    "mendorong_kinerja": "Mampu mendorong peningkatan kinerja",
    "mudah_dipahami": "Mudah dipahami",
    "mudah_dilaksanakan": "Mudah dilaksanakan",
    "peran_jelas": "Semua orang dapat menjalankan perannya masing-masing",
    "mengatasi_masalah": "Mampu mengatasi permasalahan yang berkaitan dengan proses",
    "menjawab_kebutuhan": "Mampu menjawab kebutuhan peningkatan kinerja organisasi",
    "sinergi": "Sinergi satu dengan lainnya",
}
"""The annex's seven criteria: the YAML key → the criterion as the form prints it, in the form's order."""

NILAI = ("ya", "tidak")
KESIMPULAN = ("tetap", "perlu direvisi", "dicabut")
"""What an evaluation concludes: the SOP stays as it is, is to be revised, or is to be withdrawn."""

_FILE_NAME = re.compile(r"([0-9]{4})\.yaml")
_RENAME = "beri nama berkas evaluasi menurut tahunnya, misalnya `2026.yaml`"


@dataclass(frozen=True)
class Kriterium:
    """One criterion's answer."""

    kunci: str
    """Its key in :data:`KRITERIA`."""
    ya: bool
    catatan: str = ""

    @property
    def teks(self) -> str:
        """The criterion as the form prints it."""
        return KRITERIA[self.kunci]


@dataclass(frozen=True, kw_only=True)
class Evaluasi(RecordFields):
    """One SOP's evaluation in one year: one row of the annex's form."""

    tahun: int
    kriteria: tuple[Kriterium, ...]
    """The seven criteria, in the order of :data:`KRITERIA`."""
    kesimpulan: str
    """One of :data:`KESIMPULAN`."""
    catatan: str = ""
    kesimpulan_loc: Loc = field(default=Loc(""), compare=False)


@dataclass(frozen=True)
class Evaluation(Records[Evaluasi]):
    """Every evaluation record of a data folder, ordered by year, file and place in it."""

    def period(self, record: Evaluasi) -> int:
        return record.tahun

    def awaiting_revision(self, approved: dict[str, dt.date | None]) -> tuple[Evaluasi, ...]:
        """The evaluations concluding "perlu direvisi" with no approved revision of their SOP
        after them (``approved``: each SOP's approval date, see :attr:`Summary.disahkan`)."""
        return tuple(r for r in self.records if r.kesimpulan == KESIMPULAN[1] and r.sop in approved
                     and not _revised_after(approved[r.sop], r.tanggal))


def _revised_after(approved: dt.date | None, tanggal: dt.date) -> bool:
    return approved is not None and approved > tanggal


def _kriterium(text: str) -> Obj:
    """One criterion: ya or tidak, with a note when needed; its doc is the criterion's full text."""
    return Obj(
        title="kriteria",
        doc=f"{text}? Ya atau tidak, dengan catatan bila perlu.",
        fields={
            "nilai": Field(Choice(choices=NILAI, doc="Ya atau tidak."), required=True),
            "catatan": Field(Str(doc="Catatan untuk kriteria ini.")),
        },
        build=lambda v, loc, pos: v,
    )


KRITERIA_SPEC = Obj(
    title="kriteria evaluasi",
    doc="Tujuh kriteria Evaluasi Penerapan SOP AP (Permenpan-RB 35/2012).",
    fields={key: Field(_kriterium(text), required=True) for key, text in KRITERIA.items()},
    build=lambda v, loc, pos: v,
)

HASIL = record_row(
    "hasil evaluasi", "Hasil evaluasi satu SOP pada tahun ini (satu baris formulir).",
    {"kriteria": Field(KRITERIA_SPEC, required=True),
     "kesimpulan": Field(Choice(choices=KESIMPULAN, doc="SOP tetap, perlu direvisi, atau dicabut."), required=True),
     "catatan": Field(Str(doc="Catatan evaluasi."))},
    when="Tanggal evaluasi, di dalam tahun berkas ini.",
)

EVALUASI = record_file(
    "berkas evaluasi", "Evaluasi Penerapan SOP AP untuk satu tahun.", HASIL,
    unit_doc="Unit kerja yang dievaluasi.", rows_doc="Hasil evaluasi per SOP.",
)


def year_of_file(path: str) -> int | None:
    m = _FILE_NAME.fullmatch(os.path.basename(path))
    return int(m.group(1)) if m else None


def evaluation_files(folder: str) -> list[str]:
    """The YAML files of a data folder's ``_evaluasi/`` subfolder, in name order."""
    return record_files(folder, EVALUASI_FOLDER)


def load_evaluation_file(path: str) -> tuple[list[Evaluasi], list[Diagnostic]]:
    """One year's file → its records (none when it has errors of shape) and diagnostics."""
    tahun = year_of_file(path)
    values, diagnostics = read_record_file(path, EVALUASI, "berkas evaluasi", misnamed=None if tahun is not None else galat(
        Loc(path), "evaluasi-tahun-salah",
        f"nama berkas evaluasi '{os.path.basename(path)}' tidak menyebut tahunnya; berkas tidak dibaca", _RENAME))
    if values is None or tahun is None:
        return [], diagnostics
    unit = str(values.get("unit") or "")
    records = []
    for v, _, pos in values["hasil"]:
        penilai = v["penilai"]
        kriteria = tuple(Kriterium(key, v["kriteria"][key]["nilai"] == NILAI[0],
                                   str(v["kriteria"][key].get("catatan", ""))) for key in KRITERIA)
        records.append(Evaluasi(
            sop=str(v["sop"]), tahun=tahun, kriteria=kriteria, kesimpulan=v["kesimpulan"],
            penilai_nama=str(penilai["nama"]), penilai_jabatan=str(penilai["jabatan"]), tanggal=v["tanggal"],
            catatan=str(v.get("catatan", "")), unit=unit, loc=v["sop"].loc, tanggal_loc=pos["tanggal"],
            kesimpulan_loc=pos["kesimpulan"]))
    return records, diagnostics


def load_evaluation(folder: str) -> tuple[Evaluation, list[Diagnostic]]:
    """Every year's records under ``folder/_evaluasi/``, with what reading them found."""
    records, found = read_all(evaluation_files(folder), load_evaluation_file, lambda r: r.tahun)
    return Evaluation(records), found


def check_evaluation(evaluation: Evaluation, summaries: Iterable[Summary], broken_ids: set[str]) -> list[Diagnostic]:
    """What needs the SOPs or the year: an unknown id, the same SOP twice a year, a date outside
    the year, and an SOP found in need of revision without an approved revision since."""
    approved = {s.id: s.disahkan for s in summaries}
    sop_ids = set(approved) | broken_ids
    found = check_records(
        evaluation, sop_ids,
        unknown=lambda r, fix: galat(r.loc, "evaluasi-sop-tak-dikenal", f"SOP '{r.sop}' tidak ada di folder data", fix),
        twice=lambda r, first: galat(
            r.loc, "evaluasi-sop-ganda", f"SOP '{r.sop}' sudah dievaluasi pada tahun {r.tahun} (baris {first.loc.line})",
            "gabungkan kedua evaluasi menjadi satu; satu SOP dievaluasi sekali setahun"),
        inside=lambda r: r.tanggal.year == r.tahun,
        outside=lambda r: peringatan(
            r.tanggal_loc, "evaluasi-di-luar-tahun",
            f"tanggal evaluasi {format_tanggal(r.tanggal)} di luar tahun {r.tahun} berkasnya",
            "periksa tanggalnya, atau catat evaluasi itu di berkas tahunnya"))
    for r in evaluation.awaiting_revision(approved):
        disahkan = approved[r.sop]
        since = f"disahkan terakhir {format_tanggal(disahkan)}" if disahkan else "belum pernah disahkan"
        found.append(peringatan(
            r.kesimpulan_loc, "evaluasi-perlu-revisi",
            f"evaluasi {format_tanggal(r.tanggal)} menyimpulkan SOP '{r.sop}' perlu direvisi, "
            f"tetapi belum ada revisi yang disahkan sesudahnya ({since})",
            "revisi SOP itu dan isi `tanggal_revisi` dengan tanggal pengesahannya"))
    return found
