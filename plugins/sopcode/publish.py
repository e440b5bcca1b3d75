"""One publication: load → check → draw → print → pages, for the site and for ``sop pdf`` / ``sop gambar``.

:func:`publish` runs every stage over a data folder (or some SOP files) and returns a
:class:`Publication`: the check's report, the files with errors, the SOPs fit to publish,
their drawings, their printed sheets and PDFs, the binder, and, for a site, the pages and
files to add to it in order. Nothing here knows MkDocs or a terminal: the adapter
(:mod:`sopcode.mkdocs_plugin`) and the command line (:mod:`sopcode.cli`) decide what a
failure means for them and say it in their own words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import posixpath
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from sopcode.atomic import copy_atomic, temp_folder, write_atomic, write_failure
from sopcode.cache import remove_except
from sopcode.diagnostics import Diagnostic, display_path
from sopcode.model.due import Due, dues
from sopcode.model.evaluation import EVALUASI_FOLDER
from sopcode.model.history import Revision, approval_date
from sopcode.model.institutions import make_id, parents, stem_of
from sopcode.model.load import SETTINGS_FILE, content_key, content_salt, read_for_key
from sopcode.model.logo import Logo, read_logo
from sopcode.model.monitoring import MONEV_FOLDER
from sopcode.model.sop import Instansi, Sop
from sopcode.model.status import Status, statuses
from sopcode.rules import Report, check
from sopcode.shapes.graphviz import DrawError
from sopcode.shapes.swimlane import standalone_svg, swimlane_svgs
from sopcode.sheets import BUKU, Lembar, Printer, SheetInputs, cut_text, sheets_html
from sopcode.sheets.forms import form_paths, forms, in_force_during, print_forms
from sopcode.sheets.layout import kode_of
from sopcode.sheets.workbook import monitoring_workbook
from sopcode.site.monev import PAGE as MONEV_PAGE
from sopcode.site.monev import awaiting_revision, chart, monev_page, recap_path, rows_of
from sopcode.site.pages import (
    ARCHIVED,
    ASSETS,
    SOP_DIR,
    InForce,
    Page,
    SiteContext,
    SopParts,
    chart_page,
    error_page,
    institution_page,
    institution_src,
    institutions_shown,
    latest_changes_page,
    sop_list_page,
    sop_page,
    sop_src,
)
from sopcode.site.pantauan import badge
from sopcode.text import format_tanggal

Progress = Callable[[int, int, str], None]
"""Told (files done, files in all, name) as the PDFs are made; the binder comes last."""


@dataclass(frozen=True)
class SiteSettings:
    """How the site is laid out: where its pages go, and the addresses they will have there."""

    url: Callable[[str], str]
    """A page's source name or a file's path in the site → the address it is published at."""
    relative: Callable[[str, str], str]
    """(address, address of the page it is written in) → the link to write there."""
    list_page: str = "daftar-sop.md"
    latest_page: str = "perubahan-terbaru.md"
    monev_page: str = MONEV_PAGE
    """Monitoring dan evaluasi: each SOP's state, the forms and the recaps."""
    root: str = "."
    """The project's folder: files with errors are named relative to it on the list of SOPs."""
    pdf_dir: str = "pdf"
    """The PDFs' folder inside the site, normalised (``.``: the site's root)."""
    yaml_downloads: bool = True
    word_roots: bool = True
    preview: bool = False
    """Show uncommitted edits in the revision history, labelled as a preview (``mkdocs serve``; never in a build)."""


@dataclass(frozen=True)
class Settings:
    """What a run makes and where it keeps its cache."""

    cache_dir: str | None = None
    """The cache's root, already trusted (:func:`sopcode.cache.trusted`); None: no cache."""
    keep_going: bool = False
    """Publish the SOPs without errors when others have some (``mkdocs serve``); else stop after the checks."""
    pdf: bool = True
    """Print each SOP's sheets and the binder."""
    paper: str | None = None
    """``A4`` or ``F4`` for every SOP, over _instansi.yaml (``sop pdf --kertas``)."""
    progress: Progress | None = None
    site_url: str | None = None
    """The site's address (``site_url`` in mkdocs.yml): each printed sheet carries a QR code of its SOP's page
    with the revision printed ("periksa versi"); None: no code."""
    site: SiteSettings | None = None
    """Make the site's pages and files (None: drawings and PDFs only)."""
    sheets_for: Callable[[Publication], dict[str, Lembar]] | None = None
    """Without ``pdf``: the sheets to show on the pages all the same, measured and not printed
    (``mkdocs serve``'s preview of the SOPs saved while serving, :mod:`sopcode.preview`)."""


@dataclass(frozen=True)
class Output:
    """A page or file to add to the site: a generated ``page``, or ``content``, or a ``source`` file to copy."""

    path: str
    page: Page | None = None
    content: bytes | str | None = None
    source: str | None = None


