"""The identity sheet (Bagian Identitas): the label/value rows, the signer, the institution's lines of the
header cell and the six boxes, read from any table that carries them."""

from __future__ import annotations

import datetime as dt
import difflib
import re

from sopcode.importing.cells import Grid, items, lines, norm, one_line
from sopcode.importing.found import Found, Problem
from sopcode.importing.page import Cell, Table

# Label (normalised, abbreviations written out) → the SOP file's key.
LABELS: dict[str, str] = {
    "nomor sop": "nomor",
    "nama sop": "nama",
    "judul sop": "nama",
    "tanggal pembuatan": "tanggal_pembuatan",
    "tanggal dibuat": "tanggal_pembuatan",
    "tanggal revisi": "tanggal_revisi",
    "tanggal efektif": "tanggal_efektif",
    "tanggal pengesahan": "tanggal_efektif",
    "tanggal disahkan": "tanggal_efektif",
    "tanggal berlaku": "tanggal_efektif",
    "disahkan oleh": "disahkan_oleh",
    "unit kerja": "unit",
}

UNPRINTED: dict[str, str] = {
    "alias": "alias",
    "rujukan sop": "rujukan_sop",
    "diganti oleh": "diganti_oleh",
    "dicabut pada": "dicabut_pada",
    "alasan dicabut": "dicabut_alasan",
}
"""The labels of the SOP's fields the printed identity sheet does not show, in the rows `sop ekspor --xlsx`
writes right of it (sheets/excel.py, ``IDENTITY_EXTRA``; 'Unit kerja' is one of LABELS): read as its rows are.
``rujukan_sop`` (the ids of the SOPs Keterkaitan names) and ``dicabut_*`` are no keys of an SOP file: see
:func:`_unprinted`."""
LABELS.update(UNPRINTED)

BOXES: dict[str, str] = {
    "dasar hukum": "dasar_hukum",
    "kualifikasi pelaksana": "kualifikasi_pelaksana",
    "keterkaitan": "keterkaitan",
    "peralatan/perlengkapan": "peralatan_perlengkapan",
    "peralatan / perlengkapan": "peralatan_perlengkapan",
    "peralatan dan perlengkapan": "peralatan_perlengkapan",
    "peralatan perlengkapan": "peralatan_perlengkapan",
    "peringatan": "peringatan",
    "pencatatan dan pendataan": "pencatatan_pendataan",
    "pencatatan & pendataan": "pencatatan_pendataan",
    "pencatatan/pendataan": "pencatatan_pendataan",
    "pencatatan": "pencatatan_pendataan",
}

BOX_TITLES = {
    "dasar_hukum": "Dasar Hukum", "kualifikasi_pelaksana": "Kualifikasi Pelaksana", "keterkaitan": "Keterkaitan",
    "peralatan_perlengkapan": "Peralatan/Perlengkapan", "peringatan": "Peringatan",
    "pencatatan_pendataan": "Pencatatan dan Pendataan",
}

MONTHS = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "nopember": 11, "desember": 12,
}
MONTH_ABBR = {
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "ags": 8,
    "aug": 8, "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "nop": 11, "des": 12, "dec": 12,
}

HIERARCHY_START = ("pemerintah", "kementerian", "kementrian", "badan", "lembaga", "sekretariat", "dinas", "kecamatan",
                   "kelurahan", "desa", "kantor", "inspektorat", "biro", "direktorat", "rumah sakit", "puskesmas", "satuan polisi")
UNIT_START = ("seksi", "bidang", "bagian", "sub bagian", "subbagian", "subbag", "upt", "unit", "sub bidang", "subbidang")
# Below an institution's own line (a Dinas, a Badan), these name one of its units too; as the second of two
# lines they may be the institution itself ('SEKRETARIAT DAERAH' under the Pemerintah Kabupaten).
UNIT_START_BELOW = ("sekretariat", "puskesmas", "instalasi", "balai", "laboratorium")
_FORM_TITLE = re.compile(r"standar\s+operasional\s+prosedur|\bsop\b", re.IGNORECASE)
_NIP = re.compile(r"\bNIP\b\.?\s*:?\s*(.*)$", re.IGNORECASE)


def label_key(text: str) -> str | None:
    """The key a label cell names, matched loosely: 'No. SOP', 'Tgl Pembuatan', 'Disahkan Oleh :', and
    with a slip of the keyboard ('Tanggal Pembuaatan', see ``misspelt``)."""
    return _match(_label_words(text), LABELS)


