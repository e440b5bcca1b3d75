"""The home page of a site whose ``docs/`` has none (``index.md``), made from ``_instansi.yaml``.

A new institution's project then opens on its own name and description, with the way to its
SOPs, its monitoring and evaluation, its binder and its guides; a hand-written ``docs/index.md``
replaces it. Markdown, rendered by MkDocs like a hand-written page; no MkDocs here.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Sequence

HOME = "index.md"


def _escaped(text: str) -> str:
    """Text from a settings file, shown as written (no Markdown or HTML of its own)."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]#|!":
        out = out.replace(ch, "\\" + ch)
    return out


def home_markdown(site_name: str, description: str | None, list_page: str, monev_page: str | None,
                  binder: str | None, guides: Sequence[tuple[str, str]]) -> str:
    """The home page: the site's name as its title, its description, then links (relative to the
    home) to the list of SOPs, monitoring and evaluation, the binder (``binder``: its path in the
    site) and each guide (``guides``: (title, source name) pairs, in order)."""
    lines = ["---", "title: Beranda", "---", "", f"# {_escaped(site_name)}", ""]
    if description:
        lines += [_escaped(description), ""]
    lines += ["## Mencari SOP", "",
              f"- **[Daftar SOP]({list_page})**: semua SOP beserta nomor, unit kerja dan tanggalnya.",
              "- **Kotak Cari** di bagian atas halaman menemukan SOP dari kata apa pun di dalamnya."]
    if monev_page:
        lines.append(f"- **[Monitoring dan evaluasi]({monev_page})**: hasil monitoring dan evaluasi setiap SOP.")
    if binder:
        # A raw anchor: the binder is written into the site after the pages, and MkDocs would warn
        # that a Markdown link to it leads to no file ("the target is not found").
        href = html.escape(posixpath.normpath(binder), quote=True)
        lines.append(f'- **<a href="{href}">Buku SOP (PDF)</a>**: semua SOP dalam satu berkas untuk dicetak.')
    if guides:
        lines += ["", "## Panduan", ""]
        lines += [f"- [{_escaped(title)}]({src})" for title, src in guides]
    lines.append("")
    return "\n".join(lines)