@dataclass
class Publication:
    """Everything one run made, and what stopped it or went wrong on the way."""

    report: Report
    broken: dict[str, list[Diagnostic]]
    """Files with errors and their errors (unpublished; with ``keep_going``, an error page each)."""
    sops: list[Sop] = field(default_factory=list)
    """The SOPs published (empty when errors stopped the run)."""
    logo: Logo | None = None
    logos: dict[str, Logo | None] = field(default_factory=dict)
    """Each institution's logo by its folder (its own, or the one it inherits); ``""``: :attr:`logo`."""
    drawings: dict[str, str] = field(default_factory=dict)
    """SOP id → its swimlane flowchart (SVG)."""
    draw_error: DrawError | None = None
    """Why the flowcharts are missing (``keep_going`` only; otherwise it is raised)."""
    sheets: dict[str, Lembar] = field(default_factory=dict)
    pdfs: dict[str, bytes] = field(default_factory=dict)
    """``<id>.pdf`` → that SOP's PDF; ``<id>-berlaku.pdf`` → a draft's version in force (:attr:`in_force`)."""
    in_force: dict[str, Revision] = field(default_factory=dict)
    """A draft's id → the revision its ``<id>-berlaku.pdf`` was printed from (its last approved content)."""
    archived: set[str] = field(default_factory=set)
    """The SOPs withdrawn or superseded (a site only): listed apart, in Daftar SOP and the navigation."""
    binders: dict[str, str] = field(default_factory=dict)
    """Each bound binder: its path under the PDFs' folder → its file (in the cache, or in a temporary folder
    :meth:`close` removes). ``buku-sop.pdf``: the whole government's (a single institution's: its only one);
    ``<institution>/buku-sop.pdf``: each institution's (:func:`binder_sets`)."""
    bound: int = 0
    """Binders bound in this run; the others were found in the cache, bound before from the same parts."""
    printed: int = 0
    """SOPs printed by the browser in this run (the others came from the cache)."""
    from_cache: int = 0
    problems: list[str] = field(default_factory=list)
    """Layout problems the printed sheets showed (those of :attr:`cut` are errors)."""
    outputs: list[Output] = field(default_factory=list)
    """The site's pages and files, in the order they are added."""
    notes: list[str] = field(default_factory=list)
    """Warnings that came up while publishing (a file changed during the build)."""
    stopped: bool = False
    """Errors in SOP files stopped the run after the checks: nothing was drawn or printed."""
    held: dict[str, tuple[str, list[Diagnostic]]] = field(default_factory=dict)
    """``keep_going`` only: the SOP files not published because the settings of their institution (its
    ``_instansi.yaml`` or one above it) have errors → that settings file and its errors (:func:`held_back`)."""
    _temporary: str | None = None

    @property
    def cut(self) -> list[str]:
        """The layout problems that would cut printed text: errors."""
        return cut_text(self.problems)

    @property
    def institutions(self) -> dict[str, Instansi]:
        """Every institution's merged settings by its ``kode`` ("" is the top), as the loader found them."""
        return self.report.loaded.institutions

    @property
    def binder(self) -> str | None:
        """The file of the binder at ``buku-sop.pdf``: the whole government's, or the only institution's."""
        return self.binders.get(BUKU)

    @property
    def generated_pages(self) -> list[str]:
        return [o.path for o in self.outputs if o.page is not None]

    def write_pdfs(self, out_dir: str) -> list[str]:
        """Every SOP's PDF and the binders into ``out_dir``, each atomically; an unchanged PDF is left as it is."""
        written = []
        try:
            for name, data in self.pdfs.items():
                path = os.path.join(out_dir, name)
                if not _same_file(path, data):
                    write_atomic(path, data)
                written.append(path)
            for name, source in self.binders.items():
                path = os.path.join(out_dir, name)
                copy_atomic(source, path)
                written.append(path)
        except OSError as exc:
            raise write_failure(exc, out_dir) from exc
        return written

    def close(self) -> None:
        """Remove the temporary folder the binders were bound in (when there was no cache)."""
        if self._temporary:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None

    def __enter__(self) -> Publication:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def publish(paths: str | list[str], settings: Settings = Settings(),
            on_checked: Callable[[Publication], None] | None = None) -> Publication:
    """Load and check the SOPs of ``paths`` (a data folder, or SOP files), then draw, print and make pages.

    Errors in SOP files stop the run after the checks, unless ``settings.keep_going``; a
    missing Chromium, a failing Graphviz or a file that cannot be written raise
    (:class:`ChromiumMissing`, :class:`PrintError`, :class:`DrawError`, :class:`OSError`).
    ``on_checked`` hears the publication as soon as the checks are done (to say their findings
    before the long stages), and may raise to stop there.
    """
    paths = [paths] if isinstance(paths, str) else list(paths)
    # Cross-SOP rules (Keterkaitan, unique ids) look at the whole folder an SOP file lives in.
    corpus = None if all(os.path.isdir(p) for p in paths) else sorted(
        {p if os.path.isdir(p) else (os.path.dirname(p) or ".") for p in paths})
    report = check(paths, corpus, cache_dir=settings.cache_dir)
    broken = _errors_by_file(report)
    pub = Publication(report, broken)
    if on_checked is not None:
        on_checked(pub)
    if broken and not settings.keep_going:
        pub.stopped = True
        return pub
    pub.held = held_back(report, broken)
    pub.sops = [s for s in report.sops if s.path not in broken and s.path not in pub.held]
    pub.logo = read_logo(report.loaded.instansi, _data_folder(paths))  # read once: checked = published = printed
    pub.logos = _logos(pub, _institutions(pub), _data_folder(paths))
    graphviz = os.path.join(settings.cache_dir, "graphviz") if settings.cache_dir else None
    try:
        pub.drawings = swimlane_svgs(pub.sops, graphviz, content_keys=report.loaded.content_keys)
    except DrawError as exc:
        if not settings.keep_going:
            raise
        pub.draw_error = exc
    if settings.pdf and pub.sops:
        _print(pub, settings)
    elif settings.sheets_for is not None and pub.sops:
        pub.sheets = settings.sheets_for(pub)
    if settings.pdf and pub.sops and settings.site is not None:
        _print_forms(pub, settings)  # before the pages: the page Monitoring dan evaluasi links to them
    if settings.site is not None:
        _pages(pub, settings.site)
    return pub


