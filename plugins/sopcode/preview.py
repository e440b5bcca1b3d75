"""``mkdocs serve``'s fast path: the page of the SOP just saved, up to date before the whole site is.

Saving one SOP file used to rebuild the whole site before the browser saw anything (10.6 s at
1,000 SOPs). The decision, written down here and in ``docs/untuk-pengembang/kinerja.md``:

* Under ``mkdocs serve`` only, the adapter does not hand ``sop_data/`` to MkDocs' watcher; a
  :class:`LiveEdits` watches it instead. When an SOP file is saved, :func:`refresh` reloads that
  file alone with the settings its previous version was loaded with (its institution's), checks
  it with the file-local rules (the corpus-wide ones, such as unique numbers and Keterkaitan, wait
  for the full rebuild), draws its swimlane, makes its page with :func:`sopcode.publish.sop_page_of`
  (the very function the full build makes every SOP page with, among the SOPs of the last build)
  and splices it between the markers :data:`START` and :data:`END` of the page the last build
  wrote, atomically, so the theme's chrome stays. A file with errors gets the error page, the
  messages the full build shows. The full-size drawing and the YAML download are rewritten too.
* The adapter then makes the browsers reload (MkDocs' livereload epoch), and a moment later
  (:data:`DELAY`, so that the reload is served before MkDocs holds every request for its
  rebuild) asks for the full rebuild. The full rebuild's output is what stays: the fast page is
  only ever replaced. Where the server lacks what the adapter needs (another MkDocs or
  ProperDocs), ``sop_data/`` is watched the old way: only the speed is lost.
* The printed sheets. A built SOP page holds its sheets' HTML (measured and paginated by Chromium,
  the same as its PDF), hidden on screen and the only thing printed, and links to its PDF; the
  serve build prints nothing (no PDF, no link). Under serve, the sheets of each SOP saved while
  serving are measured by one Chromium kept warm (:class:`SheetPreview`: started in the background
  when serving begins, closed when the server stops) and shown on screen under "Pratinjau lembar
  cetak" (:func:`served`), in the same splice as the page; no PDF is printed. Measured on this
  2-core machine (load average 27, 2026-11-29): one SOP's sheets take 0.4–0.7 s with the browser
  warm, and the whole fast page with them 0.3–0.4 s after the save as the server logs it; a cold
  browser adds about 2.5 s (2.8 s for a first save that had to start it), which is why it is
  started before the first save rather than at it. So the sheets are measured, never shown
  unmeasured (an unmeasured table would not break into sheets as the paper does).
  The full serve rebuild measures the same SOPs again (from the sheets' cache the fast path
  filled, ``<cache>/printing``, which builds read too) so the preview stays; every other SOP's page
  has no preview, as before: measuring every SOP cold is the PDF build's long step (f in
  kinerja.md), and even reading 5,000 cached sheets and writing 20 kB more into each page would
  slow every rebuild for pages nobody is editing.
* Anything else under ``sop_data/`` (``_instansi.yaml``, monitoring records, a new or deleted
  file) only asks for the full rebuild, after the same delay. An SOP saved while its institution's
  settings differ from those of the last build gets no fast page: it waits for that rebuild. An SOP
  saved while its institution's ``_instansi.yaml`` (or one above) has errors gets those errors in
  its place, as the full rebuild shows them (:func:`sopcode.publish.held_back`), never a page with
  the header of before.

Nothing here imports MkDocs: the adapter gives the callbacks that reach the server.
``SOPCODE_SERVE_DELAY`` (seconds) overrides :data:`DELAY` (the tests and the benchmark).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sopcode.atomic import write_atomic
from sopcode.diagnostics import Diagnostic
from sopcode.model.load import SETTINGS_FILE, SOP_SUFFIXES, content_key, content_salt, find_with_settings, load_sop, read_for_key
from sopcode.model.sop import Sop
from sopcode.publish import Publication, Settings, SiteSettings, settings_error_page, sheets_of, sop_page_of
from sopcode.rules import check_sop
from sopcode.shapes.swimlane import swimlane_svgs
from sopcode.sheets import Lembar, Printer, PrintError
from sopcode.site.pages import SHEETS_MARK, Page, error_page, sop_src

log = logging.getLogger(__name__)

START, END = "<!--sop:halaman-->", "<!--/sop:halaman-->"
"""Around an SOP page's own content in the HTML ``mkdocs serve`` writes (never in a build)."""

