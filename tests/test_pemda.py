"""One site for a whole local government (issue 17), read as a reader and a printer see it.

The example is tests/fixtures/pemda: the regency's ``_instansi.yaml`` (F4 paper), Kecamatan
Bungursari (the seed's SOPs, F4 inherited) and Dinas Kependudukan dan Pencatatan Sipil (A4), each
with a file called ``sop-surat-masuk.yaml`` of its own content and the same nomor. `sop check` runs
on copies of it and is read by its messages; the site is built once with its PDFs, and those
tests read the built HTML or the PDF through Poppler (pdftotext, pdfinfo, pdftohtml), never the
plugin's own objects.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build_site, sop_main, write

PEMDA = FIXTURES / "pemda"
KEC = "kecamatan-bungursari"
DINAS = "dinas-kependudukan"
KABUPATEN = "PEMERINTAH KABUPATEN PURWAKARTA"
KEC_LINE = "KECAMATAN BUNGURSARI"
DINAS_LINE = "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
SAME_NOMOR = "045/001/SOP-AP/2023"
MM_PER_PT = 25.4 / 72
LANDSCAPE_MM = {"A4": (297.0, 210.0), "F4": (330.0, 215.0)}

# Each institution's SOP files (stems), as the fixture holds them.
STEMS = {
    KEC: ("sop-laporan-penyelenggaraan-pemerintahan-kecamatan", "sop-pengukuran-kinerja-bungursari",
          "sop-rekomendasi-izin-keramaian", "sop-surat-keterangan-domisili", "sop-surat-masuk"),
    DINAS: ("sop-penerbitan-kartu-keluarga", "sop-penerbitan-akta-kelahiran", "sop-surat-masuk"),
}


def names(kode: str) -> dict[str, str]:
    """An institution's SOPs by file stem with the `nama:` line each file holds, as written."""
    out = {}
    for stem in STEMS[kode]:
        text = (PEMDA / kode / f"{stem}.yaml").read_text(encoding="utf-8")
        out[stem] = re.search(r"^nama: (.+)$", text, re.M).group(1).strip()
    return out


# --- Poppler ---------------------------------------------------------------------------------------

def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def pages(path: Path) -> int:
    return int(pdfinfo(path)["Pages"])


def paper(path: Path) -> str:
    """``A4`` or ``F4`` as the PDF's first page measures (landscape), or the size itself if neither."""
    w, h = (float(x) * MM_PER_PT for x in re.findall(r"[\d.]+", pdfinfo(path)["Page size"])[:2])
    for name, (pw, ph) in LANDSCAPE_MM.items():
        if abs(w - pw) < 0.6 and abs(h - ph) < 0.6:
            return name
    return f"{w:.1f} x {h:.1f} mm"


def text_of(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def outline(path: Path) -> list[tuple[str, int]]:
    """The PDF's bookmarks (nested ones too) with the page each opens."""
    out = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(path)], capture_output=True, text=True,
                         check=True).stdout
    found = re.search(r"<outline>.*</outline>", out, re.S)
    if not found:
        return []
    return [(item.text or "", int(item.get("page") or 0)) for item in ET.fromstring(found.group(0)).iter("item")]


# --- HTML ------------------------------------------------------------------------------------------

class Page(HTMLParser):
    """A built page's links and the text of its article."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._article = 0
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self._article += 1
        if tag == "a" and a.get("href") and self._article:
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "article":
            self._article -= 1

    def handle_data(self, data):
        if self._article:
            self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())


def page(site: Path, url: str) -> Page:
    return Page((site / url / "index.html").read_text(encoding="utf-8"))


def target(site: Path, url: str, href: str) -> Path:
    """The file a relative link of the page at ``url`` opens."""
    path = (site / url / href.split("#")[0].split("?")[0]).resolve()
    return path / "index.html" if path.is_dir() else path


# --- the built example -----------------------------------------------------------------------------

def pemda_project(dest: Path) -> Path:
    """A project whose data folder is a copy of the example, with the repository's mkdocs.yml."""
    shutil.copytree(PEMDA, dest / "sop_data")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^site_name: .*$", "site_name: SOP Pemerintah Kabupaten Purwakarta", config, flags=re.M)
    write(dest / "mkdocs.yml", config)
    write(dest / "docs" / "index.md", "# SOP Pemerintah Kabupaten Purwakarta\n\nSOP semua perangkat daerah.\n")
    return dest


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example's site with its PDFs, built once for the module."""
    return build_site(pemda_project(tmp_path_factory.mktemp("pemda")))


