"""The printed sheets of an SOP (Permenpan-RB 35/2012), laid out by measuring, drawn by Graphviz.

How a sheet is made
-------------------
1. **Measure.** Every SOP's procedure table is rendered once in headless
   Chromium with the font that will print it, rows at their natural height;
   a script reads back each row's height, the height of the title block and
   table header, and the identity sheet's height at a few font sizes.
2. **Paginate.** Rows keep their measured height (at least :data:`MIN_ROW`,
   more for a decision's row, :func:`~sopcode.shapes.sheet_chart.min_row`; rounded up
   to whole CSS pixels so nothing drifts), pages fill greedily, and a band is
   kept where the table breaks for the off-page connectors
   (:func:`~sopcode.shapes.sheet_chart.band_height`), and above the first row and below
   the last for separate Mulai/Selesai capsules.
3. **Draw.** The chart of each page comes from :mod:`sopcode.shapes.sheet_chart` for
   exactly those column widths, row heights and page breaks.
4. **Print.** The final HTML gives every row its height; every row, bands
   too, has its own cells with their own lines, and the chart (with no
   background of its own) lies over the actor columns, anchored in the first
   actor cell. Chromium prints it to PDF. A check in the printed page confirms
   that no cell's text overflows, that the table fits the sheet, and that the
   rows line up with the chart.

This module is over 500 lines on purpose: the four steps share one geometry (paper, margins,
column widths, row heights in whole CSS pixels); a split would pass that geometry between modules
that each mean the same numbers, and a change to one would go unseen in the other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import math
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import jinja2
import segno
from markupsafe import Markup

from sopcode import cache
from sopcode.model.codec import SOP_MODEL, codec_of
from sopcode.model.institutions import resolve
from sopcode.model.logo import Logo
from sopcode.model.sop import KOTAK, Instansi, Sop
from sopcode.shapes.sheet_chart import TERMINAL_BAND, SheetLayout, band_height, cuts_at, min_row, sheet_svgs_many, step_arrows
from sopcode.sheets.binder import finish
from sopcode.sheets.chromium import PDF_OPTIONS, Chromium, PrintError, Tab
from sopcode.text import format_tanggal

PT_PER_MM = 72 / 25.4
PX = 0.75
"""Points per CSS pixel: Chromium lays out in pixels, so heights are whole pixels."""


@dataclass(frozen=True)
class Kertas:
    """A landscape sheet of paper, in millimetres."""

    nama: str
    lebar: float
    tinggi: float


KERTAS = {"A4": Kertas("A4", 297.0, 210.0), "F4": Kertas("F4", 330.0, 215.0)}
MARGIN = (10.0, 10.0, 10.0, 12.0)
"""Page margins in mm: top, right, bottom, left (the wider left margin is for binding)."""
KAKI = 7.0 * PT_PER_MM
"""Height kept at the bottom of every sheet for the page numbers (pt)."""
MIN_ROW = 30.0
"""Smallest step row (pt): room for a diamond and the arrows around it."""
FONT_IDENTITAS = (9.0, 8.0, 7.0, 6.5)
"""Font sizes tried for the identity sheet, largest first, until it fits one page."""
TOC_ROWS = 14
"""SOPs listed per page of the binder's table of contents."""
JUDUL_BUKU = "Standar Operasional Prosedur"

HERE = os.path.dirname(os.path.abspath(__file__))
CSS_PATH = os.path.join(HERE, "sheet.css")

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("sopcode.sheets", "templates"),
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
)
_ENV.filters["tanggal"] = format_tanggal
_ENV.globals["kotak"] = KOTAK


def qr_svg(text: str) -> Markup:
    """A QR code of ``text`` as inline vector SVG (segno; no network), scaled by the sheet's CSS."""
    qr = segno.make(text, error="l", micro=False)
    svg = qr.svg_inline(border=2, dark="#000", light="#fff", omitsize=True)
    return Markup(svg.replace("<svg ", '<svg class="qr" role="img" aria-label="kode QR periksa versi" ', 1))


