"""The flowchart drawn in the procedure table: each step's actor from where its symbol sits, its symbol
from the shape's outline, and the flow from the arrows (or marks written in the actor's cell).

Decisions, documented here because a reader of the result should know them:

* A shape is placed by its drawn box when the reader knows the box exactly; else by the cell it is
  anchored in; else by its estimated box. When three or more shapes of a page are anchored in one cell
  (a whole drawing anchored in the first row, as Word often does), anchors say nothing of rows and the
  boxes are used.
* A step done together (several actors) is read when it is drawn so on purpose: one shape covering most
  of two or more actor columns, several symbols in one row in different actor columns, or marks in
  several actor cells of a row. A shape lying only partly over a column boundary is a problem, not a
  shared step.
* An arrow's end belongs to the shape it is glued to, else to the shape whose outline it touches (within
  ``TOUCH`` points); an end as near two shapes is a problem. Segments of an elbow drawn as separate
  lines are joined where their free ends meet or where one ends on another (two branches joining).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from dataclasses import dataclass, field

from sopcode.importing.cells import norm, one_line
from sopcode.importing.found import Problem
from sopcode.importing.page import Box, Line, Page, Shape, Table
from sopcode.importing.procedure import Layout, Row

TOUCH = 6.0  # points: how far an arrow's end may stop from the outline it points at
JOIN = 3.0  # points: free ends of two segments this close are one elbow
LABEL_NEAR = 40.0  # points: how far a 'Ya'/'Tidak' text may sit from its arrow
FAR = 20000.0  # points (7 m): no page is this large; a shape placed beyond it was placed by a broken offset
LABEL_TIE = "label 'Ya' dan 'Tidak' sama dekatnya dengan kedua panah keluar keputusan; cabangnya tidak dapat dipastikan"

_KINDS = {
    "terminator": {"flowchartterminator", "roundrect", "ellipse", "oval", "flowchartalternateprocess",
                   "t116", "t2", "t3", "t176"},
    "proses": {"rect", "flowchartprocess", "flowchartpredefinedprocess", "t1", "t109", "t112"},
    "keputusan": {"diamond", "flowchartdecision", "t4", "t110"},
    "penghubung": {"flowchartoffpageconnector", "homeplate", "pentagon", "flowchartconnector", "t177", "t15", "t120"},
    "teks": {"", "textbox", "t202"},
}

# The words a branch label is written with; a shape whose text is only one of these (case, dots, colons
# and brackets aside) names the arrow beside it, never a step.
BRANCH_WORDS = {"ya", "y", "yes", "tidak", "t", "tdk", "no"}
LABEL_SIZE = 0.8  # a label box is at most this fraction of the page's typical symbol, in width and height

MARKS = {"√", "✓", "✔", "v", "V", "x", "X", "•", "●", "○", "*"}
_END_WORDS = {"mulai", "selesai", "start", "end", "finish", "stop"}


def kind_of(shape: Shape) -> str | None:
    geometry = shape.geometry.lower()
    for kind, names in _KINDS.items():
        if geometry in names:
            if kind == "terminator" and geometry in ("ellipse", "oval", "t3") and max(shape.box.w, shape.box.h) < 30:
                return "penghubung"  # a small circle: an on-page connector, not a capsule
            if kind != "teks" and max(shape.box.w, shape.box.h) < 24 and len(shape.text.strip()) <= 3:
                return "penghubung"  # too small for an activity's text: a connector whose outline was lost
            return kind
    return None


def _branch_word(text: str) -> bool:
    return re.sub(r"[^\w\s]", "", norm(text)).strip() in BRANCH_WORDS


def branch_labels(page: Page) -> set[str]:
    """The ids of the page's shapes that are 'Ya'/'Tidak' labels drawn as boxes, not symbols.

    A reader puts a text box without outline or fill in ``Page.texts``; but LibreOffice writes a text
    frame without border as a rectangle with a hairline outline, and a drafter may draw the label in a
    plain rectangle. Whether it is a label is a question of meaning, so it is decided here and not in the
    readers: its text is only a branch word, which no activity is, and it is smaller than the page's
    typical symbol (the median width and height of the other shapes), so a step's own symbol that happens
    to read 'Ya' at full size stays a symbol (and is said as such); or it is drawn as a text box."""
    # rectangles only (a text box's outline): a small circle or pentagon reading 'T' is an off-page connector
    words = [s for s in page.shapes if _branch_word(s.text) and s.geometry.lower() in _KINDS["proses"] | {"roundrect"}]
    if not words:
        return set()
    others = [s for s in page.shapes if s not in words and kind_of(s) not in (None, "teks", "penghubung")]
    if not others:
        return set()
    widths = sorted(s.box.w for s in others)
    heights = sorted(s.box.h for s in others)
    typical_w, typical_h = widths[len(widths) // 2], heights[len(heights) // 2]
    # A text box holding only a branch word is a label at any size: a 12-pt 'Tidak' beside symbols drawn
    # small in a dense table is as tall as they are (a symbol is drawn as a shape, not as a text box).
    return {s.id for s in words if s.text_box or (s.box.w <= LABEL_SIZE * typical_w and s.box.h <= LABEL_SIZE * typical_h)}


@dataclass
class Part:
    """One procedure table: where it is, its layout and its steps (global step indices)."""

    page: int
    table: int
    grid_table: Table
    layout: Layout
    rows: list[Row]
    first_step: int
    where: str

    def step_at_row(self, row: int) -> int | None:
        for i, step_row in enumerate(self.rows):
            if row in step_row.rows:
                return self.first_step + i
        return None


@dataclass
class Chart:
    actors: dict[int, list[int]] = field(default_factory=dict)  # step → actor indices (first holds the symbol)
    actor_reason: dict[int, str] = field(default_factory=dict)
    symbol: dict[int, str] = field(default_factory=dict)
    succ: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # step → (next step, 'ya'/'tidak'/'')
    separate_ends: bool = False
    n_shapes: int = 0
    n_arrows: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Placed:
    shape: Shape
    kind: str
    page: int
    step: int | None = None
    actors: list[int] = field(default_factory=list)


def read_chart(pages: list[Page], parts: list[Part], actor_names: list[str]) -> Chart:
    chart = Chart()
    pages = [_distinct_ids(page) for page in pages]
    placed: dict[tuple[int, str], _Placed] = {}
    for p, page in enumerate(pages):
        page_parts = [part for part in parts if part.page == p]
        if not page_parts:
            continue
        labels = branch_labels(page)
        shared_anchor = _shared_anchors(page, labels)
        lost = [s for s in page.shapes if kind_of(s) not in (None, "teks") and max(abs(s.box.x), abs(s.box.y)) > FAR]
        if lost:  # e.g. a group LibreOffice wrote at the largest offset there is: the shapes are there, their places not
            chart.problems.append(Problem(page.where, f"{len(lost)} bentuk bagan alir ada di berkas, tetapi letaknya tidak "
                                                      "terbaca (jauh di luar halaman); buka dokumennya, periksa bagan alirnya, "
                                                      "simpan ulang, lalu impor lagi"))
        for shape in page.shapes:
            kind = kind_of(shape)
            if kind == "teks" or shape.id in labels:
                continue
            item = _Placed(shape, kind or "?", p)
            placed[(p, shape.id)] = item
            if kind == "penghubung":
                continue
            _place(item, page, page_parts, shared_anchor, actor_names, chart)
    _steps_from_shapes(placed, parts, actor_names, chart)
    if any(i.kind == "terminator" and i.step is None and norm(i.shape.text) in _END_WORDS for i in placed.values()):
        chart.separate_ends = True  # Mulai/Selesai capsules drawn in rows of their own
    _steps_from_marks(parts, actor_names, chart)
    _flow(pages, placed, chart)
    return chart


def _distinct_ids(page: Page) -> Page:
    """The page with each shape under an id of its own. Shapes are told apart by id, and ids repeat: VML
    shapes often have none, LibreOffice writes 'shape_0' for all, a copied shape may keep its original's.
    Two shapes under one id would be one symbol, and copies stacked in one cell would vanish unsaid; so a
    repeated id gets a suffix (an arrow glued to that id stays glued to the first)."""
    seen: set[str] = set()
    shapes = []
    for shape in page.shapes:
        ident, n = shape.id, 1
        while ident in seen:
            n += 1
            ident = f"{shape.id}#{n}"
        seen.add(ident)
        shapes.append(shape if ident == shape.id else dataclasses.replace(shape, id=ident))
    return page if shapes == page.shapes else dataclasses.replace(page, shapes=shapes)


def _shared_anchors(page: Page, labels: set[str]) -> set[tuple[int, int, int]]:
    """Cells whose anchors say nothing of rows: three or more shapes anchored there, drawn over more
    than two rows' height (a whole drawing anchored in one paragraph)."""
    centres: dict[tuple[int, int, int], list[float]] = {}
    for shape in page.shapes:
        if shape.cell is not None and kind_of(shape) not in ("penghubung", "teks") and shape.id not in labels:
            centres.setdefault((shape.cell.table, shape.cell.row, shape.cell.col), []).append(shape.box.cy)
    shared = set()
    for key, ys in centres.items():
        table = page.tables[key[0]] if key[0] < len(page.tables) else None
        edges = table.row_edges if table is not None and len(table.row_edges) > 1 else []
        row_h = (edges[-1] - edges[0]) / (len(edges) - 1) if edges else 40.0
        if len(ys) >= 3 and max(ys) - min(ys) > 2 * row_h:
            shared.add(key)
    return shared