def test_the_example_passes_sop_check(tmp_path: Path):
    """The fixture is clean: same file names and the same nomor in two institutions are no error."""
    done = sop_main("check", str(shutil.copytree(PEMDA, tmp_path / "sop_data")))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 galat" in done.stdout + done.stderr
    for code in ("id-ganda", "nomor-sop-ganda", "keterkaitan-tak-ada"):
        assert code not in done.stdout + done.stderr


def test_the_same_nomor_twice_in_one_institution_is_an_error(tmp_path: Path):
    data = shutil.copytree(PEMDA, tmp_path / "sop_data")
    akta = data / DINAS / "sop-penerbitan-akta-kelahiran.yaml"
    akta.write_text(akta.read_text(encoding="utf-8").replace('"474.1/021/Disdukcapil/2023"', f'"{SAME_NOMOR}"'),
                    encoding="utf-8")
    done = sop_main("check", str(data))
    out = done.stdout + done.stderr
    assert done.returncode != 0
    assert "[nomor-sop-ganda]" in out
    # Between the dinas's own SOPs only: the kecamatan's SOP of the same nomor is neither blamed nor named.
    lines = [line for line in out.splitlines() if "[nomor-sop-ganda]" in line]
    assert lines and all(DINAS in line and KEC not in line for line in lines), lines


def test_a_new_file_checked_alone_is_told_its_nomor_is_taken(tmp_path: Path):
    """The user copies an SOP to start a new one and checks only the new file: its nomor, already
    the other's, is an error there (whichever file's name comes first), naming the SOP that has it."""
    data = shutil.copytree(PEMDA, tmp_path / "sop_data")
    akta = data / DINAS / "sop-penerbitan-akta-kelahiran.yaml"
    new = data / DINAS / "sop-legalisir-akta.yaml"  # before the akta's file by name
    new.write_text(akta.read_text(encoding="utf-8").replace("nama: ", "nama: Legalisir ", 1), encoding="utf-8")
    done = sop_main("check", str(new))
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    lines = [line for line in out.splitlines() if "[nomor-sop-ganda]" in line]
    assert len(lines) == 1 and lines[0].startswith(str(new)) and "sop-penerbitan-akta-kelahiran" in lines[0], out
    # Either file checked alone hears of the other; the whole folder's check says it once.
    done = sop_main("check", str(akta))
    assert "[nomor-sop-ganda]" in done.stdout + done.stderr and "sop-legalisir-akta" in done.stdout + done.stderr
    done = sop_main("check", str(data))
    assert (done.stdout + done.stderr).count("[nomor-sop-ganda]") == 1


def test_a_reference_to_a_missing_sop_of_another_institution_is_an_error(tmp_path: Path):
    data = shutil.copytree(PEMDA, tmp_path / "sop_data")
    kk = data / DINAS / "sop-penerbitan-kartu-keluarga.yaml"
    kk.write_text(kk.read_text(encoding="utf-8").replace(f"sop: {KEC}/sop-surat-keterangan-domisili",
                                                         f"sop: {KEC}/sop-surat-keterangan-pindah"), encoding="utf-8")
    done = sop_main("check", str(data))
    assert done.returncode != 0
    assert "[keterkaitan-tak-ada]" in done.stdout + done.stderr
    assert f"{KEC}/sop-surat-keterangan-pindah" in done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.browser
