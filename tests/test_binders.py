"""The binders of a project of many institutions (issue 17, item 4), read back with Poppler.

The example is a copy of tests/fixtures/pemda: the regency (F4) above Kecamatan Bungursari (F4,
inherited) and Dinas Kependudukan dan Pencatatan Sipil (A4). Each institution gets its own
``pdf/<folder>/buku-sop.pdf`` (its cover, contents, numbering from 1) and the regency the whole
government's ``pdf/buku-sop.pdf``: its cover, a contents of the institutions, then each institution's
part with its own cover and contents, pages numbered through, each page on its institution's paper.
A change in the dinas binds the dinas's binder and the whole one again; the kecamatan's comes from
the cache, and every binder of a warm build has the bytes of a cold one.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, run_sop
from sopcode.publish import Publication, Settings, publish

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # prints PDFs with Chromium

KEC, DINAS = "kecamatan-bungursari", "dinas-kependudukan"
KABUPATEN = "PEMERINTAH KABUPATEN PURWAKARTA"
LINE = {KEC: "KECAMATAN BUNGURSARI", DINAS: "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"}
NAMA = {KEC: "Kecamatan Bungursari", DINAS: "Dinas Kependudukan dan Pencatatan Sipil"}
PAPER = {KEC: "F4", DINAS: "A4"}
SIZES_MM = {"A4": (297.0, 210.0), "F4": (330.0, 215.0)}


# --- Poppler ---------------------------------------------------------------------------------

def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def papers(path: Path) -> list[str]:
    """Each page's paper (landscape A4 or F4), as pdfinfo measures it."""
    n = page_count(path)
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", str(n), str(path)], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out, re.M):
        mm = (float(w) * 25.4 / 72, float(h) * 25.4 / 72)
        found.append(next((name for name, (pw, ph) in SIZES_MM.items()
                           if abs(mm[0] - pw) < 0.6 and abs(mm[1] - ph) < 0.6), f"{mm[0]:.0f}x{mm[1]:.0f}"))
    return found


def text_of(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def footer_number(path: Path, page: int) -> str | None:
    """The page number at the left of a sheet's footer: the first word of its last line."""
    lines = [line for line in text_of(path, page).splitlines() if line.strip()]
    first = lines[-1].split()[0] if lines else ""
    return first if first.isdigit() else None


def outline(path: Path) -> list[tuple[int, str, int]]:
    """The bookmarks as (depth, title, page): depth 0 at the top, 1 under an institution."""
    out = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(path)], capture_output=True, text=True,
                         check=True).stdout
    found = re.search(r"<outline>.*</outline>", out, re.S)
    marks: list[tuple[int, str, int]] = []

    def walk(node: ET.Element, depth: int) -> None:
        for child in node:
            if child.tag == "item":
                marks.append((depth, child.text or "", int(child.get("page") or 0)))
            elif child.tag == "outline":
                walk(child, depth + 1)

    if found:
        walk(ET.fromstring(found.group(0)), 0)
    return marks


# --- building ---------------------------------------------------------------------------------

def names(data: Path, kode: str) -> list[str]:
    """An institution's SOP names as its files write them (``nama:``)."""
    return sorted(re.search(r"^nama: (.+)$", p.read_text(encoding="utf-8"), re.M).group(1).strip()
                  for p in (data / kode).glob("*.yaml") if not p.name.startswith("_"))


def build(data: Path, cache: Path, out: Path) -> Publication:
    """What ``sop pdf`` does: publish with the cache, write the PDFs and binders to ``out``."""
    with publish(str(data), Settings(cache_dir=str(cache))) as pub:
        assert not pub.stopped, [d.format() for d in pub.report.errors]
        assert not pub.cut, pub.cut
        pub.write_pdfs(str(out))
        return pub