_ENV.globals["qr_svg"] = qr_svg


def _px(value: float) -> float:
    """Round a length in pt up to whole CSS pixels."""
    return math.ceil(value / PX - 1e-6) * PX


@dataclass(frozen=True)
class Kolom:
    """Widths of the procedure table's columns (pt)."""

    no: float
    kegiatan: float
    aktor: tuple[float, ...]
    kelengkapan: float
    waktu: float
    output: float
    keterangan: float

    @property
    def x_aktor(self) -> float:
        """Left edge of the first actor column, from the table's left edge."""
        return self.no + self.kegiatan

    @property
    def semua(self) -> tuple[float, ...]:
        return (self.no, self.kegiatan, *self.aktor, self.kelengkapan, self.waktu, self.output, self.keterangan)


HEADER_EM = 0.56 * 7.0
"""Width of an average letter of an actor's name in the table header (7 pt Liberation Sans)."""


ACTORS_MAX = 0.55
"""Largest share of the table's width the actor columns may take (many actors with long names)."""


def kolom_for(actors: list[str], width: float) -> Kolom:
    """Column widths for these actors on a sheet ``width`` pt wide (whole pixels each).

    The columns add up to the sheet's width in whole pixels less the table's own
    left line, so the table's right line is never cut off. Actor columns share
    40% of the width (15 to 30 mm each), widened where the longest word of an
    actor's name would otherwise be broken in the header, and narrowed again
    when together they would take more than :data:`ACTORS_MAX` of the table.
    """
    width = math.floor(width / PX + 1e-6) * PX - PX
    n_actors = len(actors)
    no = _px(22.0)
    base = min(max(width * 0.40 / max(n_actors, 1), 15 * PT_PER_MM), 30 * PT_PER_MM)
    widths = []
    for name in actors:
        longest = max((len(w) for w in str(name).split()), default=0)
        widths.append(_px(min(max(base, longest * HEADER_EM + 6.0), 34 * PT_PER_MM)))
    if sum(widths) > width * ACTORS_MAX:
        scale = width * ACTORS_MAX / sum(widths)
        widths = [math.floor(w * scale / PX) * PX for w in widths]
    actor_total = sum(widths)
    rest = width - no - actor_total
    waktu = _px(max(rest * 0.12, 17 * PT_PER_MM))
    kegiatan = _px((rest - waktu) * 0.38)
    kelengkapan = _px((rest - waktu) * 0.24)
    output = _px((rest - waktu) * 0.21)
    keterangan = width - no - actor_total - waktu - kegiatan - kelengkapan - output
    return Kolom(no, kegiatan, tuple(widths), kelengkapan, waktu, output, math.floor(keterangan / PX) * PX)


@dataclass
class Halaman:
    """One procedure sheet: steps ``lo``..``hi-1``, its connector bands and its chart."""

    no: int  # page number within the SOP (the identity sheet is 1)
    lo: int
    hi: int
    band_top: float
    band_bottom: float
    last: bool
    rows_total: float = 0.0  # pt, the step rows only
    svg: str = ""
    cacat: str = ""
    """What the chart's router could not avoid on this page, in words (empty when all is well)."""

    @property
    def chart_height(self) -> float:
        """The chart lies over the page's step rows and its bands."""
        return self.rows_total + self.band_top + self.band_bottom


