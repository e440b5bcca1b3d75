"""Printing: the Permenpan-RB 35/2012 sheets of every SOP, per-SOP PDFs and the binder.

:class:`Pencetak` holds one headless Chromium for a whole batch: it measures
and paginates the sheets (:mod:`.lembar`), then prints each SOP and the
binder. Nothing here knows MkDocs; the site's plugin and
``scripts/buat_pdf.py`` both use it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable

from ..model import Sop
from .chromium import CetakError, Chromium, ChromiumMissing
from ..atomic import write_atomic
from .lembar import KERTAS, Lembar, binder_document, prepare, print_pdf, sheets_html, sop_document

__all__ = ["BUKU", "CetakError", "ChromiumMissing", "KERTAS", "Lembar", "Pencetak", "sheets_html", "write_atomic"]

BUKU = "buku-sop.pdf"
"""File name of the binder, beside the per-SOP PDFs."""

PRINT_TABS = 3
"""Documents printed at once: Chromium lays out each tab in its own process, so the cores share the work."""


class Pencetak:
    """``with Pencetak(cache_dir) as p: sheets = p.siapkan(sops); p.pdf_sop(sheets[0]) …``"""

    def __init__(self, cache_dir: str | None = None, kertas: str | None = None):
        self.cache_dir = cache_dir
        self.kertas = kertas
        self.problems: list[str] = []
        """Layout faults the browser found while printing (text overflowing a cell …); empty when all is well."""

    def __enter__(self) -> "Pencetak":
        self._workdir = tempfile.mkdtemp(prefix="sop-cetak-")
        self._browser = Chromium().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._browser.__exit__(*exc)
        finally:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def siapkan(self, sops: list[Sop], all_sops: dict[str, Sop] | None = None,
                logo_path: str | None = None, draf: set[str] | frozenset[str] = frozenset(),
                riwayat: dict[str, str] | None = None) -> list[Lembar]:
        """Measure, paginate and draw the sheets of ``sops`` (``draf``: ids to mark DRAF)."""
        logo = None
        if logo_path and os.path.isfile(logo_path):
            logo = "logo" + os.path.splitext(logo_path)[1].lower()
            shutil.copyfile(logo_path, os.path.join(self._workdir, logo))
        chart_cache = os.path.join(self.cache_dir, "bagan") if self.cache_dir else None
        return prepare(sops, self._browser, self._workdir, all_sops=all_sops, kertas=self.kertas, logo=logo,
                       cache_dir=chart_cache, draf=draf, riwayat=riwayat)

    def pdf_sop(self, lembar: Lembar) -> bytes:
        return print_pdf(self._browser, self._workdir, f"{lembar.sop.id}.html", sop_document(lembar),
                         self._pdf_cache, self.problems)

    def pdf_many(self, lembars: list[Lembar], progress: Callable[[int, str], None] | None = None) -> list[bytes]:
        """Every SOP's PDF, printed in several tabs at once (Chromium renders each in its own process)."""
        from concurrent.futures import ThreadPoolExecutor

        workers = max(1, min(PRINT_TABS, os.cpu_count() or 1, len(lembars)))
        done = [0]

        def one(lb: Lembar) -> bytes:
            data = self.pdf_sop(lb)
            done[0] += 1
            if progress:
                progress(done[0], lb.sop.id)
            return data

        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(one, lembars))

    def pdf_buku(self, lembars: list[Lembar]) -> bytes:
        return print_pdf(self._browser, self._workdir, "buku.html", binder_document(lembars), self._pdf_cache,
                         self.problems)

    @property
    def _pdf_cache(self) -> str | None:
        return os.path.join(self.cache_dir, "pdf") if self.cache_dir else None


def build_pdfs(sops: list[Sop], out_dir: str, *, all_sops: dict[str, Sop] | None = None,
               cache_dir: str | None = None, logo_path: str | None = None, kertas: str | None = None,
               progress: Callable[[int, int, str], None] | None = None, draf: set[str] | frozenset[str] = frozenset(),
               riwayat: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """Write ``<id>.pdf`` for every SOP and the binder into ``out_dir``; return (paths, problems)."""
    written: list[str] = []
    with Pencetak(cache_dir, kertas) as printer:
        lembars = printer.siapkan(sops, all_sops, logo_path, draf, riwayat)
        total = len(lembars) + 1
        pdfs = printer.pdf_many(lembars, (lambda n, name: progress(n, total, name)) if progress else None)
        for lb, data in zip(lembars, pdfs):
            path = os.path.join(out_dir, f"{lb.sop.id}.pdf")
            write_atomic(path, data)
            written.append(path)
        if lembars:
            path = os.path.join(out_dir, BUKU)
            write_atomic(path, printer.pdf_buku(lembars))
            written.append(path)
            if progress:
                progress(total, total, BUKU)
        return written, printer.problems