def binders_of(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("buku-sop.pdf"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, Publication]:
    root = tmp_path_factory.mktemp("pemda")
    data = root / "sop_data"
    shutil.copytree(FIXTURES / "pemda", data)
    out = root / "pdf"
    return data, out, build(data, root / "cache", out)


def test_a_binder_per_institution_with_its_own_cover_contents_paper_and_numbers(built):
    data, out, pub = built
    assert sorted(pub.binders) == ["buku-sop.pdf", f"{DINAS}/buku-sop.pdf", f"{KEC}/buku-sop.pdf"]
    for kode in (KEC, DINAS):
        binder = out / kode / "buku-sop.pdf"
        cover = text_of(binder, 1)
        assert KABUPATEN in cover and LINE[kode] in cover, cover
        other = LINE[DINAS if kode == KEC else KEC]
        assert other not in cover
        own = names(data, kode)
        contents = squash(text_of(binder, 2))
        assert all(squash(n) in contents for n in own), contents
        others = [n for n in names(data, DINAS if kode == KEC else KEC) if not any(n in m for m in own)]
        assert others and not any(squash(n) in contents for n in others)
        # Every page on the institution's own paper; the sheets numbered on from the contents (page 2).
        assert set(papers(binder)) == {PAPER[kode]}
        assert footer_number(binder, 2) == "2"
        assert [depth for depth, _, _ in outline(binder)] == [0] * (2 + len(own))  # a plain binder, as always
        for _, title, page in outline(binder)[2:]:
            assert footer_number(binder, page) == str(page), (binder, title, page)
            assert LINE[kode] in text_of(binder, page)  # its sheets carry its own header


def test_the_whole_governments_binder_holds_every_institution_in_its_own_part(built):
    data, out, _ = built
    whole = out / "buku-sop.pdf"
    cover = text_of(whole, 1)
    assert KABUPATEN in cover and LINE[KEC] not in cover and LINE[DINAS] not in cover, cover
    contents = text_of(whole, 2)
    marks = outline(whole)
    parts = {title: page for depth, title, page in marks if depth == 0}
    assert list(parts)[:2] == ["Sampul", "Daftar Isi"]
    sizes = papers(whole)
    assert sizes[:2] == ["F4", "F4"]  # the regency's paper
    for kode in (KEC, DINAS):
        start = parts[NAMA[kode]]
        own = names(data, kode)
        # The contents: the institution, its count of SOPs, the page its part begins on.
        assert re.search(rf"{NAMA[kode]}\s+{len(own)}\s+{start}\b", contents), contents
        assert LINE[kode] in text_of(whole, start)  # its own cover
        assert str(start) not in text_of(whole, start).split()  # a cover carries no number
        assert all(squash(n) in squash(text_of(whole, start + 1)) for n in own)  # its own contents
        assert footer_number(whole, start + 1) == str(start + 1)  # numbered through the binder
        # Its SOPs under it in the outline, each at a sheet numbered with its binder page.
        index = next(i for i, m in enumerate(marks) if m[1] == NAMA[kode])
        children = []
        for depth, title, page in marks[index + 1:]:
            if depth == 0:
                break
            children.append(title)
            assert footer_number(whole, page) == str(page)
            assert LINE[kode] in text_of(whole, page)
        assert sorted(children) == own
    # Each page keeps its institution's paper: the part of the dinas A4, the kecamatan's F4.
    order = sorted((parts[NAMA[k]], k) for k in (KEC, DINAS))
    for (start, kode), (end, _) in zip(order, [*order[1:], (len(sizes) + 1, "")]):
        assert set(sizes[start - 1:end - 1]) == {PAPER[kode]}, (kode, sizes)
    assert page_count(whole) == 2 + sum(page_count(out / k / "buku-sop.pdf") for k in (KEC, DINAS))


def test_a_change_in_one_institution_prints_and_binds_again_only_its_own_and_the_whole(tmp_path: Path):
    data = tmp_path / "sop_data"
    shutil.copytree(FIXTURES / "pemda", data)
    cache = tmp_path / "cache"
    first = build(data, cache, tmp_path / "1")
    assert first.bound == 3
    before = binders_of(tmp_path / "1")
    again = build(data, cache, tmp_path / "2")
    assert (again.bound, again.printed) == (0, 0)  # nothing changed: every binder from the cache
    assert binders_of(tmp_path / "2") == before

    sop = data / DINAS / "sop-penerbitan-kartu-keluarga.yaml"
    text = sop.read_text(encoding="utf-8")
    step = re.search(r"kegiatan: (.+)", text).group(1)
    sop.write_text(text.replace(step, step + " dengan teliti", 1), encoding="utf-8")
    changed = build(data, cache, tmp_path / "3")
    assert (changed.printed, changed.bound) == (1, 2)  # the dinas's SOP; its binder and the whole one
    after = binders_of(tmp_path / "3")
    assert after[f"{KEC}/buku-sop.pdf"] == before[f"{KEC}/buku-sop.pdf"]
    assert after[f"{DINAS}/buku-sop.pdf"] != before[f"{DINAS}/buku-sop.pdf"]
    assert after["buku-sop.pdf"] != before["buku-sop.pdf"]
    assert "denganteliti" in squash(subprocess.run(
        ["pdftotext", str(tmp_path / "3" / DINAS / "buku-sop.pdf"), "-"], capture_output=True, text=True).stdout)

    # The dinas's settings change its header: its SOPs alone are printed again, with the new line.
    settings = data / DINAS / "_instansi.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        f"  - {LINE[DINAS]}\n", f"  - {LINE[DINAS]}\n  - BIDANG PELAYANAN\n", 1), encoding="utf-8")
    header = build(data, cache, tmp_path / "4")
    assert (header.printed, header.bound) == (len(names(data, DINAS)), 2)
    last = binders_of(tmp_path / "4")
    assert last[f"{KEC}/buku-sop.pdf"] == before[f"{KEC}/buku-sop.pdf"]
    dinas_binder = tmp_path / "4" / DINAS / "buku-sop.pdf"
    assert all("BIDANG PELAYANAN" in text_of(dinas_binder, page)  # its cover and each SOP's first sheet
               for _, title, page in outline(dinas_binder) if title != "Daftar Isi")
    assert "BIDANG PELAYANAN" not in "".join(text_of(tmp_path / "4" / KEC / "buku-sop.pdf", page)
                                             for page in range(1, 1 + page_count(tmp_path / "4" / KEC / "buku-sop.pdf")))
    # A cold build of the same files: every binder the same bytes as the warm one.
    cold = build(data, tmp_path / "cold-cache", tmp_path / "5")
    assert cold.bound == 3
    assert binders_of(tmp_path / "5") == last


def test_the_whole_governments_binder_is_untagged_and_each_sops_own_pdf_tagged(built):
    """A binder holds no structure tree (kinerja.md, "Cara PDF dibuat": joining its parts' trees made
    binding the whole government's binder cost eight times the memory); no page keeps a key into a
    tree that is not there, and every page's text still reads. Each SOP's own PDF, which the site and
    the QR codes link, is tagged (issue 18, item 8)."""
    _, out, _ = built
    whole = out / "buku-sop.pdf"
    info = subprocess.run(["pdfinfo", str(whole)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+no$", info, re.M), info
    with pikepdf.open(whole) as pdf:
        assert pdf.check_pdf_syntax() == [] and str(pdf.Root.Lang) == "id-ID"
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
        for page in pdf.pages:
            assert "/StructParents" not in page.obj
            assert not [a for a in page.obj.get("/Annots", ()) if "/StructParent" in a]
        n = len(pdf.pages)
    text = subprocess.run(["pdftotext", "-layout", str(whole), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:n]
    assert len(pages) == n and all(page.strip() for page in pages)
    sops = [p for p in out.rglob("*.pdf") if p.name != "buku-sop.pdf"]
    assert sops
    for sop in sops:
        info = subprocess.run(["pdfinfo", str(sop)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), sop


def test_a_withdrawn_sop_goes_to_the_end_of_its_own_institutions_part(tmp_path: Path):
    data = tmp_path / "sop_data"
    shutil.copytree(FIXTURES / "pemda", data)
    sop = data / DINAS / "sop-surat-masuk.yaml"
    nama = re.search(r"^nama: (.+)$", sop.read_text(encoding="utf-8"), re.M).group(1).strip()
    with sop.open("a", encoding="utf-8") as fh:
        fh.write("dicabut:\n  tanggal: 2025-01-15\n  alasan: Diganti tata naskah dinas elektronik\n")
    out = tmp_path / "pdf"
    build(data, tmp_path / "cache", out)
    for binder in (out / "buku-sop.pdf", out / DINAS / "buku-sop.pdf"):
        marks = outline(binder)
        titles = [t for _, t, _ in marks]
        # In the dinas's part: after its SOPs in force, the list of withdrawn SOPs, then its sheets.
        dinas = [t for t in names(data, DINAS) if t != nama]
        i = titles.index("SOP yang dicabut dan diganti")
        assert titles[i + 1] == nama and all(titles.index(t) < i for t in dinas), titles
        listing = {t: p for _, t, p in marks}["SOP yang dicabut dan diganti"]
        assert squash(nama) in squash(text_of(binder, listing))
        if binder == out / "buku-sop.pdf":  # the kecamatan's part has no such list: its own SOPs are in force
            assert titles.count("SOP yang dicabut dan diganti") == 1


def test_an_sop_file_named_as_an_institutions_binder_is_an_error(tmp_path: Path):
    data = tmp_path / "sop_data"
    shutil.copytree(FIXTURES / "pemda", data)
    text = (data / DINAS / "sop-surat-masuk.yaml").read_text(encoding="utf-8")
    (data / DINAS / "buku-sop.yaml").write_text(text.replace("045/001/SOP-AP/2023", "045/099/SOP-AP/2023", 1),
                                                encoding="utf-8")
    done = run_sop("check", str(data), cwd=tmp_path)
    assert done.returncode == 1
    assert f"galat: id SOP '{DINAS}/buku-sop' dipakai situs untuk buku SOP" in done.stdout, done.stdout
    assert "pdf/<instansi>/buku-sop.pdf" in done.stdout and "[id-dicadangkan]" in done.stdout


def png(side: int) -> bytes:
    """A grey square PNG of ``side`` pixels: its size tells the logos apart in the printed PDF."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\0" + b"\x80" * side for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def image_sides(path: Path, page: int) -> set[int]:
    """The widths of the pictures on a page (pdfimages)."""
    out = subprocess.run(["pdfimages", "-f", str(page), "-l", str(page), "-list", str(path)], capture_output=True,
                         text=True, check=True).stdout
    return {int(line.split()[3]) for line in out.splitlines()[2:] if line.split()[2] == "image"}


def test_each_institution_prints_its_own_logo_or_the_one_it_inherits(tmp_path: Path):
    data = tmp_path / "sop_data"
    shutil.copytree(FIXTURES / "pemda", data)
    (data / "logo-kabupaten.png").write_bytes(png(10))
    (data / DINAS / "logo-dinas.png").write_bytes(png(12))
    for settings, name in ((data / "_instansi.yaml", "logo-kabupaten.png"), (data / DINAS / "_instansi.yaml", "logo-dinas.png")):
        settings.write_text(settings.read_text(encoding="utf-8") + f"logo: {name}\n", encoding="utf-8")
    out = tmp_path / "pdf"
    build(data, tmp_path / "cache", out)
    assert image_sides(out / KEC / "sop-surat-masuk.pdf", 1) == {10}  # the regency's, inherited
    assert image_sides(out / DINAS / "sop-surat-masuk.pdf", 1) == {12}  # the dinas's own
    assert image_sides(out / KEC / "buku-sop.pdf", 1) == {10}
    assert image_sides(out / DINAS / "buku-sop.pdf", 1) == {12}
    whole = out / "buku-sop.pdf"
    parts = {title: page for depth, title, page in outline(whole) if depth == 0}
    assert image_sides(whole, 1) == {10}  # the government's cover
    assert image_sides(whole, parts[NAMA[DINAS]]) == {12} and image_sides(whole, parts[NAMA[KEC]]) == {10}