def _addresses(pub: Publication, settings: Settings) -> dict[str, str] | None:
    """Each SOP's page address with the revision printed, for the sheets' QR codes (None without site_url).

    ``rev``: the short commit of the SOP's last revision shown to readers (one that changed its content or
    approval dates; none for a file never committed); ``tgl``: its tanggal revisi (ISO)."""
    if not settings.site_url:
        return None
    history = pub.report.history
    base = settings.site_url.rstrip("/") + "/"
    out = {}
    for sop in pub.sops:
        path = settings.site.url(sop_src(sop.id)) if settings.site is not None else f"{SOP_DIR}/{sop.id}/"
        query = []
        # The last revision readers are shown (content or approval changed), as the SOP page names it.
        # Uncommitted edits: the paper matches no commit, no rev.
        own = history.per_sop.get(sop.id) if history else None
        shown = own.for_readers() if own is not None and own.terakhir is not None and own.terakhir.commit else []
        if shown and shown[0].commit:
            query.append(f"rev={shown[0].short_id}")
        if sop.tanggal_revisi:
            query.append(f"tgl={sop.tanggal_revisi.isoformat()}")
        out[sop.id] = base + path.lstrip("/") + ("?" + "&".join(query) if query else "")
    return out


def binder_sets(sops: list[Sop], institutions: dict[str, Instansi]) -> dict[str, str]:
    """Which binders a publication binds: path under the PDFs' folder → the institution (its folder)
    whose binder it is, in the order they are bound.

    Decided: an institution's binder holds its own SOPs and those of every institution inside its
    folder (a kecamatan's binder holds its kelurahan's, each in a part of its own, as the whole
    government's holds every institution's), so ``buku-sop.pdf``, the top's, holds every SOP. A
    change in one institution therefore binds again its binder, those of the institutions it lies
    in and the whole government's; every other binder comes from the cache. An institution without
    any SOP has no binder. A single-institution project has one binder, ``buku-sop.pdf``, as always.
    """
    present = {kode_of(s.instansi) for s in sops}
    out = {}
    for kode in sorted(set(institutions) | present | {""}):
        if any(_inside(k, kode) for k in present):
            out[posixpath.join(kode, BUKU) if kode else BUKU] = kode
    return out


def _inside(kode: str, outer: str) -> bool:
    """The institution at ``kode`` is ``outer`` or lies in its folder."""
    return not outer or kode == outer or kode.startswith(outer + "/")


def _institutions(pub: Publication) -> dict[str, Instansi]:
    """Every institution's settings by folder: the loader's, else each SOP's own (and the top's)."""
    loaded = pub.report.loaded
    known = dict(getattr(loaded, "institutions", None) or {})
    known.setdefault("", loaded.instansi)
    for sop in pub.sops:
        known.setdefault(kode_of(sop.instansi), sop.instansi)
    return known


def _logos(pub: Publication, institutions: dict[str, Instansi], data_folder: str) -> dict[str, Logo | None]:
    """Each institution's logo as accepted, by folder: the top's is :attr:`Publication.logo`."""
    out: dict[str, Logo | None] = {"": pub.logo}
    for kode, instansi in institutions.items():
        if kode:
            folder = os.path.dirname(instansi.path) if instansi.path else os.path.join(data_folder, kode)
            out[kode] = read_logo(instansi, folder)
    return out


