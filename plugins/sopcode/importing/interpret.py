"""The regulation's form read from neutral pages: ``interpret(pages, source)`` gives one Found per SOP.

A file may hold several SOPs: each starts at an identity table (or at a procedure table when the one
before already had its steps) and takes the procedure tables after it, continued over pages with the
header repeated (or not). What the pages do not say is left out; what is inferred is said in
``Found.inferred``; what cannot be decided is a ``Problem`` naming the page and the step.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field

from sopcode.importing.cells import one_line, squash
from sopcode.importing.chart import LABEL_TIE, Chart, Part, read_chart
from sopcode.importing.found import Found, Problem
from sopcode.importing.identity import BOX_TITLES, is_identity_table, label_of, read_identity, signer_elsewhere
from sopcode.importing.page import Page, Table
from sopcode.importing.procedure import Actor, Layout, Row, continues, find_header, list_or_text, read_rows, same_actor, waktu

_SOP_TITLE = re.compile(r"^\s*(?:nama\s+)?sop\s*:\s*(.+)$", re.IGNORECASE)
_GENERIC_HEADING = re.compile(r"(?:uraian|lembar|bagan|tabel)?(?:prosedur|sop|standaroperasionalprosedur|bagianprosedur|"
                              r"alirprosedur|bagianalir|flowchart|alur|alurprosedur|prosedurkerja)")


@dataclass
class _Sop:
    identity: list[tuple[Table, str]] = field(default_factory=list)
    other: list[tuple[Table, str]] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    written: list[tuple[int, Table]] = field(default_factory=list)  # 'Pelaksana langkah' columns beside the table
    heading: str = ""  # the paragraph right above the procedure table (Word), its title as typed there


def interpret(pages: list[Page], source: str) -> list[Found]:
    sops = _split(pages)
    return [_read(pages, sop, source) for sop in sops]


def _where(page: Page, table: Table) -> str:
    if table.row_pages:  # Word's layout on record: the page the table begins on
        page_where = f"halaman {table.row_pages[0]}"
        return f"{page_where}, {table.where}" if table.where else page_where
    return f"{page.where}, {table.where}" if table.where else page.where


def _split(pages: list[Page]) -> list[_Sop]:
    """Tables in reading order, grouped into SOPs."""
    sops: list[_Sop] = []
    current: _Sop | None = None
    last: tuple[Layout, int] | None = None
    pending: list[str] = []  # titles seen before any table of their SOP
    for p, page in enumerate(pages):
        for t, table in enumerate(page.tables):
            where = _where(page, table)
            layout = find_header(table)
            if layout is None and last is not None and current is not None and current.parts:
                layout = continues(table, *last)
            if layout is not None:
                if current is None:
                    current = _Sop()
                    sops.append(current)
                if layout.waktu_unit is None and current.parts:
                    # The header typed again on the next page often drops the unit ('Waktu (menit)', then
                    # 'Waktu', as in the seed): the column is the same, and so is its unit.
                    layout.waktu_unit = current.parts[-1].layout.waktu_unit
                first = sum(len(part.rows) for part in current.parts)
                if not current.parts:
                    current.heading = _heading(page, t)
                rows = read_rows(table, layout)
                current.parts.append(Part(p, t, table, layout, rows, first, where))
                last = (layout, table.n_cols)
                title = _title_row(table)
                if title:
                    current.titles.append(title)
                continue
            if current is not None and _written_actors_header(table) is not None:
                current.written.append((p, table))
                continue
            last = None
            if is_identity_table(table):
                if current is None or current.parts or _has_same_identity(current, table):
                    current = _Sop()
                    sops.append(current)
                current.identity.append((table, where))
            elif current is not None:
                current.other.append((table, where))
        if current is not None and pending:
            current.titles[:0], pending = pending, []
        # 'SOP : <judul>' written in a text box or a paragraph of the page (the procedure sheet's title).
        for text in [*page.texts, *page.paragraphs]:
            m = _SOP_TITLE.match(one_line(text.text))
            if m:
                (current.titles if current is not None else pending).append(m[1].strip())
    return sops


def _heading(page: Page, t: int) -> str:
    """The last paragraph above table ``t`` and below the table before it, on the same page."""
    table = page.tables[t]
    if not table.row_edges:
        return ""
    above = page.tables[t - 1].row_edges[-1] if t and page.tables[t - 1].row_edges else float("-inf")
    lines = [one_line(p.text) for p in page.paragraphs if above - 1 <= p.box.y and p.box.y + p.box.h <= table.row_edges[0] + 1]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    m = _SOP_TITLE.match(lines[-1])
    title = m[1].strip() if m else lines[-1]
    # a heading that names the sheet, not the procedure ('PROSEDUR', 'Uraian Prosedur', 'SOP'), is no title
    return "" if _GENERIC_HEADING.fullmatch(squash(title)) else title


def _title_words(title: str) -> str:
    """A title as compared with the Nama SOP: 'SOP PELAYANAN …' on the procedure sheet is the same title
    as 'Pelayanan …' in the identity (the form's word, letter case and punctuation aside)."""
    return re.sub(r"^(?:standaroperasionalprosedur|sop)", "", squash(title)) or squash(title)


def _has_same_identity(sop: _Sop, table: Table) -> bool:
    """A second identity table naming what the first named already starts another SOP."""
    def keys(t: Table) -> set[str]:
        return {k for c in t.cells if (k := label_of(c)[0])}

    mine = set().union(*(keys(t) for t, _ in sop.identity)) if sop.identity else set()
    return bool(mine & keys(table) & {"nomor", "nama"})


def _title_row(table: Table) -> str | None:
    for cell in table.cells:
        if cell.row == 0 and cell.colspan >= max(2, table.n_cols - 1):
            m = _SOP_TITLE.match(one_line(cell.text))
            if m:
                return m[1].strip()
    return None


def _read(pages: list[Page], sop: _Sop, source: str) -> Found:
    found = Found(source=source)
    where0 = sop.identity[0][1] if sop.identity else sop.parts[0].where if sop.parts else source
    if sop.identity:
        read_identity(sop.identity, found)
        found.read.append("identitas")
    else:
        found.problems.append(Problem(where0, "tabel identitas SOP tidak ditemukan" + (" sebelum tabel prosedur ini" if sop.parts else "")))
    titles = sop.titles or ([sop.heading] if sop.heading else [])
    if "nama" not in found.data or not found.data.get("nama"):
        found.data.pop("nama", None)
        if titles:
            found.data["nama"] = titles[0]
            found.inferred[("nama",)] = (f"Nama SOP tidak tertulis di identitas; diambil dari judul lembar prosedur '{titles[0]}'"
                                         + ("" if sop.titles else " (paragraf tepat di atas tabel prosedur)"))
        else:
            found.problems.append(Problem(where0, "Nama SOP tidak ditemukan"))
    elif titles and _title_words(titles[0]) != _title_words(str(found.data["nama"])):
        found.data["nama_prosedur"] = titles[0]
    signer_elsewhere(sop.other + [(p.grid_table, p.where) for p in sop.parts], found)
    if sop.identity:
        # A label not found at all is said (a label found with its value left empty is a draft's, and
        # sop check says that): so a value lost to a label this reader did not know never goes unsaid.
        labelled = {label_of(cell)[0] for table, _ in sop.identity for cell in table.cells}
        for key, label in (("nomor", "Nomor SOP"), ("tanggal_pembuatan", "Tanggal Pembuatan"),
                           ("tanggal_efektif", "Tanggal Efektif (pengesahan)"), ("disahkan_oleh", "Disahkan oleh")):
            if key not in found.data and key not in labelled:
                found.problems.append(Problem(where0, f"label '{label}' tidak ditemukan di tabel identitas"))
    boxes = [key for key in BOX_TITLES if key in found.data]
    if boxes:
        found.read.append(f"{len(boxes)} kotak identitas")
    if not sop.parts:
        found.problems.append(Problem(where0, "tabel prosedur (No, Kegiatan, Pelaksana, Mutu Baku) tidak ditemukan"))
        return _ordered(found)
    actors = _actors(sop.parts, found)
    chart = read_chart(pages, sop.parts, actors)
    _steps(sop.parts, actors, chart, found, sop.written)
    found.read.append(f"{len(actors)} pelaksana")
    found.read.append(f"{len(found.data['langkah'])} langkah")
    if chart.n_shapes or chart.n_arrows:
        found.read.append(f"bagan alir: {chart.n_shapes} simbol, {chart.n_arrows} garis")
    return _ordered(found)


def _actors(parts: list[Part], found: Found) -> list[str]:
    """The actors of the first procedure table; continued tables' columns are aligned with them."""
    first = parts[0]
    names = [a.name for a in first.layout.actors]
    for i, name in enumerate(names):
        if not name:
            found.problems.append(Problem(first.where, f"kolom pelaksana ke-{i + 1} tidak bernama"))
    for part in parts[1:]:
        mine = part.layout.actors
        if [squash(a.name) for a in mine] == [squash(n) for n in names] or part.layout.actors is first.layout.actors:
            continue
        if len(mine) == len(names):
            for i, (a, n) in enumerate(zip(mine, names)):
                if not same_actor(a.name, n):
                    found.problems.append(Problem(
                        part.where,
                        f"kolom pelaksana ke-{i + 1} bernama '{a.name}', di tabel pertama '{n}'; dipakai nama di tabel pertama",
                        settled=True))
            part.layout = Layout(part.layout.first_row, part.layout.cols, [Actor(n, a.cols) for a, n in zip(mine, names)],
                                 part.layout.waktu_unit)
        else:
            found.problems.append(Problem(
                part.where,
                f"tabel lanjutan punya {len(mine)} kolom pelaksana, tabel pertama {len(names)}; pelaksana tabel ini dicocokkan menurut nama",
            ))
            aligned = []
            for n in names:
                match = next((a for a in mine if same_actor(a.name, n)), None)
                aligned.append(Actor(n, match.cols if match else range(0)))
            part.layout = Layout(part.layout.first_row, part.layout.cols, aligned, part.layout.waktu_unit)
    found.data["pelaksana"] = names
    return names


def _steps(parts: list[Part], actors: list[str], chart: Chart, found: Found, beside: list[tuple[int, Table]]) -> None:
    rows = [(part, row) for part in parts for row in part.rows]
    written: list[int | None] = []
    for _, row in rows:
        m = re.fullmatch(r"\s*(\d{1,9})\s*[.,)]?\s*", row.no_text)
        written.append(int(m[1]) if m else None)
    numbers, renumbered = _numbering(written)
    # The chart names steps by their row; problems name them by their number.
    found.problems.extend(Problem(p.where, re.sub(r"\{langkah:(\d+)\}", lambda m: str(numbers[int(m[1])]), p.message),
                                  None if p.step is None else numbers[p.step], p.settled) for p in chart.problems)
    if renumbered:
        seen: set[int] = set()
        previous = 0
        for k, ((part, _), w) in enumerate(zip(rows, written)):
            if w is None and rows[k][1].no_text.strip():
                text = one_line(rows[k][1].no_text)
                error = "; rumus di selnya galat di Excel: betulkan rumusnya" if re.fullmatch(r"#[A-Z0-9/!?]+", text) else ""
                found.problems.append(Problem(part.where, f"nomor langkah tertulis '{text}' (baris ke-{k + 1} tabel prosedur), "
                                                          f"bukan angka{error}", numbers[k]))
            elif w is None:
                found.problems.append(Problem(part.where, f"nomor langkah tidak tertulis (baris ke-{k + 1} tabel prosedur)", numbers[k]))
            elif w in seen:
                found.problems.append(Problem(part.where, f"nomor langkah {w} tertulis lebih dari sekali", numbers[k]))
            elif w < previous:
                found.problems.append(Problem(part.where, f"nomor langkah {w} tertulis sesudah langkah {previous}", numbers[k]))
            if w is not None:
                seen.add(w)
                previous = max(previous, w)
    written_names = [written_actors(part, row, beside) for part, row in rows]  # 'Pelaksana langkah', when there
    renamed = _renamed_actor(written_names, rows[0][0].where if rows else "", actors, found)
    steps: list[dict] = []
    for k, ((part, row), number) in enumerate(zip(rows, numbers)):
        step: dict = {"no": number}
        if renumbered and written[k] != number:
            found.inferred[("langkah", k, "no")] = (
                "nomor langkah tidak tertulis; diurutkan dari baris tabel" if written[k] is None
                else f"nomor langkah tertulis {written[k]}; diurutkan dari baris tabel")
        elif written[k] is not None and not re.fullmatch(r"\d+[.)]?", row.no_text.strip()):  # '1.' is how steps are numbered
            found.inferred[("langkah", k, "no")] = f"nomor langkah tertulis '{row.no_text.strip()}'"
        if row.kegiatan:
            step["kegiatan"] = row.kegiatan
        else:
            found.problems.append(Problem(part.where, "uraian kegiatan kosong", number))
        who = chart.actors.get(k)
        names = written_names[k]
        if names:
            _written(step, k, [renamed.get(name, name) for name in names], who, actors, part.where, found)
        elif who:
            step["pelaksana"] = actors[who[0]] if len(who) == 1 else [actors[i] for i in who]
            found.inferred[("langkah", k, "pelaksana")] = chart.actor_reason[k]
        else:
            message = "pelaksana langkah tidak dapat ditentukan: tidak ada simbol atau tanda di kolom pelaksana"
            found.problems.append(Problem(part.where, message, number))
        mutu: dict = {}
        kelengkapan = list_or_text(row.kelengkapan)
        if kelengkapan is not None:
            mutu["kelengkapan"] = kelengkapan
        time, reason, wrong = waktu(row.waktu, part.layout.waktu_unit)
        if time is None:
            found.problems.append(Problem(part.where, "waktu langkah tidak tertulis", number))
        else:
            mutu["waktu"] = time
            if reason:
                found.inferred[("langkah", k, "mutu_baku", "waktu")] = reason
            if wrong and re.fullmatch(r"[\d.,]+", time):
                found.problems.append(Problem(
                    part.where,
                    f"waktu '{time}' tanpa satuan, dan kepala kolom Waktu tidak menyebut satuannya; tulis satuannya "
                    f"di sel ('{time} menit', '{time} jam' atau '{time} hari') atau di kepala kolom ('Waktu (menit)')",
                    number))
            elif wrong:
                found.problems.append(Problem(part.where, wrong, number))
        output = list_or_text(row.output)
        if output is not None:
            mutu["output"] = output
        step["mutu_baku"] = mutu
        if row.keterangan:
            step["keterangan"] = row.keterangan
        steps.append(step)
    _branches(steps, rows, chart, found, keterangan_flow=not beside)
    _flow_columns(steps, rows, chart, found, beside)
    _on_printed_pages(rows, numbers, found)
    found.data["langkah"] = steps
    if chart.separate_ends:
        found.data["terminator"] = "terpisah"
        found.inferred[("terminator",)] = "simbol Mulai dan Selesai digambar terpisah dari langkah"


def _written_actors_header(table: Table, heading: str = "pelaksanalangkah") -> int | None:
    """The column of a 'Pelaksana langkah' header (or another ``heading``, squashed) in a table's first
    rows (our Excel export writes the step's actors there, one a line, beside the printed table, and the
    step's flow right of it: Simbol, Ya, Tidak, Lanjut)."""
    for cell in table.cells:
        if cell.row < 3 and squash(cell.text) == heading:
            return cell.col
    return None


def written_actors(part: Part, row: Row, written: list[tuple[int, Table]]) -> list[str]:
    """The actors written for a step in a 'Pelaksana langkah' column: in the procedure table itself, or
    in a table beside it on the same page, on the same row (by row index when both tables have the
    same rows, else by the row's height on the page)."""
    text = _beside(part, row, written)
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _beside(part: Part, row: Row, written: list[tuple[int, Table]], heading: str = "pelaksanalangkah") -> str | None:
    """The text of the step's cell in the column headed ``heading`` beside the procedure table
    (see :func:`written_actors`): None when there is no such column, '' when the cell is empty."""
    tables = [part.grid_table] + [t for p, t in written if p == part.page]
    candidates = [(t, col) for t in tables if _written_actors_header(t) is not None  # only beside our column
                  and (col := _written_actors_header(t, heading)) is not None]
    mine = part.grid_table
    seen = False
    for table, col in candidates:
        r = row.rows.start
        if table is not mine and table.n_rows != mine.n_rows:
            if len(table.row_edges) != table.n_rows + 1 or len(mine.row_edges) != mine.n_rows + 1:
                continue
            y = (mine.row_edges[r] + mine.row_edges[r + 1]) / 2
            r = next((i for i in range(table.n_rows) if table.row_edges[i] <= y < table.row_edges[i + 1]), -1)
        seen = True
        cell = next((c for c in table.cells if c.row == r and c.col == col), None)
        if cell is not None and cell.text.strip():
            return cell.text
    return "" if seen else None


FLOW_HEADINGS = {"simbol": "Simbol", "ya": "Ya", "tidak": "Tidak", "lanjut": "Lanjut"}
"""The flow columns our Excel export writes right of 'Pelaksana langkah' (sheets/excel.py)."""


def _flow_columns(steps: list[dict], rows: list, chart: Chart, found: Found, beside: list[tuple[int, Table]]) -> None:
    """The flow as written in the Simbol, Ya, Tidak, Lanjut columns of our export, beside the chart.

    No chart in the workbook (a program that drops drawings saved it): the columns give the flow, and the
    report says so. A chart and columns that disagree: the columns win, as 'Pelaksana langkah' does over
    the symbols: a person editing the workbook types into cells (the drawing cannot be validated, and
    the cells are what they changed last), and a problem names the step so they look at both.

    The SOP's ``terminator`` is written under the 'Terminator' heading right of them (the heading rows,
    not a step's row): read when the chart is gone, and over the chart when they disagree (said)."""
    drawn = bool(chart.n_shapes or chart.n_arrows)
    separate = chart.separate_ends
    heading = next(((t, c) for _, t in beside for c in t.cells if c.row < 2 and squash(c.text) == "terminator"), None)
    if heading is not None and steps:
        table, head = heading
        value = next((c.text for c in table.cells if c.col == head.col and c.row == head.row + head.rowspan), "")
        where = rows[0][0].where
        said = squash(value)
        if said in ("terpisah", "langkah"):
            separate = said == "terpisah"
            if drawn and separate != chart.separate_ends:
                drawn_as = "terpisah" if chart.separate_ends else "langkah"
                found.problems.append(Problem(where, f"kolom Terminator menulis {said}, bagan alir {drawn_as}; "
                                                     "dipakai yang tertulis di kolom", settled=True))
                for k in {0, len(steps) - 1}:  # the first and last steps' default symbol follows it
                    symbol = steps[k].pop("simbol", None) or chart.symbol.get(k)
                    _symbol(steps[k], k, len(steps), symbol, separate)
            # Read from the cell, so not inferred (drawn or not); _steps writes and marks the chart's
            # 'terpisah' only while chart.separate_ends says it.
            if separate:
                found.data["terminator"] = "terpisah"
            chart.separate_ends = False
        elif said:
            found.problems.append(Problem(where, f"kolom Terminator menulis '{one_line(value)}', bukan langkah atau terpisah"))
    written = [{key: _beside(part, row, beside, key) for key in FLOW_HEADINGS} for part, row in rows]
    if not any(w["simbol"] is not None for w in written):
        if not drawn and steps and any(_beside(part, row, beside) is not None for part, row in rows):
            found.problems.append(Problem(
                rows[0][0].where, "bagan alir tidak ada di buku kerja dan kolom Simbol, Ya, Tidak, Lanjut juga tidak ada: "
                "simbol, cabang keputusan dan lompatan alur tidak terbaca; ekspor ulang SOP-nya dengan 'sop ekspor --xlsx'"))
        return
    numbers = {step["no"] for step in steps}
    n = len(steps)
    for k, (step, cells) in enumerate(zip(steps, written)):
        where = rows[k][0].where
        flow: dict[str, object] = {}
        symbol = one_line(cells["simbol"] or "").lower() or None
        if symbol is not None and symbol not in ("terminator", "proses", "keputusan"):
            found.problems.append(Problem(where, f"kolom Simbol menulis '{symbol}', bukan terminator, proses, atau keputusan", step["no"]))
            symbol = None
        for key in ("ya", "tidak", "lanjut"):
            text = (cells[key] or "").strip()
            m = re.fullmatch(r"(\d{1,9})(?:[.,]0+)?", text)
            if text and (m is None or int(m[1]) not in numbers):
                found.problems.append(Problem(where, f"kolom {FLOW_HEADINGS[key]} menulis '{text}', bukan nomor langkah SOP ini", step["no"]))
            elif m is not None and not (key == "lanjut" and k + 1 < n and int(m[1]) == steps[k + 1]["no"]):
                flow[key] = int(m[1])
        if symbol == "keputusan" and ("ya" not in flow or "tidak" not in flow):
            lacking = " dan ".join(FLOW_HEADINGS[key] for key in ("ya", "tidak") if key not in flow)
            found.problems.append(Problem(where, f"keputusan tanpa nomor langkah di kolom {lacking}", step["no"]))
        if drawn:
            mine = {key: step.get(key) for key in ("ya", "tidak", "lanjut")}
            differ = [f"kolom {FLOW_HEADINGS[key]} menulis {flow.get(key) or 'kosong'}, bagan alir {mine[key] or 'tidak ada'}"
                      for key in ("ya", "tidak", "lanjut") if flow.get(key) != mine[key]]
            if symbol is not None and chart.symbol.get(k) is not None and symbol != chart.symbol[k]:
                differ.insert(0, f"kolom Simbol menulis {symbol}, bagan alir {chart.symbol[k]}")
            if differ:
                found.problems.append(Problem(where, "; ".join(differ) + "; dipakai yang tertulis di kolom", step["no"], settled=True))
            elif symbol is None or chart.symbol.get(k) is not None:
                continue
        for key in ("ya", "tidak", "lanjut"):
            step.pop(key, None)
            if key in flow:
                step[key] = flow[key]  # read from its cell: not inferred, with or without the chart
        step.pop("simbol", None)
        _symbol(step, k, n, symbol or chart.symbol.get(k), separate)
    if not drawn:
        found.read.append("alur dari kolom Simbol, Ya, Tidak, Lanjut (bagan alir tidak ada di buku kerja; dibangun ulang dari kolom itu)")


def _on_printed_pages(rows: list[tuple[Part, Row]], numbers: list[int], found: Found) -> None:
    """Where the reader can name a row's place (the printed page of a Word file that keeps its last
    layout, the row number of a workbook), a step's problem names its row's, which a table running over
    several pages or a long sheet otherwise hides."""
    at: dict[int, str] = {}
    for (part, row), number in zip(rows, numbers):
        places = part.grid_table.row_places
        if row.rows.start < len(places):
            at[number] = places[row.rows.start]
    if at:
        found.problems = [dataclasses.replace(p, where=at[p.step]) if p.step in at else p for p in found.problems]


def _quoted(names: list[str]) -> str:
    return " dan ".join(f"'{name}'" for name in names)


def _renamed_actor(written_names: list[list[str]], where: str, actors: list[str], found: Found) -> dict[str, str]:
    """An actor renamed in the table's header but not in the 'Pelaksana langkah' column (an exported
    workbook edited where it prints): exactly one name written there is no header's, and exactly one
    header's name is written nowhere there. Taken as one actor under its new name, and said."""
    written = {name for names in written_names for name in names}
    unknown = sorted(n for n in written if not any(same_actor(a, n) for a in actors))
    unnamed = [a for a in actors if not any(same_actor(a, n) for n in written)]
    if not written or len(unknown) != 1 or len(unnamed) != 1:
        return {}
    found.problems.append(Problem(
        where, f"kolom Pelaksana langkah menyebut '{unknown[0]}', yang tidak ada di kepala tabel, dan tidak menyebut "
               f"'{unnamed[0]}', yang ada di sana: dianggap pelaksana yang sama dengan nama baru '{unnamed[0]}'", settled=True))
    return {unknown[0]: unnamed[0]}


def _written(step: dict, k: int, names: list[str], who: list[int] | None, actors: list[str], where: str, found: Found) -> None:
    """The step's actors as written in the 'Pelaksana langkah' column, checked against the symbols."""
    known = []
    for name in names:
        match = next((a for a in actors if same_actor(a, name)), None)
        if match is None:
            found.problems.append(Problem(where, f"'{name}' di kolom Pelaksana langkah tidak ada di kolom pelaksana", step["no"]))
        elif match not in known:
            known.append(match)
    drawn = [actors[i] for i in who] if who else []
    if not known:
        if drawn:
            step["pelaksana"] = drawn[0] if len(drawn) == 1 else drawn
        return
    step["pelaksana"] = known[0] if len(known) == 1 else known
    if drawn and set(drawn) != set(known):
        found.problems.append(Problem(
            where, f"kolom Pelaksana langkah menulis {_quoted(known)}, simbol bagan alir di kolom {_quoted(drawn)}; "
                   "dipakai yang tertulis di kolom Pelaksana langkah",
            step["no"], settled=True))


def _numbering(written: list[int | None]) -> tuple[list[int], bool]:
    """The steps' numbers: as written when each is there, once, increasing; else by row order."""
    present = [w for w in written if w is not None]
    if len(present) == len(written) and all(a < b for a, b in itertools.pairwise(present)):
        return [w for w in written if w is not None], False
    return list(range(1, len(written) + 1)), True


def _branches(steps: list[dict], rows: list, chart: Chart, found: Found, keterangan_flow: bool = True) -> None:
    """lanjut / ya / tidak from the arrows: only where the flow is not simply the next step, except a
    decision, whose two branches are both written. With nothing drawn and no flow columns beside the
    table (``keterangan_flow``), a decision is read from what its Keterangan writes."""
    n = len(steps)
    last = n - 1
    for k, step in enumerate(steps):
        part = rows[k][0]
        number = step["no"]
        out = chart.succ.get(k, [])
        symbol = chart.symbol.get(k)
        if symbol == "keputusan":
            labelled = {label: target for target, label in out if label}
            unlabelled = [target for target, label in out if not label]
            if len(out) != 2:
                found.problems.append(Problem(part.where, f"keputusan punya {len(out)} panah keluar, seharusnya dua (Ya dan Tidak)", number))
            elif len(labelled) == 2:
                step["ya"], step["tidak"] = steps[labelled["ya"]]["no"], steps[labelled["tidak"]]["no"]
                said = _branches_said(step.get("keterangan", ""), [step["ya"], step["tidak"]])
                if said is not None and said["ya"] != step["ya"]:
                    found.problems.append(Problem(
                        part.where, f"panah berlabel Ya menuju langkah {step['ya']}, tetapi keterangan "
                        f"'{one_line(step['keterangan'])}' menyebut sebaliknya; dipakai label panahnya, periksa", number, settled=True))
            elif len(labelled) == 1 and unlabelled:
                (label, target), other = next(iter(labelled.items())), unlabelled[0]
                rest = "tidak" if label == "ya" else "ya"
                step[label], step[rest] = steps[target]["no"], steps[other]["no"]
                found.inferred[("langkah", k, rest)] = (
                    f"panah tanpa label; dianggap '{rest.capitalize()}' karena panah lainnya berlabel '{label.capitalize()}'")
            else:
                said = _branches_said(step.get("keterangan", ""), [steps[t]["no"] for t, _ in out])
                if said is None:
                    found.problems.append(Problem(part.where, UNLABELLED, number))
                else:
                    step["ya"], step["tidak"] = said["ya"], said["tidak"]
                    for label in ("ya", "tidak"):
                        found.inferred[("langkah", k, label)] = (
                            f"label Ya/Tidak pada panah tidak terbaca; dari keterangan '{one_line(step['keterangan'])}'")
                    found.problems = [p for p in found.problems if not (p.step == number and p.message == LABEL_TIE)]
        elif (keterangan_flow and not chart.n_shapes and not chart.n_arrows
              and (written := _branches_written(step, steps, k)) is not None):
            # No drawing (actors marked by text): the Keterangan is all the table says of a decision.
            said, told = written
            note = one_line(step["keterangan"])
            step["ya"], step["tidak"] = said["ya"], said["tidak"]
            chart.symbol[k] = "keputusan"
            found.inferred[("langkah", k, "simbol")] = f"bagan alir tidak digambar; keterangan '{note}' menyebut cabang keputusan"
            for label in ("ya", "tidak"):
                found.inferred[("langkah", k, label)] = (
                    f"dari keterangan '{note}'" if label in told
                    else f"keterangan hanya menyebut cabang {'Tidak' if label == 'ya' else 'Ya'}; cabang ini ke langkah berikutnya")
        elif len(out) == 1:
            target = out[0][0]
            if target != k + 1:
                step["lanjut"] = steps[target]["no"]
        elif len(out) > 1:
            found.problems.append(Problem(part.where, f"{len(out)} panah keluar dari langkah yang bukan keputusan", number))
        elif (k != last and chart.n_arrows and k in chart.actors and symbol and symbol != "terminator"
              and not any(p.step == k for p in chart.problems)):  # a dangling arrow was said already
            found.problems.append(Problem(part.where, "tidak ada panah keluar dari simbol langkah ini", number))
        _symbol(step, k, n, chart.symbol.get(k), chart.separate_ends)


UNLABELLED = "panah keluar keputusan tidak berlabel Ya/Tidak"
_TO_STEP = re.compile(r"\bke\s+langkah\s+(?:nomor\s+|no\.?\s*)?(\d+)", re.IGNORECASE)
_NO_WORDS = re.compile(r"\b(?:tidak|tdk|ditolak|tolak|belum|kurang|salah|gagal|keliru)\b", re.IGNORECASE)
_YES_WORDS = re.compile(r"\b(?:ya|sesuai|lengkap|benar|disetujui|setuju|diterima|lulus|valid)\b", re.IGNORECASE)


def _note_branches(note: str, allowed: set[int]) -> dict[str, int] | None:
    """'Ya'/'Tidak' → step number as a Keterangan writes them: the words just before each 'ke langkah N'
    name the branch ('Tidak sesuai: kembali ke langkah 3'). None when a 'ke langkah N' has no branch
    word, names a number not ``allowed``, or gives one branch two numbers."""
    said: dict[str, int] = {}
    start = 0
    for m in _TO_STEP.finditer(note):
        before = re.split(r"[.;\n]", note[start:m.start()])[-1]
        start = m.end()
        label = "tidak" if _NO_WORDS.search(before) else "ya" if _YES_WORDS.search(before) else None
        number = int(m[1])
        if label is None or number not in allowed or said.get(label, number) != number:
            return None
        said[label] = number
    return said


def _branches_said(note: str, targets: list[int]) -> dict[str, int] | None:
    """A decision's branches as its Keterangan writes them, when its arrows do not say which is which:
    'Tidak sesuai: kembali ke langkah 3', 'Ditolak, ke langkah 2', 'Lengkap: lanjut ke langkah 5'. The
    words just before each 'ke langkah N' name the branch; N must be one of the two arrows' ends, and
    the other arrow is the other branch. Anything less clear gives None (the problem stays)."""
    if len(targets) != 2 or targets[0] == targets[1]:
        return None
    said = _note_branches(note, set(targets))
    if said is None:
        return None
    if len(said) == 1:
        (label, number), = said.items()
        said["ya" if label == "tidak" else "tidak"] = next(t for t in targets if t != number)
    return said if len(said) == 2 and said["ya"] != said["tidak"] else None


def _branches_written(step: dict, steps: list[dict], k: int) -> tuple[dict[str, int], set[str]] | None:
    """A decision's branches as the Keterangan of an undrawn table writes them: both ('Ya: lanjut ke
    langkah 6; Tidak: kembali ke langkah 3'), or the 'Tidak' one alone ('Jika tidak lengkap kembali ke
    langkah 1'), the 'Ya' one then being the next step, as the regulation's flow goes on. Step numbers
    must be this SOP's, and not the step's own. Gives the branches and which of them were written."""
    said = _note_branches(step.get("keterangan") or "", {s["no"] for s in steps} - {step["no"]})
    if said is None:
        return None
    written = set(said)
    if "tidak" in said and "ya" not in said and k + 1 < len(steps):
        said["ya"] = steps[k + 1]["no"]
    if "ya" not in said or "tidak" not in said or said["ya"] == said["tidak"]:
        return None
    return said, written


def _symbol(step: dict, k: int, n: int, symbol: str | None, separate: bool) -> None:
    """``simbol`` written where it differs from what the loader gives by default, and always for a
    decision: the files in sop_data/ say ``simbol: keputusan``, so an SOP exported and imported back
    reads as it was written."""
    if symbol is None:
        return
    if symbol == "keputusan":
        step["simbol"] = symbol
        return
    if "ya" in step or "tidak" in step:
        default = "keputusan"
    elif not separate and k in (0, n - 1):
        default = "terminator"
    else:
        default = "proses"
    if symbol != default:
        step["simbol"] = symbol


_ORDER = ("nomor", "nama", "nama_prosedur", "unit", "alias", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif",
          "disahkan_oleh", "dicabut", "diganti_oleh", "terminator", *BOX_TITLES, "pelaksana", "langkah")
_STEP_ORDER = ("no", "kegiatan", "pelaksana", "simbol", "mutu_baku", "keterangan", "lanjut", "ya", "tidak")


def _ordered(found: Found) -> Found:
    """Keys in the order SOP files are written."""
    data = found.data
    found.data = {key: data[key] for key in _ORDER if key in data}
    if "langkah" in found.data:
        found.data["langkah"] = [{key: step[key] for key in _STEP_ORDER if key in step} for step in found.data["langkah"]]
    return found