def test_each_institution_prints_its_own_header_on_its_own_paper(site: Path):
    for kode, line, other, kertas in ((KEC, KEC_LINE, DINAS_LINE, "F4"), (DINAS, DINAS_LINE, KEC_LINE, "A4")):
        for stem in STEMS[kode]:
            pdf = site / "pdf" / kode / f"{stem}.pdf"
            first = text_of(pdf, 1)
            # The regency's line above the institution's own, and never the other institution's.
            assert KABUPATEN in first and line in first, (pdf, first[:400])
            assert first.index(KABUPATEN) < first.index(line)
            assert other not in text_of(pdf)
            assert paper(pdf) == kertas, pdf
            # The kecamatan inherits the regency's label of the effective date; the dinas writes its own.
            label = "Tanggal Pengesahan" if kode == KEC else "Tanggal Efektif"
            assert label in first and ({"Tanggal Pengesahan", "Tanggal Efektif"} - {label}).pop() not in first
    # The two files called sop-surat-masuk print their own content.
    kec, dinas = (text_of(site / "pdf" / kode / "sop-surat-masuk.pdf") for kode in (KEC, DINAS))
    assert "CAMAT BUNGURSARI" in kec and "SRIKANDI" not in kec
    assert "SRIKANDI" in dinas and "CAMAT BUNGURSARI" not in dinas
    assert SAME_NOMOR in kec and SAME_NOMOR in dinas
    # No SOP of the example is printed at the top-level address of its file name.
    assert not (site / "pdf" / "sop-surat-masuk.pdf").exists()


@pytest.mark.slow
@pytest.mark.browser
def test_files_of_the_same_name_have_their_own_pages(site: Path):
    kec = page(site, f"sop/{KEC}/sop-surat-masuk")
    dinas = page(site, f"sop/{DINAS}/sop-surat-masuk")
    assert "Pengelolaan Surat Masuk Kecamatan" in kec.text and "Camat" in kec.text
    assert "SRIKANDI" in dinas.text and "Pengelolaan Surat Masuk Kecamatan" not in dinas.text
    assert KEC_LINE in kec.text and DINAS_LINE not in kec.text
    assert DINAS_LINE in dinas.text and KEC_LINE not in dinas.text
    assert SAME_NOMOR in kec.text and SAME_NOMOR in dinas.text
    # Each page links its own PDF, and the link opens that file.
    for kode, html in ((KEC, kec), (DINAS, dinas)):
        pdfs = [h for h in html.links if h.endswith("sop-surat-masuk.pdf")]
        assert pdfs, html.links
        assert target(site, f"sop/{kode}/sop-surat-masuk", pdfs[0]) == (site / "pdf" / kode / "sop-surat-masuk.pdf").resolve()
    # Every SOP of the example has its page at sop/<institution>/<file>/, nothing at sop/<file>/.
    for kode, stems in STEMS.items():
        for stem in stems:
            assert (site / "sop" / kode / stem / "index.html").is_file(), (kode, stem)
    assert not (site / "sop" / "sop-surat-masuk").exists()


@pytest.mark.slow
@pytest.mark.browser
def test_a_reference_across_institutions_links_both_ways(site: Path):
    kk_url = f"sop/{DINAS}/sop-penerbitan-kartu-keluarga"
    domisili_url = f"sop/{KEC}/sop-surat-keterangan-domisili"
    kk = page(site, kk_url)
    links = [h for h in kk.links if "sop-surat-keterangan-domisili" in h]
    assert links, kk.links
    assert target(site, kk_url, links[0]) == (site / domisili_url / "index.html").resolve()
    assert "Pelayanan Surat Keterangan Domisili" in kk.text
    # The kecamatan's SOP says the dinas's uses it, with a link that opens it.
    domisili = page(site, domisili_url)
    assert "Dipakai oleh" in domisili.text
    back = [h for h in domisili.links if "sop-penerbitan-kartu-keluarga" in h]
    assert back and target(site, domisili_url, back[0]) == (site / kk_url / "index.html").resolve()
    # A bare file name refers within the institution: the dinas's Akta Kelahiran to its own KK SOP.
    akta_url = f"sop/{DINAS}/sop-penerbitan-akta-kelahiran"
    akta = page(site, akta_url)
    own = [h for h in akta.links if "sop-penerbitan-kartu-keluarga" in h and not h.endswith(".pdf")]
    assert own and target(site, akta_url, own[0]) == (site / kk_url / "index.html").resolve()


