"""After Graphviz: its SVG read back as text, the lanes painted behind the drawing, arrows
made whole (one group each, with a halo), hover titles and stable ids and classes.

Graphviz's SVG is read as text: it writes one element per line, a group per node and per
edge (``<g id class>``, ``<title>``, its shapes), and nothing we give it nests groups
(no tooltips, no links: the links around the steps are added here). Anything else is
refused as output we do not know. Parsing it as XML and writing it back cost three times
as much as Graphviz drawing it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from sopcode.model.sop import Step
from sopcode.shapes.graphviz import DrawError, clean_text
from sopcode.shapes.swimlane.plan import BALIK, MAJU, MULAI, SELESAI, SIKU, Direct, Path, Plan
from sopcode.shapes.swimlane.style import COLOURS, FONT_STACK, LANE_FILLS, NODESEP, RANKSEP, SVG_NS

_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_HEAD = re.compile(r'(<svg\b[^>]*>)\s*<g id="[^"]*" class="(graph[^"]*)"([^>]*)>\n<title>[^<]*</title>\n', re.S)
_GROUP = re.compile(r'<g id="([^"]*)" class="([^"]*)">\n<title>([^<]*)</title>\n((?:<(?!g[ >]|/g>)[^\n]*\n)*)</g>\n')
_TAIL = re.compile(r"</g>\s*</svg>\s*")
_SHAPE_POINTS = re.compile(r'<(?:polygon|path)\b[^>]*?\s(?:points|d)="([^"]*)"')
_FIRST_PATH_D = re.compile(r'<path\b[^>]*?\sd="([^"]*)"')
_MARKS = re.compile(r"<(?:polygon|text)\b[^\n]*\n")
_POLYGON = re.compile(r"<polygon\b[^\n]*\n")
_FONT = re.compile(r'font-family="[^"]*"')
_SIZE = re.compile(r'\s(width|height|viewBox)="([^"]*)"')
_STEP_OF = re.compile(r"[sb](\d+)")
"""The step index in a node's name (``s3``, ``b3_2``) or an edge's (``s3->b3_2``)."""


def _points(text: str) -> list[tuple[float, float]]:
    nums = [float(x) for x in _NUM.findall(text)]
    return list(zip(nums[0::2], nums[1::2]))


def _text(value: str) -> str:
    """Text from a user's file as XML character data."""
    return html.escape(clean_text(value), quote=False)


def _attr(value: str) -> str:
    """Text from a user's file as an XML attribute value (a line break kept as one)."""
    return html.escape(clean_text(value)).replace("\n", "&#10;")


@dataclass
class _Part:
    """One node or edge as Graphviz drew it: its group's id, classes, title and shapes (text)."""

    id: str
    classes: list[str]
    title: str  # as written (entities not decoded)
    body: str

    @property
    def name(self) -> str:
        return html.unescape(self.title)

    def bbox(self) -> tuple[float, float, float, float] | None:
        """Bounding box (x0, y0, x1, y1) of the shapes drawn."""
        pts = [pt for found in _SHAPE_POINTS.findall(self.body) for pt in _points(found)]
        if not pts:
            return None
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass
class _Drawn:
    """Graphviz's SVG in pieces."""

    svg: str  # the <svg> start tag
    graph_classes: str
    graph_attrs: str  # the graph group's attributes after its class (the transform)
    behind: str  # shapes drawn before any node or edge (a background polygon)
    parts: list[_Part]


def read_drawing(raw: str) -> _Drawn:
    text = _COMMENT.sub("", raw).replace("&#45;", "-")
    head = _HEAD.search(text)
    if head is None:
        raise DrawError("keluaran Graphviz tidak berisi gambar (SVG tanpa grup 'graph')")
    pos = head.end()
    first = text.find("<g ", pos)
    behind = text[pos:first] if first >= 0 else ""
    parts = []
    pos = first if first >= 0 else pos
    while (m := _GROUP.match(text, pos)) is not None:
        parts.append(_Part(m.group(1), m.group(2).split(), m.group(3), m.group(4)))
        pos = m.end()
    if not _TAIL.fullmatch(text, pos) or "<g" in behind:
        where = " ".join(text[pos:pos + 80].split())
        raise DrawError(f"keluaran Graphviz tidak dikenal (di '{where}'); periksa versi Graphviz")
    return _Drawn(head.group(1), head.group(2), head.group(3), behind, parts)


