"""The MkDocs adapter: the only module that imports MkDocs.

A thin layer over the core. It loads and checks ``sop_data/``, draws the
flowcharts, and hands MkDocs one generated page per SOP, the list of all SOPs,
each SOP's YAML source and full-size flowchart, and the plugin's own CSS and
JavaScript. Nothing is written into ``docs/`` or ``sop_data/``.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import shutil
from collections import defaultdict
from urllib.parse import quote

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from sopcode.atomic import copy_atomic, folder_sementara, gagal_tulis
from sopcode.cache import trusted
from sopcode.sheets import BUKU, CetakError, ChromiumMissing, Lembar, Pencetak, sheets_html, teks_terpotong, write_atomic
from sopcode.rules import Report, check
from sopcode.diagnostics import display_path, tampak
from sopcode.shapes.graphviz import DrawError
from sopcode.shapes.swimlane import swimlane_svgs
from sopcode.model.load import content_key, content_salt, read_for_key, read_logo
from sopcode.model.logo import Logo
from sopcode.model.sop import Sop
from sopcode.site.pages import SOP_DIR, UsedBy, daftar_page, error_page, html_title, sop_page, sop_src, terbaru_page

log = get_plugin_logger(__name__)

HERE = os.path.dirname(os.path.abspath(__file__))
ASSETS = {"assets/sop/sop.css": ("extra_css", "site/assets/sop.css"),
          "assets/sop/lembar.css": ("extra_css", "sheets/sheet.css"),
          "assets/sop/sop.js": ("extra_javascript", "site/assets/sop.js")}
"""The plugin's own style and script, served from the site itself (no internet on an intranet)."""


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
    report: Report | None = None
    config_file: str | None = None
    pdfs: dict[str, bytes | str] = {}  # bytes, or the path of a file to copy (the binder)
    halaman: dict = {}

    # on_startup: `mkdocs serve` keeps going on a broken SOP (shows the error
    # in the browser) where `mkdocs build` must stop; remember which one runs.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    # on_config: our CSS and JS join the theme's, as files of this very site; the PDFs' folder
    # is checked to lie inside the site.
    def on_config(self, config):
        for path, (key, _) in ASSETS.items():
            if path not in config[key]:
                config[key].append(path)
        self.config_file = config.config_file_path
        self.config.pdf_dir = _pdf_dir(self.config.pdf_dir, self.config_file)
        return config

    # on_files: the SOPs become pages here, before MkDocs builds the navigation,
    # so they appear in it like hand-written pages. Checks run first: a file
    # with errors aborts the build with the same messages as `sop check`.
    def on_files(self, files: Files, *, config) -> Files:
        root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        try:
            return self._files(files, config, root)
        except OSError as exc:  # a full disk while writing a cache: the file and the cause, no traceback
            raise PluginError(str(gagal_tulis(exc, os.path.join(root, self.config.cache_dir)))) from None

    def _files(self, files: Files, config, root: str) -> Files:
        self.halaman = {}
        # Named as `sop check` names it (relative to the working folder when below it): the same
        # messages, and the loader's cache entries are shared with the command line.
        data_dir = display_path(self.config.data_dir)
        # Only a cache this user's own builds made here is read (a committed or received one is not).
        self.cache_root = trusted(os.path.join(root, self.config.cache_dir))
        self.report = report = check([data_dir], cache_dir=self.cache_root)
        # Errors first, those of a file that does not load at their head: the cause before the rest.
        # A file that does not load is still an SOP: others may refer to it and stay published.
        for d in report.errors:
            log.error(d.format())
        for d in report.warnings:
            log.warning(d.format())
        history = report.riwayat
        if history is not None and history.catatan and report.sops:
            log.warning(f"riwayat revisi: {history.catatan}")
        broken = _errors_by_file(report)
        if broken and not self.serving:
            raise PluginError(
                f"{len(report.errors)} galat pada {len(broken)} berkas SOP; perbaiki lalu bangun ulang "
                "(`sop check` menampilkan daftar yang sama)")
        good = [s for s in report.sops if s.path not in broken]
        try:
            drawings = swimlane_svgs(good, os.path.join(self.cache_root, "graphviz") if self.cache_root else None,
                                     kunci=report.loaded.kunci)
        except DrawError as exc:
            if not self.serving:
                raise PluginError(str(exc)) from None
            log.error(str(exc))
            drawings = {}
        for path, (_, source) in ASSETS.items():
            files.append(File.generated(config, path, abs_src_path=os.path.join(HERE, source)))
        # Read once: the bytes checked are those published and those printed.
        accepted = read_logo(report.loaded.instansi, self.config.data_dir)
        logo = self._logo(files, config, accepted)
        by_id = {s.id: s for s in good}
        sheets = self._print(good, by_id, root, history, accepted)
        pages: list[tuple[File, Sop]] = []
        for sop in good:
            page = File.generated(config, sop_src(sop.id), content="")
            pages.append((page, sop))
            files.append(page)
        extra: dict[str, File] = {}
        href_from = _Hrefs(pages)
        dirujuk = UsedBy(by_id)
        for page, sop in pages:
            unduhan = []
            if f"{sop.id}.pdf" in self.pdfs:
                unduhan.append(("Lembar SOP (PDF)", get_relative_url(self._pdf_url(f"{sop.id}.pdf"), page.url), "pdf"))
            source = _checked_bytes(sop, report) if self.config.unduh_yaml else None
            if source is not None:
                yaml_file = File.generated(config, f"{SOP_DIR}/{sop.id}/{sop.id}.yaml", content=source)
                files.append(yaml_file)
                unduhan.append(("Berkas sumber (YAML)", get_relative_url(yaml_file.url, page.url), "yaml"))
            svg_href = None
            if sop.id in drawings:
                svg_file = File.generated(config, f"{SOP_DIR}/{sop.id}/bagan-alir.svg", content=drawings[sop.id])
                files.append(svg_file)
                svg_href = get_relative_url(svg_file.url, page.url)
            logo_href = get_relative_url(logo.url, page.url) if logo else None
            cetak = None
            if sop.id in sheets:  # the sheets themselves, shown when the page is printed
                cetak = sheets_html(dataclasses.replace(sheets[sop.id], logo=logo_href))
            self._set(page, sop_page(
                sop, by_id, href_from(page), swimlane=drawings.get(sop.id), swimlane_href=svg_href,
                unduhan=unduhan, logo=logo_href, akar=self.config.akar_kata, cetak=cetak,
                kertas=sheets[sop.id].kertas if sop.id in sheets else None,
                riwayat=history.per_sop.get(sop.id) if history else None,
                catatan=history.catatan_pembaca if history else None, dirujuk=dirujuk))
        error_pages = []
        for path, diagnostics in broken.items():  # serve only: the errors, where the page would be
            sop_id = os.path.splitext(os.path.basename(path))[0]
            page = File.generated(config, sop_src(sop_id), content="")
            self._set(page, error_page(path, diagnostics))
            files.append(page)
            error_pages.append((page, path))
            extra[sop_id] = page
        daftar = File.generated(config, self.config.daftar, content="")
        files.append(daftar)
        buku = get_relative_url(self._pdf_url(BUKU), daftar.url) if BUKU in self.pdfs else None
        self._set(daftar, daftar_page(
            good, _Hrefs(pages, extra)(daftar), buku=buku,
            broken=[(os.path.relpath(path, root), os.path.splitext(os.path.basename(path))[0])
                    for _, path in error_pages]))
        terbaru = File.generated(config, self.config.terbaru, content="")
        files.append(terbaru)
        latest = [(by_id[sid], r) for sid, r in history.terbaru(50) if sid in by_id] if history else []
        self._set(terbaru, terbaru_page(latest, href_from(terbaru), history.catatan_pembaca if history else None))
        if self.config.navigasi and config.nav is None:
            generated = [p for p, _ in pages] + [p for p, _ in error_pages]
            config.nav = _navigation(files, good, self.config.daftar, generated, self.config.terbaru)
        return files

    # on_page_content: our pages are HTML already; their Markdown source is only the
    # front matter (title), so Markdown has nothing to parse and the HTML goes in as is.
    def on_page_content(self, html: str, *, page, config, files) -> str:
        generated = self.halaman.get(page.file.src_uri)
        return generated.html if generated is not None else html

    # on_post_page: the drawing and the printable sheets go in last, after search has
    # indexed the page: they are most of its bytes and none of its words.
    def on_post_page(self, output: str, *, page, config) -> str:
        generated = self.halaman.get(page.file.src_uri)
        return generated.finish(output) if generated is not None else output

    def _set(self, file: File, halaman) -> None:
        file.content_string = halaman.front_matter()
        self.halaman[file.src_uri] = halaman

    # on_post_build: the PDFs printed in on_files go into the site now that MkDocs has
    # written it, each atomically: a reader of the site never gets half a file.
    def on_post_build(self, *, config) -> None:
        site = os.path.realpath(config.site_dir)
        folder = os.path.join(site, self.config.pdf_dir)
        if self.pdfs and os.path.commonpath([site, os.path.realpath(folder)]) != site:
            # A link put into the site (site/pdf -> elsewhere) would lead the writing out of it.
            raise PluginError(f"folder PDF {folder} mengarah ke luar folder situs {site} (tautan simbolik); "
                              "hapus tautan itu, lalu bangun ulang")
        try:
            for name, data in self.pdfs.items():
                target = os.path.join(folder, name)
                if isinstance(data, str):
                    copy_atomic(data, target)
                else:
                    write_atomic(target, data)
        except OSError as exc:
            raise PluginError(str(gagal_tulis(exc, folder))) from None
        finally:
            if getattr(self, "sementara", None):
                shutil.rmtree(self.sementara, ignore_errors=True)
                self.sementara = None

    # on_build_error: MkDocs itself writing the site on a full disk ends in a traceback of
    # its own; the cause is said first, in Indonesian.
    def on_build_error(self, *, error: Exception) -> None:
        if isinstance(error, OSError):
            log.error(str(gagal_tulis(error, "folder situs")))

    # on_serve: `mkdocs serve` watches docs/ only; SOP files and our templates
    # change the site too, so saving one rebuilds and reloads the page.
    def on_serve(self, server, *, config, builder):
        server.watch(self.config.data_dir)
        server.watch(os.path.join(HERE, "site", "templates"))
        server.watch(os.path.join(HERE, "site", "assets"))
        server.watch(os.path.join(HERE, "sheets"))
        return server

    def _print(self, sops: list[Sop], by_id: dict[str, Sop], root: str, history,
               logo: Logo | None) -> dict[str, Lembar]:
        """Measure and print every SOP's sheets and the binder (not under `mkdocs serve`)."""
        self.pdfs = {}
        if not self.config.pdf or self.serving or not sops:
            return {}
        cache = os.path.join(self.cache_root, "cetak") if self.cache_root else None
        try:
            with Pencetak(cache) as printer:
                draf = history.draf if history else set()
                lembars = printer.siapkan(sops, by_id, logo, draf, history.ringkasan() if history else None,
                                          self.report.loaded.kunci)
                for lb, data in zip(lembars, printer.pdf_many(lembars)):
                    self.pdfs[f"{lb.sop.id}.pdf"] = data
                buku = printer.siapkan_buku(lembars)
                printer.bersihkan(lembars)  # sheets of older versions of the SOPs
            # Bound once the browser has closed; large: kept on disk (in a temporary folder without a cache).
            self.sementara = None if cache else folder_sementara("buku")
            binder = os.path.join(cache or self.sementara, BUKU)
            buku.jilid(binder)
            self.pdfs[BUKU] = binder
        except ChromiumMissing as exc:
            where = _plugin_line(self.config_file or os.path.join(root, "mkdocs.yml"))
            raise PluginError(f"{exc}\n    atau bangun situs tanpa PDF: tambahkan baris `pdf: false` di bawah "
                              f"`- sop:` ({where})") from None
        except (CetakError, DrawError) as exc:
            raise PluginError(str(exc)) from None
        cut = teks_terpotong(printer.problems)
        for problem in printer.problems:
            (log.error if problem in cut else log.warning)(f"tata letak lembar cetak: {tampak(problem)}")
        if cut:  # nothing printed is ever cut without an error
            raise PluginError(f"{len(cut)} lembar cetak akan memotong teksnya (lihat galat di atas): "
                              "persingkat teks SOP itu atau kurangi butirnya, lalu bangun ulang")
        return {lb.sop.id: lb for lb in lembars}

    def _pdf_url(self, name: str) -> str:
        """The site address of a PDF, encoded (an SOP's id may hold '#', '?', '%' or a space)."""
        return quote(posixpath.join(self.config.pdf_dir, name) if self.config.pdf_dir != "." else name)

    def _logo(self, files: Files, config, accepted: Logo | None) -> File | None:
        """The institution's logo (``logo`` in _instansi.yaml), put into the site once.

        The bytes that were checked are the bytes published (read once, see :mod:`.logo`), under
        a name of their kind: ``logo.png`` or ``logo.jpg``, whatever the file was called.
        """
        if accepted is None:
            return None  # the checks said why, at the line of `logo:`
        logo = File.generated(config, f"assets/sop/logo{accepted.ext}", content=accepted.data)
        files.append(logo)
        return logo




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


