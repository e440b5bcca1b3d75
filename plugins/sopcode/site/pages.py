"""Page content for the browsable site, as HTML (no Markdown to convert: it is all generated).

No MkDocs here: :mod:`sopcode.publish` makes each :class:`Page` and the adapter hands it to
MkDocs as a generated page, with the addresses of the other pages (``href``) worked out by MkDocs itself.
Everything from YAML passes through Jinja's autoescaping, so text such as
``<script>`` or ``{{ x }}`` in a file appears literally and is never evaluated.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

import jinja2
from markupsafe import Markup

from sopcode.diagnostics import Diagnostic
from sopcode.model.institutions import resolve
from sopcode.model.sop import KOTAK, Instansi, Sop
from sopcode.model.status import Status
from sopcode.site.pantauan import Pantauan
from sopcode.site.search import SOP_BOOST, search_words, spaced
from sopcode.site.stemming import akar_kata
from sopcode.text import format_tanggal, format_tanggal_pendek

if TYPE_CHECKING:
    from sopcode.model.history import SopHistory

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("sopcode.site", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["tanggal"] = format_tanggal
_ENV.filters["tanggal_pendek"] = format_tanggal_pendek

SOP_DIR = "sop"
INSTANSI_DIR = "instansi"

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSETS = {"assets/sop/sop.css": ("extra_css", os.path.join(_PACKAGE, "site", "assets", "sop.css")),
          "assets/sop/lembar.css": ("extra_css", os.path.join(_PACKAGE, "sheets", "sheet.css")),
          "assets/sop/sop.js": ("extra_javascript", os.path.join(_PACKAGE, "site", "assets", "sop.js"))}
"""The site's own style and script (path in the site → the theme's list it joins, the file), served
from the site itself (no internet on an intranet)."""

Href = Callable[[str], str]
"""An SOP id → the address of its page, relative to the page being written."""


def sop_src(sop_id: str) -> str:
    """Where an SOP's generated page lives among the site's sources: ``sop/<id>.md`` → ``sop/<id>/``."""
    return f"{SOP_DIR}/{sop_id}.md"


def institution_src(kode: str) -> str:
    """Where an institution's home lives among the site's sources (a site of several institutions only):
    ``instansi/<kode>.md`` → ``instansi/<kode>/`` (its folder, so ``instansi/dinas-kependudukan/``); the top's,
    when SOPs lie directly in the data folder, ``instansi.md`` → ``instansi/``."""
    return f"{INSTANSI_DIR}/{kode}.md" if kode else f"{INSTANSI_DIR}.md"


def institutions_shown(institutions: Mapping[str, Instansi], sops: Iterable[Sop]) -> list[Instansi]:
    """The institutions a site shows as such, by name: every one below the top, and the top itself when
    SOPs of its own lie directly in the data folder (else it is the government the site's home speaks
    for). Fewer than two: none, and the site looks as a single institution's always did (no home per
    institution, no Instansi column or menu, the navigation by unit)."""
    top_has_sops = any(s.instansi.kode == "" for s in sops)
    shown = [ins for kode, ins in institutions.items() if kode or top_has_sops]
    return sorted(shown, key=lambda ins: (ins.nama.casefold(), ins.kode)) if len(shown) >= 2 else []


def html_title(text: str) -> str:
    """A title for MkDocs: its themes put page and section titles into HTML unescaped."""
    return html.escape(" ".join(str(text).split()), quote=True)


@dataclass
class Page:
    """A generated page: its title and metadata (front matter for MkDocs), its HTML, and the large
    pieces (the drawing, the printable sheets) kept out of it as markers until the very end."""

    title: str
    html: str
    meta: dict = field(default_factory=dict)
    inserts: dict[str, str] = field(default_factory=dict)
    search_words: dict[str, str] = field(default_factory=dict)
    """Words search finds the page by that it does not show, by field (:mod:`sopcode.site.search`)."""

    def front_matter(self) -> str:
        return _front_matter(self.title, **self.meta)

    def toc(self) -> list[TocEntry]:
        """The page's table of contents, as MkDocs' toc tokens: the page itself (its top, :data:`TOP`: where
        the theme's skip link "Lewati ke isi" leads), its ``<h2 id>`` sections within, and each section's
        ``<h3 id>``. Only the headings of :attr:`html`: never those of the pieces put in last, nor of the
        sheets' preview under ``mkdocs serve``."""
        sections: list[TocEntry] = []
        for level, anchor, inner in _HEADING.findall(self.html):
            entry: TocEntry = {"level": int(level), "id": html.unescape(anchor), "children": [],
                     "name": html.escape(" ".join(html.unescape(re.sub(r"<[^>]*>", " ", inner)).split()))}
            (sections[-1]["children"] if level == "3" and sections else sections).append(entry)
        return [{"level": 1, "id": TOP_ID, "name": html_title(self.title), "children": sections}]

    def finish(self, output: str) -> str:
        """The page as written to the site: each marker replaced by its piece (once)."""
        for marker, piece in self.inserts.items():
            output = output.replace(marker, piece, 1)
        return output


CHART_MARK, SHEETS_MARK = "<!--sop:bagan-->", "<!--sop:cetak-->"

TOP_ID = "isi"
TOP = f'<div id="{TOP_ID}" class="sop-isi" tabindex="-1"></div>\n'
"""Put before a generated page's content, right below the theme's title: the target of the skip link
(the first entry of :meth:`Page.toc`); it takes the focus, so Tab goes on from there."""


class TocEntry(TypedDict):
    """One entry of a page's table of contents, as MkDocs' ``get_toc`` takes it (``name`` is HTML)."""

    level: int
    id: str
    name: str
    children: list[TocEntry]


_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def _front_matter(title: str, **meta: object) -> str:
    # JSON values are valid YAML scalars: the title needs no further escaping for YAML,
    # but MkDocs and the theme write it into <title>, the h1 and the navigation as HTML.
    lines = [f"title: {json.dumps(html_title(title), ensure_ascii=False)}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def searchable_text(sop: Sop) -> list[str]:
    """The texts a reader may search an SOP by: title, aliases, boxes, actors, steps."""
    texts = [str(sop.nama), *map(str, sop.alias), sop.judul_prosedur, *map(str, sop.pelaksana)]
    for key, _ in KOTAK:
        for item in sop.kotak(key):
            texts.append(str(getattr(item, "teks", None) or getattr(item, "sop", None) or item))
    for step in sop.langkah:
        texts += [str(step.kegiatan), " ".join(map(str, step.mutu_baku.output)), str(step.keterangan or "")]
        texts += [str(k) for k in step.mutu_baku.kelengkapan]
    return texts


class UsedBy:
    """Which SOPs name each SOP in their Keterkaitan box: found in one pass over all of them
    (asking each SOP's page to look through all SOPs grew with the square of their number)."""

    def __init__(self, all_sops: Mapping[str, Sop]):
        self._users: dict[str, list[Sop]] = {}
        for s in all_sops.values():
            cited = {resolve(str(k.sop), s.instansi.kode, all_sops) for k in s.keterkaitan if k.sop is not None}
            for sop_id in cited - {None}:
                self._users.setdefault(sop_id, []).append(s)  # type: ignore[arg-type]

    def __call__(self, sop: Sop) -> list[Sop]:
        return sorted(self._users.get(sop.id, ()), key=lambda s: str(s.nama).casefold())


@dataclass(frozen=True)
class SiteContext:
    """What every SOP page of one site shares: all SOPs, who cites whom, and the site's choices."""

    all_sops: Mapping[str, Sop]
    used_by: UsedBy
    word_roots: bool = True
    """Add the roots of the page's words for search (``ukur`` finds *pengukuran*)."""
    history_note: str | None = None
    """What readers should know about the revision history (no git, a shallow clone), or None."""
    preview: bool = False
    """Show uncommitted edits in the history, labelled as a preview (``mkdocs serve`` only)."""
    statuses: Mapping[str, Status] = field(default_factory=dict)
    """Each SOP's status (:func:`sopcode.model.status.status`); an SOP not named is in force."""

    def status(self, sop_id: str) -> Status:
        return self.statuses.get(sop_id, Status.BERLAKU)

    def target(self, sop: Sop, name: object) -> str | None:
        """The id of the SOP that ``sop`` means by ``name`` (in Keterkaitan or ``diganti_oleh``): a bare file
        name within its institution (or one above it), ``<kode>/<file>`` in any; None when none is published."""
        return resolve(str(name), sop.instansi.kode, self.all_sops) if name else None

    def replaced(self, sop: Sop) -> list[Sop]:
        """The SOPs this one supersedes (they name it in ``diganti_oleh``), by name."""
        return sorted((s for s in self.all_sops.values() if self.target(s, s.diganti_oleh) == sop.id),
                      key=lambda s: str(s.nama).casefold())

    @classmethod
    def of(cls, all_sops: Mapping[str, Sop], **options) -> SiteContext:
        return cls(all_sops, UsedBy(all_sops), **options)


@dataclass(frozen=True)
class SopParts:
    """One SOP page's own pieces besides the SOP: its drawing, downloads, sheets and history."""

    swimlane: str | None = None
    """The swimlane flowchart, an inline SVG."""
    swimlane_href: str | None = None
    """The address of the full-size drawing."""
    downloads: Sequence[tuple[str, str, str]] = ()
    """The downloads, as (label, address, kind)."""
    logo: str | None = None
    """The address of the institution's logo."""
    sheets: str | None = None
    """The printed sheets as HTML, shown when the page is printed."""
    paper: object | None = None
    """The sheets' paper (:class:`sopcode.sheets.layout.Kertas`)."""
    history: SopHistory | None = None
    """The SOP's revisions (:class:`sopcode.model.history.SopHistory`)."""
    berlaku: InForce | None = None
    """A draft's version in force: its last approved revision, and the PDF printed from it."""
    pantauan: Sequence[Pantauan] = ()
    """Where its monitoring and evaluation stand (:func:`sopcode.site.pantauan.badge`)."""
    monev_href: str | None = None
    """The address of the page Monitoring dan evaluasi."""
    instansi_href: str | None = None
    """The address of its institution's home (a site of several institutions only): the page then names
    its institution, linked, before its unit."""


@dataclass(frozen=True)
class InForce:
    """The version in force of an SOP whose current content is a draft (issue 16, item 2)."""

    tanggal: str
    """Its approval date as written in it (else the commit's date), spelled out."""
    commit: str
    """Its commit, short."""
    pdf: str | None = None
    """The address of its printed sheets; None when they were not printed."""


def sop_page(sop: Sop, href: Href, site: SiteContext, parts: SopParts = SopParts()) -> Page:
    """One SOP's page."""
    body = _ENV.get_template("sop_page.html").render(
        sop=sop, kotak=KOTAK, all_sops=site.all_sops, used_by=site.used_by(sop), total=sop.total_waktu(),
        link=href, swimlane=parts.swimlane, swimlane_href=parts.swimlane_href, downloads=list(parts.downloads),
        logo=parts.logo, sheets=parts.sheets,
        paper=parts.paper, history=parts.history, berlaku=parts.berlaku,
        revisions=parts.history.for_readers(site.preview) if parts.history else [],
        draf_sejak=parts.history.verdict(site.preview)[1] if parts.history else None, preview=site.preview,
        history_note=site.history_note, chart_mark=CHART_MARK, sheets_mark=SHEETS_MARK,
        status=site.status(sop.id), Status=Status, replaces=site.replaced(sop),
        pantauan=list(parts.pantauan), monev_href=parts.monev_href, instansi_href=parts.instansi_href,
        ref=lambda name: site.target(sop, name),
    )
    inserts = {}
    if parts.swimlane:
        inserts[CHART_MARK] = parts.swimlane
    if parts.sheets:
        inserts[SHEETS_MARK] = parts.sheets
    # The table of contents (Page.toc) stays, for the theme's skip link "Lewati ke isi" (drawn only with
    # one) and for the drawer on a phone; hide: toc takes it from beside the page, where its column left
    # the procedure table too narrow for all seven columns at 1366 px (issue 18): the page lists its
    # sections itself, in one line at its top (sop_page.html, "Daftar isi halaman").
    # search.boost: an SOP page comes before a guide that quotes its words (sopcode.site.search).
    # spaced: search indexes text only; a line break after each cell and <br> keeps their words apart.
    return Page(str(sop.nama), spaced(body), {"search": {"boost": SOP_BOOST}, "hide": ["toc"]}, inserts,
                search_words(sop, searchable_text(sop), site.word_roots))


def chart_page(sop: Sop, svg: str, page_href: str, svg_href: str | None = None) -> str:
    """"Perbesar bagan": the whole HTML of a page of its own holding the SOP's swimlane at full size (its
    symbols' text 15 CSS px, :data:`CHART_PAGE_ZOOM`, where the SOP page shrinks it to a phone's width to
    about 6 px), titled "Bagan alir:
    <nama>", with a link back to the SOP page (``page_href``) and to the drawing as a file (``svg_href``).
    ``svg``: the drawing whose symbols already lead to their rows on that page
    (:func:`sopcode.shapes.swimlane.standalone_svg`), escaped where it was made."""
    return _ENV.get_template("bagan.html").render(nama=" ".join(str(sop.nama).split()), svg=Markup(_enlarged(svg)),
                                                  page_href=page_href, svg_href=svg_href)


CHART_PAGE_ZOOM = 1.25
"""The full-size drawing's scale on its own page, over its natural size (a point a point): its text, 9 pt, is
then 15 CSS px, about the size of the site's own text on a phone (Graphviz rounds the natural width down, so
at 1 it came out a hair under 12 px)."""

_SVG_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_VIEW_BOX = re.compile(r'\sviewBox="[-\d.]+[ ,]+[-\d.]+[ ,]+([\d.]+)[ ,]+([\d.]+)"')


def _enlarged(svg: str) -> str:
    """The drawing with its width and height in CSS px, from its viewBox (in points) at :data:`CHART_PAGE_ZOOM`."""
    end = svg.index(">")
    head, box = svg[:end], _VIEW_BOX.search(svg, 0, end)
    if box is None:
        return svg
    width, height = (float(v) * 4 / 3 * CHART_PAGE_ZOOM for v in box.groups())
    head = _SVG_SIZE.sub("", head).replace("<svg", f'<svg width="{width:.0f}" height="{height:.0f}"', 1)
    return head + svg[end:]


ARCHIVED = (Status.DICABUT, Status.DIGANTI)
"""The statuses listed in Daftar SOP's archive section, not under their unit."""


def sop_list_page(sops: list[Sop], href: Href, broken: Sequence[tuple[str, str]] = (), binder: str | None = None,
                  statuses: Mapping[str, Status] | None = None, institutions: Sequence[Instansi] = (),
                  pdfs: Mapping[str, str] | None = None) -> Page:
    """The list of all SOPs, grouped by unit; ``broken`` lists (file, id) not yet publishable, ``binder``
    is the address of the binder's PDF, ``statuses`` each SOP's status (an SOP not named is in force),
    ``pdfs`` the address of each SOP's printed sheets (an SOP not named has none);
    ``institutions``: those the site shows (:func:`institutions_shown`), each unit then under its institution,
    with an Instansi column and menu (none with one institution)."""
    status = dict(statuses or {})
    order = {ins.kode: n for n, ins in enumerate(institutions)}
    groups: dict[tuple[str, str], list[Sop]] = defaultdict(list)
    archive: list[tuple[Sop, Status, object, Sop | None]] = []  # (sop, status, since, replacement)
    by_id = {s.id: s for s in sops}
    units: dict[str, set[str]] = defaultdict(set)  # unit → the institutions that have it

    def place(s: Sop) -> tuple:
        return (order.get(s.instansi.kode, -1) if order else 0, s.nama_unit.casefold(), str(s.nomor or "~"),
                str(s.nama).casefold())

    for sop in sorted(sops, key=place):
        st = status.get(sop.id, Status.BERLAKU)
        units[sop.nama_unit].add(sop.instansi.kode)
        if st in ARCHIVED:  # withdrawn and superseded: on their own, after the SOPs that apply
            new_id = resolve(str(sop.diganti_oleh), sop.instansi.kode, by_id) if sop.diganti_oleh else None
            new = by_id.get(new_id) if new_id else None
            since = sop.dicabut.tanggal if st is Status.DICABUT and sop.dicabut else (new.tanggal_efektif if new else None)
            archive.append((sop, st, since, new))
        else:
            groups[sop.instansi.kode if institutions else "", sop.nama_unit].append(sop)
    body = _ENV.get_template("daftar.html").render(
        groups=groups, archive=archive, link=href, n=len(sops), broken=list(broken), binder=binder,
        status=lambda sop_id: status.get(sop_id, Status.BERLAKU), institutions=list(institutions),
        units=[(unit, sorted(units[unit])) for unit in sorted(units, key=str.casefold)], pdfs=dict(pdfs or {}))
    # Without the table of contents (a unit heading per line) the table takes the page's width: names wrap less.
    return Page("Daftar SOP", body, {"hide": ["toc"]})


IN_FORCE = (Status.BERLAKU, Status.DRAF)
"""Counted as in force on an institution's home: a draft's approved version still is."""


@dataclass(frozen=True)
class UnitSops:
    """One unit of an institution's home: its SOPs (by number, then name) and how many are in force."""

    nama: str
    sops: list[Sop]
    in_force: int


def institution_page(instansi: Instansi, sops: Sequence[Sop], href: Href, list_href: str,
                     statuses: Mapping[str, Status] | None = None, binder: str | None = None,
                     logo: str | None = None, word_roots: bool = True) -> Page:
    """An institution's home: its hierarchy lines, logo and counts, its units with their SOPs (those
    withdrawn or superseded left out, as in the navigation), a link to Daftar SOP filtered to it
    (``list_href``, its ``?instansi=`` included), its binder when printed, and a search box over its SOPs."""
    status = dict(statuses or {})
    by_unit: dict[str, list[Sop]] = defaultdict(list)
    for sop in sorted(sops, key=lambda s: (str(s.nomor or "~"), str(s.nama).casefold())):
        if status.get(sop.id, Status.BERLAKU) not in ARCHIVED:
            by_unit[sop.nama_unit].append(sop)
    units = [UnitSops(name, by_unit[name], sum(status.get(s.id, Status.BERLAKU) in IN_FORCE for s in by_unit[name]))
             for name in sorted(by_unit, key=str.casefold)]

    def words(sop: Sop) -> str:
        """What the home's search box matches an SOP by: its number, id and status, and each word of its
        title, boxes and steps once (with their roots), in lower case."""
        texts = searchable_text(sop)
        found = {w.casefold() for text in texts for w in str(text).split()}
        if word_roots:
            found.update(akar_kata(texts))
        head = [str(sop.nomor or ""), sop.id, status.get(sop.id, Status.BERLAKU).value]
        return " ".join([*head, *sorted(found)]).lower()

    body = _ENV.get_template("instansi.html").render(
        instansi=instansi, units=units, link=href, list_href=list_href, binder=binder, logo=logo, words=words,
        status=lambda sop_id: status.get(sop_id, Status.BERLAKU), total=sum(len(u.sops) for u in units),
        in_force=sum(u.in_force for u in units))
    return Page(instansi.nama, body)


def error_page(path: str, diagnostics: Sequence[Diagnostic]) -> Page:
    """In place of an SOP whose file has errors (``mkdocs serve`` only): the messages themselves."""
    body = _ENV.get_template("galat.html").render(path=path, diagnostics=list(diagnostics))
    return Page("Galat pada berkas SOP", body, {"search": {"exclude": True}})


def latest_changes_page(entries: Sequence[tuple[Sop, object]], href: Href, history_note: str | None = None) -> Page:
    """The latest revisions across all SOPs, newest first: (sop, Revision) pairs."""
    body = _ENV.get_template("terbaru.html").render(entries=list(entries), link=href, history_note=history_note)
    return Page("Perubahan terbaru", body)
