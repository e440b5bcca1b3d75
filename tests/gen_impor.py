"""Word SOPs made the way institutions make them, for the importer's tests (tests/fixtures/impor/).

Each fixture is a .docx written here from WordprocessingML text into a zip (no Word library), so the
drawings are exactly the kinds real offices produce: shapes anchored in the actor's cell of a landscape
procedure table, shapes floating over the table positioned from the page, the margin, the column or
the paragraph, connectors glued to shapes, elbows drawn as several plain lines, "Ya"/"Tidak" in small
text boxes, everything in one grouped drawing, legacy VML, and marks typed as text. Page geometry is
fixed (A4 landscape, margins of 36 pt, exact row heights) so that a shape's page position is known and
LibreOffice draws it in the column it belongs to.

``python tests/gen_impor.py`` rewrites the fixtures; ``test_import_docx`` checks they are reproduced
byte for byte. The legacy ``.doc`` is made from one of them by LibreOffice (``--doc``), once.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent / "fixtures" / "impor"

EMU = 12700  # per point
PAGE_W, PAGE_H, MARGIN = 842.0, 595.0, 36.0  # A4 landscape, points
CELL_MAR = 5.4  # Word's default left/right cell margin (108 twips)
TITLE_H = 16.0  # the procedure title paragraph, exact line height
HEAD_H = (20.0, 20.0, 12.0)  # the procedure table's header rows: groups, names, column numbers

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'mc:Ignorable="w14 wp14"'
)
WPS_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WPG_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"


def tw(pt: float) -> int:
    return round(pt * 20)


def emu(pt: float) -> int:
    return round(pt * EMU)


# ── the SOPs ─────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Step:
    no: str
    text: str
    actor: int  # index into Sop.actors
    symbol: str = "proses"  # kapsul, proses, keputusan
    mutu: tuple[str, str, str] = ("", "", "")
    ket: str = ""
    tidak: int | None = None  # index of the step a decision's "Tidak" loops back to


@dataclass
class Sop:
    hierarchy: list[str]
    title: str
    labels: list[tuple[str, str]]  # identity rows: label, value ("\n" separates lines)
    boxes: list[tuple[str, list[str]]]
    actors: list[str]
    steps: list[Step]
    widths: list[float] = field(default_factory=list)  # No, Kegiatan, actors…, Kelengkapan, Waktu, Output, Ket
    row_h: float = 50.0
    mutu_label: str = "MUTU BAKU"
    mutu_heads: tuple[str, str, str] = ("Kelengkapan", "Waktu", "Output")
    # Word records where each printed page began when it saves (w:lastRenderedPageBreak, in every cell of
    # the row that starts a page): the steps whose rows begin a page, and the procedure title's page
    page_starts: tuple[int, ...] = ()


SEED = Sop(
    hierarchy=["PEMERINTAH KABUPATEN PURWAKARTA", "KECAMATAN BUNGURSARI"],
    title="PENGUKURAN KINERJA",
    labels=[("Nomor SOP", ""), ("Tanggal Pembuatan", "02 Januari 2019"), ("Tanggal Revisi", "-"),
            ("Tanggal Pengesahan", "07 Januari 2019"),
            ("Disahkan Oleh", "CAMAT BUNGURSARI\n\n\nM.SARIPUL.HAROM.S.Sos\nNIP. 19640104 199101 1 004"),
            ("Nama SOP", "Penyusunan Perencanaan Kinerja")],
    boxes=[
        ("Dasar Hukum", [
            "pp Nomor 79 Tahun 2005 tentang Pedoman Pembinaan dan pengawasan Penyelenggaraan Pemerintah daerah",
            "PP Nomor 60 tahun 2008 tentang system Pengendalian Intern Pemerintah",
            "Peraturan Menteri Negara Pendayaan Gunaan Aparatur Negara dan Reformasi Birokrasi RI Nomr 35 tahun 2012 "
            "tentang Pedoman Penyusunan Standar Oprasional",
            "Peraturan Menteri Negara Pendayaan Gunaan Aparatur Negara dan Reformasi Birokrasi RI Nomor 29 Tahun 2010 "
            "tentang Pedoman Penyusunan Penetapan Kinerja dan pelaopran Akuntabilitas Kinerja Instansi Pemerintah",
            "Peraturan Bupati Purwakarta Nomor 123 Tahun 2020 tentang Uraian Tugas Fungsi dan tata Kerja Kecamatan ."]),
        ("Kualifikasi Pelaksana", [
            "Memahami peraturan perundangan yang terkait", "Memahami sasaran dan capaian Program",
            "Menhetahui tugas pokok dan fungsi sertauraian tugas Inspektorat",
            "Memahami RJPMD Pemeringah Daerah secara keseluruhan dan penjabarannya melalui RENSTRA PD"]),
        ("Keterkaitan", ["SOP Pelaksanaan Pengawasan Internal secara berkala"]),
        ("Peralatan/Perlengkapan", [
            "Peraturan perundang-undangan yang berlaku dan terkait denganSAKIP",
            "Data dan Informasi yang terkait dengan pelaksanaan program", "Alat Tulis Kantor", "Komputer/laptop",
            "printer", "Program Kerja"]),
        ("Peringatan", ["Apabila pengumpulan data kinerja tidak terselesaikan dengan baik dan pelaporan akan terhambat"]),
        ("Pencatatan dan Pendataan", [
            "Kepala OPD : Lembar Disposisi /arahan ,tanda tangan", "Sekretaris OPD : Lembar Disposisi ,paraf",
            "Kasubag Perencanaan : Lembar dsiposisi ,paraf"]),
    ],
    actors=["camat", "Sekretaris", "Sek.Tim.Sakip", "Anggota Tim Sakip"],
    mutu_heads=("Kelengkapan dan Peralatan", "Waktu (menit)", "Output"),  # as the seed's first page heads them
    page_starts=(7,),  # saved by Word: the table breaks before step 8
    steps=[
        Step("1", "Camat Memerintahkan Penyusunan pengukuran Kinerja Kecamatan", 0, "kapsul",
             ("Lembar disposisi", "15", "Disposisi camat")),
        Step("2", "Membuat format pengumpulan data dan informasi pengukuran kinerja dari masing masing kasi dan sekretaris",
             2, mutu=("Forum pengukuran kinerja", "60", "Draf pengukuran Kinerja")),
        Step("3", "Menyampaikan format pengumpulan data dan informasi pengukuran Kinerja kepada masing masing Kasi dan "
             "Sekretariat", 2, mutu=("Forum pengukuran kinerja", "25", "Draf masukan dan arahan"), ket="-"),
        Step("4", "Mengundang Camat dan para pejabat terkait untuk rapat pembahasan pengukuran kinerja", 1,
             mutu=("Undangan rapat", "30", "Undangan rapat")),
        Step("5", "Melaksanakan rapat pembahasan pengukuran kinerja", 0,
             mutu=("Draf pengukuran Kinerja", "120", "Draf pengukuran Kinerja"), ket="-"),
        Step("6", "Menghimpun format data dan informasi pengukuran kinerja masing masing bidang dan sekretariat", 3,
             mutu=("Draf dokumen pengukuran kinerja", "120", "Draf dokumen pengukuran Kinerja")),
        Step("7", "Kasi menghimpun dan memvalidasi data kinerja", 3,
             mutu=("Draf dokumen pengukuran kinerja", "240", "Draf dokumen pengukuran Kinerja")),
        Step("8", "Menyampaikan data kinerja kepada Kasubag Perencanaan, Keuangan dan Pelaporan", 3,
             mutu=("Draf dokumen pengukuran kinerja", "40", "Draf dokumen pengukuran Kinerja")),
        Step("9", "Camat mengoreksi dokumen pengukuran kinerja", 0,
             mutu=("dokumen pengukuran kinerja", "60", "dokumen pengukuran Kinerja")),
        Step("10", "Sekretari smenyampaikan dokumen pengukuran kinerja kepada camat", 1,
             mutu=("dokumen pengukuran kinerja", "25", "dokumen pengukuran Kinerja")),
        Step("11", "Penandatanganan dokumen pengukuran kinerja oleh Camat", 0,
             mutu=("dokumen pengukuran kinerja", "10", "dokumen pengukuran Kinerja")),
        Step("12", "Pembuatan surat pengantar pengiriman dan penomoran surat", 1,
             mutu=("dokumen pengukuran kinerja", "15", "dokumen pengukuran Kinerja")),
        Step("13", "Penggandaan dokumen pengukuran kinerja", 2,
             mutu=("dokumen pengukuran kinerja", "25", "dokumen pengukuran Kinerja")),
        Step("14,", "Pengarsipan dokumen pengukuran kinerja", 2, "kapsul",
             ("dokumen pengukuran kinerja", "10", "dokumen pengukuran Kinerja")),
    ],
    widths=[24, 190, 70, 70, 70, 70, 95, 50, 85, 45],
    row_h=62.0,
    mutu_label="MUTU BUKU",
)

ENAM = Sop(
    hierarchy=["PEMERINTAH KOTA TASIKMALAYA", "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
               "BIDANG PELAYANAN PERIZINAN"],
    title="PELAYANAN IZIN REKLAME",
    labels=[("Nomor SOP", "503/ /DPMPTSP/2023"), ("Tanggal Pembuatan", "6 Maret 2023"), ("Tanggal Revisi", "-"),
            ("Tanggal Efektif", "13 Maret 2023"),
            ("Disahkan oleh", "KEPALA DINAS\n\n\nDrs. ASEP SUHERMAN, M.Si\nNIP. 19700512 199503 1 002"),
            ("Nama SOP", "Pelayanan Izin Reklame")],
    boxes=[("Dasar Hukum", ["Peraturan Daerah Kota Tasikmalaya tentang Penyelenggaraan Reklame"]),
           ("Kualifikasi Pelaksana", ["Memahami ketentuan perizinan reklame"]),
           ("Keterkaitan", ["-"]), ("Peralatan/Perlengkapan", ["Komputer", "Printer"]),
           ("Peringatan", ["Apabila berkas tidak lengkap, izin tidak dapat diterbitkan"]),
           ("Pencatatan dan Pendataan", ["Buku register izin reklame"])],
    actors=["Pemohon", "Petugas Loket", "Staf Teknis", "Kepala Seksi", "Sekretaris", "Kepala Dinas"],
    steps=[
        Step("1", "Mengajukan permohonan izin reklame beserta berkas persyaratan", 0, "kapsul",
             ("Formulir permohonan", "10 menit", "Berkas permohonan")),
        Step("2", "Menerima dan memeriksa kelengkapan berkas permohonan", 1, mutu=("Berkas permohonan", "15 menit", "Tanda terima")),
        Step("3", "Memverifikasi data lapangan dan menyiapkan konsep izin", 2, mutu=("Berita acara", "2 hari", "Konsep izin")),
        Step("4", "Mencetak konsep izin dan melampirkan berita acara", 2, mutu=("Konsep izin", "15 menit", "Konsep izin")),
        Step("5", "Memeriksa konsep izin", 3, mutu=("Konsep izin", "30 menit", "Konsep diparaf")),
        Step("6", "Memaraf konsep izin", 4, mutu=("Konsep izin", "15 menit", "Konsep diparaf")),
        Step("7", "Menandatangani izin? Bila belum sesuai dikembalikan untuk diperbaiki", 5, "keputusan",
             ("Konsep izin", "30 menit", "Izin ditandatangani"), tidak=2),
        Step("8", "Menomori dan menyerahkan izin kepada pemohon", 1, mutu=("Izin", "10 menit", "Izin diserahkan")),
        Step("9", "Menerima izin reklame", 0, "kapsul", ("Izin", "5 menit", "Izin diterima")),
    ],
    widths=[22, 140, 62, 62, 62, 62, 62, 62, 85, 40, 70, 40],
    row_h=48.0,
)

EMPAT = Sop(
    hierarchy=["PEMERINTAH KABUPATEN GARUT", "KECAMATAN TAROGONG KIDUL"],
    title="PELAYANAN SURAT KETERANGAN DOMISILI",
    labels=[("Nomor SOP", "470/ /Kec.Tk/2022"), ("Tanggal Pembuatan", "3 Januari 2022"), ("Tanggal Revisi", "-"),
            ("Tanggal Efektif", "10 Januari 2022"),
            ("Disahkan oleh", "CAMAT TAROGONG KIDUL\n\n\nH. DEDI RUSTANDI, S.IP\nNIP. 19680817 198903 1 005"),
            ("Nama SOP", "Pelayanan Surat Keterangan Domisili")],
    boxes=[("Dasar Hukum", ["Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan"]),
           ("Kualifikasi Pelaksana", ["Memahami administrasi kependudukan"]), ("Keterkaitan", ["-"]),
           ("Peralatan/Perlengkapan", ["Komputer"]), ("Peringatan", ["-"]), ("Pencatatan dan Pendataan", ["Buku agenda"])],
    actors=["Pemohon", "Kasi Pemerintahan", "Sekretaris Camat", "Camat"],
    steps=[
        Step("1", "Menyerahkan surat pengantar desa dan fotokopi KTP", 0, "kapsul", ("Surat pengantar", "5 menit", "Berkas")),
        Step("2", "Memeriksa berkas dan mengetik konsep surat", 1, mutu=("Berkas", "15 menit", "Konsep surat")),
        Step("3", "Memaraf konsep surat", 2, mutu=("Konsep surat", "10 menit", "Konsep diparaf")),
        Step("4", "Menandatangani surat? Bila keliru dikembalikan", 3, "keputusan", ("Konsep surat", "10 menit", "Surat"),
             tidak=1),
        Step("5", "Menerima surat keterangan domisili", 0, "kapsul", ("Surat", "5 menit", "Surat diterima")),
    ],
    widths=[24, 180, 80, 80, 80, 80, 95, 50, 60, 40],
    row_h=56.0,
)


# ── WordprocessingML text ─────────────────────────────────────────────────────────────────────────


RENDERED = "<w:r><w:lastRenderedPageBreak/></w:r>"  # Word: a printed page began here when it last saved


def run(text: str, bold: bool = False, size: float | None = None) -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{round(size * 2)}"/>' if size else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(content: str = "", *, align: str = "", num: int | None = None, exact: float | None = None, keep: str = "") -> str:
    ppr = ""
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'
    if exact is not None:
        ppr += f'<w:spacing w:before="0" w:after="0" w:line="{tw(exact)}" w:lineRule="exact"/>'
    if align:
        ppr += f'<w:jc w:val="{align}"/>'
    ppr += keep
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{content}</w:p>"


def text_paras(text: str, **kw) -> str:
    return "".join(para(run(line), **kw) for line in text.split("\n"))


def cell(content: str, width: float, span: int = 1, vmerge: str | None = None, valign: str = "", shade: str = "") -> str:
    pr = f'<w:tcW w:w="{tw(width)}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        pr += "<w:vMerge/>"
    if shade:
        pr += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    if valign:
        pr += f'<w:vAlign w:val="{valign}"/>'
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{content or para()}</w:tc>"


def row(cells: str, height: float | None = None, header: bool = False, rule: str = "exact") -> str:
    pr = "<w:cantSplit/>"
    if height is not None:
        pr += f'<w:trHeight w:val="{tw(height)}" w:hRule="{rule}"/>'
    if header:
        pr += "<w:tblHeader/>"
    return f"<w:tr><w:trPr>{pr}</w:trPr>{cells}</w:tr>"


def table(widths: list[float], rows: str) -> str:
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{tw(w)}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{tw(sum(widths))}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>')


def sect(final: bool = False) -> str:
    pr = (f'<w:pgSz w:w="{tw(PAGE_W)}" w:h="{tw(PAGE_H)}" w:orient="landscape"/>'
          f'<w:pgMar w:top="{tw(MARGIN)}" w:right="{tw(MARGIN)}" w:bottom="{tw(MARGIN)}" w:left="{tw(MARGIN)}" '
          f'w:header="360" w:footer="360" w:gutter="0"/><w:cols w:space="708"/>')
    if final:
        return f"<w:sectPr>{pr}</w:sectPr>"
    return f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:sectPr><w:type w:val="nextPage"/>{pr}</w:sectPr></w:pPr></w:p>'



def identity(sop: Sop) -> str:
    """The identity sheet: the hierarchy beside the label rows, then three pairs of boxes."""
    left, colon, value = 380.0, 16.0, 380.0
    widths = [left, 110.0 - colon, colon, value - 110.0]
    rows = []
    for i, (label, val) in enumerate(sop.labels):
        head = ""
        if i == 0:
            head = cell(text_paras("\n".join(sop.hierarchy), align="center"), left, vmerge="restart", valign="center")
        else:
            head = cell("", left, vmerge="continue")
        rows.append(row(head + cell(para(run(label)), widths[1]) + cell(para(run(":")), colon)
                        + cell(text_paras(val) if val else para(), widths[3]), rule="atLeast", height=18))
    for k in range(0, len(sop.boxes), 2):
        pair = sop.boxes[k:k + 2]
        rows.append(row("".join(cell(para(run(name, bold=True)), w, span=s)
                                for (name, _), w, s in zip(pair, (left, value), (1, 3))), height=16, rule="atLeast"))
        rows.append(row("".join(cell("".join(para(run(item), num=1 + k + j) for item in items), w, span=s)
                                for j, ((_, items), w, s) in enumerate(zip(pair, (left, value), (1, 3)))),
                        height=30, rule="atLeast"))
    return table(widths, "".join(rows))


def procedure_header(sop: Sop) -> str:
    n = len(sop.actors)
    w = sop.widths
    mutu_w = sum(w[2 + n:5 + n])
    first = (cell(para(run("NO", bold=True), align="center"), w[0], vmerge="restart", valign="center", shade="D9D9D9")
             + cell(para(run("KEGIATAN", bold=True), align="center"), w[1], vmerge="restart", valign="center", shade="D9D9D9")
             + cell(para(run("PELAKSANA", bold=True), align="center"), sum(w[2:2 + n]), span=n, shade="D9D9D9")
             + cell(para(run(sop.mutu_label, bold=True), align="center"), mutu_w, span=3, shade="D9D9D9")
             + cell(para(run("KET", bold=True), align="center"), w[-1], vmerge="restart", valign="center", shade="D9D9D9"))
    names = (cell("", w[0], vmerge="continue") + cell("", w[1], vmerge="continue")
             + "".join(cell(para(run(a, bold=True), align="center"), w[2 + i], shade="D9D9D9") for i, a in enumerate(sop.actors))
             + "".join(cell(para(run(t, bold=True), align="center"), w[2 + n + i], shade="D9D9D9")
                       for i, t in enumerate(sop.mutu_heads))
             + cell("", w[-1], vmerge="continue"))
    numbers = "".join(cell(para(run(str(i + 1), size=6), align="center"), x) for i, x in enumerate(w))
    return (row(first, HEAD_H[0], header=True) + row(names, HEAD_H[1], header=True)
            + row(numbers, HEAD_H[2], header=True))


ActorCell = Callable[[int, Step, int], str]  # (index of the step, step, actor column) → runs in the cell's paragraph


def step_rows(sop: Sop, steps: list[tuple[int, Step]], actor_cell: ActorCell | None) -> str:
    w = sop.widths
    n = len(sop.actors)
    rows = []
    for i, s in steps:
        b = RENDERED if i in sop.page_starts else ""
        actors = "".join(cell(para(actor_cell(i, s, a) if actor_cell else "", align="center"), w[2 + a]) for a in range(n))
        rows.append(row(cell(para(b + run(s.no), align="center"), w[0]) + cell(para(b + run(s.text)), w[1]) + actors
                        + "".join(cell(para(b + run(m)), w[2 + n + k]) for k, m in enumerate(s.mutu))
                        + cell(para(b + run(s.ket)), w[-1]), sop.row_h))
    return "".join(rows)


# ── the procedure's geometry on the page ─────────────────────────────────────────────────────────

SHAPE_W, SHAPE_H = 44.0, 22.0


def col_edges(sop: Sop) -> list[float]:
    edges = [MARGIN]
    for x in sop.widths:
        edges.append(edges[-1] + x)
    return edges


def centre(sop: Sop, i: int, first_row_top: float) -> tuple[float, float]:
    """Where step ``i``'s symbol is centred on the page when the table starts at ``first_row_top``."""
    e = col_edges(sop)
    a = sop.steps[i].actor
    return (e[2 + a] + e[3 + a]) / 2, first_row_top + (i + 0.5) * sop.row_h