@dataclass
class Lane:
    index: int
    name: str
    x0: float
    y0: float
    x1: float
    y1: float
    header: tuple[float, float]  # y range of the header band
    footer: tuple[float, float] | None


@dataclass
class Geometry:
    """What the SVG post-processing and the PNG background both need, in SVG coordinates."""

    lanes: list[Lane]


def _incomplete(what: str) -> DrawError:
    return DrawError(f"keluaran Graphviz tidak lengkap: {what}")


def geometry(drawn: _Drawn, plan: Plan) -> Geometry:
    nodes = {p.name: p for p in drawn.parts if "node" in p.classes}

    def box(name: str) -> tuple[float, float, float, float]:
        b = nodes[name].bbox() if name in nodes else None
        if b is None:
            raise _incomplete(f"simpul {name} tidak ditemukan")
        return b

    heads = [box(f"kepala{k}") for k in range(len(plan.lanes))]
    feet = [box(f"kaki{k}") for k in range(len(plan.lanes))] if plan.footer else None
    half_gap = NODESEP * 72 / 2
    top = min(h[1] for h in heads)
    header = (top, max(h[3] for h in heads))
    if feet:
        footer = (min(f[1] for f in feet), max(f[3] for f in feet))
        bottom = footer[1]
    else:
        footer = None
        ends = ["selesai"] if plan.top else []
        bottom = max(box(n)[3] for n in [f"s{i}" for i in range(plan.n_steps)] + ends) + RANKSEP * 72 / 2
    lanes = []
    for k, (x0, _, x1, _) in enumerate(heads):
        left = (heads[k - 1][2] + x0) / 2 if k > 0 else x0 - half_gap
        right = (x1 + heads[k + 1][0]) / 2 if k + 1 < len(heads) else x1 + half_gap
        lanes.append(Lane(k, plan.lanes[k], left, top, right, bottom, header, footer))
    return Geometry(lanes)


def _actors(step: Step) -> str:
    """The step's actors as written, first one first (each once)."""
    return ", ".join(dict.fromkeys(str(a) for a in step.semua_pelaksana))


def _hover_text(plan: Plan, i: int) -> str:
    """The step's full text, as written (XML cannot carry control characters: those go)."""
    step = plan.sop.langkah[i]
    return clean_text(f"{step.no}. {step.kegiatan}\nPelaksana: {_actors(step)}")


def _hover_more(plan: Plan, i: int) -> str:
    """The title of a further symbol of a step done by several actors (the text is on its own symbol)."""
    step = plan.sop.langkah[i]
    return clean_text(f"Langkah {step.no} dikerjakan bersama\nPelaksana: {_actors(step)}")


def _step_link(plan: Plan, i: int, further: bool) -> str:
    """The start of the link around a step's symbol: to its row of the procedure table
    (``#langkah-<no>`` on the same page), named by the step's number and text. Graphviz writes
    the steps in their order, so Tab visits them so; a further symbol of a shared step is a
    link too but not a Tab stop of its own."""
    step = plan.sop.langkah[i]
    name = f"Langkah {step.no}" + (" (dikerjakan bersama)" if further else "") + f": {' '.join(str(step.kegiatan).split())}"
    return (f'<a class="ke-langkah" href="#langkah-{_attr(str(step.no))}" aria-label="{_attr(name)}"'
            + (' tabindex="-1"' if further else "") + ">\n")


def _end_names(plan: Plan, i: int) -> tuple[str, str]:
    """An arrow's end as its ``data-`` value and in words: ``("3", "langkah 3")``, ``("mulai", "Mulai")``."""
    if i == MULAI:
        return "mulai", "Mulai"
    if i == SELESAI:
        return "selesai", "Selesai"
    no = str(plan.sop.langkah[i].no)
    return no, f"langkah {no}"


