"""The site's navigation when mkdocs.yml has none: home, the list of SOPs, the latest changes,
the SOPs grouped by unit (large units in ranges of names; with several institutions, by institution
then unit, each institution's home first), then the hand-written pages.

No MkDocs here: the adapter gives the source names of the documentation pages and sets
the result as ``config.nav``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from sopcode.model.sop import Instansi, Sop
from sopcode.site.pages import INSTANSI_DIR, html_title, institution_src, sop_src

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
               generated: Collection[str], monev_page: str | None = None, archived: Collection[str] = (),
               institutions: Sequence[Instansi] | None = None) -> list:
    """Home, the list of SOPs, monitoring and evaluation, the latest changes, the SOPs grouped by unit
    (in a site of several institutions: a section per institution, its home first, then its units),
    then the other pages.

    ``doc_pages``: the source names of every documentation page of the site, in MkDocs' order;
    ``generated``: those of them made from the SOPs (left out of the hand-written ones);
    ``monev_page``: the page Monitoring dan evaluasi, when the site has it;
    ``archived``: the ids of the SOPs withdrawn or superseded, in a section of their own after the units;
    ``institutions``: those the site shows, in order (:func:`sopcode.site.pages.institutions_shown`); by
    default those of the SOPs whose home is among ``generated`` (a site of one institution has none).
    """
    listed: list[Sop] = []
    archive: list[Sop] = []
    for sop in sorted(sops, key=lambda s: str(s.nama).casefold()):
        (archive if sop.id in archived else listed).append(sop)
    if institutions is None:
        seen = {s.instansi.kode: s.instansi for s in sops if institution_src(s.instansi.kode) in generated}
        institutions = sorted(seen.values(), key=lambda ins: (ins.nama.casefold(), ins.kode))
    nav: list = []
    homes = {institution_src(ins.kode) for ins in institutions}
    generated = {list_page, latest_page, *generated, *homes}
    docs = [src for src in doc_pages if src not in generated]
    home = next((src for src in docs if src in ("index.md", "README.md")), None)
    if home:
        nav.append({"Beranda": home})
    nav.append({"Daftar SOP": list_page})
    if monev_page:
        nav.append({"Monitoring dan evaluasi": monev_page})
    nav.append({"Perubahan terbaru": latest_page})
    if institutions:
        for ins in institutions:
            own = [s for s in listed if s.instansi.kode == ins.kode]
            # The home untitled here: it keeps its own title, the institution's name (a title given here
            # would replace it in the page's heading and the browser's tab too).
            nav.append({html_title(ins.nama): [institution_src(ins.kode), *by_unit(own)]})
        # Homes of institutions without any SOP yet (known only by their page): a link each, by folder.
        nav.extend(src for src in sorted(generated) if src not in homes
                   and (src == f"{INSTANSI_DIR}.md" or src.startswith(f"{INSTANSI_DIR}/")))
    else:
        nav.extend(by_unit(listed))
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


def by_unit(sops: list[Sop]) -> list:
    """A section per unit (by name), each with its SOPs (sorted by name, large units in ranges)."""
    units: dict[str, list[Sop]] = defaultdict(list)
    for sop in sops:
        units[sop.nama_unit].append(sop)
    return [{html_title(unit): unit_nav(units[unit])} for unit in sorted(units, key=str.casefold)]