def _binder_holds(binder: Path, expected: dict[str, str], absent: dict[str, str]) -> None:
    """The binder's outline and contents list exactly the expected SOPs, each at its page."""
    marks = [(t, p) for t, p in outline(binder) if t in {*expected.values(), *absent.values()}]
    assert sorted(t for t, _ in marks) == sorted(expected.values()), (binder, marks)
    first_sheet = min(p for _, p in marks)
    contents = squash(text_of(binder, 2, first_sheet - 1))
    for name in expected.values():
        assert squash(name) in contents, (binder, name)
    for name in absent.values():  # ('Pengelolaan Surat Masuk' is part of the kecamatan's 'Pengelolaan Surat Masuk Kecamatan')
        if not any(squash(name) in squash(own) for own in expected.values()):
            assert squash(name) not in contents, (binder, name)


@pytest.mark.slow
@pytest.mark.browser
def test_a_binder_per_institution_and_one_for_the_government(site: Path):
    kec, dinas = names(KEC), names(DINAS)
    for kode, own, other, line, kertas in ((KEC, kec, dinas, KEC_LINE, "F4"), (DINAS, dinas, kec, DINAS_LINE, "A4")):
        binder = site / "pdf" / kode / "buku-sop.pdf"
        cover = text_of(binder, 1)
        assert KABUPATEN in cover and line in cover, cover
        assert paper(binder) == kertas
        _binder_holds(binder, own, other)
        # Cover, contents (one page for a handful of SOPs), then every SOP's sheets.
        assert pages(binder) == 2 + sum(pages(site / "pdf" / kode / f"{stem}.pdf") for stem in own)
        # Each institution's sop-surat-masuk, at the page the outline gives, is its own.
        start = dict(outline(binder))[own["sop-surat-masuk"]]
        assert line in text_of(binder, start)

    # The government's: its cover, contents of one line per institution with its count of SOPs, then
    # each institution's part as its own binder (cover, contents, sheets), pages numbered throughout.
    whole = site / "pdf" / "buku-sop.pdf"
    cover = text_of(whole, 1)
    assert KABUPATEN in cover and KEC_LINE not in cover and DINAS_LINE not in cover, cover
    contents = text_of(whole, 2)
    for nama, count in (("Kecamatan Bungursari", len(kec)), ("Dinas Kependudukan dan Pencatatan Sipil", len(dinas))):
        assert re.search(rf"{nama}\s+{count}\s+\d+", contents), contents
    marks = [t for t, _ in outline(whole) if t in {*kec.values(), *dinas.values()}]
    assert sorted(marks) == sorted([*kec.values(), *dinas.values()])
    assert pages(whole) == 2 + sum(pages(site / "pdf" / kode / "buku-sop.pdf") for kode in STEMS)


@pytest.mark.slow
@pytest.mark.browser
def test_binder_covers_print_the_institution_name_in_capitals_as_its_hierarchy(tmp_path: Path):
    """Each cover's lines are in one case: the name under "ADMINISTRASI PEMERINTAHAN" is printed in capitals
    like the hierarchy above it, also when `nama:` is written "Pemerintah Kabupaten Purwakarta" (one SOP of
    the dinas, to print little)."""
    from sopcode.publish import Settings, publish

    data = tmp_path / "sop_data"
    for name in ("_instansi.yaml", "sop-surat-masuk.yaml"):  # one SOP that refers to no other
        write(data / DINAS / name, (PEMDA / DINAS / name).read_text(encoding="utf-8"))
    write(data / "_instansi.yaml", "nama: Pemerintah Kabupaten Purwakarta\nhierarki:\n  - " + KABUPATEN + "\n")
    out = tmp_path / "pdf"
    with publish(str(data), Settings(cache_dir=None)) as pub:
        assert not pub.stopped, [d.format() for d in pub.report.errors]
        pub.write_pdfs(str(out))
    covers = {"dinas": text_of(out / DINAS / "buku-sop.pdf", 1), "pemda": text_of(out / "buku-sop.pdf", 1)}
    for which, cover in covers.items():
        lines = [" ".join(line.split()) for line in cover.splitlines() if line.strip()]
        assert "ADMINISTRASI PEMERINTAHAN" in lines, (which, lines)
        assert not [line for line in lines if line != line.upper() and not line.isdigit()], (which, lines)
    assert DINAS_LINE in covers["dinas"] and KABUPATEN in covers["pemda"]
    assert squash(KABUPATEN) in squash(covers["pemda"].split("ADMINISTRASI PEMERINTAHAN", 1)[1])