def _rect(x0: float, y0: float, x1: float, y1: float, fill: str, extra: str = "") -> str:
    # Corners rounded first: neighbouring lanes share an edge exactly, not to within a rounding.
    x0, y0, x1, y1 = (round(v, 2) for v in (x0, y0, x1, y1))
    return (f'<rect x="{x0:.2f}" y="{y0:.2f}" width="{x1 - x0:.2f}" height="{y1 - y0:.2f}" fill="{fill}" '
            f'stroke="{COLOURS["lane_border"]}" stroke-width="0.75"{extra} />\n')


DESC_ID = "bagan-alir-keterangan"


def chart_title(plan: Plan) -> str:
    """The drawing's name: ``Bagan alir lintas fungsi: <nama SOP>``."""
    return f"Bagan alir lintas fungsi: {' '.join(str(plan.sop.nama).split())}"


def description(plan: Plan, linked: bool = True) -> str:
    """What the drawing shows, in words, and where its full text is: ``9 langkah, 4 pelaksana (…)``;
    ``linked``: its symbols are links to their rows (the SVG's; a picture has none)."""
    lanes = ", ".join(" ".join(str(lane).split()) for lane in plan.lanes)
    return (f"{len(plan.sop.langkah)} langkah, {len(plan.lanes)} pelaksana ({lanes}): satu lajur per pelaksana, "
            "langkah berurutan dari atas ke bawah. Teks lengkap setiap langkah ada di tabel Prosedur SOP ini"
            + (_LINKED if linked else "."))


_LINKED = "; setiap simbol langkah adalah tautan ke barisnya di tabel itu."
_STEP_LINK = re.compile(r'<a class="ke-langkah" href="#(langkah-[^"]*)"([^>]*)>\n((?:(?!</a>\n).*\n)*?)</a>\n')


def standalone_svg(svg: str, page: str | None) -> str:
    """The drawing as a file of its own, where ``#langkah-<no>`` would lead nowhere: each symbol's link
    then leads to its row on the SOP's page at ``page`` (an address relative to the file), or, with no
    page (``sop gambar``), the symbols are no links at all (and the description says none)."""
    if page is not None:
        return _STEP_LINK.sub(lambda m: f'<a class="ke-langkah" href="{_attr(page)}#{m.group(1)}"{m.group(2)}>\n'
                              f"{m.group(3)}</a>\n", svg)
    return _STEP_LINK.sub(lambda m: m.group(3), svg).replace(_text(_LINKED), ".", 1)