@dataclass
class Lembar:
    """Every sheet of one SOP, measured and paginated."""

    sop: Sop
    kertas: Kertas
    kolom: Kolom
    terkait: dict[str, str]
    """Each Keterkaitan reference as the SOP writes it → the name of the SOP it means (resolved within its
    institution, then across: :func:`sopcode.model.institutions.resolve`)."""
    logo: str | None = None
    rows_pt: list[float] = field(default_factory=list)
    jumlah_pt: float = 0.0
    head_pt: float = 0.0
    font_identitas: float = FONT_IDENTITAS[0]
    pages: list[Halaman] = field(default_factory=list)
    mark: str = ""
    """The SOP is not in force: every sheet carries this mark (``DRAF``, ``BELUM BERLAKU``, ``DICABUT``,
    ``DIGANTI``; :attr:`sopcode.model.status.Status.mark`); empty for an SOP in force."""
    riwayat: str = ""
    """The revisions in a few words, for the binder's contents (from git, or the declared dates)."""
    key: str = ""
    """What these sheets and their PDF are cached under (empty: not cached)."""
    alamat: str = ""
    """The SOP page's address with this revision, printed as a QR code labelled "periksa versi" (empty: none)."""

    @property
    def width_pt(self) -> float:
        return round((self.kertas.lebar - MARGIN[1] - MARGIN[3]) * PT_PER_MM, 2)

    @property
    def height_pt(self) -> float:
        return round((self.kertas.tinggi - MARGIN[0] - MARGIN[2]) * PT_PER_MM, 2)

    @property
    def n_pages(self) -> int:
        return 1 + len(self.pages)

    @property
    def total(self) -> str:
        return self.sop.total_waktu().teks()

    def layout(self) -> SheetLayout:
        return SheetLayout(self.kolom.aktor, tuple(self.rows_pt), tuple((p.lo, p.hi) for p in self.pages),
                           tuple((p.band_top, p.band_bottom) for p in self.pages))


def kertas_of(sop: Sop, override: str | None = None) -> Kertas:
    return KERTAS.get(str(override or sop.instansi.kertas).upper(), KERTAS["A4"])


# --- measuring ---------------------------------------------------------------------------

_MEASURE_JS = Path(HERE, "measure.js").read_text(encoding="utf-8")


def _document(body: str, kertas: Kertas, title: str, extra_css: str = "") -> str:
    css = Path(CSS_PATH).read_text(encoding="utf-8")
    page = (f"@page {{ size: {kertas.lebar}mm {kertas.tinggi}mm; "
            f"margin: {MARGIN[0]}mm {MARGIN[1]}mm {MARGIN[2]}mm {MARGIN[3]}mm; }}\n"
            "html, body { margin: 0; padding: 0; background: #fff; }\n")
    return ("<!doctype html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>\n{page}{css}{extra_css}</style></head>\n"
            f"<body><div class=\"sop-lembar\">\n{body}\n</div></body></html>\n")


def _macros():
    return _ENV.get_template("lembar.html").module


MEASURE_TABS = 3
"""Measuring documents laid out at once (Chromium lays out each tab in its own process)."""
MEASURE_CHUNK = 40
"""SOPs per measuring document: several documents keep every core busy and each one small."""


def _identity_part(m, lb: Lembar, font: float) -> str:
    return str(m.identitas(lb, font, measure=True)).replace(
        'class="lembar lembar-identitas"', f'class="lembar lembar-identitas" style="width: {lb.width_pt}pt"', 1)