DELAY = 1.0
"""Seconds between the fast page and asking for the full rebuild (MkDocs serves nothing while it runs)."""

SETTLE = 0.05
"""Seconds without a further event before a saved file is read (an editor writes in several calls)."""


def delay() -> float:
    try:
        return max(0.0, float(os.environ.get("SOPCODE_SERVE_DELAY", DELAY)))
    except ValueError:
        return DELAY


@dataclass(frozen=True)
class Refreshed:
    """One SOP's page made alone: its source name in the site, its content, and its files."""

    src: str
    content: str
    files: dict[str, bytes | str]
    """Path in the site → content (the full-size drawing, the YAML download)."""
    errors: list[Diagnostic]


def is_sop_file(path: str, folder: str) -> bool:
    """An SOP file of the data folder: a YAML file, no part of its path starting with '_' or '.'."""
    rel = os.path.relpath(path, folder)
    parts = rel.split(os.sep)
    return (not rel.startswith("..") and path.endswith(SOP_SUFFIXES)
            and not any(p.startswith(("_", ".")) for p in parts))


def known_sops(pub: Publication, before: dict[str, Sop] | None = None) -> dict[str, Sop]:
    """Each SOP file's last loaded model by absolute path: those of ``pub``, and those of ``before``
    whose file is still there (a file broken in the last build keeps its id and settings)."""
    known = {p: s for p, s in (before or {}).items() if os.path.isfile(p)}
    known.update((os.path.abspath(s.path), s) for s in pub.report.sops)
    return known


def refresh(pub: Publication, site: SiteSettings, old: Sop, cache_dir: str | None,
            sheets: Callable[[Publication, list[Sop]], dict[str, Lembar]] | None = None) -> Refreshed | None:
    """The page of the SOP file ``old`` was loaded from, as saved now, among the SOPs of ``pub`` (the
    last build); None when the file cannot be read (or has become a link), or when its institution's
    settings are no longer those it was loaded with (a header of before would be served as new): the
    full rebuild's work. ``sheets`` measures its printed sheets for the page (:meth:`SheetPreview.measure`)."""
    if os.path.islink(old.path):
        return None
    found, current = find_with_settings([old.path])
    if not found:
        return None
    settings_errors = [d for d in current.diagnostics if d.is_error and os.path.basename(d.loc.path) == SETTINGS_FILE]
    if settings_errors:  # its institution's _instansi.yaml (or one above) has errors: no page with a header of before
        nearest = max(settings_errors, key=lambda d: len(os.path.abspath(d.loc.path))).loc.path
        return Refreshed(sop_src(old.id), NO_CONTENTS + settings_error_page(nearest, settings_errors).html, {},
                         settings_errors)
    if current.settings_of(found[0]) != old.instansi:
        return None  # an _instansi.yaml above it saved since the last build: its page waits for the rebuild
    data = read_for_key(old.path)
    if data is None:
        return None
    sop, diagnostics = load_sop(old.path, old.instansi, data)
    if sop is not None:
        sop = dataclasses.replace(sop, id=old.id)  # the id the build gave it (its institution's)
        diagnostics = diagnostics + check_sop(sop)
    errors = [d for d in diagnostics if d.is_error]
    if sop is None or errors:
        return Refreshed(sop_src(old.id), NO_CONTENTS + error_page(old.path, errors).html, {}, errors)
    key = content_key(content_salt(old.instansi), old.path, data)
    graphviz = os.path.join(cache_dir, "graphviz") if cache_dir else None
    drawings = swimlane_svgs([sop], graphviz, content_keys={old.path: key})
    loaded = dataclasses.replace(pub.report.loaded, content_keys={**pub.report.loaded.content_keys, old.path: key})
    now = dataclasses.replace(
        pub, report=dataclasses.replace(pub.report, loaded=loaded), notes=[], outputs=[],
        sops=_replaced(pub.sops, sop), drawings={**pub.drawings, **drawings},
        sheets={k: v for k, v in pub.sheets.items() if k != sop.id})  # never the sheets of before
    if sheets is not None:
        now.sheets.update(sheets(now, [sop]))
    page, outputs = sop_page_of(now, site, sop)
    files = {o.path: o.content for o in outputs if o.content is not None}
    return Refreshed(sop_src(old.id), page.finish(served(page)), files, [])


