"""Page content for the browsable site, as HTML (no Markdown to convert: it is all generated).

No MkDocs here: the adapter hands each :class:`Halaman` to MkDocs as a generated
page, with the addresses of the other pages (``href``) worked out by MkDocs itself.
Everything from YAML passes through Jinja's autoescaping, so text such as
``<script>`` or ``{{ x }}`` in a file appears literally and is never evaluated.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence

import jinja2

from sopcode.site.stemming import akar_kata
from sopcode.diagnostics import Diagnostic
from sopcode.model.sop import KOTAK, Sop
from sopcode.text import format_tanggal

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("sopcode.site", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["tanggal"] = format_tanggal

SOP_DIR = "sop"

Href = Callable[[str], str]
"""An SOP id → the address of its page, relative to the page being written."""


def sop_src(sop_id: str) -> str:
    """Where an SOP's generated page lives among the site's sources: ``sop/<id>.md`` → ``sop/<id>/``."""
    return f"{SOP_DIR}/{sop_id}.md"


def html_title(text: str) -> str:
    """A title for MkDocs: its themes put page and section titles into HTML unescaped."""
    return html.escape(" ".join(str(text).split()), quote=True)


@dataclass
class Halaman:
    """A generated page: its title and metadata (front matter for MkDocs), its HTML, and the large
    pieces (the drawing, the printable sheets) kept out of it as markers until the very end."""

    title: str
    html: str
    meta: dict = field(default_factory=dict)
    inserts: dict[str, str] = field(default_factory=dict)

    def front_matter(self) -> str:
        return _front_matter(self.title, **self.meta)

    def finish(self, output: str) -> str:
        """The page as written to the site: each marker replaced by its piece (once)."""
        for marker, piece in self.inserts.items():
            output = output.replace(marker, piece, 1)
        return output


BAGAN, CETAK = "<!--sop:bagan-->", "<!--sop:cetak-->"


def _front_matter(title: str, **meta: object) -> str:
    # JSON values are valid YAML scalars: the title needs no further escaping for YAML,
    # but MkDocs and the theme write it into <title>, the h1 and the navigation as HTML.
    lines = [f"title: {json.dumps(html_title(title), ensure_ascii=False)}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def searchable_text(sop: Sop) -> list[str]:
    """The texts a reader may search an SOP by: title, boxes, actors, steps."""
    texts = [str(sop.nama), sop.judul_prosedur, *map(str, sop.pelaksana)]
    for key, _ in KOTAK:
        for item in sop.kotak(key):
            texts.append(str(getattr(item, "teks", None) or getattr(item, "sop", None) or item))
    for step in sop.langkah:
        texts += [str(step.kegiatan), " ".join(map(str, step.mutu_baku.output)), str(step.keterangan or "")]
        texts += [str(k) for k in step.mutu_baku.kelengkapan]
    return texts


class UsedBy:
    """Which SOPs name each SOP in their Keterkaitan box: found in one pass over all of them
    (asking each SOP's page to look through all SOPs grew with the square of their number)."""

    def __init__(self, all_sops: dict[str, Sop]):
        self._users: dict[str, list[Sop]] = {}
        for s in all_sops.values():
            for cited in {str(k.sop) for k in s.keterkaitan if k.sop is not None}:
                self._users.setdefault(cited, []).append(s)

    def __call__(self, sop: Sop) -> list[Sop]:
        return sorted(self._users.get(sop.id, ()), key=lambda s: str(s.nama).casefold())


def sop_page(sop: Sop, all_sops: dict[str, Sop], href: Href, *, swimlane: str | None = None,
             swimlane_href: str | None = None, unduhan: Sequence[tuple[str, str, str]] = (),
             logo: str | None = None, akar: bool = True, cetak: str | None = None,
             kertas: object | None = None, riwayat: object | None = None, catatan: str | None = None,
             dirujuk: UsedBy | None = None) -> Halaman:
    """One SOP's page.

    ``swimlane`` is the inline SVG; ``unduhan`` the downloads as (label,
    address, kind); ``akar`` adds the roots of the page's words for search.
    ``dirujuk`` answers which SOPs cite this one (made once for all pages).
    """
    users = (dirujuk or UsedBy(all_sops))(sop)
    body = _ENV.get_template("sop_page.html").render(
        sop=sop, kotak=KOTAK, all_sops=all_sops, used_by=users, total=sop.total_waktu(),
        link=href, swimlane=swimlane, swimlane_href=swimlane_href, unduhan=list(unduhan), logo=logo,
        akar=akar_kata(searchable_text(sop)) if akar else [], cetak=cetak, kertas=kertas,
        riwayat=riwayat, catatan=catatan, sisip_bagan=BAGAN, sisip_cetak=CETAK,
    )
    inserts = {}
    if swimlane:
        inserts[BAGAN] = swimlane
    if cetak:
        inserts[CETAK] = cetak
    # The table of contents would take a third of the width the flowchart and the table need.
    return Halaman(str(sop.nama), body, {"hide": ["toc"]}, inserts)


def daftar_page(sops: list[Sop], href: Href, broken: Sequence[tuple[str, str]] = (), buku: str | None = None) -> Halaman:
    """The list of all SOPs, grouped by unit; ``broken`` lists (file, id) not yet publishable."""
    groups: dict[str, list[Sop]] = defaultdict(list)
    for sop in sorted(sops, key=lambda s: (s.nama_unit.casefold(), str(s.nomor or "~"), str(s.nama).casefold())):
        groups[sop.nama_unit].append(sop)
    body = _ENV.get_template("daftar.html").render(groups=groups, link=href, n=len(sops), broken=list(broken), buku=buku)
    return Halaman("Daftar SOP", body)


def error_page(path: str, diagnostics: Sequence[Diagnostic]) -> Halaman:
    """In place of an SOP whose file has errors (``mkdocs serve`` only): the messages themselves."""
    body = _ENV.get_template("galat.html").render(path=path, diagnostics=list(diagnostics))
    return Halaman("Galat pada berkas SOP", body, {"search": {"exclude": True}})


def terbaru_page(entries: Sequence[tuple[Sop, object]], href: Href, catatan: str | None = None) -> Halaman:
    """The latest revisions across all SOPs, newest first: (sop, Revisi) pairs."""
    body = _ENV.get_template("terbaru.html").render(entries=list(entries), link=href, catatan=catatan)
    return Halaman("Perubahan terbaru", body)
