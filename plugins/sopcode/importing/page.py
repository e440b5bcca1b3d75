"""What a reader sees on one page of a document (or one sheet of a workbook), without its file format.

All lengths are in points (1/72 inch) on the page, x to the right and y downwards from the page's top
left corner. A reader that cannot know a position exactly (Word computes row heights only when it lays
the page out) estimates it and says so in ``Box.estimated``; ``interpret`` then prefers what a shape is
anchored in (``Shape.cell``) over where it is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    estimated: bool = False

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Cell:
    """One cell of a table as the reader found it: merged cells appear once, at their top left position,
    with their spans; ``text`` keeps the cell's paragraphs as lines (numbering and bullets as written)."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    box: Box | None = None


@dataclass
class Table:
    """A table: its cells on a grid of ``n_rows`` × ``n_cols``. ``col_edges`` (n_cols + 1 x positions)
    and ``row_edges`` (n_rows + 1 y positions) place it on the page when the reader knows them."""

    cells: list[Cell]
    n_rows: int
    n_cols: int
    col_edges: list[float] = field(default_factory=list)
    row_edges: list[float] = field(default_factory=list)
    where: str = ""  # e.g. "tabel 2" — for messages, in Indonesian
    row_pages: list[int] = field(default_factory=list)  # the printed page of each row, when the file records it
    # each row's place as its reader names it in a message, when it can ("halaman 3, tabel 2" from Word's
    # record of its pages, "lembar Prosedur, baris 12" in a workbook): a step's problem is said there
    row_places: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Anchor:
    """The table cell a drawing is anchored in (Word: its anchor paragraph lies in that cell; Excel:
    its top left cell), when it is in one."""

    table: int  # index into Page.tables
    row: int
    col: int


@dataclass(frozen=True)
class Shape:
    """A drawn shape: ``geometry`` is the drawing's own name for its outline, lower case, as written
    (DrawingML prstGeom such as ``flowChartTerminator``, ``roundRect``, ``rect``, ``flowChartProcess``,
    ``diamond``, ``flowChartDecision``, ``flowChartOffpageConnector``, ``homePlate``; VML ``roundrect``,
    ``rect``, or a VML shapetype number such as ``t116``), and the text inside it."""

    id: str
    geometry: str
    box: Box
    text: str = ""
    cell: Anchor | None = None
    text_box: bool = False  # drawn as a text box (Word's and LibreOffice's txBox), which a symbol rarely is


@dataclass(frozen=True)
class Line:
    """A connector or a plain line (a segment of an elbow drawn as several lines is its own Line).
    ``points`` run from its start to its end; ``start``/``end`` are the ids of the shapes it is glued
    to when the file records them; ``arrow_at_start``/``arrow_at_end`` say where its head is."""

    id: str
    points: tuple[tuple[float, float], ...]
    start: str | None = None
    end: str | None = None
    arrow_at_start: bool = False
    arrow_at_end: bool = True
    label: str = ""


@dataclass
class Page:
    """One page (Word) or sheet (Excel): ``where`` names it for messages ("halaman 2", "lembar Prosedur")."""

    where: str
    tables: list[Table] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Shape] = field(default_factory=list)  # free text boxes (e.g. "Ya", "Tidak") as shapes without outline
    # the document's own paragraphs outside tables and drawings (a title, a heading), in reading order, each
    # as a Shape of geometry "paragraph" at its estimated place; Excel has none
    paragraphs: list[Shape] = field(default_factory=list)