def size(step: Step) -> tuple[float, float]:
    return (SHAPE_W, SHAPE_W * 0.7) if step.symbol == "keputusan" else (SHAPE_W, SHAPE_H)


PRST = {"kapsul": "flowChartTerminator", "proses": "rect", "keputusan": "flowChartDecision"}


@dataclass
class Seg:
    """A line on the page in points; glued ends name the indices of steps."""

    pts: tuple[tuple[float, float], tuple[float, float]]
    arrow: bool = True
    start: int | None = None
    end: int | None = None
    elbow: bool = False
    across: bool = False  # a connector that leaves a decision's side: across, then down (bentConnector2)


def flows(sop: Sop, top: float, elbows_as_segments: bool) -> tuple[list[Seg], list[tuple[str, float, float]]]:
    """The arrows of the flowchart on the page, and the "Ya"/"Tidak" labels (text, x, y)."""
    segs: list[Seg] = []
    labels: list[tuple[str, float, float]] = []
    for i, s in enumerate(sop.steps[:-1]):
        (x0, y0), (x1, y1) = centre(sop, i, top), centre(sop, i + 1, top)
        h0, h1 = size(s)[1], size(sop.steps[i + 1])[1]
        if x0 == x1:
            segs.append(Seg(((x0, y0 + h0 / 2), (x1, y1 - h1 / 2)), start=i, end=i + 1))
        elif elbows_as_segments:
            side = SHAPE_W / 2 if x1 > x0 else -SHAPE_W / 2
            segs.append(Seg(((x0 + side, y0), (x1, y0)), arrow=False))
            segs.append(Seg(((x1, y0), (x1, y1 - h1 / 2))))
        elif s.symbol == "keputusan":  # 'Ya' leaves by the side, 'Tidak' by the foot: apart, as drawn by hand
            side = size(s)[0] / 2 if x1 > x0 else -size(s)[0] / 2
            segs.append(Seg(((x0 + side, y0), (x1, y1 - h1 / 2)), start=i, end=i + 1, across=True))
        else:
            segs.append(Seg(((x0, y0 + h0 / 2), (x1, y1 - h1 / 2)), start=i, end=i + 1, elbow=True))
        if s.symbol == "keputusan":
            labels.append(("Ya", (x0 + x1) / 2 - 10 if x1 > x0 else x0 - 28, y0 - 14 if x0 != x1 else y0 + h0 / 2))
        if s.tidak is not None:
            t = s.tidak
            (tx, ty) = centre(sop, t, top)
            e = col_edges(sop)
            lane = e[3 + sop.steps[t].actor] - 4
            y = y0 + h0 / 2 + 6
            segs.append(Seg(((x0, y0 + h0 / 2), (x0, y)), arrow=False))
            segs.append(Seg(((x0, y), (lane, y)), arrow=False))
            segs.append(Seg(((lane, y), (lane, ty)), arrow=False))
            segs.append(Seg(((lane, ty), (tx + SHAPE_W / 2, ty))))
            labels.append(("Tidak", x0 - 34, y0 + h0 / 2 - 4))
    return segs, labels