def measure(lembars: list[Lembar], browser: Chromium, workdir: str) -> None:
    """Fill in each sheet's measured heights, laid out in several documents at once.

    The identity sheet is measured at its largest font first; only the sheets
    that do not fit are measured again at the smaller sizes.
    """
    from concurrent.futures import ThreadPoolExecutor

    m = _macros()

    def run(parts_of: list[tuple[Lembar, list[str]]]) -> dict:
        # One paper per document: its @page is the paper of every sheet in it (an F4 kecamatan's
        # sheets and an A4 dinas's are measured apart).
        by_paper: dict[str, list[tuple[Lembar, list[str]]]] = {}
        for item in parts_of:
            by_paper.setdefault(item[0].kertas.nama, []).append(item)
        chunks = [group[i:i + MEASURE_CHUNK] for group in by_paper.values()
                  for i in range(0, len(group), MEASURE_CHUNK)]

        def one(k: int) -> dict:
            chunk = chunks[k]
            html = _document("\n".join(p for _, parts in chunk for p in parts), chunk[0][0].kertas, "ukur")
            tab = _open(browser, workdir, f"ukur-{k}.html", html)
            try:
                return tab.evaluate(_MEASURE_JS)
            finally:
                tab.close()

        merged: dict = {"prosedur": {}, "identitas": {}}
        with ThreadPoolExecutor(max(1, min(MEASURE_TABS, os.cpu_count() or 1, len(chunks)))) as pool:
            for got in pool.map(one, range(len(chunks))):
                merged["prosedur"].update(got["prosedur"])
                for sid, heights in got["identitas"].items():
                    merged["identitas"].setdefault(sid, {}).update(heights)
        return merged

    if not lembars:
        return
    got = run([(lb, [_identity_part(m, lb, FONT_IDENTITAS[0]), str(m.ukur_prosedur(lb))]) for lb in lembars])
    tight = [lb for lb in lembars
             if got["identitas"][lb.sop.id][str(FONT_IDENTITAS[0])] * PX > lb.height_pt - KAKI]
    if tight:
        again = run([(lb, [_identity_part(m, lb, f) for f in FONT_IDENTITAS[1:]]) for lb in tight])
        for sid, heights in again["identitas"].items():
            got["identitas"][sid].update(heights)
    for lb in lembars:
        proc = got["prosedur"][lb.sop.id]
        lb.head_pt = proc["head"] * PX
        lb.rows_pt = [_px(max(h * PX, MIN_ROW, min_row(step))) for h, step in zip(proc["rows"], lb.sop.langkah)]
        lb.jumlah_pt = _px(proc["jumlah"] * PX)
        heights = got["identitas"][lb.sop.id]  # keyed by the font size as the page wrote it
        fits = [f for f in FONT_IDENTITAS if str(f) in heights and heights[str(f)] * PX <= lb.height_pt - KAKI]
        lb.font_identitas = fits[0] if fits else FONT_IDENTITAS[-1]


def paginate(lb: Lembar) -> None:
    """Break the procedure table into sheets between rows, keeping room for the bands:
    connectors where the table breaks (taller the more arrows the break cuts), and the
    separate Mulai above the first row and Selesai below the last."""
    sop = lb.sop
    avail = lb.height_pt - KAKI - lb.head_pt
    n = len(lb.rows_pt)
    arrows = step_arrows(sop)
    terminal = TERMINAL_BAND if sop.terminator_terpisah else 0.0
    pages: list[Halaman] = []
    lo = 0
    while lo < n:
        top = band_height(cuts_at(sop, lo, arrows)) if pages else terminal
        used = top
        i = lo
        while i < n:
            after = lb.jumlah_pt + terminal if i == n - 1 else band_height(cuts_at(sop, i + 1, arrows))
            if used + lb.rows_pt[i] + after <= avail or i == lo:  # a row taller than a sheet still gets one
                used += lb.rows_pt[i]
                i += 1
            else:
                break
        bottom = band_height(cuts_at(sop, i, arrows)) if i < n else terminal
        page = Halaman(len(pages) + 2, lo, i, top, bottom, i == n, sum(lb.rows_pt[lo:i]))
        pages.append(page)
        lo = i
    lb.pages = pages


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
_IDS = re.compile(r'\s(?:id|xlink:title)="[^"]*"')


def _inline_svg(svg: str, width: float, height: float) -> str:
    """Graphviz's SVG document → an element for the sheet, without ids that would repeat."""
    svg = _PROLOG.sub("", svg, count=1)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = _IDS.sub("", svg)
    return svg.replace("<svg ", f'<svg style="width: {width}pt; height: {height}pt" ', 1)


def draw(lembars: list[Lembar], cache_dir: str | None = None) -> None:
    """Every page's chart, for exactly its columns, rows and bands (the table draws its own lines)."""
    jobs = [(lb.sop, lb.layout()) for lb in lembars]
    faults: list = []
    drawn = sheet_svgs_many(jobs, cache_dir, faults=faults)
    for lb, svgs, found in zip(lembars, drawn, faults):
        for page, svg, cacat in zip(lb.pages, svgs, found):
            page.svg = _inline_svg(svg, sum(lb.kolom.aktor), page.chart_height)
            page.cacat = "; ".join(cacat)


