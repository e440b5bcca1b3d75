"""The procedure sheet's table: its header (No, Kegiatan, the actors under Pelaksana, Mutu Baku's
Kelengkapan, Waktu and Output, Keterangan), then one step per row, over as many tables as it continues."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from sopcode.importing.cells import Grid, items, lines, norm, one_line, squash, strip_marker
from sopcode.importing.page import Cell, Table
from sopcode.model.schema import Ctx
from sopcode.model.waktu import WaktuSpec

# Header labels (normalised) → the column's role.
ROLES: dict[str, str] = {
    "no": "no", "nomor": "no", "no urut": "no",
    "kegiatan": "kegiatan", "uraian kegiatan": "kegiatan", "uraian prosedur": "kegiatan", "prosedur": "kegiatan",
    "aktivitas": "kegiatan", "uraian": "kegiatan", "uraian aktivitas": "kegiatan", "langkah kegiatan": "kegiatan",
    "pelaksana": "pelaksana", "pelaksana kegiatan": "pelaksana",
    "mutu baku": "mutu", "mutu buku": "mutu", "baku mutu": "mutu",
    "kelengkapan": "kelengkapan", "persyaratan/kelengkapan": "kelengkapan", "persyaratan": "kelengkapan",
    "kelengkapan dan peralatan": "kelengkapan", "persyaratan / kelengkapan": "kelengkapan", "syarat/kelengkapan": "kelengkapan",
    "persyaratan dan kelengkapan": "kelengkapan", "kelengkapan/peralatan": "kelengkapan", "syarat": "kelengkapan",
    "persyaratan/peralatan": "kelengkapan", "kelengkapan persyaratan": "kelengkapan",
    "waktu": "waktu", "output": "output", "hasil": "output", "keluaran": "output", "output/hasil": "output",
    "keterangan": "keterangan", "ket": "keterangan",
}

_UNIT_IN_HEADER = re.compile(r"\((menit|mnt|jam|hari|hr)\.?\)", re.IGNORECASE)
_UNIT_WORDS = {"mnt": "menit", "hr": "hari"}
_WAKTU_ABBR = ((re.compile(r"\b(mnt|mnit|mt)\b\.?", re.IGNORECASE), "menit"), (re.compile(r"\bhr\b\.?", re.IGNORECASE), "hari"))


def role_of(text: str) -> str | None:
    key = norm(text.replace("(", " ").replace(")", " "))
    key = _UNIT_IN_HEADER.sub("", key).strip()
    key = re.sub(r"\b(menit|mnt|jam|hari|hr)\b\.?", "", key).strip() if key.startswith("waktu") else key
    return ROLES.get(key) or ROLES.get(re.sub(r"\s*/\s*", "/", key))


@dataclass
class Actor:
    name: str
    cols: range  # the grid columns under the actor's header cell


@dataclass
class Layout:
    """Where a procedure table's columns are and where its steps begin."""

    first_row: int  # the first row after the header (and the column numbers row)
    cols: dict[str, range] = field(default_factory=dict)
    actors: list[Actor] = field(default_factory=list)
    waktu_unit: str | None = None  # 'menit' from a header 'Waktu (menit)'


@dataclass
class Row:
    """One step as read from its row(s): texts as written, before numbering is settled."""

    rows: range
    no_text: str
    kegiatan: str
    kelengkapan: str
    waktu: str
    output: str
    keterangan: str
    marks: dict[int, str]  # actor index → the mark or text written in its cell


def find_header(table: Table) -> Layout | None:
    """The header of a procedure table, when the table has one in its first rows."""
    grid = Grid(table)
    for r in range(min(4, table.n_rows)):
        roles = {role_of(c.text): c for c in grid.row_cells(r)}
        if "kegiatan" not in roles or not ({"waktu", "pelaksana", "mutu", "no"} & set(roles)):
            continue
        layout = _layout(grid, r)
        if "pelaksana" not in roles and "mutu" not in roles and not layout.actors:
            continue  # No | Kegiatan | Waktu with no one doing anything: an agenda, a schedule, not a procedure
        return layout
    return None