def _label_words(text: str) -> str:
    words = norm(text).split()
    return " ".join("tanggal" if w in ("tgl", "tangal", "tanggl") else "nomor" if w in ("no", "nmr", "nomer") else w for w in words)


def _match(words: str, table: dict[str, str]) -> str | None:
    if words in table:
        return table[words]
    close = _close(words, table)
    return table[close] if close else None


def _close(words: str, table: dict[str, str]) -> str | None:
    """A label of two or more words written with a letter or two wrong."""
    if len(words) < 8 or not re.search(r"[ /]", words):
        return None
    close = difflib.get_close_matches(words, [k for k in table if re.search(r"[ /]", k)], n=3, cutoff=0.88)
    return close[0] if close and len({table[c] for c in close}) == 1 else None


def _display(label: str) -> str:
    """'pencatatan dan pendataan' → 'Pencatatan dan Pendataan', 'nomor sop' → 'Nomor SOP'."""
    def word(w: str) -> str:
        return w if w in ("dan", "oleh") else "SOP" if w == "sop" else "/".join(p[:1].upper() + p[1:] for p in w.split("/"))
    return " ".join(word(w) for w in label.split())


def misspelt(text: str) -> str | None:
    """Why a label was read as another: "label 'Tanggal Pembuaatan' dibaca sebagai 'Tanggal Pembuatan'"."""
    first = lines(text)[:1]
    if not first:
        return None
    label = first[0].partition(":")[0].strip()
    for words, table in ((_label_words(label), LABELS), (" ".join(norm(label).split()), BOXES)):
        if words not in table and (close := _close(words, table)):
            return f"label '{label}' dibaca sebagai '{_display(close)}'"
    return None


def box_key(text: str) -> str | None:
    first = lines(text)[:1]
    if not first:
        return None
    return _match(" ".join(norm(first[0]).split()), BOXES)


def is_identity_table(table: Table) -> bool:
    """A table holds identity data when at least two of its cells start with an identity label."""
    found = {key for cell in table.cells if (key := label_of(cell)[0])}
    return len(found) >= 2 or any(box_key(cell.text) for cell in table.cells)


def label_of(cell: Cell) -> tuple[str | None, str | None]:
    """(key, value written after ':' in the same cell, or None) when the cell starts with a label."""
    text_lines = lines(cell.text)
    if not text_lines:
        return None, None
    first = text_lines[0]
    if ":" in first:
        label, _, rest = first.partition(":")
        key = label_key(label)
        if key:
            value = "\n".join([rest.strip(), *text_lines[1:]]).strip()
            # 'Nomor SOP :' with nothing after the colon: a label whose value is in the next cell
            return key, value or None
    key = label_key(first)
    if key and len(text_lines) == 1:
        return key, None
    return None, None


def parse_date(text: str) -> tuple[dt.date | str | None, str | None]:
    """(date, inference reason) from '9 Maret 2020', '09-03-2020', '2020-03-09', '9 Mar 2020'; '-' stays '-'.
    (None, None) when the text is no date this reads."""
    t = one_line(text).strip(" .,")
    if t in ("-", "–", "—"):
        return "-", None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t)
    if m:
        return _date(int(m[1]), int(m[2]), int(m[3])), None
    m = re.fullmatch(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})", t)
    if m:
        return _date(int(m[3]), int(m[2]), int(m[1])), None
    m = re.fullmatch(r"(\d{1,2})\s*[-\s.]\s*([A-Za-z]+)\.?\s*[-\s.]\s*(\d{4})", t)
    if not m:
        return None, None
    word = m[2].lower()
    month = MONTHS.get(word) or MONTH_ABBR.get(word)
    reason = None
    if month is None:
        close = difflib.get_close_matches(word, list(MONTHS), n=1, cutoff=0.75)
        if not close:
            return None, None
        month = MONTHS[close[0]]
        reason = f"nama bulan '{m[2]}' dibaca sebagai {close[0].capitalize()}"
    return _date(int(m[3]), month, int(m[1])), reason


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


_PANGKAT = re.compile(r"^(pembina|penata|pengatur|juru)\b", re.IGNORECASE)