def _print(pub: Publication, settings: Settings) -> None:
    """Measure and print every SOP's sheets, then bind the binders once the browser has closed."""
    cache = os.path.join(settings.cache_dir, "printing") if settings.cache_dir else None
    drafts, inputs = _sheet_inputs(pub, settings)
    institutions = _institutions(pub)
    logos = pub.logos
    progress = settings.progress
    sets = binder_sets(pub.sops, institutions)
    total = len(pub.sops) + len(sets)
    with Printer(cache, settings.paper) as printer:
        lembars = printer.prepare(pub.sops, inputs)
        pdfs = printer.print(lembars, (lambda n, name: progress(n, total, name)) if progress else None)
        pub.pdfs = {f"{lb.sop.id}.pdf": data for lb, data in zip(lembars, pdfs)}
        binders = {name: printer.prepare_binder([lb for lb in lembars if _inside(kode_of(lb.sop.instansi), kode)],
                                                institutions[kode], logos.get(kode))
                   for name, kode in sets.items()}
        # After the binder (which holds the drafts): each draft's version in force, beside it.
        in_force = _print_in_force(pub, printer, inputs, drafts, settings.site.preview if settings.site else True)
        printer.prune(lembars + in_force)  # sheets of older versions of the SOPs
    # Bound once the browser has closed; large: kept on disk (in a temporary folder without a cache).
    # With a cache, each under the key of its parts: a binder whose parts are unchanged is not bound again.
    if not cache:
        pub._temporary = temp_folder("binder")
    folder = os.path.join(cache, "binders") if cache else pub._temporary
    for n, (name, binder) in enumerate(binders.items(), len(pub.sops) + 1):
        path = os.path.join(folder, binder.key + ".pdf") if cache else os.path.join(folder, name)  # type: ignore[arg-type]
        if not cache or not os.path.isfile(path):
            binder.bind(path)
            pub.bound += 1
        pub.binders[name] = path
        if progress:
            progress(n, total, name)
    if cache:  # binders of older parts
        used = {os.path.basename(p) for p in pub.binders.values()}
        remove_except(folder, used.__contains__)
    pub.sheets = {lb.sop.id: lb for lb in lembars}
    pub.problems = printer.problems
    pub.printed, pub.from_cache = printer.printed, printer.from_cache


def _sheet_inputs(pub: Publication, settings: Settings) -> tuple[set[str], SheetInputs]:
    """The drafts, and what every SOP's sheets are made with besides the SOP itself."""
    history = pub.report.history
    # A built site judges the committed versions only; ``sop pdf`` and ``mkdocs serve`` the files as they are.
    drafts = history.drafts(settings.site.preview if settings.site is not None else True) if history else set()
    today = dt.date.today()
    marks = {sid: st.mark for sid, st in statuses(pub.sops, today, drafts).items() if not st.in_force}
    return drafts, SheetInputs(
        all_sops={s.id: s for s in pub.sops}, logo=pub.logo, logos=pub.logos, marks=marks,
        revisions=history.revision_notes() if history else None, content_keys=pub.report.loaded.content_keys,
        addresses=_addresses(pub, settings))


def sheets_of(pub: Publication, settings: Settings, sops: list[Sop], printer: Printer) -> dict[str, Lembar]:
    """The sheets of ``sops`` measured among ``pub`` as :func:`publish` prints them, by id, not printed
    (``mkdocs serve``'s preview); ``printer``'s cache (``<cache>/printing``) is the one a build reads."""
    return {lb.sop.id: lb for lb in printer.prepare(sops, _sheet_inputs(pub, settings)[1])}


def _in_force_of(pub: Publication, sop: Sop, preview: bool, href: str) -> InForce | None:
    """A draft's version in force as its page names it: the revision printed, else the one git knows of."""
    history = pub.report.history
    own = history.per_sop.get(sop.id) if history is not None else None
    revision = pub.in_force.get(sop.id) or (own.in_force(preview) if own is not None else None)
    if revision is None:
        return None
    approved = approval_date(revision.sop) if revision.sop is not None else None
    name = in_force_pdf(sop.id)
    return InForce(format_tanggal(approved) if approved else revision.tanggal, revision.short_id,
                   href if name in pub.pdfs else None)


def in_force_pdf(sop_id: str) -> str:
    """The PDF of a draft's version in force, beside the draft's own ``<id>.pdf``."""
    return f"{sop_id}-berlaku.pdf"


def _print_in_force(pub: Publication, printer: Printer, inputs: SheetInputs, drafts: set[str],
                    preview: bool) -> list[Lembar]:
    """The sheets of each draft's version in force (its last approved content, read from git), printed
    unmarked into :attr:`Publication.pdfs` as ``<id>-berlaku.pdf`` (issue 16, item 2); cached like
    any sheets, under that version's own content."""
    history = pub.report.history
    if history is None:
        return []
    ids = {s.id for s in pub.sops}
    old: list[Sop] = []
    for sop in pub.sops:
        own = history.per_sop.get(sop.id)
        revision = own.in_force(preview) if own is not None and sop.id in drafts else None
        version = revision.sop if revision is not None else None
        if revision is None or version is None or in_force_pdf(sop.id)[:-4] in ids:
            continue  # no draft, a version that cannot be read now, or the name is another SOP's
        old.append(version)
        pub.in_force[sop.id] = revision
    if not old:
        return []
    # The QR code holds this version's own revision: its page says that paper is the version in force.
    addresses = {s.id: _revision_address((inputs.addresses or {}).get(s.id, ""), pub.in_force[s.id].short_id,
                                         s.tanggal_revisi) for s in old}
    marks = {s.id: "" for s in old}
    before = len(printer.problems)
    lembars = printer.prepare(old, dataclasses.replace(inputs, marks=marks, content_keys=None, addresses=addresses))
    pub.pdfs.update({in_force_pdf(lb.sop.id): data for lb, data in zip(lembars, printer.print(lembars))})
    # A fault of an approved version's layout is told, but never stops the build of the current files.
    pub.notes.extend(f"versi yang berlaku (dari git): {p}" for p in printer.problems[before:])
    del printer.problems[before:]
    return lembars