# ── DrawingML ─────────────────────────────────────────────────────────────────────────────────────


def txbx(text: str, size_pt: float = 6) -> str:
    return ("<wps:txbx><w:txbxContent>" + "".join(para(run(t, size=size_pt), align="center") for t in text.split("\n"))
            + "</w:txbxContent></wps:txbx>")


BODY = '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr"><a:noAutofit/></wps:bodyPr>'
SOLID_LINE = '<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>'


def wsp_shape(prst: str, x: float, y: float, w: float, h: float, text: str = "", *, nv: str = "", outline: bool = True) -> str:
    """A wps shape with its own transform (offsets matter inside groups; 0 in an anchor)."""
    fill = '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>' if outline else "<a:noFill/>"
    ln = SOLID_LINE if outline else "<a:ln><a:noFill/></a:ln>"
    return (f'<wps:wsp>{nv}<wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'
            f'<a:prstGeom prst="{prst}"><a:avLst/></a:prstGeom>{fill}{ln}</wps:spPr>'
            f'{txbx(text) if text else ""}{BODY}</wps:wsp>')


Pt = tuple[float, float]


def wsp_line(seg_pts: tuple[Pt, Pt], origin: Pt, *, arrow: bool, glue: tuple[int | None, int | None] = (None, None),
             elbow: bool = False, across: bool = False, nv: str = "") -> tuple[str, tuple[float, float, float, float]]:
    """A line or connector from one point to another (page points), written as a box with flips; returns the
    XML and the box (x, y, w, h) relative to ``origin``."""
    (x0, y0), (x1, y1) = seg_pts
    x, y, w, h = min(x0, x1) - origin[0], min(y0, y1) - origin[1], abs(x1 - x0), abs(y1 - y0)
    flips = (' flipH="1"' if x1 < x0 else "") + (' flipV="1"' if y1 < y0 else "")
    rot = ""
    prst = "line"
    cnv = "<wps:cNvSpPr/>"
    if glue != (None, None) or elbow:
        prst = "bentConnector3" if elbow else "bentConnector2" if across else "straightConnector1"
        site = ("3" if x1 > x0 else "1") if across else "2"  # a diamond's sites: 0 top, 1 left, 2 foot, 3 right
        st = f'<a:stCxn id="{glue[0]}" idx="{site}"/>' if glue[0] is not None else ""
        en = f'<a:endCxn id="{glue[1]}" idx="0"/>' if glue[1] is not None else ""
        cnv = f"<wps:cNvCnPr>{st}{en}</wps:cNvCnPr>"
    if elbow:
        # down first: a bent connector turned a quarter, so its box is the rotated one
        rot = ' rot="5400000"'
        cx, cy = x + w / 2, y + h / 2
        x, y, w, h = cx - h / 2, cy - w / 2, h, w
        flips = (' flipV="1"' if x1 > x0 else "")
    tail = '<a:tailEnd type="triangle" w="med" len="med"/>' if arrow else ""
    xml = (f'<wps:wsp>{nv}{cnv}<wps:spPr><a:xfrm{rot}{flips}><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'
           f'<a:prstGeom prst="{prst}"><a:avLst/></a:prstGeom><a:noFill/><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/>'
           f'</a:solidFill>{tail}</a:ln></wps:spPr><wps:bodyPr/></wps:wsp>')
    return xml, (x, y, w, h)