def _edges_known(table: Table) -> bool:
    return len(table.col_edges) == table.n_cols + 1 and len(table.row_edges) == table.n_rows + 1


def _place(item: _Placed, page: Page, parts: list[Part], shared: set, names: list[str], chart: Chart) -> None:
    """The step (row) and actor column(s) of one shape."""
    shape, box = item.shape, item.shape.box
    anchor = shape.cell
    anchored = None
    if anchor is not None and (anchor.table, anchor.row, anchor.col) not in shared:
        anchored = next((p for p in parts if p.table == anchor.table), None)
    drawn = next((p for p in parts if _edges_known(p.grid_table) and _inside(p.grid_table, box)), None)
    if drawn is not None and (not box.estimated or anchored is None):
        part, row = drawn, _index(drawn.grid_table.row_edges, box.cy)
    elif anchored is not None and anchor is not None:
        part, row = anchored, anchor.row
        if part.step_at_row(row) is None and drawn is not None:
            # anchored in a header row (the first paragraph of a page, where LibreOffice and Word anchor
            # a shape positioned from the page) yet drawn over a step's row: the anchor says nothing
            part, row = drawn, _index(drawn.grid_table.row_edges, box.cy)
    else:
        return
    if row is None:
        return
    item.step = part.step_at_row(row)
    if item.step is None:
        return
    table = part.grid_table
    if part is anchored and anchor is not None and (box.estimated or not _edges_known(table)):
        item.actors = [i for i, actor in enumerate(part.layout.actors) if anchor.col in actor.cols]
        if item.actors:
            return
    if not _edges_known(table):
        chart.problems.append(Problem(part.where, f"{_label(shape)} tidak berada di kolom pelaksana mana pun", item.step))
        return
    spans = []
    for i, actor in enumerate(part.layout.actors):
        x0, x1 = table.col_edges[actor.cols.start], table.col_edges[actor.cols.stop]
        overlap = max(0.0, min(x1, box.x + box.w) - max(x0, box.x))
        spans.append((i, overlap, x1 - x0, x0 <= box.cx < x1))
    covered = [i for i, overlap, width, _ in spans if width > 0 and overlap >= 0.8 * width]
    touched = [i for i, overlap, _, _ in spans if box.w > 0 and overlap >= 0.25 * box.w]
    centre = [i for i, _, _, inside in spans if inside]
    if len(covered) >= 2:
        item.actors = covered
    elif len(touched) >= 2:
        cols = " dan ".join(names[i] for i in touched)
        message = f"{_label(shape)} melintang di kolom {cols}; pelaksananya tidak dapat dipastikan"
        chart.problems.append(Problem(part.where, message, item.step))
    elif centre:
        item.actors = centre
    else:
        chart.problems.append(Problem(part.where, f"{_label(shape)} tidak berada di kolom pelaksana mana pun", item.step))