def _revision_address(address: str, rev: str, tanggal: dt.date | None) -> str:
    """A page address (as :func:`_addresses` made it, or empty without site_url) with another revision."""
    if not address:
        return ""
    query = [f"rev={rev}"] + ([f"tgl={tanggal.isoformat()}"] if tanggal else [])
    return address.split("?")[0] + "?" + "&".join(query)


def _print_forms(pub: Publication, settings: Settings) -> None:
    """The forms of monitoring and evaluation as PDFs among the site's files (``monev/``): blank per unit,
    filled per period and per year (:mod:`sopcode.sheets.forms`), each cached under the document printed."""
    folder = os.path.join(settings.cache_dir, "printing", "formulir") if settings.cache_dir else None
    made = forms(pub.sops, pub.report.monitoring, pub.report.evaluation, dt.date.today(), settings.paper, pub.logo,
                 pub.logos)
    pub.outputs.extend(Output(path, content=data) for path, data in print_forms(made, folder).items())


@dataclass(frozen=True)
class _Shared:
    """What every SOP page of one site is made with: the addresses, the context, monitoring and evaluation."""

    urls: dict[str, str]
    context: SiteContext
    by_status: dict[str, Status]
    due_by_id: dict[str, tuple[Due, Due]]
    kept: tuple[bool, bool]
    logo_url: str | None
    today: dt.date
    relative: Callable[[str, str], str]
    institutions: list[Instansi] = field(default_factory=list)
    """The institutions the site shows (:func:`institutions_shown`; none with one institution)."""
    homes: dict[str, str] = field(default_factory=dict)
    """Each shown institution's folder → the address of its home."""
    logo_urls: dict[str, str | None] = field(default_factory=dict)
    """The institutions whose logo is not the top's, by folder → the address of theirs (None: they have none)."""

    def logo_of(self, kode: str) -> str | None:
        """The address of the logo of the institution at ``kode``: its own, else the top's."""
        return self.logo_urls.get(kode, self.logo_url)

    def links(self, page_url: str, extra: dict[str, str] | None = None) -> Callable[[str], str]:
        """SOP id → the link to its page from the page at ``page_url`` (``extra``: more ids' addresses)."""
        where = {**self.urls, **(extra or {})}
        return lambda sop_id: self.relative(where[sop_id], page_url)


def _shared(pub: Publication, site: SiteSettings, logo_url: str | None) -> _Shared:
    report, history, sops = pub.report, pub.report.history, pub.sops
    drafts = history.drafts(site.preview) if history else set()
    today = dt.date.today()
    by_status = statuses(sops, today, drafts)
    context = SiteContext.of({s.id: s for s in sops}, word_roots=site.word_roots, preview=site.preview,
                             history_note=history.reader_note if history else None, statuses=by_status)
    # Monitoring and evaluation on each page: only the kinds the project keeps records of.
    due_by_id = dues(sops, report.monitoring, report.evaluation, today, by_status)
    kept = (bool(report.monitoring.records), bool(report.evaluation.records))
    shown = institutions_shown(_institutions(pub), sops)
    logo_urls: dict[str, str | None] = {kode: None for kode, logo in pub.logos.items() if kode and logo is None}
    logo_urls.update({kode: site.url(institution_logo(kode, logo)) for kode, logo in _own_logos(pub).items()})
    return _Shared({sop.id: site.url(sop_src(sop.id)) for sop in sops}, context, by_status, due_by_id, kept,
                   logo_url, today, site.relative, shown,
                   {ins.kode: site.url(institution_src(ins.kode)) for ins in shown}, logo_urls)


def institution_logo(kode: str, logo: Logo) -> str:
    """Where the logo of an institution whose logo is not the top's lives in the site."""
    return f"assets/sop/instansi/{kode}/logo{logo.ext}"


def _own_logos(pub: Publication) -> dict[str, Logo]:
    """The institutions whose logo is not the top's (their own, or one inherited from an institution between
    them and the top), by folder."""
    top = pub.logo.data if pub.logo is not None else None
    return {kode: logo for kode, logo in pub.logos.items() if kode and logo is not None and logo.data != top}


def _pdf_url(site: SiteSettings, name: str) -> str:
    """A PDF's address, encoded (an SOP's id may hold '#', '?', '%' or a space)."""
    return quote(posixpath.join(site.pdf_dir, name) if site.pdf_dir != "." else name)