NO_CONTENTS = ('<style>.md-sidebar--secondary .md-nav, .md-nav--primary .md-nav--secondary, '
               '.md-nav--primary label[for="__toc"] { display: none !important; }</style>\n')
"""Put before a fast error page: the theme's table of contents, outside the markers, still lists the SOP
page's sections (the error page has none, as the full rebuild's contents will say); hidden until then.
An SOP page's own contents need nothing: its headings are its template's, the same for every version."""

PREVIEW = ('<section class="sop-pratinjau-lembar" data-search-exclude>\n'
           '<h2 id="pratinjau-lembar-cetak">Pratinjau lembar cetak</h2>\n'
           '<p>Hanya saat <code>mkdocs serve</code>, untuk SOP yang disimpan selama server berjalan: lembar '
           'cetak SOP ini seperti yang akan tercetak, diukur ulang setiap kali berkasnya disimpan. PDF-nya dibuat '
           'oleh <code>mkdocs build</code>.</p>\n</section>\n'
           '<style>@media screen { .md-typeset .sop-cetak { display: block; overflow-x: auto; } }</style>\n')
"""Put before an SOP page's sheets under ``mkdocs serve``: their label, and the sheets shown on screen."""

_SHEETS_DIV = '<div class="sop-lembar sop-cetak"'


def served(page: Page) -> str:
    """An SOP page's HTML as ``mkdocs serve`` writes it: its sheets, when it has them, shown on screen
    under :data:`PREVIEW` (a built page shows them only when printed)."""
    at = page.html.rfind(_SHEETS_DIV)
    if SHEETS_MARK not in page.inserts or at < 0:
        return page.html
    return page.html[:at] + PREVIEW + page.html[at:]


class SheetPreview:
    """The printed sheets of the SOPs saved while serving, measured by one Chromium kept warm: started in
    the background by :meth:`warm` when serving begins (else at the first save), closed by :meth:`close`.
    Used from the watcher's thread and the build's, one at a time. ``warn`` is told, in Indonesian, why
    there is no preview (no Chromium; the browser failed)."""

    def __init__(self, warn: Callable[[str], None]):
        self.saved: set[str] = set()
        """The SOP files saved while serving (absolute paths): the full rebuild shows their sheets too."""
        self._warn = warn
        self._lock = threading.Lock()
        self._printer: Printer | None = None
        self._failure: PrintError | None = None  # the warm-up's, said at the first save
        self._gone = False  # no browser could start: not tried again at every save

    def warm(self, cache_dir: str | None) -> None:
        """Start the browser in the background, so that the first save does not wait for it (3 s)."""
        threading.Thread(target=self._warm, args=(cache_dir,), name="sopcode-chromium", daemon=True).start()

    def _warm(self, cache_dir: str | None) -> None:
        with self._lock:
            try:
                self._browser(cache_dir)
            except PrintError as exc:
                self._failure = exc

    def _browser(self, cache_dir: str | None) -> Printer:
        if self._printer is None:
            self._printer = Printer(os.path.join(cache_dir, "printing") if cache_dir else None).__enter__()
        return self._printer

    def measure(self, pub: Publication, settings: Settings, sops: list[Sop]) -> dict[str, Lembar]:
        """The sheets of ``sops`` among ``pub``, by id; none when Chromium cannot measure them."""
        if not sops:
            return {}
        with self._lock:
            if self._gone:
                return {}
            try:
                if self._failure is not None:
                    raise self._failure
                printer = self._browser(settings.cache_dir)
                made = sheets_of(pub, settings, sops, printer)
                printer.problems.clear()  # the build with PDFs says them
                return made
            except PrintError as exc:
                self._gone, self._failure = self._printer is None, None  # a browser that died starts again
                self._close()
                self._warn(f"pratinjau lembar cetak tidak dibuat: {exc}")
                return {}

    def for_build(self, settings: Settings) -> Callable[[Publication], dict[str, Lembar]]:
        """What the full serve rebuild shows: the sheets of the SOPs saved while serving (:attr:`saved`)."""
        return lambda pub: self.measure(pub, settings, [s for s in pub.sops if os.path.abspath(s.path) in self.saved])

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            printer.__exit__(None, None, None)


