"""Printing: the Permenpan-RB 35/2012 sheets of every SOP, per-SOP PDFs and the binder.

:class:`Printer` holds one headless Chromium for a whole run: it measures and
paginates the sheets (:mod:`.layout`), prints the SOPs in batches and cuts them
apart, then gets the binder ready (:mod:`.binder`). Nothing here knows MkDocs;
:func:`sopcode.publish.publish` runs it for the site and for ``sop pdf``.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sopcode.atomic import folder_sementara, gagal_tulis, write_atomic
from sopcode.model.sop import Sop
from sopcode.sheets.chromium import CetakError, Chromium, ChromiumMissing
from sopcode.sheets.binder import Bagian, Isi as IsiBuku, jilid, potong
from sopcode.sheets.layout import (KERTAS, MARGIN, Lembar, SheetInputs, batch_document, binder_front, document_key,
                                   prepare, print_document, print_pdf, sheets_html)

__all__ = ["BUKU", "Binder", "CetakError", "ChromiumMissing", "KERTAS", "Lembar", "Printer", "SheetInputs",
           "cut_text", "sheets_html", "write_atomic"]

BUKU = "buku-sop.pdf"
"""File name of the binder, beside the per-SOP PDFs."""

PRINT_TABS = 3
"""Documents printed at once: Chromium lays out each tab in its own process, so the cores share the work."""
BATCH_PAGES = 60
"""Sheets printed in one document. A print job costs mostly per job (about 0.07 s a page one SOP at a
time against 0.02 s in batches of this size, measured on 2 cores); much larger batches only grow the
browser's memory."""


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
        self._front: str | None = None  # the binder's cover and contents in the cache, once printed
        self._lock = threading.Lock()  # the counters and lists above, shared by the printing threads

    def __enter__(self) -> "Printer":
        # The pages the browser opens, in this user's temporary folder (see atomic.folder_sementara).
        self._workdir = folder_sementara("cetak")
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

    def prepare(self, sops: list[Sop], inputs: SheetInputs = SheetInputs()) -> list[Lembar]:
        """Measure, paginate and draw the sheets of ``sops`` (see :class:`SheetInputs`)."""
        if self.paper:
            inputs = dataclasses.replace(inputs, paper=self.paper)
        with self._writing():
            if inputs.logo is not None:
                write_atomic(os.path.join(self._workdir, inputs.logo_file), inputs.logo.data)
            return prepare(sops, self._browser, self._workdir, inputs, self.cache_dir)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A block whose failed writes come out as :class:`atomic.GagalTulis`, naming the file, or else
        the printer's temporary folder (a page written there does not name itself when the disk is full)."""
        try:
            yield
        except OSError as exc:
            raise gagal_tulis(exc, self._workdir) from exc

    def print_one(self, lembar: Lembar) -> bytes:
        return self.print([lembar])[0]

    def print(self, lembars: list[Lembar], progress: Callable[[int, str], None] | None = None) -> list[bytes]:
        """Every SOP's PDF: from the cache, or printed in batches, several at once, and cut apart.

        The cache holds each SOP's PDF under its sheets' key (:attr:`Lembar.kunci`), so one
        changed SOP is the only one printed again, whichever batch it was printed in before.
        ``progress`` hears (SOPs done, id) after each SOP, from whichever thread printed it.
        """
        from concurrent.futures import ThreadPoolExecutor

        result: list[bytes | None] = [None] * len(lembars)
        todo: list[tuple[int, str | None]] = []
        done = itertools.count(1)  # next() on it is atomic: the threads never count the same SOP twice

        def finished(i: int, data: bytes) -> None:
            result[i] = data
            with self._lock:
                self._done[lembars[i].sop.id] = (lembars[i], data)
                n = next(done)
            if progress:
                progress(n, lembars[i].sop.id)

        for i, lb in enumerate(lembars):
            cached = self._cached(lb)
            if cached and os.path.isfile(cached):
                with open(cached, "rb") as fh:
                    data = fh.read()
                self._problems_of(cached, read=True)
                self.from_cache += 1
                finished(i, data)
            else:
                todo.append((i, cached))
        batches: list[list[tuple[int, str | None]]] = []
        for item in todo:
            lb = lembars[item[0]]
            last = batches[-1] if batches else None
            if (last and lembars[last[0][0]].kertas == lb.kertas
                    and sum(lembars[j].n_pages for j, _ in last) + lb.n_pages <= BATCH_PAGES):
                last.append(item)
            else:
                batches.append([item])

        def one(batch: list[tuple[int, str | None]]) -> None:
            these = [lembars[i] for i, _ in batch]
            problems: list[str] = []
            data = print_document(self._browser, self._workdir, f"cetak-{these[0].sop.id}.html",
                                  batch_document(these), problems)
            parts = potong(data, [_bagian(lb) for lb in these])
            for (i, cached), lb, part in zip(batch, these, parts):
                mine = [p for p in problems if p.startswith(f"{lb.sop.id} ")]
                with self._lock:
                    self.problems.extend(mine)
                if cached:
                    write_atomic(cached, part)
                    self._problems_of(cached, mine)
                finished(i, part)
            with self._lock:
                self.printed += len(batch)

        workers = max(1, min(PRINT_TABS, os.cpu_count() or 1, len(batches)))
        with self._writing(), ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, batches))
        return result  # type: ignore[return-value]

    def print_binder(self, lembars: list[Lembar]) -> bytes:
        """The binder's bytes, assembled from the SOPs' own PDFs (printed now if they were not yet)."""
        return self.prepare_binder(lembars).bind()  # type: ignore[return-value]

    def prepare_binder(self, lembars: list[Lembar]) -> "Binder":
        """Everything the binder needs from the browser: the SOPs' PDFs and the cover and contents.

        Binding (:meth:`Binder.bind`) needs no browser: done after it has closed, the two
        never hold their memory at the same time.
        """
        missing = [lb for lb in lembars if self._done.get(lb.sop.id, (None,))[0] is not lb]
        if missing:
            self.print(missing)
        html, entries = binder_front(lembars)
        with self._writing():
            front = print_pdf(self._browser, self._workdir, "buku-depan.html", html, self._pdf_cache, self.problems)
        if self._pdf_cache:
            self._front = os.path.join(self._pdf_cache, document_key(self._browser, html) + ".pdf")
        isi = []
        for lb, entry in zip(lembars, entries):
            cached = self._cached(lb)
            # From the cache file when there is one: qpdf reads it as needed, nothing is held twice.
            source = cached if cached and os.path.isfile(cached) else self._done[lb.sop.id][1]
            isi.append(IsiBuku(source, str(lb.sop.nama), entry.halaman))
        return Binder(front, isi, f"{lembars[0].sop.instansi.unit_utama} - Buku SOP")

    def prune(self, lembars: list[Lembar]) -> int:
        """Remove cached sheets and PDFs that no SOP of ``lembars`` uses any more; returns how many.

        Call it after a run over every SOP (a build): each edit of an SOP leaves its
        old sheets behind, and a server's disk should not fill up with them.
        """
        if not self.cache_dir:
            return 0
        keep = {lb.kunci for lb in lembars if lb.kunci}
        removed = 0
        for folder in ("pdf", "lembar"):
            path = os.path.join(self.cache_dir, folder)
            for name in os.listdir(path) if os.path.isdir(path) else ():
                full = os.path.join(path, name)
                if name.split(".")[0] in keep or full == self._front:
                    continue
                try:
                    os.unlink(full)
                    removed += 1
                except OSError:
                    pass
        return removed

    def _cached(self, lb: Lembar) -> str | None:
        cache = self._pdf_cache
        return os.path.join(cache, lb.kunci + ".pdf") if cache and lb.kunci else None

    def _problems_of(self, cached: str, problems: list[str] | None = None, *, read: bool = False) -> None:
        """Layout problems are kept beside a cached PDF, so a rebuild still reports them."""
        path = cached[:-4] + ".masalah"
        if read:
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as fh:
                    self.problems.extend(line for line in fh.read().splitlines() if line)
        elif problems:
            write_atomic(path, "\n".join(problems) + "\n")

    @property
    def _pdf_cache(self) -> str | None:
        return os.path.join(self.cache_dir, "pdf") if self.cache_dir else None


@dataclass
class Binder:
    """A binder ready to bind: its printed front matter and every SOP's PDF, in order."""

    front: bytes
    contents: list[IsiBuku]
    title: str

    def bind(self, target: str | None = None) -> bytes | None:
        """The binder's bytes, or written to ``target`` whole or not at all (returns None)."""
        return jilid(self.front, self.contents, judul=self.title, margin_left_mm=MARGIN[3],
                     margin_bottom_mm=MARGIN[2], tanda_depan=(("Sampul", 0), ("Daftar Isi", 1)), tujuan=target)


def _bagian(lb: Lembar) -> Bagian:
    marks = [("Lembar identitas", 0)] + [(f"Lembar prosedur {p.no - 1}" if len(lb.pages) > 1 else
                                          "Lembar prosedur", p.no - 1) for p in lb.pages]
    return Bagian(lb.n_pages, str(lb.sop.nama), tuple(marks))


def cut_text(problems: list[str]) -> list[str]:
    """The layout problems that mean printed text would be cut (a cell or a sheet overflowing):
    errors, since nothing printed may be lost without one. The others (an arrow the router could
    not draw cleanly) are warnings."""
    return [p for p in problems if "melebihi" in p]