def _sop_page(pub: Publication, site: SiteSettings, shared: _Shared, sop: Sop) -> tuple[Page, list[Output]]:
    """One SOP's page and the files that go with it (its YAML source, its full-size drawing)."""
    report, history = pub.report, pub.report.history
    here = shared.urls[sop.id]
    files = []
    downloads = []
    if f"{sop.id}.pdf" in pub.pdfs:
        downloads.append(("Lembar SOP (PDF)", site.relative(_pdf_url(site, f"{sop.id}.pdf"), here), "pdf"))
    source = _checked_bytes(sop, report, pub.notes) if site.yaml_downloads else None
    if source is not None:
        path = f"{SOP_DIR}/{sop.id}/{stem_of(sop.id)}.yaml"  # sop/<kode>/<file>/<file>.yaml
        files.append(Output(path, content=source))
        downloads.append(("Berkas sumber (YAML)", site.relative(site.url(path), here), "yaml"))
    chart_href = None
    if sop.id in pub.drawings:  # the drawing as a file, and "Perbesar bagan": a page holding it at full size
        path = f"{SOP_DIR}/{sop.id}/bagan-alir.svg"  # its symbols lead to their rows on this page
        files.append(Output(path, content=standalone_svg(pub.drawings[sop.id], site.relative(here, site.url(path)))))
        page_path = f"{SOP_DIR}/{sop.id}/bagan-alir.html"
        at = site.url(page_path)
        files.append(Output(page_path, content=chart_page(
            sop, standalone_svg(pub.drawings[sop.id], site.relative(here, at)), site.relative(here, at),
            site.relative(site.url(path), at))))
        chart_href = site.relative(at, here)
    logo_url = shared.logo_of(sop.instansi.kode)  # its institution's, as its printed sheets show it
    logo_href = site.relative(logo_url, here) if logo_url else None
    sheet = pub.sheets.get(sop.id)
    parts = SopParts(
        swimlane=pub.drawings.get(sop.id), swimlane_href=chart_href, downloads=downloads, logo=logo_href,
        # the sheets themselves, shown when the page is printed
        sheets=sheets_html(dataclasses.replace(sheet, logo=logo_href)) if sheet else None,
        paper=sheet.kertas if sheet else None, history=history.per_sop.get(sop.id) if history else None,
        pantauan=badge(shared.due_by_id[sop.id], report.monitoring, report.evaluation, sop.id, shared.kept),
        monev_href=site.relative(site.url(site.monev_page), here),
        instansi_href=site.relative(shared.homes[sop.instansi.kode], here) if sop.instansi.kode in shared.homes else None)
    if shared.context.status(sop.id) is Status.DRAF:
        pdf_href = site.relative(_pdf_url(site, in_force_pdf(sop.id)), here)
        parts = dataclasses.replace(parts, berlaku=_in_force_of(pub, sop, site.preview, pdf_href))
    return sop_page(sop, shared.links(here), shared.context, parts), files


def sop_page_of(pub: Publication, site: SiteSettings, sop: Sop) -> tuple[Page, list[Output]]:
    """One SOP's page as :func:`publish` makes it among all of ``pub.sops`` (``mkdocs serve``'s fast path)."""
    logo_url = site.url(f"assets/sop/logo{pub.logo.ext}") if pub.logo is not None else None
    return _sop_page(pub, site, _shared(pub, site, logo_url), sop)


def _pages(pub: Publication, site: SiteSettings) -> None:
    """The site's own style and script, the logo, a page per SOP with its downloads and drawing, an error
    page per broken file (``keep_going``), the list of SOPs and the latest changes: in the order MkDocs
    gets them."""
    out = pub.outputs
    history, sops = pub.report.history, pub.sops
    out.extend(Output(path, source=source) for path, (_, source) in ASSETS.items())
    logo_url = None
    if pub.logo is not None:  # named by its kind (logo.png, logo.jpg), whatever the file was called
        path = f"assets/sop/logo{pub.logo.ext}"
        out.append(Output(path, content=pub.logo.data))
        logo_url = site.url(path)
    out.extend(Output(institution_logo(kode, logo), content=logo.data) for kode, logo in _own_logos(pub).items())
    shared = _shared(pub, site, logo_url)
    context, by_status, today, links = shared.context, shared.by_status, shared.today, shared.links
    pub.archived = {sid for sid, st in by_status.items() if st in ARCHIVED}

    def pdf_url(name: str) -> str:
        return _pdf_url(site, name)

    pages: list[tuple[int, Sop]] = []
    for sop in sops:  # the pages first, their files after them
        pages.append((len(out), sop))
        out.append(Output(sop_src(sop.id)))
    for index, sop in pages:
        page, files = _sop_page(pub, site, shared, sop)
        out.extend(files)
        out[index] = Output(sop_src(sop.id), page=page)
    broken = []
    for path, diagnostics in pub.broken.items():  # keep_going only: the errors, where the page would be
        if not is_sop_path(path):  # an _instansi.yaml or a record: no SOP page of its name (see held)
            continue
        sop_id = _broken_id(path, _institutions(pub))
        out.append(Output(sop_src(sop_id), page=error_page(path, diagnostics)))
        broken.append((path, sop_id))
    by_path = {s.path: s for s in pub.report.sops}
    for path, (settings, diagnostics) in pub.held.items():  # its institution's settings' errors, in its place
        sop_id = by_path[path].id
        out.append(Output(sop_src(sop_id), page=settings_error_page(settings, diagnostics)))
        broken.append((path, sop_id))
    list_url = site.url(site.list_page)
    binder = site.relative(pdf_url(BUKU), list_url) if pub.binder else None
    error_urls = {sop_id: site.url(sop_src(sop_id)) for _, sop_id in broken}
    out.extend(_homes(pub, site, shared))
    out.append(Output(site.list_page, page=sop_list_page(
        sops, links(list_url, error_urls), binder=binder, statuses=by_status, institutions=shared.institutions,
        pdfs={s.id: site.relative(pdf_url(f"{s.id}.pdf"), list_url) for s in sops if f"{s.id}.pdf" in pub.pdfs},
        broken=[(os.path.relpath(path, site.root), sop_id) for path, sop_id in broken])))
    latest_url = site.url(site.latest_page)
    by_id = context.all_sops
    latest = [(by_id[sid], r) for sid, r in history.terbaru(50, site.preview) if sid in by_id] if history else []
    out.append(Output(site.latest_page, page=latest_changes_page(
        latest, links(latest_url), history.reader_note if history else None)))
    out.extend(_monev(pub, site, by_status, today, links, shared.institutions))


