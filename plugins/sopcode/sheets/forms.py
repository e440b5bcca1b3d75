"""The printed forms of monitoring and evaluation (Permenpan-RB 35/2012, annex on monitoring and evaluation).

Four kinds of PDF, each landscape on the institution's paper:

- ``monev/formulir-monitoring-<unit>.pdf``: "Monitoring Pelaksanaan SOP AP", blank, one per unit,
  a row per SOP of the unit in force, for fieldwork;
- ``monev/monitoring-<tahun>-<n>.pdf``: the same form filled from one period's records, a section
  per unit; an SOP of the unit without a record in the period says "belum dimonitor";
- ``monev/formulir-evaluasi-<unit>.pdf``: "Evaluasi Penerapan SOP AP", blank, one per unit: the
  seven criteria per SOP, each Ya / Tidak with a note, then the conclusion to tick;
- ``monev/evaluasi-<tahun>.pdf``: that form filled from one year's records.

With many institutions each has these forms of its own under ``monev/<institution>/``, with its
own header, paper and logo (:func:`forms`).

:func:`forms` makes each form's HTML (Jinja, autoescaped: every text from YAML is escaped);
:func:`print_forms` prints them with our headless Chromium, each from the cache when the very same
document was printed before (keyed by its HTML, the browser and our code), so a warm build gives
the bytes of a cold one. The browser starts only when some form is not in the cache.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import posixpath
import shutil
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pikepdf

from sopcode import cache
from sopcode.atomic import temp_folder
from sopcode.model.evaluation import KESIMPULAN, KRITERIA, Evaluasi, Evaluation
from sopcode.model.institutions import institution_of
from sopcode.model.logo import Logo
from sopcode.model.monitoring import METODE, PENILAIAN, Monitoring, Penilaian, Periode
from sopcode.model.sop import Sop
from sopcode.model.status import Status, status
from sopcode.sheets.binder import SopPart, finish
from sopcode.sheets.chromium import Chromium
from sopcode.sheets.layout import CSS_PATH, KERTAS, MARGIN, Kertas, document_key, kode_of, nama_of, print_document
from sopcode.text import format_tanggal, slug

MONEV_DIR = "monev"
"""The forms' folder in the site."""

JUDUL_MONITORING = "MONITORING PELAKSANAAN SOP ADMINISTRASI PEMERINTAHAN"
JUDUL_EVALUASI = "EVALUASI PENERAPAN SOP ADMINISTRASI PEMERINTAHAN"
KOLOM_MONITORING = ("No", "Prosedur", "Penilaian Terhadap Penerapan", "Catatan Hasil Penilaian",
                    "Tindakan yang Harus Diambil", "Paraf Penilai")
"""The annex's columns of the monitoring form, in its order and words."""
BELUM_MONITORING = "belum dimonitor"
BELUM_EVALUASI = "belum dievaluasi"

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("sopcode.sheets", "templates"),
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
)
_ENV.filters["tanggal"] = format_tanggal


@dataclass(frozen=True)
class Formulir:
    """One printed form: where it goes in the site, how the site names it, and the document printed."""

    path: str
    judul: str
    html: str


@dataclass(frozen=True)
class Baris:
    """One SOP on a form: the SOP (or only its id, when its file has errors) and its record, if any."""

    sop_id: str
    prosedur: str
    record: Penilaian | Evaluasi | None = None


@dataclass(frozen=True)
class Bagian:
    """A unit's part of a form."""

    unit: str
    rows: tuple[Baris, ...]

    @property
    def metode(self) -> frozenset[str]:
        """The ways of monitoring the unit's records name."""
        return frozenset(m for row in self.rows if isinstance(row.record, Penilaian) for m in row.record.metode)