def anchor(docpr: int, name: str, graphic: str, w: float, h: float, pos_h: tuple[str, float], pos_v: tuple[str, float],
           *, in_cell: bool = False, uri: str = WPS_URI, z: int = 0) -> str:
    return (f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{251659264 + z}" '
            f'behindDoc="0" locked="0" layoutInCell="{1 if in_cell else 0}" allowOverlap="1">'
            f'<wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="{pos_h[0]}"><wp:posOffset>{emu(pos_h[1])}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="{pos_v[0]}"><wp:posOffset>{emu(pos_v[1])}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{emu(w)}" cy="{emu(h)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{docpr}" name="{escape(name)}"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="{uri}">{graphic}</a:graphicData></a:graphic></wp:anchor>')


def drawing(inner: str) -> str:
    return f"<w:r><w:drawing>{inner}</w:drawing></w:r>"


# ── the fixtures ──────────────────────────────────────────────────────────────────────────────────


def seed_doc() -> str:
    """The seed as its authors keep it: each symbol anchored in a paragraph of its actor's cell, the
    arrows anchored in the cell they start from, the table breaking after step 7 with its header repeated
    and a pair of off-page connectors "A"."""
    sop = SEED
    e = col_edges(sop)
    ids = iter(range(1, 1000))
    step_id: dict[int, int] = {}
    for i in range(len(sop.steps)):
        step_id[i] = next(ids)

    def in_cell(i: int, s: Step, a: int) -> str:
        if a != s.actor:
            return ""
        w, h = size(s)
        text_w = sop.widths[2 + a] - 2 * CELL_MAR
        left = (text_w - w) / 2  # from the cell's text area ("column" in a cell)
        top = (sop.row_h - h) / 2  # from the cell's paragraph
        out = drawing(anchor(step_id[i], f"Langkah {s.no}", wsp_shape(PRST[s.symbol], 0, 0, w, h), w, h,
                             ("column", left), ("paragraph", top), in_cell=True))
        cx = e[2 + a] + CELL_MAR + left + w / 2  # page x of the centre
        if i == 6:  # the page breaks below: an off-page connector under the symbol
            out += drawing(anchor(next(ids), "Konektor A", wsp_shape("flowChartOffpageConnector", 0, 0, 16, 12, "A"), 16, 12,
                                  ("column", (text_w - 16) / 2), ("paragraph", top + h + 6), in_cell=True, z=1))
            out += _cell_line(next(ids), (cx, top + h), (cx, top + h + 6), cx, e[2 + a] + CELL_MAR, arrow=True)
            return out
        if i == 7:
            out += drawing(anchor(next(ids), "Konektor A", wsp_shape("flowChartOffpageConnector", 0, 0, 16, 12, "A"), 16, 12,
                                  ("column", (text_w - 16) / 2), ("paragraph", 2), in_cell=True, z=1))
            out += _cell_line(next(ids), (cx, 14), (cx, top), cx, e[2 + a] + CELL_MAR, arrow=True)
        if i + 1 < len(sop.steps):
            nxt = sop.steps[i + 1]
            nx = e[2 + nxt.actor] + CELL_MAR + (sop.widths[2 + nxt.actor] - 2 * CELL_MAR) / 2
            ntop = sop.row_h + (sop.row_h - size(nxt)[1]) / 2
            origin_x = e[2 + a] + CELL_MAR
            if nx == cx:
                out += _cell_line(next(ids), (cx, top + h), (nx, ntop), cx, origin_x, arrow=True, glue=(step_id[i], step_id[i + 1]))
            else:  # an elbow of two plain lines: out of the side, then down into the next symbol
                side = w / 2 if nx > cx else -w / 2
                out += _cell_line(next(ids), (cx + side, sop.row_h / 2), (nx, sop.row_h / 2), cx, origin_x, arrow=False)
                out += _cell_line(next(ids), (nx, sop.row_h / 2), (nx, ntop), cx, origin_x, arrow=True)
        return out

    body = identity(sop) + sect()
    body += para(RENDERED + run(sop.title, bold=True, size=11), align="center", exact=TITLE_H)  # page 2 (section break)
    rows = procedure_header(sop) + step_rows(sop, list(enumerate(sop.steps)), in_cell)
    body += table(sop.widths, rows) + para() + sect(final=True)
    return body