def _homes(pub: Publication, site: SiteSettings, shared: _Shared) -> list[Output]:
    """A home per institution (a site of several institutions only): at ``instansi/<kode>/``, linking to
    Daftar SOP filtered to it (``?instansi=<kode>``, read by sop.js) and to its binder when one was bound."""
    out = []
    list_url = site.url(site.list_page)
    failed = broken_settings(pub.report.loaded.institutions, pub.broken)
    for ins in shared.institutions:
        here = shared.homes[ins.kode]
        wrong = [kode for kode in parents(ins.kode) if kode in failed]
        if wrong:  # keep_going only: its header and settings are unknown, so its errors stand in its home
            settings = failed[wrong[0]]
            out.append(Output(institution_src(ins.kode), page=settings_error_page(settings, pub.broken[settings])))
            continue
        name = posixpath.join(ins.kode, BUKU) if ins.kode else BUKU
        binder = site.relative(_pdf_url(site, name), here) if name in pub.binders else None
        logo_url = shared.logo_of(ins.kode)
        logo = site.relative(logo_url, here) if logo_url else None
        own = [s for s in pub.sops if s.instansi.kode == ins.kode]
        page = institution_page(ins, own, shared.links(here), site.relative(list_url, here) + "?" + urlencode(
            {"instansi": ins.kode}), shared.by_status, binder, logo, site.word_roots)
        out.append(Output(institution_src(ins.kode), page=page))
    return out


def _monev(pub: Publication, site: SiteSettings, by_status: dict[str, Status], today: dt.date,
           links: Callable[[str], Callable[[str], str]], institutions: list[Instansi] | None = None) -> list[Output]:
    """The page Monitoring dan evaluasi, and each monitoring period's recap as an Excel workbook; the page
    links to the recaps and to the forms' PDFs already among the site's files."""
    report, sops = pub.report, pub.sops
    page_url = site.url(site.monev_page)
    present = {o.path for o in pub.outputs}
    downloads = [(f"{label} (PDF)", site.relative(site.url(path), page_url))
                 for path, label in form_paths(sops, report.monitoring, report.evaluation, today) if path in present]
    recaps = _recaps(pub, institutions or [])
    for output, label in recaps:
        downloads.append((label, site.relative(site.url(output.path), page_url)))
    page = monev_page(
        rows_of(sops, report.monitoring, report.evaluation, today, by_status), links(page_url),
        report.monitoring, report.evaluation,
        awaiting_revision(sops, report.evaluation, {s.id: s.disahkan for s in report.summaries}),
        downloads, chart(sops, report.monitoring, bool(institutions)), institutions or [])
    # keep_going only: a records file with errors has no page of its own; its messages head this page.
    failed = [error_page(path, d).html for path, d in pub.broken.items() if file_kind(path) in ("monitoring", "evaluasi")]
    if failed:
        page = dataclasses.replace(page, html="".join(failed) + page.html)
    return [Output(site.monev_page, page=page), *(out for out, _ in recaps)]