def _replaced(sops: list[Sop], sop: Sop) -> list[Sop]:
    """``sops`` with ``sop`` in the place of the one of its id (the pages' order kept), else added."""
    out = [sop if s.id == sop.id else s for s in sops]
    return out if any(s is sop for s in out) else [*out, sop]


def splice(html_file: str, content: str) -> bool:
    """Put ``content`` between the markers of the built page ``html_file``, atomically; False (nothing
    written) when the page or its markers are not there."""
    try:
        with open(html_file, encoding="utf-8") as fh:
            html = fh.read()
    except (OSError, UnicodeDecodeError):
        return False
    start, end = html.find(START), html.rfind(END)
    if start < 0 or end < start:
        return False
    write_atomic(html_file, html[:start + len(START)] + content + html[end:])
    return True


class LiveEdits:
    """Watches a data folder: each saved SOP file goes to ``refresh(path)`` (True when its page was
    written, then ``reload()`` tells the browsers); after :func:`delay` without a further event,
    ``rebuild()`` asks for the full rebuild. Any other change asks for the rebuild alone."""

    def __init__(self, folder: str, refresh: Callable[[str], bool], reload: Callable[[], None],
                 rebuild: Callable[[], None]):
        self.folder = os.path.abspath(folder)
        self._refresh, self._reload, self._rebuild = refresh, reload, rebuild
        self._cond = threading.Condition()
        self._pending: dict[str, None] = {}
        self._last_event = 0.0
        self._rebuild_at: float | None = None
        self._stopped = False
        self._observer: Any = None
        self._thread = threading.Thread(target=self._run, name="sopcode-live", daemon=True)

    def start(self) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        handler = FileSystemEventHandler()
        handler.on_any_event = self._on_event  # type: ignore[method-assign]
        for kind in (Observer, PollingObserver):  # inotify when the system allows it, else polling
            observer = kind()
            try:
                observer.schedule(handler, self.folder, recursive=True)
                observer.start()
            except OSError:
                continue
            self._observer = observer
            break
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._observer is not None:
            self._observer.stop()

    def _on_event(self, event) -> None:
        if event.is_directory and event.event_type != "moved":
            return
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        now = time.monotonic()
        with self._cond:
            if event.event_type in ("modified", "created", "moved", "closed"):
                saved = [p for p in paths if is_sop_file(p, self.folder) and os.path.isfile(p)]
            else:
                saved = []
            for p in saved:
                self._pending[p] = None
            if event.event_type not in ("opened", "closed_no_write"):
                self._last_event = now
                self._rebuild_at = now + SETTLE + delay()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopped:
                    now = time.monotonic()
                    if self._pending and now - self._last_event >= SETTLE:
                        break
                    if not self._pending and self._rebuild_at is not None and now >= self._rebuild_at:
                        break
                    waits = [self._last_event + SETTLE - now] if self._pending else []
                    if self._rebuild_at is not None:
                        waits.append(self._rebuild_at - now)
                    self._cond.wait(max(0.01, min(waits)) if waits else None)
                if self._stopped:
                    return
                paths, self._pending = list(self._pending), {}
                rebuild = not paths
                if rebuild:
                    self._rebuild_at = None
            if rebuild:
                self._rebuild()
                continue
            shown = False
            for path in paths:
                try:
                    shown = self._refresh(path) or shown
                except Exception:  # the fast path only ever loses speed: the full rebuild follows
                    log.debug("fast page of %s failed", path, exc_info=True)
            if shown:
                self._reload()
            with self._cond:  # the rebuild waits until the fast pages have been seen
                self._rebuild_at = time.monotonic() + delay()
