"""The MkDocs adapter: the only module that imports MkDocs (or ProperDocs, which loads it the same way).

It reads the plugin's configuration, runs :func:`sopcode.publish.publish` on ``sop_data/``
in ``on_files`` and turns the publication into MkDocs files: one generated page per SOP,
the list of all SOPs, the latest changes, each SOP's YAML source and full-size flowchart,
the logo and the plugin's own CSS and JavaScript; the PDFs and the binder go into the site
in ``on_post_build``. It decides what a failure means for a build: errors in SOP files,
a failing Graphviz or Chromium and text the sheets would cut stop ``mkdocs build``, while
``mkdocs serve`` shows a broken SOP's errors in its place and goes on. The navigation comes
from :mod:`sopcode.site.navigation`. Nothing is written into ``docs/`` or ``sop_data/``.
Under ``mkdocs serve``, a saved SOP's page is made alone and served before the full rebuild
(:mod:`sopcode.preview`, which says why and how); the server is reached only here.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import posixpath
import re
import threading
import time

from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.exceptions import Abort, BuildError, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from sopcode import cache, preview
from sopcode.atomic import copy_atomic, write_atomic, write_failure
from sopcode.diagnostics import display_path, safe_text
from sopcode.model.sop import Instansi, Sop
from sopcode.publish import FILE_KINDS, Publication, Settings, SiteSettings, file_kind, publish
from sopcode.shapes.graphviz import DrawError
from sopcode.sheets import BUKU, ChromiumMissing, PrintError
from sopcode.site.home import HOME, home_markdown
from sopcode.site.monev import PAGE as MONEV_PAGE
from sopcode.site.navigation import navigation
from sopcode.site.pages import ASSETS, TOP, Page
from sopcode.site.search import extend_index

log = get_plugin_logger(__name__)

HERE = os.path.dirname(os.path.abspath(__file__))


class _DataFolder(c.Dir):
    """``data_dir``: an existing folder, relative to mkdocs.yml, with the message in Indonesian."""

    def run_validation(self, value: object) -> str:
        try:
            return super().run_validation(value)
        except ValidationError:
            raise ValidationError(
                f"folder data SOP '{value}' tidak ada (dicari relatif terhadap mkdocs.yml); "
                "buat folder itu atau perbaiki opsi `data_dir`") from None


class _PageName(c.Type):
    """``daftar``: where the list of all SOPs lives, as a Markdown source name."""

    def __init__(self, default: str):
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or not value.endswith(".md") or value.startswith(("/", "..")):
            raise ValidationError(f"opsi `daftar` harus nama halaman berakhiran .md di dalam situs, "
                                  f"misalnya daftar-sop.md (tertulis: {value!r})")
        return value


class SopConfig(base.Config):
    data_dir = _DataFolder(exists=True, default="sop_data")
    """Folder of SOP files, relative to mkdocs.yml."""
    daftar = _PageName("daftar-sop.md")
    """Where the list of all SOPs lives in the site."""
    terbaru = _PageName("perubahan-terbaru.md")
    """Where the latest revisions across all SOPs are listed."""
    cache_dir = c.Type(str, default=".cache/sop")
    """Where drawings and PDFs are kept, relative to mkdocs.yml: an unchanged SOP is never drawn twice."""
    akar_kata = c.Type(bool, default=True)
    """Add the roots of Indonesian words to the search index (``ukur`` finds *pengukuran*)."""
    unduh_yaml = c.Type(bool, default=True)
    """Offer each SOP's YAML source for download on its page."""
    navigasi = c.Type(bool, default=True)
    """When mkdocs.yml has no ``nav``: home, list of SOPs, SOPs grouped by unit, guides."""
    pdf = c.Type(bool, default=True)
    """Print each SOP's sheets and the binder to ``pdf/`` (skipped by `mkdocs serve`, to keep editing fast)."""
    pdf_dir = c.Type(str, default="pdf")
    """Folder of the PDFs inside the built site (one leading out of it is refused, see ``_pdf_dir``)."""