def _layout(grid: Grid, r0: int) -> Layout:
    table = grid.table
    head_end = r0 + 1
    for cell in grid.row_cells(r0):
        head_end = max(head_end, r0 + max(1, cell.rowspan))
    top = {role_of(c.text): c for c in grid.row_cells(r0)}
    if ("pelaksana" in top or "mutu" in top) and head_end == r0 + 1:
        head_end = r0 + 2  # the super-header's sub-header row lies below
    layout = Layout(first_row=head_end)
    kegiatan = top["kegiatan"]
    # Roles by column: the lowest header cell naming one wins (Kelengkapan under Mutu Baku).
    for c in range(table.n_cols):
        for r in range(head_end - 1, r0 - 1, -1):
            head = grid.at(r, c)
            role = role_of(head.text) if head else None
            if head and role and role not in ("pelaksana", "mutu"):
                if role not in layout.cols:
                    layout.cols[role] = range(head.col, head.col + max(1, head.colspan))
                if role == "waktu" and (m := _UNIT_IN_HEADER.search(head.text)):
                    layout.waktu_unit = _UNIT_WORDS.get(m[1].lower(), m[1].lower())
                break
    # The actors: sub-header cells under 'Pelaksana', or else the named columns between Kegiatan and Mutu Baku.
    if "pelaksana" in top:
        span = top["pelaksana"]
        actor_cols = range(span.col, span.col + max(1, span.colspan))
    else:
        start = kegiatan.col + max(1, kegiatan.colspan)
        taken = [c for rng in layout.cols.values() for c in rng if c >= start]
        actor_cols = range(start, min(taken) if taken else table.n_cols)
    # The names sit right under 'Pelaksana' (or under 'Mutu Baku''s row when there is no such cell), not
    # in a row of column numbers the header may also span.
    over = top.get("pelaksana") or top.get("mutu")
    name_row = min(over.row + max(1, over.rowspan), head_end - 1) if over is not None else r0
    c = actor_cols.start
    while c < actor_cols.stop:
        sub = grid.at(name_row, c)
        if sub is None or sub.row < r0:
            c += 1
            continue
        stop = min(sub.col + max(1, sub.colspan), actor_cols.stop)
        name = one_line(sub.text)
        if role_of(name) != "pelaksana":
            layout.actors.append(Actor(name, range(max(sub.col, actor_cols.start), stop)))
        c = stop
    # A row of column numbers (1, 2, 3 …) under the header is part of it.
    if layout.first_row < table.n_rows:
        texts = [one_line(c.text) for c in grid.row_cells(layout.first_row) if c.text.strip()]
        numbers = [int(t) for t in texts if t.isdigit()]
        if len(texts) >= 3 and len(numbers) == len(texts) and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            layout.first_row += 1
    return layout


def continues(table: Table, previous: Layout, previous_cols: int) -> Layout | None:
    """A table without a header continuing a procedure table: same columns, a step number first."""
    if table.n_cols != previous_cols:
        return None
    grid = Grid(table)
    no = previous.cols.get("no")
    if no is None or not table.n_rows:
        return None
    if not re.match(r"\d", one_line(grid.text(0, no.start))):
        return None
    return Layout(first_row=0, cols=dict(previous.cols), actors=list(previous.actors), waktu_unit=previous.waktu_unit)


def read_rows(table: Table, layout: Layout) -> list[Row]:
    """The steps' rows, in order: a step is the rows its Kegiatan cell covers; blank rows are skipped."""
    grid = Grid(table)
    keg = layout.cols.get("kegiatan")
    out: list[Row] = []
    r = layout.first_row
    while r < table.n_rows:
        anchor = grid.at(r, keg.start) if keg else None
        span = max(1, anchor.rowspan) if anchor is not None and anchor.row == r else 1
        rows = range(r, r + span)
        row = Row(
            rows=rows,
            no_text=_col_text(grid, r, layout.cols.get("no")),
            kegiatan=one_line(_col_text(grid, r, keg)),
            kelengkapan=_col_text(grid, r, layout.cols.get("kelengkapan")),
            waktu=one_line(_col_text(grid, r, layout.cols.get("waktu"))),
            output=_col_text(grid, r, layout.cols.get("output")),
            keterangan=one_line(_col_text(grid, r, layout.cols.get("keterangan"))),
            marks={},
        )
        for i, actor in enumerate(layout.actors):
            texts = []
            for rr in rows:
                for c in actor.cols:
                    cell = grid.at(rr, c)
                    if cell is not None and cell.row == rr and cell.col == c and cell.text.strip():
                        texts.append(one_line(cell.text))
            if texts:
                row.marks[i] = " ".join(texts)
        if row.kegiatan or row.no_text.strip() or row.waktu:
            out.append(row)
        r += span
    return out


def _col_text(grid: Grid, row: int, cols: range | None) -> str:
    if cols is None:
        return ""
    cell: Cell | None = grid.at(row, cols.start)
    if cell is None or cell.row != row:
        return ""  # a cell merged from above belongs to the step it starts in
    return cell.text.strip()


def list_or_text(text: str) -> str | list[str] | None:
    """Kelengkapan or Output: a list when written on several lines, else the one text; None when blank."""
    values = items(text) if len(lines(text)) > 1 else [strip_marker(one_line(text)) or one_line(text)] if text.strip() else []
    if not values:
        return None
    return values if len(values) > 1 else values[0]


def waktu(text: str, unit: str | None) -> tuple[str | None, str | None, str | None]:
    """(waktu as written, inference reason, why it will not load): the header's unit added to a bare
    number, 'mnt' and 'hr' written out; then read by the SOP files' own grammar, so that what the import
    says of a time is what ``sop check`` would say."""
    t = one_line(text)
    if not t:
        return None, None, None
    reason = None
    if re.fullmatch(r"\d+([.,]\d+)?(\s*[-–]\s*\d+([.,]\d+)?)?", t) and unit:
        t = f"{t} {unit}"
        reason = f"satuan '{unit}' dari kepala kolom Waktu"
    for pattern, word in _WAKTU_ABBR:
        if pattern.search(t):
            t = pattern.sub(word, t)
            reason = f"'{one_line(text)}' ditulis lengkap sebagai '{t}'"
    ctx = Ctx("")
    WaktuSpec().parse(yaml.compose(yaml.safe_dump(t)), ctx, "waktu")
    wrong = next((f"{d.message}; {d.hint}" if d.hint else d.message for d in ctx.diagnostics if d.is_error), None)
    return t, reason, wrong


def same_actor(a: str, b: str) -> bool:
    return squash(a) == squash(b)