def _cell_line(docpr: int, p0: tuple[float, float], p1: tuple[float, float], _cx: float, origin_x: float, *, arrow: bool,
               glue: tuple[int | None, int | None] = (None, None)) -> str:
    """A line anchored in a cell: x in page points turned relative to the cell's text area, y relative to the
    cell's paragraph."""
    p0 = (p0[0] - origin_x, p0[1])
    p1 = (p1[0] - origin_x, p1[1])
    xml, (x, y, w, h) = wsp_line((p0, p1), (0, 0), arrow=arrow, glue=glue)
    xml = xml.replace(f'<a:off x="{emu(x)}" y="{emu(y)}"/>', '<a:off x="0" y="0"/>')
    return drawing(anchor(docpr, "Panah", xml, w, h, ("column", x), ("paragraph", y), in_cell=True, z=2))


def six_doc() -> str:
    """Six actors; every symbol and arrow floats over the table, anchored in the title paragraph and
    positioned from the page, the margin, the column or the paragraph; straight arrows are connectors
    glued to their symbols, elbows are plain line segments; "Ya"/"Tidak" are small text boxes."""
    sop = ENAM
    para_top = MARGIN  # the title paragraph opens the page
    top = MARGIN + TITLE_H + sum(HEAD_H)
    refs = [("page", "page"), ("margin", "margin"), ("column", "paragraph"), ("margin", "page")]

    def place(kind: tuple[str, str], x: float, y: float) -> tuple[tuple[str, float], tuple[str, float]]:
        h = (kind[0], x - (0 if kind[0] == "page" else MARGIN))
        v = (kind[1], y - (0 if kind[1] == "page" else MARGIN if kind[1] == "margin" else para_top))
        return h, v

    runs = []
    for i, s in enumerate(sop.steps):
        cx, cy = centre(sop, i, top)
        w, h = size(s)
        ph, pv = place(refs[i % 4], cx - w / 2, cy - h / 2)
        runs.append(drawing(anchor(i + 1, f"Langkah {s.no}", wsp_shape(PRST[s.symbol], 0, 0, w, h), w, h, ph, pv)))
    segs, labels = flows(sop, top, elbows_as_segments=True)
    for k, seg in enumerate(segs):
        glue = (seg.start + 1 if seg.start is not None else None, seg.end + 1 if seg.end is not None else None)
        xml, (x, y, w, h) = wsp_line(seg.pts, (0, 0), arrow=seg.arrow, glue=glue)
        xml = xml.replace(f'<a:off x="{emu(x)}" y="{emu(y)}"/>', '<a:off x="0" y="0"/>')
        ph, pv = place(refs[k % 4], x, y)
        runs.append(drawing(anchor(100 + k, "Panah", xml, w, h, ph, pv, z=1)))
    for k, (text, x, y) in enumerate(labels):
        ph, pv = place(refs[(k + 1) % 4], x, y)
        runs.append(drawing(anchor(200 + k, f"Teks {text}", wsp_shape("rect", 0, 0, 26, 10, text, outline=False), 26, 10,
                                   ph, pv, z=2)))
    body = identity(sop) + sect()
    body += para(run(sop.title, bold=True, size=11) + "".join(runs), align="center", exact=TITLE_H)
    body += table(sop.widths, procedure_header(sop) + step_rows(sop, list(enumerate(sop.steps)), None)) + para() + sect(final=True)
    return body