class SopPlugin(BasePlugin[SopConfig]):
    supports_multiple_instances = False
    serving = False
    config_file: str | None = None
    publication: Publication | None = None
    pages: dict[str, Page]
    search_words: dict[str, dict[str, str]]
    # mkdocs serve's fast path (sopcode.preview): what the last build was made with, and whether one runs.
    _config = None
    _site: SiteSettings | None = None
    _cache_root: str | None = None
    _known: dict[str, Sop] | None = None
    _building = False
    _live: preview.LiveEdits | None = None
    _settings: Settings | None = None
    _sheets: preview.SheetPreview | None = None

    # on_startup: `mkdocs serve` keeps going on a broken SOP (shows the error
    # in the browser) where `mkdocs build` must stop; remember which one runs. MkDocs' own
    # lines in the terminal ("Cleaning site directory", "Serving on …") are said in Indonesian
    # from here on: the first event, before the build or the server says anything.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        _terminal_in_indonesian()

    # on_config: our CSS and JS join the theme's, as files of this very site; the PDFs' folder
    # is checked to lie inside the site. The theme speaks Indonesian throughout: our overrides
    # (footer, 404 page, the words Material's Indonesian table leaves in English) come before
    # the theme's own templates, in any project that names `- sop`, and headings' anchor links
    # get an Indonesian title.
    def on_config(self, config):
        for path, (key, _) in ASSETS.items():
            if path not in config[key]:
                config[key].append(path)
        _indonesian_theme(config)
        self.config_file = config.config_file_path
        self.config.pdf_dir = _pdf_dir(self.config.pdf_dir, self.config_file)
        self._config, self._building = config, True
        return config

    # on_files: the SOPs become pages here, before MkDocs builds the navigation, so they
    # appear in it like hand-written pages. The publication is made first; its failures
    # are judged here (a build stops, `mkdocs serve` goes on), then its pages and files
    # become MkDocs files.
    def on_files(self, files: Files, *, config) -> Files:
        root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        try:
            pub = self._publish(config, root)
        except OSError as exc:  # a full disk while writing a cache: the file and the cause, no traceback
            raise PluginError(str(write_failure(exc, os.path.join(root, self.config.cache_dir)))) from None
        instansi = pub.report.loaded.instansi
        _site_identity(config, instansi)
        self.pages, self.search_words = {}, {}
        for out in pub.outputs:
            if out.page is not None:
                file = File.generated(config, out.path, content=out.page.front_matter())
                self.pages[file.src_uri] = out.page
                self.search_words[file.url] = out.page.search_words
            elif out.source is not None:
                file = File.generated(config, out.path, abs_src_path=out.source)
            else:
                assert out.content is not None  # an Output holds a page, a source or content (publish._pages)
                file = File.generated(config, out.path, content=out.content)
            files.append(file)
        monev = MONEV_PAGE if MONEV_PAGE in pub.generated_pages else None
        if files.get_file_from_path(HOME) is None:  # docs/ has no home: one from _instansi.yaml
            files.append(File.generated(config, HOME, content=self._home(config, files, pub, monev, instansi)))
            log.info("beranda dibuat dari `nama_situs` dan `deskripsi` di _instansi.yaml; tulis docs/index.md "
                     "untuk menggantinya")
        if self.config.navigasi and config.nav is None:
            config.nav = navigation([f.src_uri for f in files.documentation_pages()], pub.sops,
                                    self.config.daftar, self.config.terbaru, pub.generated_pages, monev, pub.archived)
        if config.nav is not None:  # our pages the navigation leaves out: built, and not listed in English
            _outside_nav({*(out.path for out in pub.outputs), HOME}, files, config.nav)
        return files

    def _home(self, config, files: Files, pub: Publication, monev: str | None, instansi: Instansi) -> str:
        """The generated home: the site's name and description (as written: the home escapes them
        itself), the list of SOPs, monitoring, the binder when this build prints it, and the
        hand-written pages as guides, each by its own title."""
        ours = {*pub.generated_pages, self.config.daftar, self.config.terbaru}
        titles = _nav_titles(config.nav)
        guides = [(titles.get(f.src_uri) or _page_title(f), f.src_uri) for f in files.documentation_pages()
                  if f.src_uri not in ours and not f.generated_by]
        binder = posixpath.join(self.config.pdf_dir, BUKU) if BUKU in pub.binders else None
        name = instansi.nama_situs or _plain(config.site_name)
        description = instansi.deskripsi or _plain(config.site_description)
        return home_markdown(name, description, self.config.daftar, monev, binder, guides)

    def _publish(self, config, root: str) -> Publication:
        """Run the publication, and say (or stop at) what went wrong, as `sop check` and `sop pdf` say it."""
        if self.publication is not None:
            self.publication.close()  # a binder of the previous `mkdocs serve` build, if it was not written
        site = SiteSettings(url=lambda path: File.generated(config, path, content="").url,
                            relative=get_relative_url, root=root, list_page=self.config.daftar,
                            latest_page=self.config.terbaru, pdf_dir=self.config.pdf_dir,
                            yaml_downloads=self.config.unduh_yaml, word_roots=self.config.akar_kata,
                            preview=self.serving)
        # Only a cache this user's own builds made here is read (a committed or received one is not);
        # SOPCODE_CACHE_DIR, when set, names another (see cache.root).
        cache_root = self._cache_root = cache.root(configured=os.path.join(root, self.config.cache_dir))
        self._site = site
        site_url = config.get("site_url") or None
        settings = Settings(cache_dir=cache_root, keep_going=self.serving,
                            pdf=self.config.pdf and not self.serving, site=site, site_url=site_url)
        if self._sheets is not None and self.config.pdf:  # serve: the sheets of the SOPs saved while serving
            settings = dataclasses.replace(settings, sheets_for=self._sheets.for_build(settings))
        self._settings = settings
        if settings.pdf and not site_url:
            log.warning("lembar cetak tanpa kode QR \"periksa versi\": site_url belum diisi. Tambahkan baris "
                        "`site_url: https://alamat-situs-anda/` di mkdocs.yml agar setiap lembar membawa alamat "
                        "halaman SOP-nya beserta revisinya")
        # Named as `sop check` names it (relative to the working folder when below it): the same
        # messages, and the loader's cache entries are shared with the command line.
        try:
            pub = self.publication = publish(display_path(self.config.data_dir), settings, on_checked=self._said)
        except ChromiumMissing as exc:
            where = _plugin_line(self.config_file or os.path.join(root, "mkdocs.yml"))
            raise PluginError(f"{exc}\n    atau bangun situs tanpa PDF: tambahkan baris `pdf: false` di bawah "
                              f"`- sop:` ({where})") from None
        except (PrintError, DrawError) as exc:
            raise PluginError(str(exc)) from None
        if pub.draw_error is not None:  # `mkdocs serve` only: the pages without their drawings
            log.error(str(pub.draw_error))
        cut = pub.cut
        for problem in pub.problems:
            (log.error if problem in cut else log.warning)(f"tata letak lembar cetak: {safe_text(problem)}")
        if cut:  # nothing printed is ever cut without an error
            raise PluginError(f"{len(cut)} lembar cetak akan memotong teksnya (lihat galat di atas): "
                              "persingkat teks SOP itu atau kurangi butirnya, lalu bangun ulang")
        for note in pub.notes:
            log.warning(note)
        return pub

    def _said(self, pub: Publication) -> None:
        """The checks' findings, as soon as they are known: errors first, those of a file that does
        not load at their head (the cause before the rest); a build stops at them."""
        report = pub.report
        for d in report.errors:
            log.error(d.format())
        for d in report.warnings:
            log.warning(d.format())
        history = report.history
        if history is not None and history.note and report.sops:
            log.warning(f"riwayat revisi: {history.note}")
        if pub.broken and not self.serving:
            raise PluginError(
                f"{len(report.errors)} galat pada {_files_named(pub.broken)}; perbaiki lalu bangun ulang "
                "(`sop check` menampilkan daftar yang sama)")

    # on_page_content: our pages are HTML already; their Markdown source is only the
    # front matter (title), so Markdown has nothing to parse and the HTML goes in as is, with
    # its table of contents (Markdown made none): the theme shows it and its skip link leads to
    # the first entry, the page's top (TOP). Under `mkdocs serve`, between markers: the fast path
    # puts a saved SOP's page there (its headings are the template's, so the contents stay right).
    def on_page_content(self, html: str, *, page, config, files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html
        page.toc = get_toc(generated.toc())
        body = f"{preview.START}{preview.served(generated)}{preview.END}" if self.serving else generated.html
        return TOP + body

    # on_post_page: the drawing and the printable sheets go in last, after search has
    # indexed the page: they are most of its bytes and none of its words.
    def on_post_page(self, output: str, *, page, config) -> str:
        generated = self.pages.get(page.file.src_uri)
        return generated.finish(output) if generated is not None else output

    # on_post_build: the PDFs printed in on_files go into the site now that MkDocs has
    # written it, each atomically: a reader of the site never gets half a file. Late, after
    # the search plugin has written its index: the words each SOP page is found by without
    # showing them join it (sopcode.site.search says why there and not in the page).
    @event_priority(-50)
    def on_post_build(self, *, config) -> None:
        self._building = False
        _extend_search_index(config.site_dir, getattr(self, "search_words", {}))
        pub = self.publication
        if pub is None:
            return
        if self.serving:
            self._known = preview.known_sops(pub, self._known)
        site = os.path.realpath(config.site_dir)
        folder = os.path.join(site, self.config.pdf_dir)
        if (pub.pdfs or pub.binders) and os.path.commonpath([site, os.path.realpath(folder)]) != site:
            # A link put into the site (site/pdf -> elsewhere) would lead the writing out of it.
            raise PluginError(f"folder PDF {folder} mengarah ke luar folder situs {site} (tautan simbolik); "
                              "hapus tautan itu, lalu bangun ulang")
        try:
            for name, data in pub.pdfs.items():
                write_atomic(os.path.join(folder, name), data)
            for name, source in pub.binders.items():  # buku-sop.pdf, and each institution's <folder>/buku-sop.pdf
                copy_atomic(source, os.path.join(folder, name))
        except OSError as exc:
            raise PluginError(str(write_failure(exc, folder))) from None
        finally:
            pub.close()

    # on_build_error: MkDocs itself writing the site on a full disk ends in a traceback of
    # its own; the cause is said first, in Indonesian. A build stopped by an error (ours, another
    # plugin's, a template's) ends with our sentence instead of MkDocs' English "Aborted with a
    # BuildError!": the error is said, then the build stops here with the same exit status.
    # Last of all plugins' handlers; never under `mkdocs serve`, which goes on after an error.
    @event_priority(-100)
    def on_build_error(self, *, error: Exception) -> None:
        self._building = False
        if isinstance(error, OSError):
            log.error(str(write_failure(error, "folder situs")))
        elif isinstance(error, BuildError) and not self.serving:
            log.error(str(error))
            raise Abort(BUILD_STOPPED)

    # on_serve: `mkdocs serve` watches docs/ only; SOP files and our templates
    # change the site too, so saving one rebuilds and reloads the page. SOP files are
    # watched by the fast path (sopcode.preview) when this server lets us tell its browsers
    # to reload and ask it for a rebuild; else by MkDocs, as before (only slower).
    def on_serve(self, server, *, config, builder):
        if _can_reload(server):
            self._sheets = preview.SheetPreview(log.warning)
            if self.config.pdf:  # warm before the first save; a project without PDFs has no preview
                self._sheets.warm(self._cache_root)
            self._live = preview.LiveEdits(self.config.data_dir, self._refresh,
                                           lambda: _reload_browsers(server), lambda: _ask_rebuild(server))
            self._live.start()
        else:
            server.watch(self.config.data_dir)
        server.watch(os.path.join(HERE, "site", "templates"))
        server.watch(os.path.join(HERE, "site", "assets"))
        server.watch(os.path.join(HERE, "sheets"))
        return server

    def on_shutdown(self) -> None:
        if self._live is not None:
            self._live.stop()
        if self._sheets is not None:
            self._sheets.close()

    def _refresh(self, path: str) -> bool:
        """The fast path for one saved SOP file: its page spliced into the served site (True), or
        nothing (False) while a build runs or when the file is not one the last build knew."""
        start = time.monotonic()
        pub, site, config, settings, old = (self.publication, self._site, self._config, self._settings,
                                             (self._known or {}).get(os.path.abspath(path)))
        sheets = self._sheets
        if sheets is not None and old is not None:
            sheets.saved.add(os.path.abspath(path))  # the full rebuild shows its sheets too
        if self._building or pub is None or site is None or config is None or settings is None or old is None:
            return False
        measure = (lambda now, sops: sheets.measure(now, settings, sops)) if sheets and self.config.pdf else None
        made = preview.refresh(pub, site, old, self._cache_root, measure)
        if made is None or self._building:
            return False
        page = File.generated(config, made.src, content="")
        if not preview.splice(os.path.join(config.site_dir, page.dest_path), made.content):
            return False
        for name, content in made.files.items():
            write_atomic(os.path.join(config.site_dir, name), content)
        log.info(f"pratinjau cepat: halaman {page.url} diperbarui dari {display_path(path)} dalam "
                 f"{time.monotonic() - start:.1f} detik; seluruh situs menyusul")
        return True


THEME_OVERRIDES = os.path.join(HERE, "site", "theme")
"""Templates that replace the theme's own where they speak English or link to the internet."""

PERMALINK_TITLE = "Tautan ke bagian ini"

BUILD_STOPPED = "Pembangunan situs dihentikan karena galat di atas."


def _indonesian_theme(config) -> None:
    """Our theme overrides after the project's own ``custom_dir`` (an institution may override
    ours) and before the theme's templates; the ``toc`` extension's anchor title in Indonesian
    unless mkdocs.yml gives one."""
    dirs = config.theme.dirs
    if THEME_OVERRIDES not in dirs:
        custom = config.theme.custom_dir
        dirs.insert(1 if custom and dirs and os.path.samefile(dirs[0], custom) else 0, THEME_OVERRIDES)
    if "toc" in config.markdown_extensions:
        config.mdx_configs.setdefault("toc", {}).setdefault("permalink_title", PERMALINK_TITLE)


def _site_identity(config, instansi: Instansi) -> None:
    """The site's name and description from ``_instansi.yaml`` (``nama_situs``, ``deskripsi``)
    when it gives them, over mkdocs.yml's ``site_name`` and ``site_description``: the
    institution's settings live in one file. The pages are rendered after ``on_files``.

    They are text, shown as written: MkDocs' templates do not escape, and the theme writes the
    name into <title>, attributes (the logo's aria-label) and the header, the description into
    <meta name="description">. Escaped once here, as Markup, so that a template's ``|e`` leaves
    them as they are (no ``&amp;amp;``) and one without it cannot be led out of its text."""
    if instansi.nama_situs:
        config.site_name = Markup(escape(instansi.nama_situs))
    if instansi.deskripsi:
        config.site_description = Markup(escape(instansi.deskripsi))


def _plain(text: str | None) -> str:
    """A config value as its text: a value escaped by ``_site_identity`` (Markup) unescaped back."""
    if text is None:
        return ""
    return text.unescape() if isinstance(text, Markup) else text


# MkDocs' own INFO lines (mkdocs/commands/build.py, commands/serve.py, livereload/__init__.py; the same
# in ProperDocs under its own names), in Indonesian: (pattern of the English text, its Indonesian,
# which keeps what the pattern caught). Livereload's lines start with the time, "[10:05:09] ", kept.
_MKDOCS_LINES = tuple((re.compile(rf"^(\[\d\d:\d\d:\d\d\] )?{english}$", re.S), indonesian) for english, indonesian in (
    (r"Cleaning site directory", r"\1Membersihkan folder situs"),
    (r"Building documentation to directory: (.*)", r"\1Membangun situs ke folder \2"),
    (r"The directory contains stale files\. Use --clean to remove them\.",
     r"\1Folder itu masih memuat berkas lama; pakai --clean untuk menghapusnya."),
    (r"Documentation built in (\d+)\.(\d+) seconds", r"\1Situs selesai dibangun dalam \2,\3 detik"),
    (r"Building documentation\.\.\.", r"\1Membangun situs…"),
    (r"Serving on (\S+) and opening it in a browser", r"\1Situs tersaji di \2 dan dibuka di peramban"),
    (r"Serving on (\S+)", r"\1Situs tersaji di \2"),
    (r"Watching paths for changes: (.*)", r"\1Memantau perubahan pada \2"),
    (r"Detected file changes", r"\1Ada berkas yang berubah"),
    (r"Reloading browsers", r"\1Memuat ulang peramban"),
    (r"Browser connected: (.*)", r"\1Peramban tersambung: \2"),
    (r"Shutting down\.\.\.", r"\1Server dihentikan…"),
))

_MKDOCS_LOGGERS = tuple(f"{package}.{module}" for package in ("mkdocs", "properdocs")
                        for module in ("commands.build", "commands.serve", "livereload"))


class _Indonesian(logging.Filter):
    """Rewrites MkDocs' known INFO lines into Indonesian; any other record passes unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            text = record.getMessage()
            for english, indonesian in _MKDOCS_LINES:
                said, n = english.subn(indonesian, text)
                if n:
                    record.msg, record.args = said, ()
                    break
        return True


_INDONESIAN = _Indonesian()


def _terminal_in_indonesian() -> None:
    """The filter on each logger that says those lines (a logger's filter sees only its own records,
    not its children's); once, however many builds `mkdocs serve` runs."""
    for name in _MKDOCS_LOGGERS:
        logger = logging.getLogger(name)
        if _INDONESIAN not in logger.filters:
            logger.addFilter(_INDONESIAN)


def _files_named(broken: dict) -> str:
    """The files with errors counted by kind, as the build's last line says them: ``2 berkas SOP dan
    1 berkas pengaturan instansi (_instansi.yaml)`` (an error in a record is not one "in an SOP file")."""
    counts: dict[str, int] = {}
    for path in broken:
        kind = file_kind(path)
        counts[kind] = counts.get(kind, 0) + 1
    parts = [f"{counts[kind]} {name}" for kind, name in FILE_KINDS.items() if kind in counts]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " dan " + parts[-1]


def _outside_nav(ours: set[str], files: Files, nav: list) -> None:
    """Our pages that ``nav`` does not list (a broken SOP's under `mkdocs serve`, or all of them in a
    hand-written ``nav``) are marked as pages outside the navigation: MkDocs builds them and does not
    list them in its English "not included in the nav" message."""
    listed: set[str] = set()
    stack: list = [nav]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            listed.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    for file in files.documentation_pages():
        if file.src_uri in ours and file.src_uri not in listed and file.generated_by:
            file.inclusion = InclusionLevel.NOT_IN_NAV


def _nav_titles(nav) -> dict[str, str]:
    """The titles a hand-written ``nav`` gives its pages (``- Menulis SOP: panduan/menulis-sop.md``)."""
    titles: dict[str, str] = {}
    stack: list = [nav or []]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    titles.setdefault(value, str(title))
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return titles


_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_FRONT_TITLE = re.compile(r"\A---[ \t]*\n(?:(?!---).*\n)*?title:[ \t]*(.+?)[ \t]*\n(?:(?!---).*\n)*?---[ \t]*$", re.M)


def _page_title(file: File) -> str:
    """A hand-written page's title as MkDocs gives it: its front matter's ``title``, else its first
    ``# `` heading (without an attribute list such as ``{#id}``), else its name
    (``panduan/menulis-sop.md``: Menulis sop). Read from the source: the page is rendered after
    the home is made."""
    try:
        text = file.content_string
    except (OSError, UnicodeDecodeError):
        text = ""
    if found := _FRONT_TITLE.match(text):
        return found.group(1).strip("'\"")
    body = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.M | re.S)  # a "# comment" in a code block is no heading
    if found := _HEADING.search(body):
        return re.sub(r"\s*\{[^}]*\}$", "", found.group(1)).strip() or _name_title(file.src_uri)
    return _name_title(file.src_uri)


def _name_title(src_uri: str) -> str:
    name = posixpath.splitext(posixpath.basename(src_uri))[0]
    if name in ("index", "README"):
        name = posixpath.basename(posixpath.dirname(src_uri)) or name
    return name.replace("-", " ").replace("_", " ").capitalize()


def _extend_search_index(site_dir: str, words: dict[str, dict[str, str]]) -> None:
    """The search plugin's index, when it wrote one, with our fields of words (:func:`extend_index`)."""
    path = os.path.join(site_dir, "search", "search_index.json")
    try:
        with open(path, encoding="utf-8") as fh:
            index = json.load(fh)
    except FileNotFoundError:
        return  # no search plugin, or it is disabled
    data = json.dumps(extend_index(index, words), ensure_ascii=False, separators=(",", ":"))
    try:
        write_atomic(path, data.encode("utf-8"))
    except OSError as exc:
        raise PluginError(str(write_failure(exc, os.path.dirname(path)))) from None


def _plugin_line(config_file: str) -> str:
    """``mkdocs.yml:<line>``: where the plugin ``sop`` is named in the configuration."""
    return _line_of(config_file, r"^\s*-\s*sop\s*:?\s*$") or display_path(config_file)


def _line_of(config_file: str, pattern: str) -> str | None:
    try:
        with open(config_file, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if re.match(pattern, line):
                    return f"{display_path(config_file)}:{n}"
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _pdf_dir(value: str, config_file: str | None) -> str:
    """``pdf_dir`` as a folder inside the built site (normalised), or a configuration error."""
    config_file = config_file or "mkdocs.yml"
    folder = posixpath.normpath(value.replace("\\", "/")) if value.strip() else "."
    if posixpath.isabs(folder) or folder == ".." or folder.startswith("../") or re.match(r"^[A-Za-z]:", folder):
        where = _line_of(config_file, r"^\s*pdf_dir\s*:") or display_path(config_file)
        raise PluginError(f"{where}: opsi `pdf_dir` ({value!r}) menunjuk ke luar folder situs; PDF hanya ditulis "
                          "di dalam situs\n    perbaikan: tulis nama folder di dalam situs, misalnya `pdf_dir: pdf`")
    return folder


# mkdocs serve's LiveReloadServer tells its browsers to reload when its epoch moves past theirs
# (livereload/__init__.py: _visible_epoch under _epoch_cond, _wanted_epoch and _want_rebuild under
# _rebuild_cond). The fast path moves the epoch itself, only while no build runs (a running build
# moves it when it ends), and asks for the rebuild as a watched file would.
_SERVER_PARTS = ("_epoch_cond", "_rebuild_cond", "_visible_epoch", "_wanted_epoch", "_want_rebuild")


def _can_reload(server) -> bool:
    return all(hasattr(server, name) for name in _SERVER_PARTS) and isinstance(
        server._epoch_cond, threading.Condition)


def _reload_browsers(server) -> None:
    with server._rebuild_cond, server._epoch_cond:
        if server._visible_epoch != server._wanted_epoch:
            return  # a build runs: the browsers reload when it ends
        epoch = max(round(time.monotonic() * 1000), server._visible_epoch + 1)
        server._wanted_epoch = server._visible_epoch = epoch
        server._epoch_cond.notify_all()


def _ask_rebuild(server) -> None:
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()