@dataclass(frozen=True)
class SheetInputs:
    """What the sheets of one run share besides the SOPs themselves."""

    all_sops: Mapping[str, Sop] | None = None
    """Every SOP by id, for the names of those cited in Keterkaitan (default: the SOPs printed)."""
    paper: str | None = None
    """``A4`` or ``F4`` for every SOP, over what _instansi.yaml says."""
    logo: Logo | None = None
    """The institution's logo as accepted (:func:`sopcode.model.logo.read_logo`)."""
    logos: Mapping[str, Logo | None] | None = None
    """Each institution's logo by its folder (:func:`kode_of`), for a project of many institutions;
    an SOP of an institution not named here takes :attr:`logo`."""
    marks: Mapping[str, str] | None = None
    """The mark on every sheet of each SOP not in force, by id (``DRAF``, ``BELUM BERLAKU``, ``DICABUT``, ``DIGANTI``)."""
    revisions: Mapping[str, str] | None = None
    """Each SOP's revisions in a few words, for the binder's contents."""
    content_keys: Mapping[str, str] | None = None
    """The loader's content key of each file, by path: give it only for SOPs exactly as loaded."""
    addresses: Mapping[str, str] | None = None
    """Each SOP's page address with its revision (site_url, short commit, tanggal revisi), by id: printed as a QR code."""

    @property
    def logo_file(self) -> str | None:
        """The logo's file name beside the printed pages: named by its content, never by the name it was given."""
        return logo_name(self.logo)

    def logo_of(self, sop: Sop) -> Logo | None:
        """The logo printed on ``sop``'s sheets: its institution's."""
        kode = kode_of(sop.instansi)
        return self.logos[kode] if self.logos is not None and kode in self.logos else self.logo

    def all_logos(self) -> list[Logo]:
        """Every logo the sheets may print, each once."""
        found = [self.logo, *(self.logos or {}).values()]
        return list({lg.digest: lg for lg in found if lg is not None}.values())


def logo_name(logo: Logo | None) -> str | None:
    """A logo's file name beside the printed pages: named by its content, never by the name it was given."""
    return f"logo-{logo.digest[:16]}{logo.ext}" if logo is not None else None


