"""Reading a neutral table as the regulation's form is written: a grid of covering cells, loosely matched
labels, and list items with their numbering or bullets taken off. Shared by identity, procedure and chart."""

from __future__ import annotations

import re
import unicodedata

from sopcode.importing.page import Cell, Table

_MARKER = re.compile(
    r"""^\s*(?:
        \(?[0-9]{1,3}[.)]\)?(?![0-9])     # 1.  1)  (1)
      | \(?[a-zA-Z][.)](?=\s)              # a.  a)  (a)
      | [-–—•●▪◦*·o](?=\s)                 # bullets
      | [•●▪◦·]                            # bullets glued to the text
    )\s*""",
    re.VERBOSE,
)


def norm(text: str) -> str:
    """Lower case, no dots or colons, one space between words: how labels are compared."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[.:]", " ", text)
    return " ".join(text.split())


def squash(text: str) -> str:
    """Letters and digits only, lower case: 'Sek.Tim.Sa kip' and 'Sek. Tim Sakip' compare equal."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def lines(text: str) -> list[str]:
    """The non-blank lines of a cell, each with its spaces collapsed."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def one_line(text: str) -> str:
    return " ".join(text.split())


def strip_marker(line: str) -> str:
    """A list item without its numbering ('1.', '1)', 'a.') or bullet ('-', '•')."""
    return _MARKER.sub("", line, count=1).strip()


def items(text: str) -> list[str]:
    """A box's list: one item per line, numbering and bullets stripped; a marker alone on its line
    belongs to the line after it."""
    return [item for item in (strip_marker(line) for line in lines(text)) if item]


class Grid:
    """A table's cells by position: ``at(r, c)`` is the cell covering that position (merged cells cover
    every position of their span), or ``None``."""

    def __init__(self, table: Table):
        self.table = table
        self._at: dict[tuple[int, int], Cell] = {}
        for cell in table.cells:
            for r in range(cell.row, cell.row + max(1, cell.rowspan)):
                for c in range(cell.col, cell.col + max(1, cell.colspan)):
                    self._at.setdefault((r, c), cell)

    def at(self, row: int, col: int) -> Cell | None:
        return self._at.get((row, col))

    def text(self, row: int, col: int) -> str:
        cell = self.at(row, col)
        return cell.text if cell else ""

    def row_cells(self, row: int) -> list[Cell]:
        """The distinct cells covering a row, left to right."""
        seen: list[Cell] = []
        for c in range(self.table.n_cols):
            cell = self.at(row, c)
            if cell is not None and (not seen or seen[-1] is not cell):
                seen.append(cell)
        return seen

    def right_of(self, cell: Cell) -> list[Cell]:
        """The cells on the same row to the right of a cell, nearest first."""
        out: list[Cell] = []
        c = cell.col + max(1, cell.colspan)
        while c < self.table.n_cols:
            other = self.at(cell.row, c)
            if other is None:
                c += 1
                continue
            if other is not cell and other not in out:
                out.append(other)
            c = other.col + max(1, other.colspan)
        return out

    def below(self, cell: Cell) -> Cell | None:
        return self.at(cell.row + max(1, cell.rowspan), cell.col)
