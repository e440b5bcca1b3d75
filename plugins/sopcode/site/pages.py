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
from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import jinja2

from sopcode.site.stemming import akar_kata
from sopcode.diagnostics import Diagnostic
from sopcode.model.sop import KOTAK, Sop
from sopcode.model.status import Status
from sopcode.site.pantauan import Pantauan
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

    def front_matter(self) -> str:
        return _front_matter(self.title, **self.meta)

    def finish(self, output: str) -> str:
        """The page as written to the site: each marker replaced by its piece (once)."""
        for marker, piece in self.inserts.items():
            output = output.replace(marker, piece, 1)
        return output


CHART_MARK, SHEETS_MARK = "<!--sop:bagan-->", "<!--sop:cetak-->"


def _front_matter(title: str, **meta: object) -> str:
    # JSON values are valid YAML scalars: the title needs no further escaping for YAML,
    # but MkDocs and the theme write it into <title>, the h1 and the navigation as HTML.
    lines = [f"title: {json.dumps(html_title(title), ensure_ascii=False)}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def searchable_text(sop: Sop) -> list[str]:
    """The texts a reader may search an SOP by: title, boxes, actors, steps."""
    texts = [str(sop.nama), sop.judul_prosedur, *map(str, sop.pelaksana)]
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
            for cited in {str(k.sop) for k in s.keterkaitan if k.sop is not None}:
                self._users.setdefault(cited, []).append(s)

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

    def replaced(self, sop: Sop) -> list[Sop]:
        """The SOPs this one supersedes (they name it in ``diganti_oleh``), by name."""
        return sorted((s for s in self.all_sops.values() if s.diganti_oleh and str(s.diganti_oleh) == sop.id),
                      key=lambda s: str(s.nama).casefold())

    @classmethod
    def of(cls, all_sops: Mapping[str, Sop], **options) -> "SiteContext":
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
        logo=parts.logo, word_roots=akar_kata(searchable_text(sop)) if site.word_roots else [], sheets=parts.sheets,
        paper=parts.paper, history=parts.history, berlaku=parts.berlaku,
        revisions=parts.history.for_readers(site.preview) if parts.history else [],
        draf_sejak=parts.history.verdict(site.preview)[1] if parts.history else None, preview=site.preview,
        history_note=site.history_note, chart_mark=CHART_MARK, sheets_mark=SHEETS_MARK,
        status=site.status(sop.id), Status=Status, replaces=site.replaced(sop),
        pantauan=list(parts.pantauan), monev_href=parts.monev_href,
    )
    inserts = {}
    if parts.swimlane:
        inserts[CHART_MARK] = parts.swimlane
    if parts.sheets:
        inserts[SHEETS_MARK] = parts.sheets
    # The table of contents would take a third of the width the flowchart and the table need.
    return Page(str(sop.nama), body, {"hide": ["toc"]}, inserts)


ARCHIVED = (Status.DICABUT, Status.DIGANTI)
"""The statuses listed in Daftar SOP's archive section, not under their unit."""


def sop_list_page(sops: list[Sop], href: Href, broken: Sequence[tuple[str, str]] = (), binder: str | None = None,
                  statuses: Mapping[str, Status] | None = None) -> Page:
    """The list of all SOPs, grouped by unit; ``broken`` lists (file, id) not yet publishable, ``binder``
    is the address of the binder's PDF, ``statuses`` each SOP's status (an SOP not named is in force)."""
    status = dict(statuses or {})
    groups: dict[str, list[Sop]] = defaultdict(list)
    archive: list[tuple[Sop, Status, object, Sop | None]] = []  # (sop, status, since, replacement)
    by_id = {s.id: s for s in sops}
    for sop in sorted(sops, key=lambda s: (s.nama_unit.casefold(), str(s.nomor or "~"), str(s.nama).casefold())):
        st = status.get(sop.id, Status.BERLAKU)
        if st in ARCHIVED:  # withdrawn and superseded: on their own, after the SOPs that apply
            new = by_id.get(str(sop.diganti_oleh)) if sop.diganti_oleh else None
            since = sop.dicabut.tanggal if st is Status.DICABUT and sop.dicabut else (new.tanggal_efektif if new else None)
            archive.append((sop, st, since, new))
        else:
            groups[sop.nama_unit].append(sop)
    body = _ENV.get_template("daftar.html").render(
        groups=groups, archive=archive, link=href, n=len(sops), broken=list(broken), binder=binder,
        status=lambda sop_id: status.get(sop_id, Status.BERLAKU))
    return Page("Daftar SOP", body)


def error_page(path: str, diagnostics: Sequence[Diagnostic]) -> Page:
    """In place of an SOP whose file has errors (``mkdocs serve`` only): the messages themselves."""
    body = _ENV.get_template("galat.html").render(path=path, diagnostics=list(diagnostics))
    return Page("Galat pada berkas SOP", body, {"search": {"exclude": True}})


def latest_changes_page(entries: Sequence[tuple[Sop, object]], href: Href, history_note: str | None = None) -> Page:
    """The latest revisions across all SOPs, newest first: (sop, Revision) pairs."""
    body = _ENV.get_template("terbaru.html").render(entries=list(entries), link=href, history_note=history_note)
    return Page("Perubahan terbaru", body)