def finish_svg(raw: str, plan: Plan) -> str:
    """Graphviz's SVG → the page's SVG: lanes painted, arrows whole, hover titles, stable classes,
    each step's symbols a link to its row (``#langkah-<no>``)."""
    drawn = read_drawing(raw)
    geo = geometry(drawn, plan)
    title = chart_title(plan)
    size = " ".join(f'{k}="{v}"' for k, v in _SIZE.findall(drawn.svg))
    # Not role="img": that would hide the links of its symbols from assistive technology. Named and
    # described (what it shows, where its full text is) for a screen reader, its own <desc> first. Its
    # size is Graphviz's (the page scales it down to its width in sop.css; the file keeps it).
    # The title is the drawing's own (the file's title when opened alone), not a group's within it: that
    # group would be announced as a second chart of the same name.
    out = [f'<svg xmlns="{SVG_NS}" {size} class="swimlane" role="group" aria-label="{_attr(title)}" '
           f'aria-describedby="{DESC_ID}">\n<title>{_text(title)}</title>\n'
           f'<desc id="{DESC_ID}">{_text(description(plan))}</desc>\n',
           f'<g class="{drawn.graph_classes}"{drawn.graph_attrs}>\n', drawn.behind]

    # Lanes, painted first (behind everything): a column, its header band, its footer band.
    out.append('<g class="lajur-latar">\n')
    for lane in geo.lanes:
        out.append(f'<g class="lajur" id="lajur-{lane.index + 1}">\n<title>{_text(lane.name)}</title>\n')
        out.append(_rect(lane.x0, lane.y0, lane.x1, lane.y1, LANE_FILLS[lane.index % 2]))
        for band in (lane.header, lane.footer):
            if band:
                out.append(_rect(lane.x0, band[0], lane.x1, band[1], COLOURS["header"], ' class="kepala-lajur"'))
        out.append("</g>\n")
    out.append("</g>\n")

    # Arrows: one group each (where the edges were: Graphviz writes them first), its line
    # twice (a white halo under it keeps crossings readable), its arrowhead and label.
    arrows: dict[str, Path | Direct] = {p.key: p for p in plan.paths}
    arrows.update({d.key: d for d in plan.direct})
    for part in drawn.parts:
        if "edge" not in part.classes:
            continue
        key = next((c[len("panah-"):] for c in part.classes if c.startswith("panah-")), None)
        found = _FIRST_PATH_D.search(part.body)
        if "sambung" in part.classes and found is not None:
            # The plain line joining the symbols of a step done by several actors: no arrowhead.
            # Its tail is a symbol of the step, s<i> or b<i>_<m> (as routes.joining_lines names them).
            tail = _STEP_OF.match(part.name)
            assert tail is not None
            i = int(tail.group(1))
            out.append(f'<g class="sambung" id="{part.id}">\n<title>{_text(_hover_more(plan, i))}'
                       f'</title>\n<path class="garis" d="{found.group(1)}" fill="none" stroke="{COLOURS["stroke"]}" '
                       'stroke-width="1.3" />\n</g>\n')
            continue
        arrow = arrows.pop(key, None) if key is not None else None
        if key is None or arrow is None or found is None:
            continue
        kind = MAJU if arrow.kind == SIKU else arrow.kind
        d = found.group(1)
        colour = COLOURS["arrow_back"] if kind == BALIK else COLOURS["arrow"]
        (a, a_words), (b, b_words) = _end_names(plan, arrow.src), _end_names(plan, arrow.dst)
        cls = " ".join(["panah", kind] + ([arrow.label.lower()] if arrow.label else []))
        line = f'd="{d}" fill="none" stroke-linejoin="round"'
        out.append(f'<g class="{_attr(cls)}" id="panah-{_attr(key)}" data-dari="{_attr(a)}" '
                   f'data-ke="{_attr(b)}">\n<title>Dari {_text(a_words)} ke {_text(b_words)}'
                   + (f" ({_text(arrow.label)})" if arrow.label else "") + "</title>\n"
                   f'<path class="halo" stroke="{COLOURS["halo"]}" stroke-width="4" stroke-opacity="0.9" {line} />\n'
                   f'<path class="garis" stroke="{colour}" stroke-width="1.3" {line} />\n')
        out.extend(_MARKS.findall(part.body))
        out.append("</g>\n")
    if arrows:
        raise _incomplete(f"panah {next(iter(arrows))} tidak ditemukan")

    # Nodes: the step's text as hover title; a lane's name on its header (its band is painted above).
    index_of = {f"s{i}": i for i in range(plan.n_steps)}
    for part in drawn.parts:
        if "node" not in part.classes:
            continue
        name, body = part.name, part.body
        link = ""
        if name in index_of:
            hover = _text(_hover_text(plan, index_of[name]))
            link = _step_link(plan, index_of[name], further=False)
        elif name.startswith("b") and (step := _STEP_OF.match(name)):  # b<step>_<m>: a further symbol of a step
            hover = _text(_hover_more(plan, int(step.group(1))))
            link = _step_link(plan, int(step.group(1)), further=True)
        elif name in ("mulai", "selesai"):
            hover = name.capitalize()
        elif name.startswith(("kepala", "kaki")):
            hover = _text(plan.lanes[int(re.sub(r"\D", "", name))])
            body = _POLYGON.sub("", body)
        else:
            hover = part.title
        out.append(f'{link}<g id="{part.id}" class="{" ".join(part.classes)}">\n<title>{hover}</title>\n{body}</g>\n'
                   + ("</a>\n" if link else ""))
    out.append("</g>\n</svg>\n")
    return _FONT.sub(f'font-family="{_attr(FONT_STACK)}"', "".join(out))
