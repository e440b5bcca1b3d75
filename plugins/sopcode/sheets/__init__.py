"""Printing: the Permenpan-RB 35/2012 sheets of every SOP, per-SOP PDFs and the binder.

:class:`Printer` holds one headless Chromium for a whole run: it measures and
paginates the sheets (:mod:`.layout`), prints each SOP as a document of its own
(several tabs at once), then gets the binder ready (:mod:`.binder`). Nothing here knows MkDocs;
:func:`sopcode.publish.publish` runs it for the site and for ``sop pdf``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import overload

from sopcode import cache
from sopcode.atomic import temp_folder, write_atomic, write_failure
from sopcode.model.logo import Logo
from sopcode.model.sop import Instansi, Sop
from sopcode.sheets.binder import BinderEntry, SopPart, bind, finish, font_digest
from sopcode.sheets.chromium import Chromium, ChromiumMissing, PrintError, Tab
from sopcode.sheets.layout import (
    ARCHIVE_TITLE,
    KERTAS,
    MARGIN,
    Bagian,
    Lembar,
    SheetInputs,
    batch_document,
    binder_cover,
    binder_front,
    binder_order,
    cover_pages,
    document_key,
    kode_of,
    latest_year,
    logo_name,
    nama_of,
    prepare,
    print_document,
    print_pdf,
    sheets_html,
)

__all__ = [
    "BUKU",
    "KERTAS",
    "Binder",
    "ChromiumMissing",
    "Lembar",
    "PrintError",
    "Printer",
    "SheetInputs",
    "cut_text",
    "sheets_html",
    "write_atomic",
]

BUKU = "buku-sop.pdf"
"""File name of the binder, beside the per-SOP PDFs."""

PRINT_TABS = 3
"""Documents printed at once: Chromium lays out each tab in its own process, so the cores share the work."""


class Printer:
    """One browser for a run::

        with Printer(cache_dir) as p:
            sheets = p.prepare(sops, SheetInputs(...))
            pdfs = p.print(sheets)
            binder = p.prepare_binder(sheets)
        binder.bind("buku-sop.pdf")  # the browser has closed: its memory is free again
    """

    def __init__(self, cache_dir: str | None = None, paper: str | None = None):
        self.cache_dir = cache_dir
        self.paper = paper
        """``A4`` or ``F4`` for every SOP, over the settings (``sop pdf --kertas``)."""
        self.problems: list[str] = []
        """Layout faults the browser found while printing (text overflowing a cell …); empty when all is well."""
        self.printed = 0
        """SOPs printed by the browser in this run (the others came from the cache)."""
        self.from_cache = 0
        self._done: dict[str, tuple[Lembar, bytes]] = {}
        self._fronts: set[str] = set()  # the binders' covers, contents and lists of withdrawn SOPs in the cache
        self._paths: dict[int, str] = {}  # where each sheet's PDF is cached (see _cached), by id of its Lembar
        self._lock = threading.Lock()  # the counters and lists above, shared by the printing threads

    def __enter__(self) -> Printer:
        # The pages the browser opens, in this user's temporary folder (see atomic.temp_folder).
        self._workdir = temp_folder("printing")
        try:
            self._browser = Chromium().__enter__()
        except BaseException:
            shutil.rmtree(self._workdir, ignore_errors=True)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.clear()  # the PDFs went to the caller; not kept alive with the printer
        try:
            self._browser.__exit__(*exc)
        finally:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def prepare(self, sops: list[Sop], inputs: SheetInputs | None = None) -> list[Lembar]:
        """Measure, paginate and draw the sheets of ``sops`` (see :class:`SheetInputs`)."""
        inputs = inputs or SheetInputs()
        if self.paper:
            inputs = dataclasses.replace(inputs, paper=self.paper)
        with self._writing():
            for logo in inputs.all_logos():  # each institution's, named by its content
                write_atomic(os.path.join(self._workdir, logo_name(logo) or ""), logo.data)
            return prepare(sops, self._browser, self._workdir, inputs, self.cache_dir)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A block whose failed writes come out as :class:`atomic.WriteFailed`, naming the file, or else
        the printer's temporary folder (a page written there does not name itself when the disk is full)."""
        try:
            yield
        except OSError as exc:
            raise write_failure(exc, self._workdir) from exc

    def print_one(self, lembar: Lembar) -> bytes:
        return self.print([lembar])[0]

    def print(self, lembars: list[Lembar], progress: Callable[[int, str], None] | None = None) -> list[bytes]:
        """Every SOP's PDF: from the cache, or printed, several at once (one tab each).

        Each SOP is printed as a document of its own, whatever else is printed in the run: a PDF
        holds the subset of each font its text uses, and a page is written where it lies in its
        document, so an SOP printed in a batch with others came out in other bytes than printed
        alone (a warm build, printing only the SOP that changed, differed from a cold one). The
        cache holds each PDF under the exact document printed (:meth:`_cached`).
        ``progress`` hears (SOPs done, id) after each SOP, from whichever thread printed it.
        """
        from concurrent.futures import ThreadPoolExecutor

        result: list[bytes | None] = [None] * len(lembars)
        todo: list[tuple[int, str, str | None]] = []
        done = itertools.count(1)  # next() on it is atomic: the threads never count the same SOP twice

        def finished(i: int, data: bytes) -> None:
            result[i] = data
            with self._lock:
                self._done[lembars[i].sop.id] = (lembars[i], data)
                n = next(done)
            if progress:
                progress(n, lembars[i].sop.id)

        for i, lb in enumerate(lembars):
            html = batch_document([lb])
            cached = self._cached(lb, html)
            data = cache.read_bytes(cached)
            problems = cache.read_text(cached[:-4] + ".problems.txt") if cached else None
            if data is not None and problems is not None:
                with self._lock:
                    self.problems.extend(line for line in problems.splitlines() if line)
                self.from_cache += 1
                finished(i, data)
            else:
                todo.append((i, html, cached))

        local = threading.local()
        tabs: list[Tab] = []

        def one(item: tuple[int, str, str | None]) -> None:
            i, html, cached = item
            lb = lembars[i]
            problems: list[str] = []
            if getattr(local, "tab", None) is None:  # one tab per printing thread, shown each SOP in turn
                local.tab = self._browser.new_tab()
                with self._lock:
                    tabs.append(local.tab)
            data = print_document(self._browser, self._workdir, f"sheet-{i}.html", html, problems, local.tab)
            part = finish(data, _part(lb))
            with self._lock:
                self.problems.extend(problems)
                self.printed += 1
            if cached and cache.write(cached, part):  # a cache that cannot be written: printed again next time
                cache.write(cached[:-4] + ".problems.txt", "".join(p + "\n" for p in problems))
            finished(i, part)

        workers = max(1, min(PRINT_TABS, os.cpu_count() or 1, len(todo)))
        try:
            with self._writing(), ThreadPoolExecutor(workers) as pool:
                list(pool.map(one, todo))
        finally:
            for tab in tabs:
                tab.close()
        return result  # type: ignore[return-value]

    def print_binder(self, lembars: list[Lembar]) -> bytes:
        """The binder's bytes, assembled from the SOPs' own PDFs (printed now if they were not yet)."""
        return self.prepare_binder(lembars).bind()

    def prepare_binder(self, lembars: list[Lembar], cover: Instansi | None = None,
                       logo: Logo | None = None) -> Binder:
        """Everything the binder needs from the browser: the SOPs' PDFs and the cover and contents.

        ``cover``: the institution whose binder it is (default: the SOPs' own). When the SOPs
        are of several institutions (the whole government's binder, or an institution's holding
        those of the institutions inside it), the binder opens with ``cover``'s cover (``logo``
        on it) and a contents of the institutions, then a part per institution (its folder's
        order, :func:`kode_of`), each with its own cover, contents and withdrawn SOPs at its end;
        pages are numbered through the whole binder. The SOPs of one institution make the plain
        binder, as a single-institution project has always had.

        Binding (:meth:`Binder.bind`) needs no browser: done after it has closed, the two
        never hold their memory at the same time.
        """
        missing = [lb for lb in lembars if self._done.get(lb.sop.id, (None,))[0] is not lb]
        if missing:
            self.print(missing)
        groups: dict[str, list[Lembar]] = {}
        for lb in lembars:
            groups.setdefault(kode_of(lb.sop.instansi), []).append(lb)
        if cover is None or list(groups) == [kode_of(cover)]:
            lembars = binder_order(lembars)  # in force first; withdrawn and superseded last, after their list
            front, _, contents = self._part(lembars, 1)
            return Binder(front, contents, f"{lembars[0].sop.instansi.unit_utama} - Buku SOP")
        page = cover_pages(len(groups)) + 1
        parts: list[Bagian] = []
        contents = []
        for kode in sorted(groups):
            ordered = binder_order(groups[kode])
            parts.append(Bagian(ordered[0].sop.instansi, len(ordered), page))
            _, own, entries = self._part(ordered, page)
            contents += [BinderEntry(own, nama_of(ordered[0].sop.instansi), page, group=True), *entries]
            page = entries[-1].first_page + ordered[-1].n_pages  # the next part's cover follows the last sheet
        paper = KERTAS.get(str(self.paper or cover.kertas).upper(), KERTAS["A4"])
        name = logo_name(logo)
        if logo is not None and name is not None:
            with self._writing():
                write_atomic(os.path.join(self._workdir, name), logo.data)
        html = binder_cover(cover, name, paper, parts, latest_year(lembars))
        with self._writing():
            front = print_pdf(self._browser, self._workdir, "binder-cover.html", html, self._pdf_cache, self.problems)
        self._keep(html)
        return Binder(front, contents, f"{nama_of(cover)} - Buku SOP")

    def _part(self, lembars: list[Lembar], first: int) -> tuple[bytes, bytes | str, list[BinderEntry]]:
        """One institution's cover and contents (printed, from page ``first``: its bytes, and its cache
        file when there is one) and its entries: its SOPs, with the list of withdrawn and superseded
        ones before their sheets."""
        printed = binder_front(lembars, first=first)
        html = printed.html
        with self._writing():
            front = print_pdf(self._browser, self._workdir, "binder-front.html", html, self._pdf_cache, self.problems)
            archive = (print_pdf(self._browser, self._workdir, "binder-archive.html", printed.archive,
                                 self._pdf_cache, self.problems) if printed.archive else b"")
        self._keep(html)
        if printed.archive:
            self._keep(printed.archive)
        contents: list[BinderEntry] = []
        listed = False
        for lb, entry in zip(lembars, printed.entries):
            if archive and entry.halaman > printed.archive_page and not listed:
                contents.append(BinderEntry(self._front_source(printed.archive, archive), ARCHIVE_TITLE,
                                            printed.archive_page))
                listed = True
            cached = self._cached(lb)
            # From the cache file when there is one: qpdf reads it as needed, nothing is held twice.
            source = cached if cached and os.path.isfile(cached) else self._done[lb.sop.id][1]
            contents.append(BinderEntry(source, str(lb.sop.nama), entry.halaman))
        return front, self._front_source(html, front), contents

    def _keep(self, html: str) -> None:
        """Remember a printed front matter's cache file: :meth:`prune` keeps it."""
        if self._pdf_cache:
            self._fronts.add(document_key(self._browser, html) + ".pdf")

    def _front_source(self, html: str, data: bytes) -> bytes | str:
        """A printed front matter as a binder entry: its cache file when there is one (see
        :meth:`Binder.key`), else its bytes."""
        if self._pdf_cache:
            path = os.path.join(self._pdf_cache, document_key(self._browser, html) + ".pdf")
            if os.path.isfile(path):
                return path
        return data

    def prune(self, lembars: list[Lembar]) -> int:
        """Remove cached sheets and PDFs that no SOP of ``lembars`` uses any more; returns how many.

        Call it after a run over every SOP (a build): each edit of an SOP leaves its
        old sheets behind, and a server's disk should not fill up with them.
        """
        if not self.cache_dir:
            return 0
        sheets = {lb.key + ".json" for lb in lembars if lb.key}
        pdfs = {os.path.basename(p) for p in map(self._cached, lembars) if p}
        pdfs |= {name[:-4] + ".problems.txt" for name in pdfs}
        pdfs |= self._fronts
        return (cache.remove_except(os.path.join(self.cache_dir, "sheets"), sheets.__contains__)
                + cache.remove_except(os.path.join(self.cache_dir, "pdf"), pdfs.__contains__))

    def _cached(self, lb: Lembar, html: str | None = None) -> str | None:
        """Where an SOP's PDF is cached: under the exact document printed (its HTML, the browser,
        our code) and its sheets' key (which holds the logo's bytes; the HTML has only its name)."""
        folder = self._pdf_cache
        if not folder or not lb.key:
            return None
        known = self._paths.get(id(lb))
        if known is None:
            html = batch_document([lb]) if html is None else html
            known = self._paths[id(lb)] = os.path.join(folder, cache.key(document_key(self._browser, html), lb.key)
                                                       + ".pdf")
        return known

    @property
    def _pdf_cache(self) -> str | None:
        return os.path.join(self.cache_dir, "pdf") if self.cache_dir else None