def prepare(sops: list[Sop], browser: Chromium, workdir: str, inputs: SheetInputs = SheetInputs(),
            cache_dir: str | None = None) -> list[Lembar]:
    """Measure, paginate and draw the sheets of many SOPs with one browser.

    With a ``cache_dir``, an SOP whose sheets were made before from the same content, by the
    same code and browser, is taken from there whole (:attr:`Lembar.key`). The loader's
    content keys (``inputs.content_keys``) save describing each SOP again.
    """
    all_sops, kertas, marks = inputs.all_sops, inputs.paper, inputs.marks or {}
    riwayat, content_keys, addresses = inputs.revisions, inputs.content_keys, inputs.addresses or {}
    names = {sid: str(s.nama) for sid, s in (all_sops or {s.id: s for s in sops}).items()}
    lembars, fresh = [], []
    browser_id = _browser_identity(browser)
    for sop in sops:
        paper = kertas_of(sop, kertas)  # the SOP's own institution's paper (sop.instansi), unless overridden
        own_logo = inputs.logo_of(sop)
        logo, logo_digest = logo_name(own_logo), own_logo.digest if own_logo is not None else ""
        width = round((paper.lebar - MARGIN[1] - MARGIN[3]) * PT_PER_MM, 2)
        summary = (riwayat or {}).get(sop.id) or (
            f"direvisi {format_tanggal(sop.tanggal_revisi)}" if sop.tanggal_revisi else "belum pernah direvisi")
        # Each reference as written (a bare file name within the SOP's institution, or a full id) → the
        # name of the SOP it means; one that names no SOP prints as written.
        refs = {str(r.sop): resolve(str(r.sop), kode_of(sop.instansi), names) for r in sop.keterkaitan if r.sop}
        terkait = {ref: names[found] for ref, found in refs.items() if found}
        cited = sorted((ref, terkait.get(ref, "")) for ref in refs)
        # Everything a sheet is made of: the SOP (its file's content key, or the whole model), the
        # names of the SOPs it cites, the paper, the logo, the mark (DRAF...), the browser and our code.
        content = (content_keys or {}).get(sop.path) or SOP_MODEL.dumps(sop)
        alamat = addresses.get(sop.id, "")
        key = cache.key(repr((browser_id, logo_digest, paper, logo, marks.get(sop.id, ""), cited, alamat)), content)
        stored = _load_lembar(cache_dir, key)
        if stored is not None:
            lb = dataclasses.replace(stored, sop=sop, terkait=terkait, logo=logo, riwayat=summary, alamat=alamat)
        else:
            lb = Lembar(sop, paper, kolom_for([str(a) for a in sop.pelaksana], width), terkait, logo,
                        mark=marks.get(sop.id, ""), riwayat=summary, alamat=alamat)
            fresh.append(lb)
        lb.key = key if cache_dir else ""
        lembars.append(lb)
    if fresh:
        measure(fresh, browser, workdir)
        for lb in fresh:
            paginate(lb)
        draw(fresh, os.path.join(cache_dir, "charts") if cache_dir else None)
        for lb in fresh:
            if cache_dir:
                _store_lembar(cache_dir, lb)
    return lembars


_SHEETS = codec_of(Lembar)
"""Measured and paginated sheets as JSON (without their SOP, which the caller has)."""


def _lembar_path(cache_dir: str, key: str) -> str:
    return os.path.join(cache_dir, "sheets", f"{key}.json")


def _load_lembar(cache_dir: str | None, key: str) -> Lembar | None:
    stored = cache.read_json(_lembar_path(cache_dir, key) if cache_dir else None, _SHEETS)
    return stored if isinstance(stored, Lembar) else None  # missing or unreadable: made again


def _store_lembar(cache_dir: str, lb: Lembar) -> None:
    # The SOP itself is not kept (None in the file, hence the cast): the caller's copy (equal by the key)
    # goes back in on loading, before any use.
    cache.write_json(_lembar_path(cache_dir, lb.key), dataclasses.replace(lb, sop=cast(Sop, None), terkait={}), _SHEETS)


def _open(browser: Chromium, workdir: str, name: str, html: str):
    path = os.path.join(workdir, name)
    Path(path).write_text(html, encoding="utf-8")
    return browser.open(path)


# --- final HTML ---------------------------------------------------------------------------

def sheets_html(lb: Lembar) -> str:
    """The sections of one SOP's sheets (identity, then procedure), for a PDF or a web page.

    The footer's left corner stays empty: in the binder, the binder's page number goes there.
    """
    return str(_macros().sop_lembar(lb))


def batch_document(lembars: list[Lembar]) -> str:
    """Several SOPs' sheets in one document: printed at once, then cut apart (:func:`.binder.split`)."""
    return _document("\n".join(sheets_html(lb) for lb in lembars), lembars[0].kertas, str(lembars[0].sop.nama))


@dataclass
class Isi:
    """One line of the binder's table of contents."""

    sop: Sop
    halaman: int
    riwayat: str = ""


ARCHIVE_TITLE = "SOP yang dicabut dan diganti"
ARCHIVED = ("DICABUT", "DIGANTI")
"""Marks of the SOPs withdrawn or superseded: at the binder's end, after their list."""
_PART = {"": 0, "DRAF": 0, "BELUM BERLAKU": 1}
"""The binder's parts: in force (an SOP in DRAF too: its approved version is in force, its sheets
are marked), then not yet in force; anything else (withdrawn, superseded) last."""


