"""Printing: the Permenpan-RB 35/2012 sheets of every SOP, per-SOP PDFs and the binder.

:class:`Pencetak` holds one headless Chromium for a whole run: it measures
and paginates the sheets (:mod:`.lembar`), prints the SOPs in batches and
cuts them apart, then binds the binder from those PDFs (:mod:`.jilid`). Nothing here knows MkDocs; the site's plugin and
``scripts/buat_pdf.py`` both use it.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sopcode.atomic import folder_sementara, gagal_tulis, write_atomic
from sopcode.model.logo import Logo, baca_berkas
from sopcode.model.sop import Sop
from sopcode.sheets.chromium import CetakError, Chromium, ChromiumMissing
from sopcode.sheets.binder import Bagian, Isi as IsiBuku, jilid, potong
from sopcode.sheets.layout import (KERTAS, MARGIN, Lembar, batch_document, binder_front, document_key, prepare, print_document,
                     print_pdf, sheets_html)

__all__ = ["BUKU", "CetakError", "ChromiumMissing", "KERTAS", "Lembar", "Pencetak", "sheets_html", "write_atomic"]

BUKU = "buku-sop.pdf"
"""File name of the binder, beside the per-SOP PDFs."""

PRINT_TABS = 3
"""Documents printed at once: Chromium lays out each tab in its own process, so the cores share the work."""
BATCH_PAGES = 60
"""Sheets printed in one document. A print job costs mostly per job (about 0.07 s a page one SOP at a
time against 0.02 s in batches of this size, measured on 2 cores); much larger batches only grow the
browser's memory."""


class Pencetak:
    """One browser for a run::

        with Pencetak(cache_dir) as p:
            sheets = p.siapkan(sops)
            pdfs = p.pdf_many(sheets)
            buku = p.siapkan_buku(sheets)
        buku.jilid("buku-sop.pdf")  # the browser has closed: its memory is free again
    """

    def __init__(self, cache_dir: str | None = None, kertas: str | None = None):
        self.cache_dir = cache_dir
        self.kertas = kertas
        self.problems: list[str] = []
        """Layout faults the browser found while printing (text overflowing a cell …); empty when all is well."""
        self.dicetak = 0
        """SOPs printed by the browser in this run (the others came from the cache)."""
        self.dari_cache = 0
        self._printed: dict[str, tuple[Lembar, bytes]] = {}
        self._front: str | None = None  # the binder's cover and contents in the cache, once printed

    def __enter__(self) -> "Pencetak":
        # The pages the browser opens, in this user's temporary folder (see atomic.folder_sementara).
        self._workdir = folder_sementara("cetak")
        try:
            self._browser = Chromium().__enter__()
        except BaseException:
            shutil.rmtree(self._workdir, ignore_errors=True)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._printed.clear()  # the PDFs went to the caller; not kept alive with the printer
        try:
            self._browser.__exit__(*exc)
        finally:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def siapkan(self, sops: list[Sop], all_sops: dict[str, Sop] | None = None,
                logo_path: str | Logo | None = None, draf: set[str] | frozenset[str] = frozenset(),
                riwayat: dict[str, str] | None = None, kunci: dict[str, str] | None = None) -> list[Lembar]:
        """Measure, paginate and draw the sheets of ``sops`` (``draf``: ids to mark DRAF; ``kunci``:
        the loader's content keys, for SOPs exactly as loaded).

        ``logo_path``: the logo as :func:`load.read_logo` accepted it, or a file's path, which gets
        the same checks of content and size (a file that is no PNG or JPEG, or too large, is left out).
        """
        accepted = baca_berkas(logo_path) if isinstance(logo_path, str) else logo_path
        logo, digest = None, ""
        with self._menulis():
            if accepted is not None:
                logo = "logo" + accepted.ext  # named by its content, never by the name it was given
                write_atomic(os.path.join(self._workdir, logo), accepted.data)
                digest = accepted.digest
            return prepare(sops, self._browser, self._workdir, all_sops=all_sops, kertas=self.kertas, logo=logo,
                           logo_digest=digest, cache_dir=self.cache_dir, draf=draf, riwayat=riwayat, kunci=kunci)

    @contextmanager
    def _menulis(self) -> Iterator[None]:
        """A block whose failed writes come out as :class:`atomic.GagalTulis`, naming the file, or else
        the printer's temporary folder (a page written there does not name itself when the disk is full)."""
        try:
            yield
        except OSError as exc:
            raise gagal_tulis(exc, self._workdir) from exc

    def pdf_sop(self, lembar: Lembar) -> bytes:
        return self.pdf_many([lembar])[0]

    def pdf_many(self, lembars: list[Lembar], progress: Callable[[int, str], None] | None = None) -> list[bytes]:
        """Every SOP's PDF: from the cache, or printed in batches, several at once, and cut apart.

        The cache holds each SOP's PDF under its sheets' key (:attr:`Lembar.kunci`), so one
        changed SOP is the only one printed again, whichever batch it was printed in before.
        """
        from concurrent.futures import ThreadPoolExecutor

        result: list[bytes | None] = [None] * len(lembars)
        todo: list[tuple[int, str | None]] = []
        done = [0]

        def finished(i: int, data: bytes) -> None:
            result[i] = data
            self._printed[lembars[i].sop.id] = (lembars[i], data)
            done[0] += 1
            if progress:
                progress(done[0], lembars[i].sop.id)

        for i, lb in enumerate(lembars):
            cached = self._cached(lb)
            if cached and os.path.isfile(cached):
                with open(cached, "rb") as fh:
                    data = fh.read()
                self._problems_of(cached, read=True)
                self.dari_cache += 1
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
                self.problems.extend(mine)
                if cached:
                    write_atomic(cached, part)
                    self._problems_of(cached, mine)
                finished(i, part)
            with lock:
                self.dicetak += len(batch)

        lock = threading.Lock()
        workers = max(1, min(PRINT_TABS, os.cpu_count() or 1, len(batches)))
        with self._menulis(), ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, batches))
        return result  # type: ignore[return-value]

    def pdf_buku(self, lembars: list[Lembar]) -> bytes:
        """The binder's bytes, assembled from the SOPs' own PDFs (printed now if they were not yet)."""
        return self.siapkan_buku(lembars).jilid()  # type: ignore[return-value]

    def siapkan_buku(self, lembars: list[Lembar]) -> "Buku":
        """Everything the binder needs from the browser: the SOPs' PDFs and the cover and contents.

        Binding (:meth:`Buku.jilid`) needs no browser: done after it has closed, the two
        never hold their memory at the same time.
        """
        missing = [lb for lb in lembars if self._printed.get(lb.sop.id, (None,))[0] is not lb]
        if missing:
            self.pdf_many(missing)
        html, entries = binder_front(lembars)
        with self._menulis():
            front = print_pdf(self._browser, self._workdir, "buku-depan.html", html, self._pdf_cache, self.problems)
        if self._pdf_cache:
            self._front = os.path.join(self._pdf_cache, document_key(self._browser, html) + ".pdf")
        isi = []
        for lb, entry in zip(lembars, entries):
            cached = self._cached(lb)
            # From the cache file when there is one: qpdf reads it as needed, nothing is held twice.
            source = cached if cached and os.path.isfile(cached) else self._printed[lb.sop.id][1]
            isi.append(IsiBuku(source, str(lb.sop.nama), entry.halaman))
        return Buku(front, isi, f"{lembars[0].sop.instansi.unit_utama} - Buku SOP")

    def bersihkan(self, lembars: list[Lembar]) -> int:
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
class Buku:
    """A binder ready to bind: its printed front matter and every SOP's PDF, in order."""

    depan: bytes
    isi: list[IsiBuku]
    judul: str

    def jilid(self, tujuan: str | None = None) -> bytes | None:
        """The binder's bytes, or written to ``tujuan`` whole or not at all (returns None)."""
        return jilid(self.depan, self.isi, judul=self.judul, margin_left_mm=MARGIN[3], margin_bottom_mm=MARGIN[2],
                     tanda_depan=(("Sampul", 0), ("Daftar Isi", 1)), tujuan=tujuan)