def _inside(table: Table, box: Box) -> bool:
    return table.col_edges[0] <= box.cx <= table.col_edges[-1] and table.row_edges[0] <= box.cy <= table.row_edges[-1]


def _index(edges: list[float], value: float) -> int | None:
    for i in range(len(edges) - 1):
        if edges[i] <= value < edges[i + 1]:
            return i
    return None


_SHAPE_NAMES = {"terminator": "kapsul", "proses": "persegi panjang", "keputusan": "belah ketupat",
                "penghubung": "penghubung"}


def _label(shape: Shape) -> str:
    """A shape as a reader of the document sees it: its text, else its outline in words."""
    text = one_line(shape.text)
    if text:
        word = "penghubung" if kind_of(shape) == "penghubung" else "bentuk"
        return f"{word} '{text[:40]}'" + ("…" if len(text) > 40 else "")
    return _SHAPE_NAMES.get(kind_of(shape) or "", f"bentuk '{shape.geometry}'")


def _describe(item: _Placed) -> str:
    """A placed shape in a message: by its step when it has one (``{langkah:K}`` becomes the step's
    number once steps are numbered), else as it looks."""
    if item.step is not None:
        return f"{_SHAPE_NAMES.get(item.kind, 'bentuk')} langkah {{langkah:{item.step}}}"
    return _label(item.shape)