def group_doc() -> str:
    """All symbols, connectors and labels in ONE grouped drawing over the table, its children in the
    group's own coordinates (offset and at half scale), connectors glued to the symbols by their ids."""
    sop = EMPAT
    top = MARGIN + TITLE_H + sum(HEAD_H)
    e = col_edges(sop)
    gx, gy = e[2], top  # the group covers the actor columns of the step rows
    gw, gh = e[2 + len(sop.actors)] - e[2], len(sop.steps) * sop.row_h
    ch_off = (1000.0, 2000.0)  # child coordinates: offset, and half as many units as the extent

    def child(x: float, y: float) -> tuple[float, float]:
        return ch_off[0] + (x - gx) / 2, ch_off[1] + (y - gy) / 2

    kids = []
    for i, s in enumerate(sop.steps):
        cx, cy = centre(sop, i, top)
        w, h = size(s)
        x, y = child(cx - w / 2, cy - h / 2)
        kids.append(wsp_shape(PRST[s.symbol], x, y, w / 2, h / 2, nv=f'<wps:cNvPr id="{10 + i}" name="Langkah {s.no}"/>'))
    segs, labels = flows(sop, top, elbows_as_segments=False)
    for k, seg in enumerate(segs):
        p0, p1 = child(*seg.pts[0]), child(*seg.pts[1])
        glue = (10 + seg.start if seg.start is not None else None, 10 + seg.end if seg.end is not None else None)
        xml, _ = wsp_line((p0, p1), (0, 0), arrow=seg.arrow, glue=glue, elbow=seg.elbow, across=seg.across,
                          nv=f'<wps:cNvPr id="{50 + k}" name="Panah {k + 1}"/>')
        kids.append(xml)
    for k, (text, x, y) in enumerate(labels):
        cx_, cy_ = child(x, y)
        kids.append(wsp_shape("rect", cx_, cy_, 13, 5, text, nv=f'<wps:cNvPr id="{80 + k}" name="Teks {text}"/>', outline=False))
    group = (f'<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu(gw)}" cy="{emu(gh)}"/>'
             f'<a:chOff x="{emu(ch_off[0])}" y="{emu(ch_off[1])}"/><a:chExt cx="{emu(gw / 2)}" cy="{emu(gh / 2)}"/></a:xfrm>'
             f'</wpg:grpSpPr>{"".join(kids)}</wpg:wgp>')
    run_xml = drawing(anchor(1, "Bagan alir", group, gw, gh, ("page", gx), ("page", gy), uri=WPG_URI))
    body = identity(sop) + sect()
    body += para(run(sop.title, bold=True, size=11) + run_xml, align="center", exact=TITLE_H)
    body += table(sop.widths, procedure_header(sop) + step_rows(sop, list(enumerate(sop.steps)), None)) + para() + sect(final=True)
    return body


VML_TYPES = {
    "t110": ('<v:shapetype id="_x0000_t110" coordsize="21600,21600" o:spt="110" path="m10800,l,10800,10800,21600,21600,10800xe">'
             '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect" textboxrect="5400,5400,16200,16200"/>'
             '</v:shapetype>'),
    "t202": ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
             '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'),
}


def vml_style(x: float, y: float, w: float, h: float, rel: tuple[str, str]) -> str:
    return (f"position:absolute;margin-left:{x:g}pt;margin-top:{y:g}pt;width:{w:g}pt;height:{h:g}pt;z-index:1;"
            f"mso-position-horizontal-relative:{rel[0]};mso-position-vertical-relative:{rel[1]}")


