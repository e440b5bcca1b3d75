"""Read a Word document (.docx, or a legacy .doc converted by LibreOffice) into neutral pages.

Word keeps no page layout in its file: it lays pages out when it opens them. So this reader walks the
body in document order and estimates where things fall, the way Word would on a first pass:

* the page size and margins come from each section (w:sectPr); a new Page starts at every explicit
  break (a page break, a section starting on a new page, a paragraph that asks for one). A table that
  simply runs over the foot of a page stays on one Page, its rows in one column of estimated heights;
* a table's columns come from its grid (w:tblGrid, twips), placed from the left margin and the table's
  indent; its rows' heights are read (w:trHeight) or estimated from their lines of text. Every box so
  estimated says so (``Box.estimated``);
* a drawing is placed from what it is positioned relative to (wp:positionH/positionV: the page, the
  margin, the column, the paragraph, the line, the character), and a drawing whose anchor paragraph
  lies in a table cell records that cell (``Shape.cell``), which ``interpret`` trusts before any
  estimated position;
* DrawingML shapes (wps), groups (wpg, their children's coordinates mapped through chOff/chExt) and
  the legacy VML of older Word (v:rect, v:roundrect, v:oval, v:shape with a shapetype, v:line,
  v:polyline) are read alike. Of an mc:AlternateContent only one branch is read: its Choice when this
  reader understands what the Choice requires, else its Fallback;
* places in messages: a file Word saved records where each printed page began
  (w:lastRenderedPageBreak), so its pages are named by those numbers ("halaman 3") and each table
  row knows its printed page; a file without that record (LibreOffice, a converted .doc) is named by
  its parts between typed page breaks ("dokumen bagian 2"), never by a guessed page number.

Not read, by decision: page headers and footers (an SOP's institution lines are in the identity table's
header cell, which is read), comments, tracked deletions (the text as it now reads is taken).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from .package import Package, convert_legacy, open_package, sniff
from .page import Anchor, Box, Cell, Line, Page, Shape, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
WPC = "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"

EMU_PER_PT = 12700
TWIPS_PER_PT = 20
DEFAULT_FONT_PT = 11.0
LINE_FACTOR = 1.15  # Word's single line spacing for the usual fonts, per point of font size
CELL_MARGIN = 5.4  # Word's default left and right cell margins (108 twips)

# Namespace prefixes an mc:Choice may require that this reader reads; anything else → its Fallback.
UNDERSTOOD = {"wps", "wpg", "wpc", "wp14", "w14", "w15", "a14", "v", "o", "w10"}
CONNECTOR_GEOMETRIES = {"line", "straightConnector1", "bentConnector2", "bentConnector3", "bentConnector4",
                        "bentConnector5", "curvedConnector2", "curvedConnector3", "curvedConnector4", "curvedConnector5"}
ARROW_NONE = {"", "none"}
VML_SHAPES = {"rect", "roundrect", "oval", "shape", "line", "polyline", "group"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _ns(el: etree._Element) -> str:
    return etree.QName(el).namespace or "" if isinstance(el.tag, str) else ""


def _attr(el: etree._Element | None, name: str, ns: str = W) -> str | None:
    if el is None:
        return None
    value = el.get(f"{{{ns}}}{name}" if ns else name)
    return None if value is None else str(value)


def _num(value: str | None, default: float = 0.0) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def read_docx(path: str | os.PathLike[str]) -> list[Page]:
    """The pages of a Word document: its tables, shapes, lines and free text boxes in document order.
    A legacy .doc is first converted to .docx by LibreOffice (headless, in its own profile)."""
    if sniff(path) == "doc":
        with tempfile.TemporaryDirectory(prefix="sop-doc-") as tmp, open_package(convert_legacy(path, tmp, "docx")) as pkg:
            return _read_package(pkg, converted=True)
    with open_package(path) as pkg:
        return _read_package(pkg)


def read_converted_doc(path: str | os.PathLike[str]) -> list[Page]:
    """The pages of a .docx that LibreOffice made from a legacy .doc (``convert_legacy``), read with that
    conversion's quirks in mind (see ``_Reader.converted``). A caller that converted the .doc itself must
    use this, not ``read_docx``: the converted file alone does not say it came from a .doc, and read as
    a plain .docx its shapes drawn in table cells are misplaced (each arrow then ends on no symbol)."""
    with open_package(path) as pkg:
        return _read_package(pkg, converted=True)


def _read_package(pkg: Package, converted: bool = False) -> list[Page]:
    main = "word/document.xml"
    for rel in pkg.rels("").values():
        if rel.type.endswith("/officeDocument") and not rel.external:
            main = rel.target
    document = pkg.xml(main)
    numbering = _Numbering(pkg.xml("word/numbering.xml") if "word/numbering.xml" in pkg.names() else None)
    font = DEFAULT_FONT_PT
    if "word/styles.xml" in pkg.names():
        size = pkg.xml("word/styles.xml").find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('sz')}")
        if size is not None:
            font = _num(_attr(size, "val"), DEFAULT_FONT_PT * 2) / 2
    body = document.find(w("body"))
    if body is None:
        return [Page(where="dokumen")]
    return _Reader(numbering, font, converted).read(body)


# ── numbering ────────────────────────────────────────────────────────────────────────────────────


class _Numbering:
    """List numbers as Word writes them in front of a paragraph ("1.", "a)", "•"), counted in order."""

    def __init__(self, root: etree._Element | None) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) → (format, text, start)
        self.counts: dict[tuple[str, int], int] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iter(w("abstractNum")):
            levels = {}
            for lvl in an.iter(w("lvl")):
                levels[int(_num(_attr(lvl, "ilvl")))] = (
                    _attr(lvl.find(w("numFmt")), "val") or "decimal", _attr(lvl.find(w("lvlText")), "val") or "",
                    int(_num(_attr(lvl.find(w("start")), "val"), 1)))
            abstract[_attr(an, "abstractNumId") or ""] = levels
        for num in root.iter(w("num")):
            num_id = _attr(num, "numId") or ""
            levels = dict(abstract.get(_attr(num.find(w("abstractNumId")), "val") or "", {}))
            for override in num.iter(w("lvlOverride")):
                ilvl = int(_num(_attr(override, "ilvl")))
                start = override.find(w("startOverride"))
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(_num(_attr(start, "val"), 1)))
            for ilvl, level in levels.items():
                self.levels[(num_id, ilvl)] = level

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id == "0":  # numbering switched off for this paragraph
            return ""
        fmt, text, start = self.levels.get((num_id, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return ""
        key = (num_id, ilvl)
        self.counts[key] = self.counts.get(key, start - 1) + 1
        for deeper in [k for k in self.counts if k[0] == num_id and k[1] > ilvl]:
            del self.counts[deeper]

        def value(level: int) -> str:
            n = self.counts.get((num_id, level), self.levels.get((num_id, level), ("", "", 1))[2])
            level_fmt = self.levels.get((num_id, level), (fmt, "", 1))[0]
            if level_fmt in ("lowerLetter", "upperLetter"):
                letter = chr(ord("a") + (n - 1) % 26)
                return letter.upper() if level_fmt == "upperLetter" else letter
            if level_fmt in ("lowerRoman", "upperRoman"):
                roman = _roman(n)
                return roman if level_fmt == "upperRoman" else roman.lower()
            return str(n)

        return re.sub(r"%(\d)", lambda m: value(int(m.group(1)) - 1), text).strip()


def _roman(n: int) -> str:
    out = ""
    for v_, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                  (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v_:
            out, n = out + s, n - v_
    return out


# ── the layout the reader estimates ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Section:
    width: float = 595.3
    height: float = 841.9
    left: float = 72.0
    right: float = 72.0
    top: float = 72.0
    bottom: float = 72.0
    new_page: bool = True


def _section(sect: etree._Element | None) -> _Section:
    if sect is None:
        return _Section()
    size, mar = sect.find(w("pgSz")), sect.find(w("pgMar"))

    def tw(el: etree._Element | None, name: str, default: float) -> float:
        return _num(_attr(el, name), default * TWIPS_PER_PT) / TWIPS_PER_PT

    kind = _attr(sect.find(w("type")), "val") or "nextPage"
    return _Section(tw(size, "w", 595.3), tw(size, "h", 841.9), tw(mar, "left", 72), tw(mar, "right", 72),
                    abs(tw(mar, "top", 72)), abs(tw(mar, "bottom", 72)), kind in ("nextPage", "oddPage", "evenPage"))


@dataclass(frozen=True)
class _Place:
    """Where a paragraph is: its text column (x, width), its top, the page's section, and the table cell
    it lies in (with the cell's own text column, which "column" means for a drawing laid out in it)."""

    x: float
    width: float
    y: float
    sect: _Section
    cell: Anchor | None = None


@dataclass
class _Open:
    row: int
    col: int
    text: str
    colspan: int
    rowspan: int = 1


@dataclass
class _Reader:
    numbering: _Numbering
    font: float
    # LibreOffice writes a drawing laid out in a table cell of a .doc as positioned from the "margin"
    # with layoutInCell off, its offset still counted from the cell: in its conversions, read it so
    converted: bool = False
    pages: list[Page] = field(default_factory=list)
    y: float = 0.0
    tables_seen: int = 0
    rendered: dict[etree._Element, int] = field(default_factory=dict)  # table row → printed page (Word's last layout)

    # ── the body ──

    def read(self, body: etree._Element) -> list[Page]:
        children = [c for c in body if isinstance(c.tag, str)]
        self.rendered = _rendered_pages(body)
        # each block belongs to the section whose w:sectPr ends it (in a paragraph, or the body's last)
        sections: list[_Section] = []
        pending = 0
        final = _section(body.find(w("sectPr")))
        for i, child in enumerate(children):
            sp = child.find(f"{w('pPr')}/{w('sectPr')}") if _local(child) == "p" else None
            if sp is not None:
                sections.extend([_section(sp)] * (i + 1 - pending))
                pending = i + 1
        sections.extend([final] * (len(children) - pending))
        sect = sections[0] if sections else final
        self._new_page(sect)
        for i, (child, sect) in enumerate(zip(children, sections)):
            tag = _local(child)
            if tag == "p":
                if child.find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None:
                    self._new_page(sect)
                self._paragraph(child, _Place(sect.left, sect.width - sect.left - sect.right, self.y, sect))
                if child.find(f"{w('pPr')}/{w('sectPr')}") is not None and i + 1 < len(children):
                    following = sections[i + 1]
                    if following.new_page:
                        self._new_page(following)
            elif tag == "tbl":
                self._table(child, sect)
            elif tag == "sdt":
                content = child.find(w("sdtContent"))
                if content is not None:
                    for inner in content:
                        if _local(inner) == "p":
                            self._paragraph(inner, _Place(sect.left, sect.width - sect.left - sect.right, self.y, sect))
                        elif _local(inner) == "tbl":
                            self._table(inner, sect)
        if self.converted:
            for page in self.pages:
                _reattach_frames(page)
        pages = [p for p in self.pages if p.tables or p.shapes or p.lines or p.texts] or self.pages[:1]
        if len(pages) == 1:
            pages[0].where = "dokumen"
        else:
            for k, page in enumerate(pages, 1):
                page.where = f"dokumen bagian {k}"
        for page in pages:  # with Word's own layout on record, the printed pages say where
            printed = sorted({n for table in page.tables for n in table.row_pages})
            if printed:
                page.where = f"halaman {printed[0]}" + (f"-{printed[-1]}" if printed[-1] != printed[0] else "")
        return pages

    def _new_page(self, sect: _Section) -> None:
        if self.pages and not (self.pages[-1].tables or self.pages[-1].shapes or self.pages[-1].lines or self.pages[-1].texts):
            self.y = sect.top
            return
        self.pages.append(Page(where=""))
        self.y = sect.top

    @property
    def page(self) -> Page:
        return self.pages[-1]

    # ── paragraphs ──

    def _paragraph(self, p: etree._Element, place: _Place) -> str:
        """Read one paragraph at ``place``: its drawings go to the page; returns its text (with its list
        number) and moves ``self.y`` below it when it is in the body."""
        text = self._text(p)
        label = ""
        ppr = p.find(w("pPr"))
        num = ppr.find(w("numPr")) if ppr is not None else None
        if num is not None:
            num_id = _attr(num.find(w("numId")), "val")
            if num_id is not None:
                label = self.numbering.label(num_id, int(_num(_attr(num.find(w("ilvl")), "val"))))
        height = self._paragraph_height(p, text, place.width)
        for el in _walk(p):
            self._drawing(el, place)
        if place.cell is None:
            written = f"{label} {text}".strip() if label else text.strip()
            if written:
                self.page.paragraphs.append(Shape(f"paragraf {len(self.page.paragraphs) + 1}", "paragraph",
                                                  Box(place.x, self.y, place.width, height, estimated=True), written))
            self.y += height
            if any(_attr(br, "type") == "page" for br in _walk_tag(p, w("br"))):
                self._new_page(place.sect)
        return f"{label} {text}".strip() if label else text

    def _paragraph_height(self, p: etree._Element, text: str, width: float) -> float:
        ppr = p.find(w("pPr"))
        spacing = ppr.find(w("spacing")) if ppr is not None else None
        sizes = [_num(_attr(sz, "val")) / 2 for sz in _walk_tag(p, w("sz")) if _attr(sz, "val")]
        font = max(sizes) if sizes else self.font
        line = font * LINE_FACTOR
        if spacing is not None and _attr(spacing, "line"):
            rule = _attr(spacing, "lineRule") or "auto"
            value = _num(_attr(spacing, "line"))
            line = value / TWIPS_PER_PT if rule in ("exact", "atLeast") else font * LINE_FACTOR * value / 240
            if rule == "atLeast":
                line = max(line, font * LINE_FACTOR)
        per_line = max(1, int(width / (font * 0.5))) if width > 0 else 80
        lines = sum(max(1, math.ceil(len(part) / per_line)) for part in (text.split("\n") or [""]))
        before = _num(_attr(spacing, "before")) / TWIPS_PER_PT if spacing is not None else 0.0
        after = _num(_attr(spacing, "after")) / TWIPS_PER_PT if spacing is not None else 0.0
        return before + lines * line + after

    def _text(self, p: etree._Element) -> str:
        out: list[str] = []
        for el in _walk(p):
            tag = _local(el)
            if _ns(el) != W:
                continue
            if tag == "t":
                value = el.text or ""
                if _symbol_font(el):
                    value = "".join(SYMBOL_MARKS.get(ch, ch) for ch in value)
                out.append(value)
            elif tag == "tab":
                out.append("\t")
            elif tag in ("br", "cr") and _attr(el, "type") in (None, "textWrapping"):
                out.append("\n")
            elif tag == "sym":
                char = _attr(el, "char")
                if char:
                    code = int(char, 16)
                    out.append({0xF0FC: "√", 0xF0FB: "X", 0xF0B7: "•", 0xF0D6: "√"}.get(code, chr(code) if code < 0xF000 else ""))
        return "".join(out).strip()

    # ── tables ──

    def _table(self, tbl: etree._Element, sect: _Section) -> None:
        self.tables_seen += 1
        where = f"tabel {self.tables_seen}"
        index = len(self.page.tables)
        grid = [_num(_attr(col, "w")) / TWIPS_PER_PT for col in tbl.iterfind(f"{w('tblGrid')}/{w('gridCol')}")]
        if not grid:  # no grid written (some converters): the first row's cell widths, a span shared evenly
            first = tbl.find(w("tr"))
            for tc in _cells(first) if first is not None else ():
                tcpr = tc.find(w("tcPr"))
                width = tcpr.find(w("tcW")) if tcpr is not None else None
                span = max(1, int(_num(_attr(tcpr.find(w("gridSpan")) if tcpr is not None else None, "val"), 1)))
                points = _num(_attr(width, "w")) / TWIPS_PER_PT if _attr(width, "type") in (None, "dxa") else 0.0
                grid.extend([(points or 40.0 * span) / span] * span)
        tblpr = tbl.find(w("tblPr"))
        indent = _num(_attr(tblpr.find(w("tblInd")) if tblpr is not None else None, "w")) / TWIPS_PER_PT
        jc = _attr(tblpr.find(w("jc")) if tblpr is not None else None, "val")
        left = sect.left + indent
        text_width = sect.width - sect.left - sect.right
        if jc == "center":
            left = sect.left + (text_width - sum(grid)) / 2
        elif jc in ("right", "end"):
            left = sect.left + text_width - sum(grid)
        edges = [left]
        for width in grid:
            edges.append(edges[-1] + width)
        cells: list[_Open] = []
        vertical: dict[int, _Open] = {}  # grid column → the merged cell open above it
        row_edges = [self.y]
        row_pages: list[int] = []
        nested = False
        for r, tr in enumerate(tbl.iterfind(w("tr"))):
            if tr in self.rendered:
                row_pages.append(self.rendered[tr])
            trpr = tr.find(w("trPr"))
            col = int(_num(_attr(trpr.find(w("gridBefore")) if trpr is not None else None, "val")))
            height_el = trpr.find(w("trHeight")) if trpr is not None else None
            min_h = _num(_attr(height_el, "val")) / TWIPS_PER_PT
            rule = _attr(height_el, "hRule") or "atLeast"
            tallest = 0.0
            top = row_edges[-1]
            for tc in _cells(tr):
                tcpr = tc.find(w("tcPr"))
                span = max(1, int(_num(_attr(tcpr.find(w("gridSpan")) if tcpr is not None else None, "val"), 1)))
                vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
                while col >= len(edges) - 1:
                    edges.append(edges[-1] + 40.0)  # a row wider than the grid: columns of a guessed width
                x0 = edges[col] + CELL_MARGIN
                x1 = edges[min(col + span, len(edges) - 1)] - CELL_MARGIN
                anchor = Anchor(index, r, col)
                lines: list[str] = []
                y = top
                for child in tc:
                    if _local(child) == "p":
                        place = _Place(x0, max(x1 - x0, 1.0), y, sect, anchor)
                        lines.append(self._paragraph(child, place))
                        y += self._paragraph_height(child, lines[-1], x1 - x0)
                    elif _local(child) == "tbl":
                        nested = True
                text = "\n".join(lines).strip("\n")
                tallest = max(tallest, y - top)
                if vmerge is not None and (_attr(vmerge, "val") or "continue") == "continue" and col in vertical:
                    above = vertical[col]
                    above.rowspan = r - above.row + 1
                    if text:
                        above.text = f"{above.text}\n{text}".strip("\n")
                else:
                    opened = _Open(r, col, text, span)
                    cells.append(opened)
                    for c in range(col, col + span):
                        if vmerge is not None:
                            vertical[c] = opened
                        else:
                            vertical.pop(c, None)
                col += span
            height = min_h if rule == "exact" and min_h else max(min_h, tallest)
            row_edges.append(top + height)
        self.y = row_edges[-1]
        n_rows = len(row_edges) - 1
        n_cols = max(len(edges) - 1, max((c.col + c.colspan for c in cells), default=0))
        out = [Cell(c.row, c.col, c.text, c.rowspan, c.colspan,
                    Box(edges[c.col], row_edges[c.row], edges[min(c.col + c.colspan, len(edges) - 1)] - edges[c.col],
                        row_edges[min(c.row + c.rowspan, n_rows)] - row_edges[c.row], estimated=True))
               for c in cells]
        if nested:
            where += " (tabel di dalam selnya diabaikan)"
        printed = row_pages if len(row_pages) == n_rows else []
        self.page.tables.insert(index, Table(out, n_rows, n_cols, edges, row_edges, where, printed,
                                             [f"halaman {n}, {where}" for n in printed]))

    # ── drawings ──

    def _drawing(self, el: etree._Element, place: _Place) -> None:
        ns, tag = _ns(el), _local(el)
        if ns == WP and tag in ("anchor", "inline"):
            self._dml(el, place)
        elif ns == V and tag in VML_SHAPES:
            self._vml(el, place, None)

    def _dml(self, frame: etree._Element, place: _Place) -> None:
        extent = frame.find(f"{{{WP}}}extent")
        width = _num(_attr(extent, "cx", "")) / EMU_PER_PT
        height = _num(_attr(extent, "cy", "")) / EMU_PER_PT
        if _local(frame) == "inline":
            x, y = place.x, place.y
        elif _attr(frame, "simplePos", "") in ("1", "true"):
            sp = frame.find(f"{{{WP}}}simplePos")
            x, y = _num(_attr(sp, "x", "")) / EMU_PER_PT, _num(_attr(sp, "y", "")) / EMU_PER_PT
        else:
            in_cell = _attr(frame, "layoutInCell", "") in ("1", "true", None) or self.converted
            x = self._position(frame.find(f"{{{WP}}}positionH"), place, width, horizontal=True, in_cell=in_cell)
            y = self._position(frame.find(f"{{{WP}}}positionV"), place, height, horizontal=False, in_cell=in_cell)
        doc_pr = frame.find(f"{{{WP}}}docPr")
        frame_id = _attr(doc_pr, "id", "") or ""
        data = frame.find(f"{{{A}}}graphic/{{{A}}}graphicData")
        if data is None:
            return
        box = Box(x, y, width, height, estimated=True)
        for item in data:
            if _ns(item) == WPS and _local(item) == "wsp":
                self._wsp(item, frame_id, box, place.cell)
            elif (_ns(item) == WPG and _local(item) == "wgp") or (_ns(item) == WPC and _local(item) == "wpc"):
                self._group(item, box)  # a drawing canvas is a group whose children count from its corner

    def _position(self, pos: etree._Element | None, place: _Place, size: float, *, horizontal: bool, in_cell: bool) -> float:
        sect = place.sect
        relative = _attr(pos, "relativeFrom", "") or ("column" if horizontal else "paragraph")
        if horizontal:
            areas = {"page": (0.0, sect.width), "margin": (sect.left, sect.width - sect.left - sect.right),
                     "leftMargin": (0.0, sect.left), "rightMargin": (sect.width - sect.right, sect.right),
                     "insideMargin": (0.0, sect.left), "outsideMargin": (sect.width - sect.right, sect.right),
                     "character": (place.x, place.width)}
            column = (place.x, place.width) if place.cell is not None and in_cell else (sect.left, sect.width - sect.left - sect.right)
            if self.converted and relative == "margin":
                relative = "column"
            start, extent = areas.get(relative, column)
        else:
            areas = {"page": (0.0, sect.height), "margin": (sect.top, sect.height - sect.top - sect.bottom),
                     "topMargin": (0.0, sect.top), "bottomMargin": (sect.height - sect.bottom, sect.bottom),
                     "insideMargin": (0.0, sect.top), "outsideMargin": (sect.height - sect.bottom, sect.bottom)}
            start, extent = areas.get(relative, (place.y, 0.0))  # paragraph, line
        if pos is None:
            return start
        offset = pos.find(f"{{{WP}}}posOffset")
        if offset is not None:
            return start + _num(offset.text) / EMU_PER_PT
        align = (pos.findtext(f"{{{WP}}}align") or "").strip()
        if align in ("center",):
            return start + (extent - size) / 2
        if align in ("right", "bottom", "outside"):
            return start + extent - size
        return start

    def _group(self, group: etree._Element, box: Box, parent: Callable[[float, float], tuple[float, float]] | None = None,
               scale: tuple[float, float] = (1.0, 1.0)) -> None:
        """A group's children: their coordinates are in the group's own units (chOff, chExt), which the
        group's extent stretches onto ``box``."""
        xfrm = None
        for child in group:
            if _local(child) == "grpSpPr":
                xfrm = child.find(f"{{{A}}}xfrm")
        ch_off = xfrm.find(f"{{{A}}}chOff") if xfrm is not None else None
        ch_ext = xfrm.find(f"{{{A}}}chExt") if xfrm is not None else None
        cx0 = _num(_attr(ch_off, "x", "")) / EMU_PER_PT
        cy0 = _num(_attr(ch_off, "y", "")) / EMU_PER_PT
        cw = _num(_attr(ch_ext, "cx", "")) / EMU_PER_PT or box.w or 1.0
        ch = _num(_attr(ch_ext, "cy", "")) / EMU_PER_PT or box.h or 1.0
        sx, sy = (box.w / cw if cw else 1.0), (box.h / ch if ch else 1.0)

        def to_page(x: float, y: float) -> tuple[float, float]:
            return box.x + (x - cx0) * sx, box.y + (y - cy0) * sy

        for child in group:
            tag = _local(child)
            if tag not in ("wsp", "grpSp", "wgp"):
                continue
            cxfrm = _xfrm_of(child)
            if cxfrm is None:
                continue
            off, ext = cxfrm.find(f"{{{A}}}off"), cxfrm.find(f"{{{A}}}ext")
            x, y = to_page(_num(_attr(off, "x", "")) / EMU_PER_PT, _num(_attr(off, "y", "")) / EMU_PER_PT)
            cbox = Box(x, y, _num(_attr(ext, "cx", "")) / EMU_PER_PT * sx, _num(_attr(ext, "cy", "")) / EMU_PER_PT * sy,
                       estimated=True)
            if tag == "wsp":
                nv = _first(child, "cNvPr")
                self._wsp(child, _attr(nv, "id", "") or "", cbox, None)
            else:
                self._group(child, cbox)

    def _wsp(self, wsp: etree._Element, shape_id: str, box: Box, cell: Anchor | None) -> None:
        sp_pr = _first(wsp, "spPr")
        xfrm = sp_pr.find(f"{{{A}}}xfrm") if sp_pr is not None else None
        geom = sp_pr.find(f"{{{A}}}prstGeom") if sp_pr is not None else None
        custom = sp_pr is not None and sp_pr.find(f"{{{A}}}custGeom") is not None
        prst = (_attr(geom, "prst", "") if geom is not None else "custom" if custom else "rect") or "rect"
        connector = _first(wsp, "cNvCnPr")
        rot = _num(_attr(xfrm, "rot", "")) / 60000 if xfrm is not None else 0.0
        flip_h = _attr(xfrm, "flipH", "") in ("1", "true")
        flip_v = _attr(xfrm, "flipV", "") in ("1", "true")
        ln = sp_pr.find(f"{{{A}}}ln") if sp_pr is not None else None
        head = _attr(ln.find(f"{{{A}}}headEnd") if ln is not None else None, "type", "") or ""
        tail = _attr(ln.find(f"{{{A}}}tailEnd") if ln is not None else None, "type", "") or ""
        # LibreOffice saves a straight arrow as a "rect" with no width and an arrow head: a line all the same
        flat = min(box.w, box.h) < 1 and wsp.find(f".//{w('t')}") is None
        if connector is not None or prst in CONNECTOR_GEOMETRIES or head not in ARROW_NONE or tail not in ARROW_NONE or flat:
            st = connector.find(f"{{{A}}}stCxn") if connector is not None else None
            en = connector.find(f"{{{A}}}endCxn") if connector is not None else None
            label = "\n".join(self._text(p) for p in wsp.iter(w("p"))).strip()  # 'Ya' typed on the arrow itself
            self.page.lines.append(Line(
                shape_id, _connector_points(box, prst, rot, flip_h, flip_v, _adjusts(geom)), _attr(st, "id", ""), _attr(en, "id", ""),
                head not in ARROW_NONE, tail not in ARROW_NONE, label))
            return
        if rot % 180 and abs(rot % 180 - 90) < 1:  # turned a quarter: it shows with its sides swapped
            box = Box(box.cx - box.h / 2, box.cy - box.w / 2, box.h, box.w, box.estimated)
        text = "\n".join(self._text(p) for p in wsp.iter(w("p"))).strip()
        no_line = sp_pr is not None and sp_pr.find(f"{{{A}}}ln/{{{A}}}noFill") is not None
        no_fill = sp_pr is not None and sp_pr.find(f"{{{A}}}noFill") is not None
        nv_sp = _first(wsp, "cNvSpPr")
        text_box = _attr(nv_sp, "txBox", "") in ("1", "true")
        if text_box and ln is None and _first(wsp, "style") is None:
            # a text frame as LibreOffice writes one: no outline at all, and no fill or a clear one
            no_line = True
            no_fill = no_fill or sp_pr is None or sp_pr.find(f"{{{A}}}solidFill") is None or \
                sp_pr.find(f"{{{A}}}solidFill/*/{{{A}}}alpha[@val='0']") is not None
        shape = Shape(shape_id, prst, box, text, cell, text_box)
        (self.page.texts if text and no_line and no_fill else self.page.shapes).append(shape)

    # ── VML ──

    def _vml(self, el: etree._Element, place: _Place, group: Callable[[float, float, float, float], Box] | None) -> None:
        tag = _local(el)
        style = _style(_attr(el, "style", "") or "")
        shape_id = _attr(el, "id", "") or _attr(el, "spid", OFFICE) or ""
        place_box: Callable[[float, float, float, float], Box]
        if group is None:
            origin_x, origin_y = self._vml_origin(style, place)

            def place_box(x: float, y: float, w_: float, h_: float) -> Box:
                return Box(origin_x + x, origin_y + y, w_, h_, estimated=True)

            left, top = _length(style.get("margin-left", "0")), _length(style.get("margin-top", "0"))
            left += _length(style.get("left", "0"))
            top += _length(style.get("top", "0"))
            width, height = _length(style.get("width", "0")), _length(style.get("height", "0"))
        else:
            place_box = group
            left, top = _num(style.get("left", "0").rstrip("px")), _num(style.get("top", "0").rstrip("px"))
            width, height = _num(style.get("width", "0").rstrip("px")), _num(style.get("height", "0").rstrip("px"))
        if tag == "group":
            box = place_box(left, top, width, height)
            size_ = (_attr(el, "coordsize", "") or f"{width},{height}").split(",")
            origin = (_attr(el, "coordorigin", "") or "0,0").split(",")
            cw, ch = _num(size_[0], 1) or 1, _num(size_[-1], 1) or 1
            ox, oy = _num(origin[0]), _num(origin[-1])

            def inner(x: float, y: float, w_: float, h_: float) -> Box:
                return Box(box.x + (x - ox) * box.w / cw, box.y + (y - oy) * box.h / ch, w_ * box.w / cw, h_ * box.h / ch, True)

            for child in el:
                if _ns(child) == V:
                    self._vml(child, place, inner)
            return
        stroke = el.find(f"{{{V}}}stroke")
        arrows = ((_attr(stroke, "startarrow", "") or "") not in ARROW_NONE, (_attr(stroke, "endarrow", "") or "") not in ARROW_NONE)
        if tag in ("line", "polyline"):
            if tag == "line":
                raw = [_attr(el, "from", "") or "0,0", _attr(el, "to", "") or "0,0"]
            else:
                numbers = re.split(r"[\s,]+", (_attr(el, "points", "") or "").strip())
                raw = [f"{numbers[k]},{numbers[k + 1]}" for k in range(0, len(numbers) - 1, 2)]
            points = []
            for pair in raw:
                px, _, py = pair.partition(",")
                coord = _length if group is None else _num  # in a group: the group's own units
                b = place_box(left + coord(px), top + coord(py), 0, 0)
                points.append((b.x, b.y))
            label = "\n".join(self._text(p) for p in el.iter(w("p"))).strip()  # a v:textbox on the line
            self.page.lines.append(Line(shape_id, tuple(points), None, None, arrows[0], arrows[1], label))
            return
        geometry = {"rect": "rect", "roundrect": "roundrect", "oval": "oval"}.get(tag, "")
        if tag == "shape":
            kind = (_attr(el, "type", "") or "").lstrip("#")
            match = re.fullmatch(r"_x0000_t(\d+)", kind)
            spt = _attr(el, "spt", OFFICE)
            geometry = f"t{match.group(1)}" if match else (f"t{int(_num(spt))}" if spt else "shape")
        box = place_box(left, top, width, height)
        text = "\n".join(self._text(p) for p in el.iter(w("p"))).strip()
        shape = Shape(shape_id, geometry, box, text, place.cell)
        invisible = (_attr(el, "stroked", "") or "").lower() in ("f", "false") and (_attr(el, "filled", "") or "").lower() in ("f", "false")
        (self.page.texts if text and (invisible or geometry == "t202") else self.page.shapes).append(shape)

    def _vml_origin(self, style: dict[str, str], place: _Place) -> tuple[float, float]:
        sect = place.sect
        if style.get("position", "") != "absolute":
            return place.x, place.y
        horizontal = style.get("mso-position-horizontal-relative", "text")
        vertical = style.get("mso-position-vertical-relative", "text")
        x = {"page": 0.0, "margin": sect.left, "left-margin-area": 0.0, "right-margin-area": sect.width - sect.right,
             "char": place.x}.get(horizontal, place.x if place.cell is not None else sect.left)
        y = {"page": 0.0, "margin": sect.top, "top-margin-area": 0.0, "bottom-margin-area": sect.height - sect.bottom}.get(
            vertical, place.y)
        return x, y


def _reattach_frames(page: Page) -> None:
    """LibreOffice reads the text of a shape in a .doc (the "A" of an off-page connector) as a text
    frame of its own, of a made-up size, whose left edge and anchor cell are the shape's: give the text
    back to the textless shape in the same cell at the same x (its y may be counted on a later page)."""
    for text in list(page.texts):
        if text.cell is None:
            continue
        owners = [k for k, s in enumerate(page.shapes)
                  if not s.text and s.cell == text.cell and abs(s.box.x - text.box.x) < 1]
        if len(owners) == 1:
            s = page.shapes[owners[0]]
            page.shapes[owners[0]] = Shape(s.id, s.geometry, s.box, text.text, s.cell)
            page.texts.remove(text)


# ── helpers ──────────────────────────────────────────────────────────────────────────────────────


# Marks typed in a symbol font: what Wingdings' ü, û, ý, þ, l, n and Symbol's Ö, · show.
SYMBOL_MARKS = {"ü": "√", "û": "X", "ý": "X", "þ": "√", "l": "•", "n": "■", "Ö": "√", "·": "•"}


def _symbol_font(t: etree._Element) -> bool:
    run = t.getparent()
    fonts = run.find(f"{w('rPr')}/{w('rFonts')}") if run is not None else None
    if fonts is None:
        return False
    names = " ".join(str(v) for k, v in fonts.attrib.items() if etree.QName(k).localname in ("ascii", "hAnsi", "cs"))
    return "wingdings" in names.lower() or "symbol" in names.lower()


def _rendered_pages(body: etree._Element) -> dict[etree._Element, int]:
    """The printed page each table row starts on, as Word laid the document out when it last saved it
    (``w:lastRenderedPageBreak``, which Word writes where each page began); empty when the file holds no
    such record (LibreOffice, or a generator), since pages cannot be known without laying it out.

    A page begins at a rendered break, a hard page break, a paragraph asking for one, or a section
    starting on a new page; Word also writes a rendered break where a hard one already began the page, so
    a break before any text of the page it begins is not counted twice. A row's page is the one its
    first cell text lies on; the cells of one row run side by side, so a row spilling over pages moves
    the count by its longest cell."""
    if next(body.iter(w("lastRenderedPageBreak")), None) is None:
        return {}
    pages: dict[etree._Element, int] = {}
    page, fresh = 1, True

    def brk() -> None:
        nonlocal page, fresh
        if not fresh:
            page += 1
        fresh = True

    def cell_breaks(tc: etree._Element) -> tuple[bool, int]:
        """(whether the cell begins with a break, how many breaks lie after its first text)."""
        leading, after, seen_text = False, 0, False
        for el in tc.iter(w("t"), w("lastRenderedPageBreak"), w("br")):
            if _local(el) == "t":
                seen_text = seen_text or bool((el.text or "").strip())
            elif _local(el) == "lastRenderedPageBreak" or _attr(el, "type") == "page":
                if seen_text:
                    after += 1
                else:
                    leading = True
        return leading, after

    def visit(el: etree._Element) -> None:
        nonlocal page, fresh
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = _local(child)
            if tag == "tr":
                found = [cell_breaks(tc) for tc in _cells(child)]
                if any(leading for leading, _ in found):
                    brk()
                pages[child] = page
                page += max((after for _, after in found), default=0)
                fresh = False
            elif tag == "p":
                ppr = child.find(w("pPr"))
                if ppr is not None and ppr.find(w("pageBreakBefore")) is not None:
                    brk()
                for item in child.iter(w("t"), w("lastRenderedPageBreak"), w("br")):
                    if _local(item) == "t":
                        if (item.text or "").strip():
                            fresh = False
                    elif _local(item) == "lastRenderedPageBreak" or _attr(item, "type") == "page":
                        brk()
                sect = ppr.find(w("sectPr")) if ppr is not None else None
                if sect is not None and (_attr(sect.find(w("type")), "val") or "nextPage") != "continuous":
                    brk()
            else:
                visit(child)

    visit(body)
    return pages


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    """A row's cells, also those wrapped in content controls or custom XML."""
    for child in tr:
        tag = _local(child)
        if tag == "tc":
            yield child
        elif tag in ("sdt", "customXml"):
            content = child.find(w("sdtContent")) if tag == "sdt" else child
            if content is not None:
                yield from (c for c in content if _local(c) == "tc")


def _walk(el: etree._Element) -> Iterator[etree._Element]:
    """The descendants of a paragraph in order, entering one branch of each mc:AlternateContent, not
    entering deleted text nor the text boxes inside drawings (a drawing is yielded, not its insides)."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        ns, tag = _ns(child), _local(child)
        if ns == MC and tag == "AlternateContent":
            branch = _branch(child)
            if branch is not None:
                yield from _walk(branch)
            continue
        if ns == W and tag in ("del", "moveFrom", "txbxContent"):
            continue
        yield child
        if (ns == WP and tag in ("anchor", "inline")) or (ns == V and tag in VML_SHAPES):
            continue
        yield from _walk(child)


def _walk_tag(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    return (e for e in _walk(el) if e.tag == tag)


def _branch(alternate: etree._Element) -> etree._Element | None:
    """The mc:Choice whose requirements this reader understands, else the mc:Fallback — never both."""
    for choice in alternate.iterfind(f"{{{MC}}}Choice"):
        needs = set((_attr(choice, "Requires", "") or "").split())
        if needs <= UNDERSTOOD:
            return choice
    return alternate.find(f"{{{MC}}}Fallback")


def _first(el: etree._Element, local: str) -> etree._Element | None:
    for child in el:
        if _local(child) == local:
            return child
    return None


def _xfrm_of(el: etree._Element) -> etree._Element | None:
    pr = _first(el, "spPr") if _local(el) == "wsp" else _first(el, "grpSpPr")
    return pr.find(f"{{{A}}}xfrm") if pr is not None else None


def _adjusts(geom: etree._Element | None) -> dict[int, float]:
    """A preset's adjust values (a:avLst/a:gd "adj1" = "val 50000"), as fractions of its frame; where a
    bent connector turns: Word draws a loop back around the side with adj1 below 0 or above 1."""
    out = {1: 0.5, 2: 0.5, 3: 0.5}
    for gd in geom.iter(f"{{{A}}}gd") if geom is not None else ():
        name, formula = _attr(gd, "name", "") or "", (_attr(gd, "fmla", "") or "").split()
        if name[:3] == "adj" and (name[3:].isdigit() or not name[3:]) and len(formula) == 2 and formula[0] == "val":
            try:
                out[int(name[3:] or 1)] = float(formula[1]) / 100000
            except ValueError:
                continue
    return out


def _connector_points(box: Box, prst: str, rot: float, flip_h: bool, flip_v: bool,
                      adjust: dict[int, float] | None = None) -> tuple[tuple[float, float], ...]:
    """A connector's path on the page: from its start to its end through its bends (where its adjust
    values put them, as DrawingML defines the bent connectors), its flips applied inside its box and its
    rotation about the box's centre."""
    a1, a2, a3 = (adjust or {}).get(1, 0.5), (adjust or {}).get(2, 0.5), (adjust or {}).get(3, 0.5)
    if prst.startswith("bentConnector2"):
        frame = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    elif prst.startswith("bentConnector3"):
        frame = [(0.0, 0.0), (a1, 0.0), (a1, 1.0), (1.0, 1.0)]
    elif prst.startswith("bentConnector4"):
        frame = [(0.0, 0.0), (a1, 0.0), (a1, a2), (1.0, a2), (1.0, 1.0)]
    elif prst.startswith("bentConnector5"):
        frame = [(0.0, 0.0), (a1, 0.0), (a1, a2), (a3, a2), (a3, 1.0), (1.0, 1.0)]
    else:
        frame = [(0.0, 0.0), (1.0, 1.0)]
    points = [(box.x + (1 - u if flip_h else u) * box.w, box.y + (1 - v if flip_v else v) * box.h) for u, v in frame]
    if rot:
        turn = math.radians(rot)
        cx, cy = box.cx, box.cy
        cos, sin = math.cos(turn), math.sin(turn)
        points = [(cx + (px - cx) * cos - (py - cy) * sin, cy + (px - cx) * sin + (py - cy) * cos) for px, py in points]
    return tuple((round(px, 2), round(py, 2)) for px, py in points)


def _style(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(";"):
        key, _, value = part.partition(":")
        if key.strip():
            out[key.strip().lower()] = value.strip()
    return out


UNITS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, "pc": 12.0, "emu": 1 / EMU_PER_PT}


def _length(text: str) -> float:
    """A VML length in points ("12.5pt", "1in", "2cm", "-3px"); a bare number is in pixels as in CSS."""
    match = re.fullmatch(r"\s*(-?[\d.]+)\s*([a-z]*)\s*", text or "")
    if not match:
        return 0.0
    unit = match.group(2) or "px"
    return _num(match.group(1)) * UNITS.get(unit, 0.75)