def binder_order(lembars: list[Lembar]) -> list[Lembar]:
    """The SOPs in the binder's order: those in force, then those not yet in force, then the
    withdrawn and superseded ones (each part in the order given)."""
    return sorted(lembars, key=lambda lb: _PART.get(lb.mark, 2))


@dataclass(frozen=True)
class Arsip:
    """One line of the binder's list "SOP yang dicabut dan diganti"."""

    sop: Sop
    status: str
    tanggal: dt.date | None
    pengganti: Sop | None
    halaman: int


@dataclass(frozen=True)
class BinderFront:
    """What the binder prints besides the SOPs' sheets: cover and contents (``html``), and the
    list of withdrawn and superseded SOPs (``archive``, on page ``archive_page``; empty: none)."""

    html: str
    entries: list[Isi]
    archive: str = ""
    archive_page: int = 0


def binder_front(lembars: list[Lembar], judul: str = JUDUL_BUKU, first: int = 1) -> BinderFront:
    """The binder's cover, table of contents and list of withdrawn and superseded SOPs, and where
    each SOP starts in the binder; ``lembars`` in the binder's order (:func:`binder_order`).

    ``first``: the binder page the cover is on (an institution's part of the whole government's
    binder begins further on, :func:`binder_cover`); its contents' pages are numbered on from there."""
    if not lembars:
        raise PrintError("tidak ada SOP untuk dijilid menjadi buku")
    kertas = lembars[0].kertas
    n_toc = max(1, math.ceil(len(lembars) / TOC_ROWS))
    archived = [lb for lb in lembars if lb.mark in ARCHIVED]
    n_archive = math.ceil(len(archived) / TOC_ROWS)
    start = first + 1 + n_toc
    archive_page = 0
    entries = []
    for lb in lembars:
        if lb.mark in ARCHIVED and not archive_page:
            archive_page, start = start, start + n_archive
        entries.append(Isi(lb.sop, start, lb.riwayat + (f" ({lb.mark})" if lb.mark else "")))
        start += lb.n_pages
    lead = lembars[0]
    dated = [s.sop.tanggal_terakhir() for s in lembars]
    years = sorted({d.year for d in dated if d}) or [dt.date.today().year]
    body = _ENV.get_template("buku.html").render(
        lb=lead, judul=judul, tahun=years[-1], entries=entries, rows=TOC_ROWS, n_toc=n_toc, first=first,
        width=lead.width_pt, height=lead.height_pt)
    if not archived:
        return BinderFront(_document(body, kertas, judul), entries)
    by_id = {lb.sop.id: lb.sop for lb in lembars}
    lines = []
    for lb, entry in zip(lembars, entries):
        if lb.mark not in ARCHIVED:
            continue
        sop = lb.sop
        meant = resolve(str(sop.diganti_oleh), sop.instansi.kode, by_id) if sop.diganti_oleh else None
        pengganti = by_id.get(meant) if meant is not None else None  # a bare name: of the same institution
        if sop.dicabut is not None:
            tanggal = sop.dicabut.tanggal
        else:
            tanggal = pengganti.tanggal_efektif if pengganti is not None else None
        lines.append(Arsip(sop, lb.mark.lower(), tanggal, pengganti, entry.halaman))
    archive = _ENV.get_template("buku_arsip.html").render(
        lb=lead, judul=ARCHIVE_TITLE, lines=lines, rows=TOC_ROWS, width=lead.width_pt, height=lead.height_pt)
    return BinderFront(_document(body, kertas, judul), entries, _document(archive, kertas, ARCHIVE_TITLE), archive_page)


def kode_of(instansi: Instansi) -> str:
    """The institution's folder under the data folder ('/'-separated; empty: the top, or the only one)."""
    return str(getattr(instansi, "kode", "") or "")


def nama_of(instansi: Instansi) -> str:
    """The institution's name as its binder names it: ``nama:`` of its settings, else its last line of hierarki."""
    return str(getattr(instansi, "nama", "") or "") or instansi.unit_utama


