"""The MkDocs adapter: the only module that imports MkDocs.

A thin layer over the core: it loads and checks ``sop_data/`` and hands MkDocs
one generated page per SOP plus the list of all SOPs. Nothing is written into
``docs/`` or ``sop_data/``.
"""

from __future__ import annotations

import os

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .checks import Report, check
from .pages import daftar_page, sop_page, sop_src

log = get_plugin_logger(__name__)


class SopConfig(base.Config):
    data_dir = c.Type(str, default="sop_data")
    """Folder of SOP files, relative to mkdocs.yml."""
    daftar = c.Type(str, default="daftar-sop.md")
    """Where the list of all SOPs lives in the site."""


class SopPlugin(BasePlugin[SopConfig]):
    report: Report | None = None

    # on_files: the SOPs become pages here, before MkDocs builds the navigation,
    # so they appear in it like hand-written pages. Checks run first: a file
    # with errors aborts the build with the same messages as `sop check`.
    def on_files(self, files: Files, *, config) -> Files:
        root = os.path.dirname(config.config_file_path or ".")
        data = os.path.join(root, self.config.data_dir)
        if not os.path.isdir(data):
            raise PluginError(f"sop: folder data SOP '{data}' tidak ada (opsi `data_dir` pada mkdocs.yml)")
        self.report = report = check([data])
        for d in report.warnings:
            log.warning(d.format())
        if report.errors:
            for d in report.errors:
                log.error(d.format())
            raise PluginError(
                f"sop: {len(report.errors)} galat pada berkas SOP; perbaiki lalu bangun ulang "
                "(`sop check` menampilkan daftar yang sama)")
        by_id = {s.id: s for s in report.sops}
        for sop in report.sops:
            files.append(File.generated(config, sop_src(sop.id), content=sop_page(sop, by_id)))
        files.append(File.generated(config, self.config.daftar, content=daftar_page(report.sops, self.config.daftar)))
        return files
