"""Tagged PDFs (issue 18, item 8): every SOP's PDF carries its structure, read back with Poppler and pikepdf.

A screen reader (or a phone reflowing the page) reads a tagged PDF by its structure tree: the
identity and procedure tables as tables (Table, TR, TH, TD), the SOP's name as a heading, the chart
as a Figure with a text alternative, in Indonesian. The seed's SOPs are printed with real Chromium
and read back: ``pdfinfo`` (Tagged, ``-struct-text``), ``pdftotext``, and pikepdf for what Poppler
does not show (each page reached by the tree, /Lang, /Alt). The binder they are bound into is not
tagged (kinerja.md, "Cara PDF dibuat": its memory), but reads as text on every page."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOT
from sopcode.model.load import load_folder
from sopcode.sheets import BUKU, Lembar, Printer, SheetInputs, _part
from sopcode.sheets.binder import finish
from sopcode.sheets.layout import batch_document, print_document

DOMISILI = "sop-surat-keterangan-domisili"


@dataclass
class Printed:
    lembars: dict[str, Lembar]
    pdfs: dict[str, Path]
    untagged: dict[str, Path]
    """Each SOP's document printed without tags, as before: the text must read the same."""
    after_another: tuple[bytes, bytes]
    """Chromium's own PDF of DOMISILI printed in a fresh tab, and in a tab that printed another SOP first."""


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Printed:
    out = tmp_path_factory.mktemp("tagged")
    sops = load_folder(str(ROOT / "sop_data")).sops
    lembars, pdfs, untagged = {}, {}, {}
    with Printer() as printer:
        these = printer.prepare(sops, SheetInputs(all_sops={s.id: s for s in sops}))
        browser, workdir = printer._browser, printer._workdir
        for lb, data in zip(these, printer.print(these)):
            lembars[lb.sop.id] = lb
            pdfs[lb.sop.id] = out / f"{lb.sop.id}.pdf"
            pdfs[lb.sop.id].write_bytes(data)
            page = Path(workdir, f"polos-{lb.sop.id}.html")
            page.write_text(batch_document([lb]), encoding="utf-8")
            tab = browser.open(page)
            try:
                plain = tab.pdf(generateDocumentOutline=True, generateTaggedPDF=False)
            finally:
                tab.close()
            untagged[lb.sop.id] = out / f"{lb.sop.id}-polos.pdf"
            untagged[lb.sop.id].write_bytes(plain)
        binder = printer.prepare_binder(these)
        one = lembars[DOMISILI]
        other = next(x for x in these if x is not one)
        tab = browser.new_tab()
        try:
            fresh = print_document(browser, workdir, "a.html", batch_document([one]), tab=tab)
            print_document(browser, workdir, "b.html", batch_document([other]), tab=tab)
            again = print_document(browser, workdir, "a.html", batch_document([one]), tab=tab)
        finally:
            tab.close()
    pdfs[BUKU] = out / BUKU
    pdfs[BUKU].write_bytes(binder.bind())
    return Printed(lembars, pdfs, untagged, (fresh, again))