def _steps_from_shapes(placed: dict, parts: list[Part], names: list[str], chart: Chart) -> None:
    by_step: dict[int, list[_Placed]] = {}
    for item in placed.values():
        if item.step is not None and item.kind != "penghubung":
            by_step.setdefault(item.step, []).append(item)
    for step, items in sorted(by_step.items()):
        where = next(p.where for p in parts if p.first_step <= step < p.first_step + len(p.rows))
        ends = [i for i in items if i.kind == "terminator" and norm(i.shape.text) in _END_WORDS]
        if ends and len(items) > len(ends):
            chart.separate_ends = True
            for end in ends:
                end.step = None  # a separate Mulai/Selesai capsule, not the step's symbol
            items = [i for i in items if i not in ends]
        chart.n_shapes += len(items)
        items.sort(key=lambda i: (min(i.actors) if i.actors else 999))
        actors: list[int] = []
        for i in items:
            actors.extend(a for a in i.actors if a not in actors)
        kinds = {i.kind for i in items}
        if len(items) > 1 and len({tuple(i.actors) for i in items}) < len(items):
            message = f"{len(items)} bentuk dalam satu baris di kolom yang sama; simbol langkah tidak dapat dipastikan"
            chart.problems.append(Problem(where, message, step))
        if items[0].kind == "?":
            chart.problems.append(Problem(where, f"bentuk '{items[0].shape.geometry}' bukan simbol bagan alir yang dikenal", step))
        elif len(kinds) == 1 or len(items) == 1:
            chart.symbol[step] = items[0].kind
        else:
            chart.symbol[step] = items[0].kind
            chart.problems.append(Problem(where, "simbol-simbol dalam satu baris berbeda bentuk; dipakai simbol yang pertama", step,
                                          settled=True))
        if actors:
            chart.actors[step] = actors
            cols = " dan ".join(names[a] for a in actors)
            if len(actors) > 1:
                chart.actor_reason[step] = f"bentuk bagan alir di kolom {cols} (kegiatan bersama)"
            else:
                chart.actor_reason[step] = f"dari posisi bentuk di kolom {cols}"
        for i in items:
            i.step = step


def _steps_from_marks(parts: list[Part], names: list[str], chart: Chart) -> None:
    for part in parts:
        for k, row in enumerate(part.rows):
            step = part.first_step + k
            if step in chart.actors:
                continue
            # the step's number as written, or as counted when the written one is missing or repeated
            numbers = {n for n in (re.sub(r"\D", "", row.no_text), str(step + 1)) if n}
            # (only columns that name an actor of the SOP: a table's own columns may outnumber them)
            marked = [i for i, text in sorted(row.marks.items()) if i < len(names) and (text in MARKS or text in numbers)]
            if marked:
                chart.actors[step] = marked
                written = ", ".join(f"'{row.marks[i]}' di kolom {names[i]}" for i in marked)
                chart.actor_reason[step] = f"dari tanda {written}" + (" (kegiatan bersama)" if len(marked) > 1 else "")


# --- the flow --------------------------------------------------------------------------------------


def _distance(point: tuple[float, float], box: Box) -> float:
    dx = max(box.x - point[0], 0.0, point[0] - (box.x + box.w))
    dy = max(box.y - point[1], 0.0, point[1] - (box.y + box.h))
    return math.hypot(dx, dy)