def vml_doc() -> str:
    """A legacy document: VML symbols (v:roundrect, v:rect, a t110 decision v:shape) and v:line arrows in
    w:pict, one symbol written as mc:AlternateContent whose Choice is DrawingML and Fallback VML."""
    sop = EMPAT
    top = MARGIN + TITLE_H + sum(HEAD_H)
    runs = [f"<w:r><w:pict>{VML_TYPES['t110']}{VML_TYPES['t202']}</w:pict></w:r>"]
    for i, s in enumerate(sop.steps):
        cx, cy = centre(sop, i, top)
        w, h = size(s)
        x, y = cx - w / 2, cy - h / 2
        rel = ("page", "page") if i % 2 == 0 else ("margin", "margin")
        ox, oy = (x, y) if i % 2 == 0 else (x - MARGIN, y - MARGIN)
        style = vml_style(ox, oy, w, h, rel)
        sid = f"_x0000_s{1026 + i}"
        if s.symbol == "kapsul":
            vml = f'<v:roundrect id="{sid}" style="{style}" arcsize="32768f" strokeweight=".75pt"/>'
        elif s.symbol == "keputusan":
            vml = f'<v:shape id="{sid}" type="#_x0000_t110" style="{style}" strokeweight=".75pt"/>'
        else:
            vml = f'<v:rect id="{sid}" style="{style}" strokeweight=".75pt"/>'
        if i == 2:  # the Word 2010 way: DrawingML first, VML for older readers
            dml = anchor(40 + i, f"Langkah {s.no}", wsp_shape("rect", 0, 0, w, h), w, h, ("margin", x - MARGIN), ("margin", y - MARGIN))
            runs.append(f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{dml}</w:drawing></mc:Choice>'
                        f"<mc:Fallback><w:pict>{vml}</w:pict></mc:Fallback></mc:AlternateContent></w:r>")
        else:
            runs.append(f"<w:r><w:pict>{vml}</w:pict></w:r>")
    segs, labels = flows(sop, top, elbows_as_segments=True)
    for k, seg in enumerate(segs):
        (x0, y0), (x1, y1) = seg.pts
        arrow = '<v:stroke endarrow="block"/>' if seg.arrow else ""
        if x1 < x0 or (x1 == x0 and y1 < y0):  # written from its other end, the head at its start, as Word does
            (x0, y0), (x1, y1) = (x1, y1), (x0, y0)
            arrow = '<v:stroke startarrow="block"/>' if seg.arrow else ""
        runs.append(f'<w:r><w:pict><v:line id="_x0000_s{1100 + k}" style="position:absolute;z-index:2;'
                    f'mso-position-horizontal-relative:page;mso-position-vertical-relative:page" '
                    f'from="{x0:g}pt,{y0:g}pt" to="{x1:g}pt,{y1:g}pt" strokeweight=".75pt">{arrow}</v:line></w:pict></w:r>')
    for k, (text, x, y) in enumerate(labels):
        runs.append(f'<w:r><w:pict><v:shape id="_x0000_s{1200 + k}" type="#_x0000_t202" filled="f" stroked="f" '
                    f'style="{vml_style(x, y, 26, 10, ("page", "page"))}"><v:textbox inset="0,0,0,0"><w:txbxContent>'
                    f'{para(run(text, size=6), align="center")}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    body = identity(sop) + sect()
    body += para(run(sop.title, bold=True, size=11) + "".join(runs), align="center", exact=TITLE_H)
    body += table(sop.widths, procedure_header(sop) + step_rows(sop, list(enumerate(sop.steps)), None)) + para() + sect(final=True)
    return body


LOOSE = Sop(
    hierarchy=["KEMENTERIAN AGAMA REPUBLIK INDONESIA", "KANTOR KEMENTERIAN AGAMA KABUPATEN CIAMIS",
               "SEKSI BIMBINGAN MASYARAKAT ISLAM"],
    title="PELAYANAN REKOMENDASI PASPOR UMRAH",
    labels=[("No. SOP", "B-12/Kk.10.07/2/HM.00/2021"), ("Tgl Pembuatan", "4 Januari 2021"), ("Tgl Revisi", "-"),
            ("Tgl Pengesahan", "11 Januari 2021"),
            ("Disahkan oleh", "Kepala Kantor Kementerian Agama\nKabupaten Ciamis\n\n\nH. ENDANG SOBARI, S.Ag, M.Pd\n"
                              "NIP 197002121995031003"),
            ("Nama SOP", "Pelayanan Rekomendasi Paspor Umrah")],
    boxes=[("Dasar Hukum", ["Undang-Undang Nomor 8 Tahun 2019"]), ("Kualifikasi Pelaksana", ["Memahami ketentuan umrah"]),
           ("Keterkaitan", ["-"]), ("Peralatan/Perlengkapan", ["Komputer"]), ("Peringatan", ["-"]),
           ("Pencatatan dan Pendataan", ["Agenda surat keluar"])],
    actors=["Pemohon", "Petugas PTSP", "Kepala Seksi", "Kepala Kantor"],
    steps=[
        Step("1", "Mengajukan permohonan rekomendasi paspor", 0, "kapsul", ("Formulir", "5 menit", "Berkas")),
        Step("2", "Memeriksa kelengkapan berkas dan mencetak konsep", 1, mutu=("Berkas", "15 menit", "Konsep")),
        Step("3", "Memaraf konsep rekomendasi", 2, mutu=("Konsep", "10 menit", "Konsep diparaf")),
        Step("4", "Menandatangani rekomendasi", 3, mutu=("Konsep", "10 menit", "Rekomendasi")),
        Step("5", "Menerima rekomendasi paspor", 0, "kapsul", ("Rekomendasi", "5 menit", "Rekomendasi diterima")),
    ],
    widths=[24, 200, 80, 80, 80, 80, 85, 50, 60, 30],
    row_h=30.0,
)
MARKS = ["√", "X", "•", "4", "√"]  # how each step's actor cell is marked: a tick, a cross, a bullet, its number,
# and a Wingdings tick (written as "ü" in that font, read as "√")


def marks_doc() -> str:
    """No drawing at all: the actor of each step is a mark typed in its cell (√, X, •, or the step's
    number); the identity labels are written loosely (No. SOP, Tgl Pembuatan, Tgl Pengesahan)."""
    sop = LOOSE

    def mark(i: int, s: Step, a: int) -> str:
        if a != s.actor:
            return ""
        if i == len(MARKS) - 1:  # a tick from Wingdings, as Insert ▸ Symbol writes it: the letter ü in that font
            return '<w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>ü</w:t></w:r>'
        return run(MARKS[i])

    body = identity(sop) + sect()
    body += para(run(sop.title, bold=True, size=11), align="center", exact=TITLE_H)
    body += table(sop.widths, procedure_header(sop) + step_rows(sop, list(enumerate(sop.steps)), mark)) + para() + sect(final=True)
    return body


DUA = Sop(
    hierarchy=["PEMERINTAH PROVINSI JAWA BARAT", "BADAN KEPEGAWAIAN DAERAH"],
    title="PENGURUSAN KENAIKAN PANGKAT",
    labels=SEED.labels, boxes=SEED.boxes,
    actors=["Pegawai", "Pengelola Kepegawaian", "Kepala Subbagian", "Sekretaris", "Kepala Badan"],
    steps=[
        Step("1", "Mengajukan usul kenaikan pangkat", 0, "kapsul", ("Berkas usul", "10 menit", "Usul")),
        Step("2", "Memeriksa kelengkapan berkas usul", 1, mutu=("Berkas usul", "30 menit", "Berkas lengkap")),
        Step("3", "Menyusun daftar usul", 1, mutu=("Berkas", "1 jam", "Daftar usul")),
        Step("4", "Memeriksa daftar usul", 2, mutu=("Daftar usul", "30 menit", "Daftar diparaf")),
        Step("5", "Memaraf surat pengantar", 3, mutu=("Surat pengantar", "15 menit", "Surat diparaf")),
        Step("5", "Menandatangani surat pengantar", 4, mutu=("Surat pengantar", "15 menit", "Surat pengantar")),
        Step("6", "Mengirim usul ke BKN", 1, mutu=("Surat pengantar", "1 hari", "Tanda kirim")),
        Step("8", "Menerima keputusan kenaikan pangkat", 0, "kapsul", ("Keputusan", "5 menit", "Keputusan diterima")),
    ],
    widths=[24, 190, 66, 66, 66, 66, 66, 80, 45, 60, 40],
    row_h=40.0,
)


def two_tables_doc() -> str:
    """The procedure written as two tables, the second after a page break with the header typed again;
    step 5 appears twice and step 7 is missing. Symbols in the actor cells, as in the seed."""
    sop = DUA

    def in_cell(i: int, s: Step, a: int) -> str:
        if a != s.actor:
            return ""
        w, h = size(s)
        left = (sop.widths[2 + a] - 2 * CELL_MAR - w) / 2
        return drawing(anchor(i + 1, f"Langkah {s.no}", wsp_shape(PRST[s.symbol], 0, 0, w, h), w, h,
                              ("column", left), ("paragraph", (sop.row_h - h) / 2), in_cell=True))

    body = para(run(sop.title, bold=True, size=11), align="center", exact=TITLE_H)
    steps = list(enumerate(sop.steps))
    body += table(sop.widths, procedure_header(sop) + step_rows(sop, steps[:5], in_cell))
    body += para(run("", size=1) + '<w:r><w:br w:type="page"/></w:r>', exact=1)
    body += table(sop.widths, procedure_header(sop) + step_rows(sop, steps[5:], in_cell)) + para() + sect(final=True)
    return body


# ── the package ───────────────────────────────────────────────────────────────────────────────────

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    "</Relationships>"
)
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr>'
    '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="14"/><w:szCs w:val="14"/><w:lang w:val="id-ID"/>'
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '</w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style></w:styles>"
)
SETTINGS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {W_NS}><w:defaultTabStop w:val="720"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
    "</w:compat></w:settings>"
)
NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering {W_NS}><w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
    '<w:pPr><w:ind w:left="284" w:hanging="284"/></w:pPr></w:lvl></w:abstractNum>'
    + "".join(f'<w:num w:numId="{n}"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
              "</w:lvlOverride></w:num>" for n in range(1, 7))  # one list per box, each from 1
    + "</w:numbering>"
)