def pdfinfo(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["pdfinfo", *args, str(path)], capture_output=True, text=True, check=True)


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in document order."""
    out = []
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        here = stack.pop()
        if isinstance(here, pikepdf.Array):
            stack.extend(reversed(list(here)))
        elif isinstance(here, pikepdf.Dictionary) and "/S" in here:
            out.append(here)
            if "/K" in here:
                stack.append(here.K)
    return out


def number_tree(node: pikepdf.Dictionary) -> dict[int, pikepdf.Object]:
    """The entries of a number tree (the ParentTree), by key."""
    found: dict[int, pikepdf.Object] = {}
    stack = [node]
    while stack:
        here = stack.pop()
        pairs = list(here.get("/Nums", ()))
        found.update(zip(map(int, pairs[0::2]), pairs[1::2]))
        stack.extend(here.get("/Kids", ()))
    return found


def kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    k = element.get("/K")
    items = list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []
    return [x for x in items if isinstance(x, pikepdf.Dictionary) and "/S" in x]


@pytest.mark.slow
@pytest.mark.browser
def test_pdfinfo_says_tagged_for_an_sop_untagged_for_the_binder_and_their_text_reads_as_before(printed: Printed):
    assert "Tagged:          yes" in pdfinfo(printed.pdfs[DOMISILI]).stdout
    assert "Tagged:          no" in pdfinfo(printed.pdfs[BUKU]).stdout
    # Tagged, the text comes out exactly as it did untagged.
    for sop_id, plain in printed.untagged.items():
        assert "Tagged:          no" in pdfinfo(plain).stdout
        assert text_of(printed.pdfs[sop_id]) == text_of(plain), sop_id


@pytest.mark.slow
@pytest.mark.browser
def test_language_title_and_no_structural_problems(printed: Printed):
    for name, path in printed.pdfs.items():
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == [], name
            assert str(pdf.Root.Lang) == "id-ID", name
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            title = str(pdf.docinfo.Title)
            assert title == (str(printed.lembars[name].sop.nama) if name != BUKU else "KECAMATAN BUNGURSARI - Buku SOP")
            if name == BUKU:
                continue
            assert pdf.Root.MarkInfo.Marked is True
            top = kids(pdf.Root.StructTreeRoot)
            assert [str(e.S) for e in top] == ["/Document"] and str(top[0].Lang) == "id-ID"
        # Poppler reads the whole tree, every type known to it (PDF 2.0's Strong is mapped to Span).
        struct = pdfinfo(path, "-struct-text")
        assert "Syntax Error" not in struct.stderr, struct.stderr


@pytest.mark.slow
@pytest.mark.browser
def test_every_page_of_an_sop_is_reached_by_its_structure_tree(printed: Printed):
    for name, path in printed.pdfs.items():
        if name == BUKU:
            continue
        with pikepdf.open(path) as pdf:
            tree = pdf.Root.StructTreeRoot
            parents = number_tree(tree.ParentTree)
            keys = []
            for n, page in enumerate(pdf.pages):
                key = int(page.obj.StructParents)
                keys.append(key)
                marked = [e for e in parents[key] if isinstance(e, pikepdf.Dictionary)]
                assert marked, (name, n)
                # The elements holding the page's content are on that page (/Pg), none on another.
                assert {e.Pg.objgen for e in marked if "/Pg" in e} == {page.obj.objgen}, (name, n)
            assert len(set(keys)) == len(pdf.pages) and int(tree.ParentTreeNextKey) > max(keys)
            # Identifiers unique: each table cell's headers name cells of the document.
            ids = {str(e.ID) for e in elements(pdf) if "/ID" in e}
            assert ids and all(str(h) in ids for e in elements(pdf) if "/A" in e
                               for a in (e.A if isinstance(e.A, pikepdf.Array) else [e.A])
                               if isinstance(a, pikepdf.Dictionary) for h in a.get("/Headers", ()))


@pytest.mark.slow
@pytest.mark.browser
def test_the_binder_holds_no_structure_but_every_page_reads(printed: Printed):
    """Untagged (kinerja.md, "Cara PDF dibuat"): no page keeps a key into a tree that is not there."""
    with pikepdf.open(printed.pdfs[BUKU]) as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
        for page in pdf.pages:
            assert "/StructParents" not in page.obj
            assert not [a for a in page.obj.get("/Annots", ()) if "/StructParent" in a]
        n = len(pdf.pages)
    pages = text_of(printed.pdfs[BUKU]).split("\f")[:n]
    assert len(pages) == n and all(page.strip() for page in pages)
    text = "".join(pages)
    assert all(str(lb.sop.nama).split()[0] in text for lb in printed.lembars.values())


@pytest.mark.slow
@pytest.mark.browser
def test_the_procedure_table_is_a_table_with_a_row_per_step_and_the_chart_a_figure(printed: Printed):
    lb = printed.lembars[DOMISILI]
    first = lb.pages[0]
    with pikepdf.open(printed.pdfs[DOMISILI]) as pdf:
        found = elements(pdf)
        types = {str(e.S) for e in found}
        assert {"/Table", "/TR", "/TH", "/TD", "/H2", "/Figure"} <= types, types
        second = pdf.pages[1].obj.objgen  # the first procedure sheet
        tables = [e for e in found if e.S == "/Table" and any(
            "/Pg" in c and c.Pg.objgen == second for r in kids(e) for c in kids(r))]
        procedure = max(tables, key=lambda t: len(kids(t)))
        rows = kids(procedure)
        heads = [r for r in rows if any(c.S == "/TH" for c in kids(r))]
        # Two header rows (No, Kegiatan, Pelaksana …; the actors), the column numbers, then one
        # row per step of the page, bands between (none on the seed's first page) and Jumlah waktu.
        assert len(heads) == 2
        steps = first.hi - first.lo
        assert len(rows) == 3 + steps + (1 if first.last else 0) + bool(first.band_top) + bool(first.band_bottom)
        # Each step row holds a cell per column: No, Kegiatan, the actors, Mutu Baku (3), Keterangan.
        cells = 2 + len(lb.sop.pelaksana) + 4
        assert [len(kids(r)) for r in rows[3:3 + steps]] == [cells] * steps
        figures = [e for e in found if e.S == "/Figure"]
        assert len(figures) == len(lb.pages)
        alt = str(figures[0].Alt)
        assert alt.startswith(f"Bagan alir langkah 1 sampai {lb.sop.langkah[first.hi - 1].no}."), alt
        step = lb.sop.langkah[0]
        assert f"Langkah 1, {step.pelaksana}: mulai, lanjut ke langkah 2." in alt
    # Poppler shows the same: the SOP's name is a heading, the procedure's header cells are there.
    struct = pdfinfo(printed.pdfs[DOMISILI], "-struct-text").stdout
    assert "H2" in struct and '"Kegiatan"' in struct and '"Mutu Baku"' in struct


@pytest.mark.slow
@pytest.mark.browser
def test_identifiers_do_not_depend_on_what_the_tab_printed_before(printed: Printed):
    """Chromium counts the elements it tags on from the documents printed before in the same tab;
    the PDF is the same, printed first or after another one (a warm build equals a cold one)."""
    fresh, again = printed.after_another
    assert fresh != again  # Chromium's own bytes differ (the time of printing, the identifiers) …
    part = _part(printed.lembars[DOMISILI])
    assert finish(fresh, part) == finish(again, part) == printed.pdfs[DOMISILI].read_bytes()


def test_the_charts_text_alternative_says_each_step_its_actors_and_where_it_goes():
    """Without a browser: the words a screen reader hears for a page's chart, hostile text escaped."""
    import dataclasses
    import xml.etree.ElementTree as ET

    from sopcode.shapes.sheet_chart import SheetLayout, sheet_svgs

    sop = next(s for s in load_folder(str(ROOT / "sop_data")).sops if s.id == DOMISILI)
    hostile = '"><script>alert(1)</script>'
    old = str(sop.langkah[0].pelaksana)
    teks = type(sop.langkah[0].pelaksana)

    def renamed(actor):
        return teks(hostile, actor.loc) if str(actor) == old else actor
    sop = dataclasses.replace(sop, pelaksana=tuple(map(renamed, sop.pelaksana)), langkah=tuple(
        dataclasses.replace(s, pelaksana=renamed(s.pelaksana)) for s in sop.langkah))
    n = len(sop.langkah)
    svgs = sheet_svgs(sop, SheetLayout(tuple([70.0] * len(sop.pelaksana)), tuple([44.0] * n), ((0, 3), (3, n))))
    labels = []
    for svg in svgs:
        root = ET.fromstring(svg[svg.index("<svg "):])
        assert root.get("role") == "img"
        labels.append(root.get("aria-label"))
        assert not [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "script"]
    decision = next(s for s in sop.langkah if s.ya is not None)
    assert labels[0].startswith(f"Bagan alir langkah 1 sampai 3. Langkah 1, {hostile}: mulai, lanjut ke langkah 2.")
    assert labels[1].startswith(f"Bagan alir langkah 4 sampai {n}.")
    assert labels[1].endswith(f"Langkah {n}, {sop.langkah[-1].pelaksana}: selesai.")
    assert f"Langkah {decision.no}, {decision.pelaksana}: keputusan, Ya ke langkah {decision.ya}, " \
           f"Tidak ke langkah {decision.tidak}." in " ".join(labels)


@pytest.mark.slow
@pytest.mark.browser
def test_a_monitoring_form_is_tagged_too(sop_data_copy: Path, tmp_path: Path):
    """The forms of monitoring and evaluation are printed the same way: tagged, in Indonesian, titled."""
    import datetime as dt

    from sopcode.rules import check
    from sopcode.sheets.forms import forms, print_forms

    report = check(str(sop_data_copy))
    made = [f for f in forms(report.sops, report.monitoring, report.evaluation, dt.date(2026, 11, 29))
            if f.path.startswith("monev/formulir-monitoring-")][:1]
    path = tmp_path / "formulir.pdf"
    path.write_bytes(print_forms(made)[made[0].path])
    assert "Tagged:          yes" in pdfinfo(path).stdout
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == [] and str(pdf.Root.Lang) == "id-ID"
        assert str(pdf.docinfo.Title) == made[0].judul
        types = {str(e.S) for e in elements(pdf)}
        assert {"/Table", "/TR", "/TH", "/TD"} <= types, types