def unit_slugs(units: Iterable[str]) -> dict[str, str]:
    """Each unit's name in file names: :func:`~sopcode.text.slug`, made unique (``-2``, ``-3`` …) in name order."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for unit in sorted(set(units), key=str.casefold):
        base = slug(unit) or "unit"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        out[unit] = name
    return out


def in_force(sop: Sop, on: dt.date, by_id: dict[str, Sop]) -> bool:
    """Whether the SOP is in force on ``on`` (effective, neither withdrawn nor superseded yet)."""
    pengganti = by_id.get(str(sop.diganti_oleh)) if sop.diganti_oleh else None
    return status(sop, on, pengganti=pengganti) is Status.BERLAKU


def in_force_during(sop: Sop, start: dt.date, end: dt.date, by_id: dict[str, Sop]) -> bool:
    """Whether the SOP was in force some day from ``start`` to ``end``: effective by the end, not
    withdrawn or superseded by the start."""
    on = max(start, sop.tanggal_efektif) if sop.tanggal_efektif else start
    return on <= end and in_force(sop, on, by_id)


def _prosedur(sop: Sop) -> str:
    return f"{sop.nama} ({sop.nomor})" if sop.nomor else str(sop.nama)


def _parts(sops: Sequence[Sop], records: Sequence[Penilaian] | Sequence[Evaluasi], counted: Iterable[Sop]) -> list[Bagian]:
    """A part per unit (by name): a row per SOP of ``counted`` or with a record, in the order of ``sops``;
    a record of an SOP not among ``sops`` (its file has errors) under the unit its file names."""
    by_record = {r.sop: r for r in records}
    wanted = {s.id for s in counted} | set(by_record)
    by_unit: dict[str, list[Baris]] = defaultdict(list)
    known = set()
    for sop in sops:
        known.add(sop.id)
        if sop.id in wanted:
            by_unit[sop.nama_unit].append(Baris(sop.id, _prosedur(sop), by_record.get(sop.id)))
    for r in records:
        if r.sop not in known:
            by_unit[r.unit or "Unit tidak diketahui"].append(Baris(r.sop, r.sop, r))
    return [Bagian(unit, tuple(rows)) for unit, rows in sorted(by_unit.items(), key=lambda kv: kv[0].casefold())]


def _kertas(sops: Sequence[Sop], paper: str | None) -> Kertas:
    wanted = paper or (sops[0].instansi.kertas if sops else "A4")
    return KERTAS.get(str(wanted).upper(), KERTAS["A4"])


def _document(template: str, title: str, kertas: Kertas, sops: Sequence[Sop], logo: Logo | None, **values: object) -> str:
    css = Path(CSS_PATH).read_text(encoding="utf-8")
    own = (Path(CSS_PATH).parent / "formulir.css").read_text(encoding="utf-8")
    page = (f"@page {{ size: {kertas.lebar}mm {kertas.tinggi}mm; "
            f"margin: {MARGIN[0]}mm {MARGIN[1]}mm {MARGIN[2]}mm {MARGIN[3]}mm;\n"
            # Page numbers in the bottom margin: a form runs over as many pages as its rows need.
            '  @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); '
            'font: 7.5pt "Liberation Sans", Arial, sans-serif; vertical-align: middle; }\n}\n')
    hierarki = [str(line) for line in sops[0].instansi.hierarki] if sops else []
    logo_src = (f"data:image/{logo.jenis};base64,{base64.b64encode(logo.data).decode('ascii')}" if logo else None)
    return _ENV.get_template(template).render(
        title=title, css=page + css + own, hierarki=hierarki, logo=logo_src, metode=METODE, penilaian=PENILAIAN,
        kolom=KOLOM_MONITORING, kriteria=tuple(KRITERIA.values()), kesimpulan=KESIMPULAN,
        belum_monitoring=BELUM_MONITORING, belum_evaluasi=BELUM_EVALUASI, **values)


def forms(sops: Sequence[Sop], monitoring: Monitoring, evaluation: Evaluation, today: dt.date | None = None,
          paper: str | None = None, logo: Logo | None = None,
          logos: Mapping[str, Logo | None] | None = None) -> list[Formulir]:
    """Every form of the data: blank ones per unit with an SOP in force ``today``, filled ones per
    period and year with records. ``paper``: ``A4`` or ``F4`` over the institution's.

    With SOPs of several institutions, each institution has forms of its own, under
    ``monev/<institution>/`` (the top's SOPs keep ``monev/``), with its own header, paper and logo
    (``logos`` by its folder, else ``logo``), its own units and its own records; their titles
    name the institution. A single institution's forms are as they always were."""
    groups: dict[str, list[Sop]] = defaultdict(list)
    for sop in sops:
        groups[kode_of(sop.instansi)].append(sop)
    if len(groups) <= 1:
        return _forms(sops, sops, monitoring.records, evaluation.records, monitoring, evaluation, today, paper, logo,
                      MONEV_DIR, "")
    # A record belongs to its SOP's institution; one of an SOP whose file has errors, to the folder its id names.
    where = {s.id: kode_of(s.instansi) for s in sops}
    out: list[Formulir] = []
    for kode in sorted(groups):
        own = groups[kode]
        out += _forms(own, sops, [r for r in monitoring.records if where.get(r.sop, institution_of(r.sop)) == kode],
                      [r for r in evaluation.records if where.get(r.sop, institution_of(r.sop)) == kode],
                      monitoring, evaluation, today, paper,
                      logos[kode] if logos is not None and kode in logos else logo,
                      posixpath.join(MONEV_DIR, kode) if kode else MONEV_DIR, f" ({nama_of(own[0].instansi)})")
    return out


def _forms(sops: Sequence[Sop], every: Sequence[Sop], monitored: Sequence[Penilaian], evaluated: Sequence[Evaluasi],
           monitoring: Monitoring, evaluation: Evaluation, today: dt.date | None, paper: str | None,
           logo: Logo | None, folder: str, named: str) -> list[Formulir]:
    """The forms of one institution's ``sops`` and records, into ``folder``; ``every``: all SOPs (for
    replacements in other institutions); ``named``: what the titles add (the institution, or nothing)."""
    today = today or dt.date.today()
    by_id = {s.id: s for s in every}
    kertas = _kertas(sops, paper)
    current = [s for s in sops if in_force(s, today, by_id)]
    blank = _parts(sops, [], current)
    slugs = unit_slugs(p.unit for p in blank)
    out: list[Formulir] = []

    def blank_forms(kind: str, what: str, **no_period: None) -> None:
        """The blank form of ``kind`` for each unit, for the fieldwork."""
        for part in blank:
            title = f"Formulir {what} SOP: {part.unit}{named}"
            out.append(Formulir(f"{folder}/formulir-{kind}-{slugs[part.unit]}.pdf", title, _document(
                f"formulir_{kind}.html", title, kertas, sops, logo, parts=[part], **no_period)))

    blank_forms("monitoring", "monitoring pelaksanaan", periode=None)
    for periode in monitoring.periods():
        records = [r for r in monitored if r.periode == periode]
        counted = [s for s in sops if in_force_during(s, periode.mulai, periode.akhir, by_id)]
        title = f"Hasil monitoring pelaksanaan SOP {periode.label}{named}"
        out.append(Formulir(f"{folder}/monitoring-{periode.kode}.pdf", title, _document(
            "formulir_monitoring.html", title, kertas, sops, logo, parts=_parts(sops, records, counted),
            periode=periode)))
    blank_forms("evaluasi", "evaluasi penerapan", tahun=None)
    for tahun in evaluation.periods():
        records_e = [r for r in evaluated if r.tahun == tahun]
        counted = [s for s in sops if in_force_during(s, dt.date(tahun, 1, 1), dt.date(tahun, 12, 31), by_id)]
        title = f"Hasil evaluasi penerapan SOP tahun {tahun}{named}"
        out.append(Formulir(f"{folder}/evaluasi-{tahun}.pdf", title, _document(
            "formulir_evaluasi.html", title, kertas, sops, logo, parts=_parts(sops, records_e, counted), tahun=tahun)))
    return out


def form_paths(sops: Sequence[Sop], monitoring: Monitoring, evaluation: Evaluation,
               today: dt.date | None = None) -> list[tuple[str, str]]:
    """Each form's path in the site and its link text, in the order :func:`forms` makes them."""
    return [(f.path, f.judul) for f in forms(sops, monitoring, evaluation, today)]


def periode_text(periode: Periode) -> str:
    """``Semester I 2026 (01 Januari 2026 - 30 Juni 2026)``."""
    return f"{periode.label} ({format_tanggal(periode.mulai)} - {format_tanggal(periode.akhir)})"


_ENV.filters["periode"] = periode_text


def _fixed(data: bytes, title: str) -> bytes:
    """The printed PDF rewritten to depend on its document only: Chromium stamps the time of printing
    in it, :func:`~sopcode.sheets.binder.finish` writes it anew with its title, tags and fixed ids."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    return finish(data, SopPart(pages, title))


def print_forms(printing: Sequence[Formulir], cache_dir: str | None = None) -> dict[str, bytes]:
    """Each form's PDF by its path: from ``cache_dir`` when the very same document was printed before,
    else printed by headless Chromium (started only then). Forms no longer made leave the cache.

    Raises :class:`~sopcode.sheets.chromium.ChromiumMissing` or :class:`~sopcode.sheets.chromium.PrintError`.
    """
    browser = Chromium()
    out: dict[str, bytes] = {}
    todo: list[tuple[Formulir, str | None]] = []
    used: set[str] = set()
    for f in printing:
        cached = os.path.join(cache_dir, document_key(browser, f.html) + ".pdf") if cache_dir else None
        if cached:
            used.add(os.path.basename(cached))
        data = cache.read_bytes(cached)
        if data is None:
            todo.append((f, cached))
        else:
            out[f.path] = data
    if todo:
        workdir = temp_folder("formulir")
        try:
            with browser:
                for f, cached in todo:
                    data = _fixed(print_document(browser, workdir, "formulir.html", f.html), f.judul)
                    cache.write(cached, data)  # a cache that cannot be written: printed again next time
                    out[f.path] = data
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    if cache_dir:
        cache.remove_except(cache_dir, used.__contains__)
    return {f.path: out[f.path] for f in printing}