def _recaps(pub: Publication, institutions: list[Instansi]) -> list[tuple[Output, str]]:
    """Each monitoring period's recap (Excel) and its link text: the whole site's (every institution's
    SOPs, under the top's hierarchy), then, in a site of several institutions, each institution's own
    (its SOPs only, under its own hierarchy) at ``monev/<kode>/``, beside its forms."""
    report, sops = pub.report, pub.sops
    by_id = {s.id: s for s in sops}
    several = any(ins.kode for ins in institutions)
    groups: list[tuple[str, Instansi, list[Sop], str]] = [
        ("", report.loaded.instansi, sops, " (semua instansi)" if several else "")]
    groups += [(ins.kode, ins, [s for s in sops if s.instansi.kode == ins.kode], f" ({ins.nama})")
               for ins in institutions if ins.kode]
    out = []
    for periode in report.monitoring.periods():
        for kode, ins, own, suffix in groups:
            records = {r.sop: r for r in report.monitoring.records if r.periode == periode
                       and r.sop in by_id and (not kode or by_id[r.sop].instansi.kode == kode)}
            listed = [s for s in own if s.id in records or in_force_during(s, periode.mulai, periode.akhir, by_id)]
            if kode and not listed:
                continue  # no SOP of it in force in that period: nothing to recap
            path = recap_path(periode, kode)
            instansi = " ".join(str(line) for line in ins.hierarki)
            out.append((Output(path, content=monitoring_workbook(periode, listed, records, instansi)),
                        f"Rekap monitoring {periode.label}{suffix} (Excel)"))
    return out


FILE_KINDS = {"sop": "berkas SOP", "pengaturan": "berkas pengaturan instansi (_instansi.yaml)",
              "monitoring": "berkas catatan monitoring (_monev/)", "evaluasi": "berkas catatan evaluasi (_evaluasi/)"}
"""How messages name each kind of file a check reads (:func:`file_kind`)."""


def file_kind(path: str) -> str:
    """What a file with errors is (a key of :data:`FILE_KINDS`): an institution's settings, a record of
    ``_monev/`` or ``_evaluasi/``, else an SOP."""
    folder = os.path.basename(os.path.dirname(os.path.normpath(path)))
    if os.path.basename(path) == SETTINGS_FILE:
        return "pengaturan"
    return {MONEV_FOLDER: "monitoring", EVALUASI_FOLDER: "evaluasi"}.get(folder, "sop")


def is_sop_path(path: str) -> bool:
    """A file the loader reads as an SOP: not an ``_instansi.yaml``, not a record in ``_monev/`` or ``_evaluasi/``."""
    return file_kind(path) == "sop"


def broken_settings(institutions: dict[str, Instansi], broken: dict[str, list[Diagnostic]]) -> dict[str, str]:
    """The institutions whose own ``_instansi.yaml`` has errors: kode → that file."""
    return {kode: ins.path for kode, ins in institutions.items() if ins.path and ins.path in broken}


def held_back(report: Report, broken: dict[str, list[Diagnostic]]) -> dict[str, tuple[str, list[Diagnostic]]]:
    """The SOPs (without errors of their own) of an institution whose settings, or those of an institution
    above it, have errors → the nearest such settings file and the errors of all of them. Their header,
    paper and labels would be a parent's or the defaults: not published silently with the wrong ones."""
    failed = broken_settings(report.loaded.institutions, broken)
    if not failed:
        return {}
    out = {}
    for sop in report.sops:
        wrong = [kode for kode in parents(sop.instansi.kode) if kode in failed]
        if wrong and sop.path not in broken:
            out[sop.path] = (failed[wrong[0]], [d for kode in reversed(wrong) for d in broken[failed[kode]]])
    return out


def settings_error_page(path: str, diagnostics: list[Diagnostic]) -> Page:
    """In place of an institution's home and each of its SOPs while its ``_instansi.yaml`` has errors."""
    return dataclasses.replace(error_page(path, diagnostics), title="Galat pada pengaturan instansi")


def _broken_id(path: str, institutions: dict[str, Instansi]) -> str:
    """The id a file with errors would have: its name in the institution whose folder holds it, the deepest."""
    folder = os.path.dirname(os.path.abspath(path))
    within = [kode for kode, ins in institutions.items() if kode and ins.path
              and (folder + os.sep).startswith(os.path.dirname(os.path.abspath(ins.path)) + os.sep)]
    kode = max(within, key=len, default="")
    return make_id(kode, os.path.splitext(os.path.basename(path))[0])


def _data_folder(paths: list[str]) -> str:
    """The folder the institution's settings (and logo) were read from."""
    first = paths[0]
    return first if os.path.isdir(first) else (os.path.dirname(first) or ".")


def _errors_by_file(report: Report) -> dict[str, list[Diagnostic]]:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in report.errors:
        by_file[d.loc.path].append(d)
    return dict(by_file)


def _checked_bytes(sop: Sop, report: Report, notes: list[str]) -> bytes | None:
    """The SOP's file as published for download: the very bytes that were checked, read again
    the bounded way (never by following the path at copy time); None when it changed since."""
    data = read_for_key(sop.path)
    key = report.loaded.content_keys.get(sop.path)
    # Keyed as the loader keyed it: with the settings of the file's own institution.
    salt = content_salt(report.loaded.settings_of(sop.path))
    if data is None or not key or content_key(salt, sop.path, data) != key:
        notes.append(f"{display_path(sop.path)}: berkas berubah selama pembangunan; unduhan YAML-nya tidak "
                     "disertakan (bangun ulang untuk menyertakannya)")
        return None
    return data


def _same_file(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read() == data
    except OSError:
        return False