@dataclass
class Binder:
    """A binder ready to bind: its printed front matter and every SOP's PDF, in order."""

    front: bytes
    contents: list[BinderEntry]
    title: str

    @property
    def key(self) -> str:
        """What the bound binder is cached under: its parts (a file of the cache is named by its
        content already; bytes are hashed), their titles and pages, its title and our code. A build
        whose change left an institution's SOPs alone binds that institution's binder from the cache."""
        def source(pdf: bytes | str) -> str:
            return os.path.basename(pdf) if isinstance(pdf, str) else hashlib.sha256(pdf).hexdigest()
        parts = [(source(e.pdf), e.title, e.first_page, e.group) for e in self.contents]
        return cache.key(hashlib.sha256(self.front).hexdigest(), repr(parts), self.title, font_digest())

    @overload
    def bind(self, target: None = None) -> bytes: ...
    @overload
    def bind(self, target: str) -> None: ...
    def bind(self, target: str | None = None) -> bytes | None:
        """The binder's bytes, or written to ``target`` whole or not at all (returns None)."""
        return bind(self.front, self.contents, title=self.title, margin_left_mm=MARGIN[3],
                    margin_bottom_mm=MARGIN[2], front_outline=(("Sampul", 0), ("Daftar Isi", 1)), target=target)


def _part(lb: Lembar) -> SopPart:
    marks = [("Lembar identitas", 0)] + [(f"Lembar prosedur {p.no - 1}" if len(lb.pages) > 1 else
                                          "Lembar prosedur", p.no - 1) for p in lb.pages]
    return SopPart(lb.n_pages, str(lb.sop.nama), tuple(marks))


def cut_text(problems: list[str]) -> list[str]:
    """The layout problems that mean printed text would be cut (a cell or a sheet overflowing):
    errors, since nothing printed may be lost without one. The others (an arrow the router could
    not draw cleanly) are warnings."""
    return [p for p in problems if "melebihi" in p]