@pytest.mark.slow
@pytest.mark.browser
def test_each_institution_has_a_home_and_the_list_filters_by_institution(site: Path):
    for kode, line, other in ((KEC, KEC_LINE, DINAS), (DINAS, DINAS_LINE, KEC)):
        url = f"instansi/{kode}"
        home = page(site, url)
        assert KABUPATEN in home.text and line in home.text
        opened = {target(site, url, h) for h in home.links}
        for stem in STEMS[kode]:  # every SOP of its own, and none of the other institution's
            assert (site / "sop" / kode / stem / "index.html").resolve() in opened, (kode, stem)
        assert not [p for p in opened if f"/sop/{other}/" in str(p)]
        assert (site / "pdf" / kode / "buku-sop.pdf").resolve() in opened  # its own binder
    raw = (site / "daftar-sop" / "index.html").read_text(encoding="utf-8")
    daftar = Page(raw)
    menu = re.search(r'<select id="saring-instansi"[^>]*>(.*?)</select>', raw, re.S)
    assert menu, "Daftar SOP has no institution menu"
    assert set(re.findall(r'<option value="([^"]+)"', menu.group(1))) == {KEC, DINAS}
    listed = {target(site, "daftar-sop", h) for h in daftar.links}
    for kode in STEMS:
        assert (site / "sop" / kode / "sop-surat-masuk" / "index.html").resolve() in listed
    assert (site / "pdf" / "buku-sop.pdf").resolve() in listed  # the whole government's binder


@pytest.mark.slow
@pytest.mark.browser
def test_the_printed_keterkaitan_names_the_sops_referred_to(site: Path):
    """A reference by bare file name (within the institution) or by full id (across) prints the SOP's name."""
    cases = (
        (DINAS, "sop-penerbitan-kartu-keluarga", "Penerbitan Akta Kelahiran", "sop-penerbitan-akta-kelahiran"),
        (DINAS, "sop-penerbitan-kartu-keluarga", "Pelayanan Surat Keterangan Domisili", "sop-surat-keterangan-domisili"),
        (DINAS, "sop-penerbitan-akta-kelahiran", "Penerbitan Kartu Keluarga", "sop-penerbitan-kartu-keluarga"),
        (KEC, "sop-surat-masuk", "Pelayanan Surat Keterangan Domisili", "sop-surat-keterangan-domisili"),
        (KEC, "sop-laporan-penyelenggaraan-pemerintahan-kecamatan", "Penyusunan Perencanaan Kinerja",
         "sop-pengukuran-kinerja-bungursari"),
    )
    for kode, stem, name, file_name in cases:
        text = text_of(site / "pdf" / kode / f"{stem}.pdf", 1)
        boxes = squash(text[text.index("Keterkaitan"):])
        assert squash(name) in boxes, (kode, stem, name)
        assert file_name not in text, (kode, stem, file_name)


def _mentions(text: str, name: str, own: list[str]) -> bool:
    """Whether a printed text names an SOP, a name that is part of one of ``own`` aside."""
    return squash(name) in squash(text) and not any(squash(name) in squash(o) for o in own)


@pytest.mark.slow
@pytest.mark.browser
def test_printed_monitoring_forms_hold_one_institutions_sops_under_its_header(site: Path):
    """Both institutions have a SUBBAGIAN UMUM DAN KEPEGAWAIAN: each form is one institution's, under its header."""
    kec, dinas = list(names(KEC).values()), list(names(DINAS).values())
    forms = sorted(site.rglob("formulir-*.pdf"))
    assert forms
    seen = {KEC: set(), DINAS: set()}
    for form in forms:
        head = "\n".join(text_of(form, 1).strip().splitlines()[:3])
        assert KABUPATEN in head, (form, head)
        kode, own, other = (KEC, kec, dinas) if KEC_LINE in head else (DINAS, dinas, kec)
        assert (KEC_LINE in head) != (DINAS_LINE in head), (form, head)
        text = text_of(form)
        assert not [n for n in other if _mentions(text, n, own)], (form, [n for n in other if _mentions(text, n, own)])
        seen[kode] |= {n for n in own if squash(n) in squash(text)}
    # Every SOP of each institution is on a form of its own institution.
    assert seen == {KEC: set(kec), DINAS: set(dinas)}