def _bagian(lb: Lembar) -> Bagian:
    marks = [("Lembar identitas", 0)] + [(f"Lembar prosedur {p.no - 1}" if len(lb.pages) > 1 else
                                          "Lembar prosedur", p.no - 1) for p in lb.pages]
    return Bagian(lb.n_pages, str(lb.sop.nama), tuple(marks))


def build_pdfs(sops: list[Sop], out_dir: str, *, all_sops: dict[str, Sop] | None = None,
               cache_dir: str | None = None, logo_path: str | Logo | None = None, kertas: str | None = None,
               progress: Callable[[int, int, str], None] | None = None, draf: set[str] | frozenset[str] = frozenset(),
               riwayat: dict[str, str] | None = None, stats: dict[str, int] | None = None,
               kunci: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """Write ``<id>.pdf`` for every SOP and the binder into ``out_dir``; return (paths, problems).

    ``stats``, when given, receives how many SOPs were printed and how many came from the cache.
    A file that cannot be written (a full disk) raises :class:`CetakError` naming it, in Indonesian.
    """
    try:
        written: list[str] = []
        buku = None
        with Pencetak(cache_dir, kertas) as printer:
            lembars = printer.siapkan(sops, all_sops, logo_path, draf, riwayat, kunci)
            total = len(lembars) + 1
            pdfs = printer.pdf_many(lembars, (lambda n, name: progress(n, total, name)) if progress else None)
            for lb, data in zip(lembars, pdfs):
                path = os.path.join(out_dir, f"{lb.sop.id}.pdf")
                if not _same_file(path, data):  # an unchanged SOP's file is left as it is
                    write_atomic(path, data)
                written.append(path)
            del pdfs
            if lembars:
                buku = printer.siapkan_buku(lembars)
                printer.bersihkan(lembars)
        if buku is not None:  # bound after the browser has closed
            path = os.path.join(out_dir, BUKU)
            buku.jilid(path)
            written.append(path)
            if progress:
                progress(total, total, BUKU)
        if stats is not None:
            stats.update(dicetak=printer.dicetak, dari_cache=printer.dari_cache)
        return written, printer.problems
    except OSError as exc:
        raise CetakError(str(gagal_tulis(exc, out_dir))) from exc


def _same_file(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read() == data
    except OSError:
        return False


def teks_terpotong(problems: list[str]) -> list[str]:
    """The layout problems that mean printed text would be cut (a cell or a sheet overflowing):
    errors, since nothing printed may be lost without one. The others (an arrow the router could
    not draw cleanly) are warnings."""
    return [p for p in problems if "melebihi" in p]