def _segment_distance(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


@dataclass
class _End:
    point: tuple[float, float]
    node: str | None  # the shape id it belongs to
    head: bool
    ambiguous: bool = False  # as near two shapes


def _flow(pages: list[Page], placed: dict, chart: Chart) -> None:
    edges: list[_Edge] = []
    for p, page in enumerate(pages):
        shapes = [item for (pp, _), item in placed.items() if pp == p]
        lines = [line for line in page.lines if len(line.points) >= 2]
        if not lines:
            continue
        free = [(line.points[at], i) for i, line in enumerate(lines) for at in (0, -1) if not _head(line, at)]
        ends: list[tuple[_End, _End]] = []
        for i, line in enumerate(lines):
            joints = [_joint(line, at, i, free) for at in (0, -1)]
            ends.append(_line_ends(line, shapes, page, chart, joints))
        page_edges: list[_Edge] = []
        for group in _components(lines, ends):
            # counted when it touches one of this SOP's steps: a page may hold another SOP's chart too
            if any(end.node is not None and placed[(p, end.node)].step is not None for i in group for end in ends[i]):
                chart.n_arrows += len(group)
            page_edges.extend(_group_edges(p, page, group, lines, ends, placed, chart))
        _label_texts(page, page_edges, placed, chart)
        edges.extend(page_edges)
    _connect(edges, placed, chart)


def _head(line: Line, at: int) -> bool:
    return line.arrow_at_end if at == -1 else line.arrow_at_start


def _joint(line: Line, at: int, i: int, free: list[tuple[tuple[float, float], int]]) -> bool:
    """An end without arrowhead meeting another line's such end: a bend of an elbow, not a shape's side."""
    if _head(line, at) or (line.end if at == -1 else line.start):
        return False
    point = line.points[at]
    return any(j != i and math.hypot(point[0] - q[0], point[1] - q[1]) <= JOIN for q, j in free)


def _line_ends(line: Line, shapes: list[_Placed], page: Page, chart: Chart, joints: list[bool]) -> tuple[_End, _End]:
    """Both ends of a line. A line does not run from a shape back into itself: an end as near two
    shapes, one of which the other end plainly belongs to, belongs to the other (a short arrow from a
    symbol into the off-page connector just under it touches both at each end)."""
    start = _resolve(line, 0, shapes, page, None, joints[0])
    end = _resolve(line, -1, shapes, page, None, joints[1])
    if start.ambiguous and not end.ambiguous:
        start = _resolve(line, 0, shapes, page, chart, joints[0], besides=end.node)
    elif end.ambiguous and not start.ambiguous:
        end = _resolve(line, -1, shapes, page, chart, joints[1], besides=start.node)
    elif start.ambiguous and end.ambiguous:
        start = _resolve(line, 0, shapes, page, chart, joints[0])
        end = _resolve(line, -1, shapes, page, chart, joints[1])
    elif start.node is not None and start.node == end.node:
        # both ends on one shape: the end the arrow points with, else the one nearer its outline, keeps it
        box = next(s.shape.box for s in shapes if s.shape.id == start.node)
        if end.head != start.head:
            keep_end = end.head
        else:
            keep_end = _distance(end.point, box) < _distance(start.point, box)
        if keep_end:
            start = _resolve(line, 0, shapes, page, chart, joints[0], besides=end.node)
        else:
            end = _resolve(line, -1, shapes, page, chart, joints[1], besides=start.node)
    return start, end


def _resolve(line: Line, at: int, shapes: list[_Placed], page: Page, chart: Chart | None, joint: bool,
             besides: str | None = None) -> _End:
    """The shape one end of a line belongs to; ``besides``: a shape it is not (its other end's). An end
    as near two shapes belongs to neither: said as a problem when ``chart`` is given."""
    point = line.points[at]
    head = _head(line, at)
    glued = line.end if at == -1 else line.start
    if glued and any(s.shape.id == glued for s in shapes):
        return _End(point, glued, head)
    near = sorted(((_distance(point, s.shape.box), i) for i, s in enumerate(shapes) if besides is None or s.shape.id != besides),
                  key=lambda n: n[0])
    if joint and not (near and near[0][0] <= 1.0):
        return _End(point, None, head)  # a bend near a shape (within TOUCH but not on its outline)
    near = [n for n in near if n[0] <= TOUCH]
    if len(near) >= 2 and near[1][0] - near[0][0] < 1.5:
        a, b = shapes[near[0][1]], shapes[near[1][1]]
        if chart is not None:
            message = f"ujung garis berada di antara dua bentuk ({_describe(a)} dan {_describe(b)}); arahnya tidak dapat dipastikan"
            chart.problems.append(Problem(page.where, message, a.step if a.step is not None else b.step))
        return _End(point, None, head, ambiguous=True)
    return _End(point, shapes[near[0][1]].shape.id if near else None, head)


def _components(lines: list[Line], ends: list[tuple[_End, _End]]) -> list[list[int]]:
    """Lines joined where a free end meets another line's free end or lies on another line."""
    parent = list(range(len(lines)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    free = [(end.point, i) for i, pair in enumerate(ends) for end in pair if end.node is None]
    for i, pair in enumerate(ends):
        for end in pair:
            if end.node is not None:
                continue
            partners = [j for q, j in free if j != i and math.hypot(end.point[0] - q[0], end.point[1] - q[1]) <= JOIN]
            if not partners:
                # No bend meets it here: it ends on another line (two flows joining into one).
                partners = [j for j, other in enumerate(lines) if j != i
                            and any(_segment_distance(end.point, a, b) <= JOIN for a, b in itertools.pairwise(other.points))]
            for j in partners:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(lines)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


@dataclass
class _Edge:
    src: tuple[int, str]
    dst: tuple[int, str]
    label: str  # 'ya', 'tidak' or ''
    where: str
    path: list[Line]


def _group_edges(p: int, page: Page, group: list[int], lines: list[Line], ends, placed: dict, chart: Chart) -> list[_Edge]:
    sources: list[tuple[str, int]] = []
    targets: list[str] = []
    for i in group:
        for end in ends[i]:
            if end.node is None:
                continue
            if end.head:
                targets.append(end.node)
            else:
                sources.append((end.node, i))
    targets = list(dict.fromkeys(targets))
    if not targets and len(sources) == 2:
        # No arrowhead: a plain line between two steps follows the order of the rows, when they are consecutive.
        # A separate Mulai/Selesai capsule's line carries no step's flow; a connector's runs down the page.
        (a, _), (b, _) = sources
        ia, ib = placed.get((p, a)), placed.get((p, b))
        if ia is not None and ib is not None and (any(i.step is None and i.kind == "terminator" for i in (ia, ib))
                                                  or (ia.step is not None and ia.step == ib.step)):
            return []  # nor does the line joining the symbols of one step done together
        if ia is not None and ib is not None and "penghubung" in (ia.kind, ib.kind):
            targets = [b if ib.shape.box.cy > ia.shape.box.cy else a]
            sources = [src for src in sources if src[0] != targets[0]]
        elif ia is not None and ib is not None and ia.step is not None and ib.step is not None and abs(ia.step - ib.step) == 1:
            targets = [b if ib.step > ia.step else a]
            sources = [src for src in sources if src[0] != targets[0]]
        else:
            message = "garis tanpa kepala panah antara dua bentuk yang tidak berurutan; arahnya tidak dapat dipastikan"
            chart.problems.append(Problem(page.where, message))
            return []
    if not sources or not targets:
        for node, leaving in ([(sources[0][0], True)] if sources else [(targets[0], False)] if targets else []):
            item = placed.get((p, node))
            if item is not None and item.step is not None:  # said at its step
                shape = "simbol langkah ini"
            else:  # a connector or a separate capsule: said as it looks
                shape = _label(item.shape) if item is not None else "sebuah bentuk"
            message = (f"panah keluar dari {shape} tidak berujung pada simbol lain" if leaving
                       else f"panah masuk ke {shape} tidak berpangkal pada simbol lain")
            chart.problems.append(Problem(page.where, message, item.step if item is not None else None))
        return []
    if len(sources) > 1 and len(targets) > 1:
        chart.problems.append(Problem(page.where, "garis-garis yang bercabang ke beberapa bentuk; alirnya tidak dapat dipastikan"))
        return []
    out = []
    path = [lines[i] for i in group]
    for source, line_index in sources:
        label = _yes_no(lines[line_index].label) or (_group_label(group, lines) if len(sources) == 1 else "")
        for target in targets:
            if target != source:
                out.append(_Edge((p, source), (p, target), label, page.where, path if len(sources) == 1 else [lines[line_index]]))
    return out


def _yes_no(text: str) -> str:
    word = norm(text)
    if word in ("ya", "y", "yes", "sesuai", "lengkap", "setuju", "benar"):
        return "ya"
    if word in ("tidak", "t", "no", "tdk", "tidak sesuai", "tidak lengkap", "tidak setuju", "salah"):
        return "tidak"
    return ""


def _group_label(group: list[int], lines: list[Line]) -> str:
    labels = {_yes_no(lines[i].label) for i in group} - {""}
    return labels.pop() if len(labels) == 1 else ""


def _path_distance(box: Box, path: list[Line]) -> float:
    centre = (box.cx, box.cy)
    d = min(_segment_distance(centre, a, b) for line in path for a, b in itertools.pairwise(line.points))
    return max(0.0, d - max(box.w, box.h) / 2)


def _label_texts(page: Page, edges: list[_Edge], placed: dict, chart: Chart) -> None:
    """'Ya'/'Tidak' written in text boxes near a decision, given to its branches: the pairing that puts
    the labels nearest their arrows (a tie is left unlabelled, to be said as a problem)."""
    labels = branch_labels(page)
    texts = [t for t in [*page.texts, *(s for s in page.shapes if kind_of(s) == "teks" or s.id in labels)] if _yes_no(t.text)]
    by_source: dict[tuple[int, str], list[_Edge]] = {}
    for edge in edges:
        by_source.setdefault(edge.src, []).append(edge)
    for src, out in by_source.items():
        item = placed.get(src)
        if item is None or item.kind != "keputusan" or all(e.label for e in out):
            continue
        box = item.shape.box
        near = [t for t in texts if _distance((t.box.cx, t.box.cy), box) <= LABEL_NEAR]
        best: dict[str, tuple[float, Box]] = {}
        for t in near:
            label = _yes_no(t.text)
            d = _distance((t.box.cx, t.box.cy), box)
            if label not in best or d < best[label][0]:
                best[label] = (d, t.box)
        free = [e for e in out if not e.label]
        given = {e.label for e in out if e.label}
        wanted = [label for label in ("ya", "tidak") if label in best and label not in given]
        if len(free) == 1 and wanted:
            scored = sorted((_path_distance(best[label][1], free[0].path), label) for label in wanted)
            if scored[0][0] <= LABEL_NEAR:
                free[0].label = scored[0][1]
        elif len(free) == 2 and len(wanted) == 2:
            ya, tidak = best["ya"][1], best["tidak"][1]
            straight = _path_distance(ya, free[0].path) + _path_distance(tidak, free[1].path)
            crossed = _path_distance(ya, free[1].path) + _path_distance(tidak, free[0].path)
            if abs(straight - crossed) > 0.5:
                first, second = ("ya", "tidak") if straight < crossed else ("tidak", "ya")
                free[0].label, free[1].label = first, second
            else:  # e.g. both labels drawn in one place, where both arrows leave by the same corner
                chart.problems.append(Problem(page.where, LABEL_TIE, item.step))
        elif len(free) == 2 and len(wanted) == 1:
            label = wanted[0]
            d0, d1 = (_path_distance(best[label][1], e.path) for e in free)
            if abs(d0 - d1) > 0.5:
                (free[0] if d0 < d1 else free[1]).label = label


def _connect(edges: list[_Edge], placed: dict, chart: Chart) -> None:
    """Edges between shapes → steps' successors, through off-page connectors labelled alike."""
    outgoing: dict[tuple[int, str], list[_Edge]] = {}
    for edge in edges:
        outgoing.setdefault(edge.src, []).append(edge)

    def targets(node, seen) -> list[int]:
        item = placed.get(node)
        if item is None:
            return []
        if item.kind != "penghubung":
            return [item.step] if item.step is not None else []
        name = norm(item.shape.text)
        out: list[int] = []
        for other_key, other in placed.items():
            if other.kind == "penghubung" and other_key != node and norm(other.shape.text) == name and other_key not in seen:
                for edge in outgoing.get(other_key, []):
                    out.extend(targets(edge.dst, {*seen, other_key}))
        return out

    for edge in edges:
        src, dst, label, where = edge.src, edge.dst, edge.label, edge.where
        item = placed.get(src)
        if item is None or item.kind == "penghubung" or item.step is None:
            continue
        found = targets(dst, {src})
        if not found and placed.get(dst) is not None and placed[dst].kind == "penghubung":
            message = f"penghubung antarhalaman '{one_line(placed[dst].shape.text)}' tidak punya pasangan"
            chart.problems.append(Problem(where, message, item.step))
        for step in found:
            if step != item.step and (step, label) not in chart.succ.get(item.step, []):
                chart.succ.setdefault(item.step, []).append((step, label))
