"""The site's navigation when mkdocs.yml has none: home, the list of SOPs, the latest changes,
the SOPs grouped by unit (large units in ranges of names), then the hand-written pages.

No MkDocs here: the adapter gives the source names of the documentation pages and sets
the result as ``config.nav``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from sopcode.model.sop import Sop
from sopcode.site.pages import html_title, sop_src

NAV_SECTION_MAX = 40
"""SOPs listed in one navigation section. Every page carries the open section's links, so a unit
of 1,000 SOPs in one section cost every one of its pages 1,000 links (the build grew with the
square of the number of SOPs); a larger unit is split into ranges of names, like a dictionary's
guide words. The list of SOPs (Daftar SOP) and search still show them all."""


def unit_nav(sops: list[Sop]) -> list:
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


def navigation(doc_pages: Sequence[str], sops: list[Sop], list_page: str, latest_page: str,
               generated: Collection[str], monev_page: str | None = None, archived: Collection[str] = ()) -> list:
    """Home, the list of SOPs, monitoring and evaluation, the latest changes, the SOPs grouped by unit,
    then the other pages.

    ``doc_pages``: the source names of every documentation page of the site, in MkDocs' order;
    ``generated``: those of them made from the SOPs (left out of the hand-written ones);
    ``monev_page``: the page Monitoring dan evaluasi, when the site has it;
    ``archived``: the ids of the SOPs withdrawn or superseded, in a section of their own after the units.
    """
    by_unit: dict[str, list[Sop]] = defaultdict(list)
    archive: list[Sop] = []
    for sop in sorted(sops, key=lambda s: str(s.nama).casefold()):
        (archive if sop.id in archived else by_unit[sop.nama_unit]).append(sop)
    nav: list = []
    generated = {list_page, latest_page, *generated}
    docs = [src for src in doc_pages if src not in generated]
    home = next((src for src in docs if src in ("index.md", "README.md")), None)
    if home:
        nav.append({"Beranda": home})
    nav.append({"Daftar SOP": list_page})
    if monev_page:
        nav.append({"Monitoring dan evaluasi": monev_page})
    nav.append({"Perubahan terbaru": latest_page})
    for unit in sorted(by_unit, key=str.casefold):
        nav.append({html_title(unit): unit_nav(by_unit[unit])})
    if archive:
        nav.append({"Arsip: SOP yang dicabut dan diganti": unit_nav(archive)})
    sections: dict[str, list] = defaultdict(list)
    for src in sorted(docs):
        if src == home:
            continue
        folder = src.split("/")[0] if "/" in src else ""
        sections[folder].append(src)
    for folder, uris in sections.items():
        if folder:
            nav.append({folder.replace("-", " ").capitalize(): uris})
        else:
            nav.extend(uris)
    return nav