@dataclass(frozen=True)
class Bagian:
    """One institution's part of the whole government's binder, as its contents list it."""

    instansi: Instansi
    jumlah: int
    """Its SOPs in the binder."""
    halaman: int
    """The binder page of its own cover."""

    @property
    def nama(self) -> str:
        return nama_of(self.instansi)


def cover_pages(n_parts: int) -> int:
    """Pages of the whole government's binder before its first part: cover, then contents."""
    return 1 + max(1, math.ceil(n_parts / TOC_ROWS))


def binder_cover(instansi: Instansi, logo: str | None, kertas: Kertas, parts: list[Bagian], tahun: int,
                 judul: str = JUDUL_BUKU) -> str:
    """The whole government's binder's cover (its own hierarchy and logo) and contents (each
    institution's part and the page it begins on), printed on the government's paper."""
    width = round((kertas.lebar - MARGIN[1] - MARGIN[3]) * PT_PER_MM, 2)
    height = round((kertas.tinggi - MARGIN[0] - MARGIN[2]) * PT_PER_MM, 2)
    body = _ENV.get_template("buku_pemda.html").render(
        instansi=instansi, nama=nama_of(instansi), logo=logo, judul=judul, tahun=tahun, parts=parts,
        rows=TOC_ROWS, width=width, height=height)
    return _document(body, kertas, judul)


def latest_year(lembars: list[Lembar]) -> int:
    """The year on a binder's cover: the latest date of its SOPs (this year when none has one)."""
    dated = [lb.sop.tanggal_terakhir() for lb in lembars]
    return max((d.year for d in dated if d), default=dt.date.today().year)


# --- checking and printing ------------------------------------------------------------------

_CHECK_JS = Path(HERE, "check.js").read_text(encoding="utf-8")


def check_document(tab) -> list[str]:
    """What is wrong with a printed document, as the browser laid it out (empty: nothing)."""
    return list(tab.evaluate(_CHECK_JS))


def document_key(browser: Chromium, html: str) -> str:
    """What a printed document is cached under: its HTML, the browser that prints it and how (an
    untagged PDF of an older build is never taken for a tagged one), our code."""
    return cache.key(html, _browser_identity(browser), json.dumps(PDF_OPTIONS, sort_keys=True))


def print_document(browser: Chromium, workdir: str, name: str, html: str,
                   problems: list[str] | None = None, tab: Tab | None = None) -> bytes:
    """One HTML document to PDF bytes (``problems`` collects what the layout check finds).

    ``tab``: a tab of the caller's to show it in (one per printing thread saves opening a tab for
    every SOP); without it, a tab of its own, closed afterwards."""
    own = tab is None
    if tab is None:
        tab = _open(browser, workdir, name, html)
    else:
        path = os.path.join(workdir, name)
        Path(path).write_text(html, encoding="utf-8")
        tab.goto(Path(path).resolve().as_uri())
    sheets = html.count('<section class="lembar ')
    try:
        if problems is not None:
            problems.extend(check_document(tab))
        # A batch of many sheets takes a while: the time allowed grows with it.
        return tab.pdf(timeout=60 + 0.25 * sheets, generateDocumentOutline=True)
    finally:
        if own:
            tab.close()


def print_pdf(browser: Chromium, workdir: str, name: str, html: str, cache_dir: str | None = None,
              problems: list[str] | None = None) -> bytes:
    """One HTML document to PDF bytes, from the cache when this exact document was printed before."""
    cached = os.path.join(cache_dir, f"{document_key(browser, html)}.pdf") if cache_dir else None
    data = cache.read_bytes(cached)
    if data is None:
        data = finish(print_document(browser, workdir, name, html, problems))
        cache.write(cached, data)  # a cache that cannot be written: printed again next time
    return data


def _browser_identity(browser: Chromium) -> str:
    try:
        st = os.stat(os.path.realpath(shutil.which(browser.executable) or browser.executable))
        return f"{browser.executable}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        return browser.executable
