"""Page content for the browsable site, as Markdown documents with HTML bodies.

No MkDocs here: the adapter hands these texts to MkDocs as generated pages.
Everything from YAML passes through Jinja's autoescaping, so text such as
``<script>`` or ``{{ x }}`` in a file appears literally and is never evaluated.
"""

from __future__ import annotations

import json
from collections import defaultdict

import jinja2

from .model import KOTAK, Sop
from .spec import format_tanggal

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("sopcode", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["tanggal"] = format_tanggal

SOP_DIR = "sop"


def sop_url(sop_id: str) -> str:
    """Stable address of an SOP page, relative to the site root."""
    return f"{SOP_DIR}/{sop_id}/"


def sop_src(sop_id: str) -> str:
    return f"{SOP_DIR}/{sop_id}.md"


def _front_matter(title: str) -> str:
    # A JSON string is a valid YAML scalar: the title needs no further escaping.
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n"


def _rel(from_src: str, to_url: str) -> str:
    """Link from a page to another page's Markdown source (MkDocs resolves it)."""
    depth = from_src.count("/")
    return "../" * depth + to_url


def sop_page(sop: Sop, all_sops: dict[str, Sop]) -> str:
    used_by = [s for s in all_sops.values() if any(k.sop == sop.id for k in s.keterkaitan)]
    body = _ENV.get_template("sop_page.html").render(
        sop=sop, kotak=KOTAK, all_sops=all_sops, used_by=sorted(used_by, key=lambda s: str(s.nama)),
        total=sop.total_waktu(), link=lambda other_id: _rel(sop_src(sop.id), sop_src(other_id)),
    )
    return _front_matter(str(sop.nama)) + body


def daftar_page(sops: list[Sop], src: str) -> str:
    groups: dict[str, list[Sop]] = defaultdict(list)
    for sop in sorted(sops, key=lambda s: (s.nama_unit, str(s.nama).casefold())):
        groups[sop.nama_unit].append(sop)
    body = _ENV.get_template("daftar.html").render(
        groups=groups, link=lambda sop_id: _rel(src, sop_src(sop_id)), n=len(sops))
    return _front_matter("Daftar SOP") + body