def _checked_bytes(sop: Sop, report: Report) -> bytes | None:
    """The SOP's file as published for download: the very bytes that were checked, read again
    the bounded way (never by following the path at copy time); None when it changed since."""
    data = read_for_key(sop.path)
    key = report.loaded.kunci.get(sop.path)
    if data is None or not key or content_key(content_salt(report.loaded.instansi), sop.path, data) != key:
        log.warning(f"{display_path(sop.path)}: berkas berubah selama pembangunan; unduhan YAML-nya tidak "
                    "disertakan (bangun ulang untuk menyertakannya)")
        return None
    return data


def _errors_by_file(report: Report) -> dict[str, list]:
    by_file: dict[str, list] = defaultdict(list)
    for d in report.errors:
        by_file[d.loc.path].append(d)
    return dict(by_file)


class _Hrefs:
    """For a page: SOP id → that SOP page's address relative to it, as MkDocs will publish it.

    The addresses are collected once (collecting them for every page grew with the square of
    the number of SOPs)."""

    def __init__(self, pages: list[tuple[File, Sop]], extra: dict[str, File] | None = None):
        self.urls = {sop.id: f.url for f, sop in pages}
        self.urls.update({sop_id: f.url for sop_id, f in (extra or {}).items()})

    def __call__(self, page: File):
        return lambda sop_id: get_relative_url(self.urls[sop_id], page.url)