def parse_signer(text: str) -> tuple[dict, str | None]:
    """The 'Disahkan oleh' block: jabatan line(s), the name, 'NIP. 19640104 199101 1 004' → the
    disahkan_oleh mapping (only the parts written) and an inference reason when one was needed. A rank
    line (Pembina Tk. I, Penata …) between name and NIP is no part of either; '-' alone says nothing."""
    if text.strip() in ("", "-", "–", "—"):
        return {}, None
    block = [line.rstrip() for line in text.strip().splitlines() if line.strip()]
    if len(block) == 1 and re.search(r"\s{2,}", block[0]):
        block = [part for part in re.split(r"\s{2,}", block[0]) if part.strip()]
    block = [one_line(line) for line in block]
    out: dict = {}
    nip: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(block):
        line = block[i]
        m = _NIP.search(line)
        if m and nip is None:
            before = line[: m.start()].strip()
            if before:
                rest.append(before)
            nip = one_line(m[1])
            if not nip and i + 1 < len(block) and re.fullmatch(r"[\d\s.]+", block[i + 1]):
                nip = block[i + 1]  # 'NIP.' and its number on the next line
                i += 1
        elif not _PANGKAT.match(line):
            rest.append(line)
        i += 1
    if nip is not None and (nip.strip() == "-" or re.search(r"\d", nip)):
        out["nip"] = "-" if nip.strip() == "-" else re.sub(r"[^\d\s.]", "", nip).strip()
    reason = None
    if len(rest) >= 2:
        out["jabatan"] = " ".join(rest[:-1])
        out["nama"] = rest[-1]
    elif len(rest) == 1:
        if nip is not None:
            out["nama"] = rest[0]
            reason = "satu-satunya baris di atas NIP; dianggap nama pejabat"
        else:
            out["jabatan"] = rest[0]
            reason = "satu-satunya baris pada 'Disahkan oleh'; dianggap jabatan"
    return {key: out[key] for key in ("jabatan", "nama", "nip") if key in out}, reason


def hierarchy_lines(table: Table) -> list[str]:
    """The institution's lines in the header cell (PEMERINTAH KABUPATEN …, KECAMATAN …), as written:
    the first cell, not a label's value nor a box, whose lines start with an institution's word."""
    grid = Grid(table)
    values: set[int] = set()
    for cell in table.cells:
        key, value = label_of(cell)
        if key is not None and value is None:
            values.update(id(other) for other in grid.right_of(cell)[:2])
    for cell in table.cells:
        if id(cell) in values or box_key(cell.text) or label_of(cell)[0]:
            continue
        text_lines = lines(cell.text)
        starts = [i for i, line in enumerate(text_lines) if norm(line).startswith(HIERARCHY_START)]
        if not starts:
            continue
        out = []
        for line in text_lines[starts[0]:]:
            if _FORM_TITLE.search(line) or label_key(line.partition(":")[0]):
                break
            out.append(line)
        return out
    return []


def read_identity(tables: list[tuple[Table, str]], found: Found) -> None:
    """Fill ``found`` from the identity tables (each with its place for messages)."""
    data = found.data
    for table, where in tables:
        grid = Grid(table)
        if not found.hierarki:
            found.hierarki = hierarchy_lines(table)
        for cell in table.cells:
            key, value = label_of(cell)
            if key is None:
                bkey = box_key(cell.text)
                if bkey and bkey not in data:
                    _read_box(grid, cell, bkey, found)
                    if why := misspelt(cell.text):
                        found.inferred[(bkey,)] = why
                continue
            if key in data:
                continue
            if value is None:
                value = _value_right(grid, cell)
            _set_identity(key, value, where, found)
            if key in data and (why := misspelt(cell.text)):
                found.inferred.setdefault((key,), why)
    _unprinted(found)
    _split_unit(found, tables[0][1] if tables else "")


def _value_right(grid: Grid, cell: Cell) -> str:
    """The value written in the cells right of a label, past a cell holding only ':'."""
    for other in grid.right_of(cell):
        text = other.text.strip()
        if text in (":", ""):
            continue
        if text.startswith(":"):
            text = text[1:].strip()
        if label_key(text.partition(":")[0]):
            return ""
        return text
    return ""