def docx(body: str) -> bytes:
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NAMESPACES}><w:body>{body}'
                "</w:body></w:document>")
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS), ("word/document.xml", document),
             ("word/_rels/document.xml.rels", DOC_RELS), ("word/styles.xml", STYLES), ("word/settings.xml", SETTINGS),
             ("word/numbering.xml", NUMBERING)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


FIXTURES: dict[str, Callable[[], str]] = {
    "seed-jangkar-sel.docx": seed_doc,
    "enam-pelaksana-melayang.docx": six_doc,
    "grup.docx": group_doc,
    "vml.docx": vml_doc,
    "tanda-teks.docx": marks_doc,
    "dua-tabel.docx": two_tables_doc,
}
DOC_FROM = "seed-jangkar-sel.docx"  # the legacy .doc is LibreOffice's conversion of this one
DOC_NAME = "seed-jangkar-sel.doc"


def build() -> dict[str, bytes]:
    return {name: docx(make()) for name, make in FIXTURES.items()}


# LibreOffice keeps a DOCX preset shape as a custom shape of its own ("ooxml-…") and writes it to a
# .doc as a shape of no type with a broken outline, so a .doc converted straight from the .docx has lost
# its symbols. Word writes these symbols to a .doc by their type numbers (msosptFlowChartTerminator 116,
# msosptFlowChartOffpageConnector 177, msosptRectangle 1): going through LibreOffice's own shape types
# gives a .doc that holds them so, like one saved by Word.
LO_TYPES = {"ooxml-flowChartTerminator": "flowchart-terminator",
            "ooxml-flowChartOffpageConnector": "flowchart-off-page-connector", "ooxml-rect": "rectangle"}


def make_doc() -> None:
    """Convert one fixture to the legacy .doc format with LibreOffice (run once; its bytes carry a date)."""
    with tempfile.TemporaryDirectory() as tmp:
        def soffice(to: str, src: Path) -> Path:
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", to,
                            "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=180)
            return Path(tmp) / f"{src.stem}.{to}"

        flat = soffice("fodt", OUT / DOC_FROM)
        text = flat.read_text(encoding="utf-8")
        for ooxml, native in LO_TYPES.items():
            text = text.replace(f'draw:type="{ooxml}"', f'draw:type="{native}"')
        flat.write_text(text, encoding="utf-8")
        (OUT / DOC_NAME).write_bytes(soffice("doc", flat).read_bytes())


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in build().items():
        (OUT / name).write_bytes(data)
    if "--doc" in sys.argv:
        make_doc()
    print("\n".join(sorted(p.name for p in OUT.iterdir())))