NAV_SECTION_MAX = 40
"""SOPs listed in one navigation section. Every page carries the open section's links, so a unit
of 1,000 SOPs in one section cost every one of its pages 1,000 links (the build grew with the
square of the number of SOPs); a larger unit is split into ranges of names, like a dictionary's
guide words. The list of SOPs (Daftar SOP) and search still show them all."""


def _unit_nav(sops: list[Sop]) -> list:
    """A unit's SOPs (sorted by name) for the navigation: as they are, or in ranges of names."""
    items = [{html_title(s.nama): sop_src(s.id)} for s in sops]
    if len(items) <= NAV_SECTION_MAX:
        return items
    n_groups = -(-len(items) // NAV_SECTION_MAX)
    size = -(-len(items) // n_groups)
    out = []
    for lo in range(0, len(items), size):
        group = sops[lo:lo + size]
        first, last = _guides(str(group[0].nama), str(group[-1].nama))
        out.append({html_title(f"{first} – {last}"): items[lo:lo + size]})
    return out


def _guides(first: str, last: str) -> tuple[str, str]:
    """Guide words for a range of names: each name up to the first word where they differ."""
    a, b = first.split(), last.split()
    same = next((n for n, (x, y) in enumerate(zip(a, b)) if x.casefold() != y.casefold()), min(len(a), len(b)))
    return tuple(" ".join(w[:same + 1]) + ("…" if len(w) > same + 1 else "") for w in (a, b))  # type: ignore[return-value]


def _navigation(files: Files, sops: list[Sop], daftar: str, sop_pages: list[File], terbaru: str) -> list:
    """Home, the list of SOPs, the latest changes, the SOPs grouped by unit, then the other pages."""
    by_unit: dict[str, list[Sop]] = defaultdict(list)
    for sop in sorted(sops, key=lambda s: str(s.nama).casefold()):
        by_unit[sop.nama_unit].append(sop)
    nav: list = []
    generated = {daftar, terbaru} | {p.src_uri for p in sop_pages}
    docs = [f for f in files.documentation_pages() if f.src_uri not in generated]
    home = next((f for f in docs if f.src_uri in ("index.md", "README.md")), None)
    if home:
        nav.append({"Beranda": home.src_uri})
    nav.append({"Daftar SOP": daftar})
    nav.append({"Perubahan terbaru": terbaru})
    for unit in sorted(by_unit, key=str.casefold):
        nav.append({html_title(unit): _unit_nav(by_unit[unit])})
    sections: dict[str, list] = defaultdict(list)
    for f in sorted(docs, key=lambda f: f.src_uri):
        if f is home:
            continue
        folder = f.src_uri.split("/")[0] if "/" in f.src_uri else ""
        sections[folder].append(f.src_uri)
    for folder, uris in sections.items():
        if folder:
            nav.append({folder.replace("-", " ").capitalize(): uris})
        else:
            nav.extend(uris)
    return nav