def _set_identity(key: str, value: str, where: str, found: Found) -> None:
    data = found.data
    if key == "disahkan_oleh":
        signer, reason = parse_signer(value)
        if signer:
            data[key] = signer
            if reason:
                found.inferred[(key,)] = reason
        return
    if key.startswith("tanggal_"):
        if not value.strip():
            return
        date, reason = parse_date(value)
        if date is None:
            found.problems.append(Problem(where, f"'{one_line(value)}' pada {key.replace('_', ' ').capitalize()} bukan tanggal yang dikenali"))
            return
        data[key] = date
        if reason:
            found.inferred[(key,)] = reason
        return
    if key in ("alias", "rujukan_sop"):  # one a line; one alias is written as one text, as sop_data/ writes it
        names = lines(value)
        if names:
            data[key] = names[0] if key == "alias" and len(names) == 1 else names
        return
    if key == "dicabut_pada" and value.strip():
        date, reason = parse_date(value)
        if not isinstance(date, dt.date):
            found.problems.append(Problem(where, f"'{one_line(value)}' pada Dicabut pada bukan tanggal yang dikenali"))
            return
        data[key] = date
        if reason:
            found.inferred[("dicabut",)] = reason
        return
    text = one_line(value)
    if key == "nomor":
        data[key] = text  # blank while in draft: the document shows the label with no number
    elif text:
        data[key] = text


def _read_box(grid: Grid, cell: Cell, key: str, found: Found) -> None:
    """A box's list: the heading cell's other lines, else the cell below the heading."""
    body = "\n".join(lines(cell.text)[1:])
    if not body.strip():
        under = grid.below(cell)
        if under is not None and box_key(under.text) is None and label_of(under)[0] is None:
            body = under.text
    values = items(body)
    if values == ["-"]:
        values = []
    found.data[key] = values


def _unprinted(found: Found) -> None:
    """The unprinted rows' values into the SOP's keys: the Keterkaitan items that are exactly an id the
    'Rujukan SOP' row names become references (``sop: <id>``; read, not inferred: the workbook says so),
    and 'Dicabut pada' with 'Alasan dicabut' become ``dicabut``."""
    data = found.data
    ids = set(data.pop("rujukan_sop", None) or ())
    items = data.get("keterkaitan")
    if ids and isinstance(items, list):
        data["keterkaitan"] = [{"sop": item.strip()} if isinstance(item, str) and item.strip() in ids else item
                               for item in items]
    when, why = data.pop("dicabut_pada", None), data.pop("dicabut_alasan", None)
    if when is not None or why is not None:
        data["dicabut"] = {k: v for k, v in (("tanggal", when), ("alasan", why)) if v is not None}


def _split_unit(found: Found, where: str = "") -> None:
    """A last header line naming a section (SEKSI …, BAGIAN …) is the SOP's unit, not the institution.
    With the unit written in a 'Unit kerja' row, the header's last line is taken off the institution's
    lines when it is that unit (the header of `sop ekspor --xlsx` prints it there), and nothing is inferred;
    when it names another unit (one of the two edited, not the other), the row's is used and this is said."""
    if "unit" in found.data:
        unit = str(found.data["unit"])
        if found.hierarki and norm(found.hierarki[-1]) == norm(unit):
            found.hierarki = found.hierarki[:-1]
        elif len(found.hierarki) >= 2 and norm(found.hierarki[-1]).startswith(UNIT_START):
            found.problems.append(Problem(where, f"kop identitas menulis unit '{found.hierarki[-1]}', baris Unit kerja "
                                                 f"'{unit}'; dipakai yang tertulis di baris Unit kerja", settled=True))
            found.hierarki = found.hierarki[:-1]
        return
    if len(found.hierarki) < 2:
        return
    last = found.hierarki[-1]
    if norm(last).startswith(UNIT_START) or (len(found.hierarki) >= 3 and norm(last).startswith(UNIT_START_BELOW)):
        found.data["unit"] = last
        found.hierarki = found.hierarki[:-1]
        found.inferred[("unit",)] = "baris terakhir kop identitas menamai unit kerja"


def signer_elsewhere(tables: list[tuple[Table, str]], found: Found) -> None:
    """The signer block printed apart (under the procedure table) when the identity has none."""
    if found.data.get("disahkan_oleh"):
        return
    for table, where in tables:
        for cell in table.cells:
            if _NIP.search(cell.text) and len(lines(cell.text)) >= 2:
                signer, _ = parse_signer(cell.text)
                if signer:
                    found.data["disahkan_oleh"] = signer
                    found.inferred[("disahkan_oleh",)] = f"dari blok tanda tangan di {where}"
                    return
