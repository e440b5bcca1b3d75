"""The built site in a real browser: headless Chromium driven by the project's own DevTools client.

The site is built once with `mkdocs build` from a copy of the project and served
by Python's http.server under a sub-path (http://127.0.0.1:PORT/intranet/sop/),
which proves that every link and asset works wherever an office publishes it.
Chromium cannot resolve any host but 127.0.0.1, and every request it makes is
read back from DevTools' Network events (:class:`RequestLog`) so the last tests
can prove nothing tried to leave the machine.

Chromium comes from Debian (`make test` installs it); the client is the one that
prints the sheets (`sopcode.sheets.chromium`): one browser stack, no driver.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from test_indonesian import PROPER_NAMES, english

from conftest import BIN, FIXTURES, build_site, copy_sources
from sopcode.sheets.chromium import (
    Chromium,
    ChromiumMissing,
    PrintError,
    RequestLog,
    Tab,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SUB_PATH = "/intranet/sop/"
SEED_PAGE = "sop/sop-pengukuran-kinerja-bungursari/"
RELATED_PAGE = "sop/sop-laporan-penyelenggaraan-pemerintahan-kecamatan/"
WAIT = 10  # seconds for anything the page does after it has loaded
IGNORED_SCHEMES = {"data", "blob", "about", "chrome-extension"}
INSTALL_HINT = "sudo apt-get install -y chromium fonts-dejavu-core"
SHOWN = "checkVisibility({checkOpacity: true, checkVisibilityCSS: true})"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def _serve(www: object, name: str, path: str = SUB_PATH):
    """Serve ``www`` on a free local port while the caller's fixture lasts; yields the site's address
    (``path`` below the server's root)."""
    handler = functools.partial(QuietHandler, directory=str(www))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def start_chromium(*arguments: str) -> Chromium:
    """A headless Chromium started with ``arguments``; without one, the test fails saying how to get it."""
    try:
        return Chromium(arguments=arguments)
    except ChromiumMissing as exc:
        pytest.fail(f"Uji peramban membutuhkan Chromium: {exc}. "
                    f"Jalankan `make test` sebagai root, atau pasang dulu: {INSTALL_HINT}", pytrace=False)


def serve_seed_site(tmp_path_factory, name: str, thread: str) -> Iterator[str]:
    """Build the repository's site with `mkdocs build` into <www>/intranet/sop/ and serve <www> on a free
    local port while the caller's fixture lasts; yields the site's address."""
    root = tmp_path_factory.mktemp(name)
    (root / "sumber").mkdir()
    sources = copy_sources(root / "sumber")
    www = root / "www"
    site_dir = www / SUB_PATH.strip("/")
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--site-dir", str(site_dir)], cwd=sources,
                            check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr

    yield from _serve(www, thread)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    yield from serve_seed_site(tmp_path_factory, "situs", "situs-sop")


@pytest.fixture(scope="module")
def browser() -> Iterator[Tab]:
    """One tab for the whole module, in a window the size of a desktop screen."""
    with start_chromium("--window-size=1280,900") as chromium:
        yield chromium.new_tab()


@pytest.fixture(scope="module")
def request_log(browser: Tab) -> Iterator[RequestLog]:
    """The module's tab's requests, recorded from before its first page."""
    with browser.request_log() as log:
        yield log


@pytest.fixture(scope="module")
def requested() -> list[str]:
    """Every URL the browser asked for during this module."""
    return []


@pytest.fixture(autouse=True)
def _record_requests(request_log, requested):
    yield
    requested.extend(request_log.urls())


def js(value) -> str:
    """A Python string or number as a JavaScript literal."""
    return json.dumps(value)


def heading(tab: Tab) -> str:
    """Text of the page's title heading (without a permalink sign, if any)."""
    found = tab.wait_for("(() => { const h = document.querySelector('article h1'); return h && {text: h.innerText} })()",
                         WAIT, "judul halaman (article h1)")
    return found["text"].replace("¶", "").strip()


def search(tab: Tab, base_url: str, query: str, wanted: str) -> list[str]:
    """Type ``query`` into Material's search on the home page; the result links once one starts with ``wanted``."""
    tab.goto(base_url)
    box = "document.querySelector('input.md-search__input')"
    tab.wait_for(f"{box} !== null", WAIT, "kotak pencarian")
    if not tab.evaluate(f"{box}.{SHOWN}"):  # narrow layouts hide the field behind the search button
        tab.click('label.md-header__button[for="__search"]')
        tab.wait_for(f"{box}.{SHOWN}", WAIT, "kotak pencarian tampak")
    tab.click("input.md-search__input")
    tab.type(query)
    links = "[...document.querySelectorAll('.md-search-result__item a')].map(a => a.href || '')"
    try:
        return tab.wait_for(f"(() => {{ const l = {links}; return l.some(h => h.startsWith({js(wanted)})) && l }})()",
                            WAIT, "hasil pencarian")
    except PrintError:
        pass
    found = tab.evaluate(links)
    meta = tab.evaluate("document.querySelector('.md-search-result__meta')?.innerText ?? '-'")
    pytest.fail(f"Pencarian '{query}' tidak menampilkan {wanted}. "
                f"Keterangan hasil: {meta!r}; tautan hasil: {found}", pytrace=False)


def test_seed_page_shows_its_title_and_flowchart(browser, base_url, seed):
    browser.goto(base_url + SEED_PAGE)
    assert heading(browser) == seed.nama

    charts = browser.evaluate("document.querySelectorAll('article svg.swimlane').length")
    assert charts == 1, "halaman SOP harus memuat tepat satu bagan alir <svg class=\"swimlane\"> di dalam isi"
    box = browser.evaluate(
        "(() => { const chart = document.querySelector('article svg.swimlane');"
        " chart.scrollIntoView({block: 'center'}); const r = chart.getBoundingClientRect();"
        f" return {{width: r.width, height: r.height, shown: chart.{SHOWN}}}; }})()")
    assert box["shown"] and box["width"] > 0 and box["height"] > 0, f"bagan alir tidak tampak: {box}"
    steps = browser.evaluate("document.querySelector('article svg.swimlane').querySelectorAll('g.langkah').length")
    assert steps == len(seed.langkah)


def test_search_finds_the_seed_by_a_word_of_a_step(browser, base_url, seed):
    word = "Penandatanganan"
    assert any(word in step.kegiatan for step in seed.langkah)
    links = search(browser, base_url, word, base_url + SEED_PAGE)
    assert any(link.startswith(base_url + SEED_PAGE) for link in links)


def test_search_finds_the_seed_by_an_indonesian_root_word(browser, base_url):
    # "ukur" is the root of "pengukuran": needs the Indonesian stemmer in the search index.
    links = search(browser, base_url, "ukur", base_url + SEED_PAGE)
    assert any(link.startswith(base_url + SEED_PAGE) for link in links)


SHOWN_WORDS = """(() => {
  const out = [], skip = new Set(['CODE', 'PRE', 'SCRIPT', 'STYLE']);
  const walk = el => { for (const n of el.childNodes) {
    if (n.nodeType === 3) out.push(n.textContent); else if (n.nodeType === 1 && !skip.has(n.nodeName)) walk(n); } };
  walk(document.body);
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
  return out.join(' ');
})()"""
"""Every word a page shows or says to a screen reader once its scripts have run (code aside)."""


def english_shown(tab: Tab) -> list[str]:
    words = tab.evaluate(SHOWN_WORDS)
    for name in PROPER_NAMES:
        words = words.replace(name, " ")
    return english(words)


def test_what_the_scripts_show_is_indonesian_too(browser, base_url):
    """The theme's scripts add words after the page loads (search results and their count, the
    button back to the top): read in the browser, they hold no English word of the theme."""
    found = {}
    # 404.html aside: without site_url MkDocs gives it addresses from the server's root (it is served at
    # any depth), which lie outside this sub-path; test_indonesian reads it as built.
    for page in ("", "daftar-sop/", SEED_PAGE, "panduan/menulis-sop/"):
        browser.goto(base_url + page)
        browser.wait_for("document.readyState === 'complete'", WAIT, "halaman dimuat")
        browser.evaluate("window.scrollTo(0, document.body.scrollHeight / 2); window.scrollBy(0, -200)")
        found[page or "beranda"] = english_shown(browser)
    search(browser, base_url, "domisili", base_url + "sop/")
    found["pencarian"] = english_shown(browser)
    browser.click("input.md-search__input")
    browser.evaluate("document.querySelector('input.md-search__input').value = ''")
    browser.type("zzqxj")
    browser.wait_for("(document.querySelector('.md-search-result__meta')?.innerText ?? '').includes('Tidak ada')",
                     WAIT, "keterangan pencarian tanpa hasil")
    found["pencarian tanpa hasil"] = english_shown(browser)
    assert not {page: words for page, words in found.items() if words}, found


VERSION_NOTE = ("(() => { const p = document.querySelector('.sop-periksa-versi');"
                " return p && !p.hidden && p.getAttribute('role') === 'status' && {text: p.innerText} })()")


def test_a_printed_sheets_qr_address_says_whether_that_revision_is_in_force(browser, base_url):
    """A sheet's QR code opens its SOP's page with ?rev=&tgl=: the page says whether that paper is current
    (this copy of the site has no git history: the revision is its tanggal revisi alone)."""
    browser.goto(base_url + RELATED_PAGE + "?tgl=2023-01-09")
    assert browser.wait_for(VERSION_NOTE, WAIT, "catatan periksa versi")["text"] == "Lembar ini versi yang berlaku."
    browser.goto(base_url + RELATED_PAGE + "?rev=abcdef1&tgl=2020-05-04")
    text = browser.wait_for(VERSION_NOTE, WAIT, "catatan periksa versi")["text"]
    assert text.startswith("Sudah ada versi yang lebih baru:") and "09 Januari 2023" in text
    browser.goto(base_url + RELATED_PAGE)
    heading(browser)
    assert browser.evaluate("document.querySelector('.sop-periksa-versi').hidden") is True  # opened without a code: nothing


def test_monev_tables_fit_a_desktop_window_with_one_scroll_box_at_most(browser, base_url):
    """Each unit's table on "Monitoring dan evaluasi" fits a 1280 px window (no scrollbar), and the theme's
    own scrolling wrapper inside ours does not scroll too (a narrow screen would show two scrollbars)."""
    browser.goto(base_url + "monitoring-dan-evaluasi/")
    heading(browser)
    boxes = browser.wait_for(
        "(() => { const w = [...document.querySelectorAll('article .sop-monev')];"
        " return w.length && w.map(d => ({wide: d.scrollWidth > d.clientWidth,"
        " inner: [...d.querySelectorAll('*')].filter(e => getComputedStyle(e).overflowX !== 'visible').length})) })()",
        WAIT, "tabel monitoring per unit")
    assert boxes and all(not b["wide"] for b in boxes), boxes
    assert all(b["inner"] == 0 for b in boxes), boxes


def test_keterkaitan_link_opens_the_related_sop(browser, base_url, seed):
    browser.goto(base_url + RELATED_PAGE)
    selector = 'article a[href*="sop-pengukuran-kinerja-bungursari"]'
    href = browser.evaluate(f"document.querySelector({js(selector)})?.href ?? null")
    assert href, "kotak Keterkaitan tidak memuat tautan ke SOP seed"
    browser.click(selector)  # a real mouse click, once the link is shown and nothing covers it
    browser.wait_for(f"location.href !== {js(base_url + RELATED_PAGE)}", WAIT, "halaman berganti")
    assert browser.url == base_url + SEED_PAGE, \
        f"tautan Keterkaitan ({href}) membuka {browser.url}, bukan {base_url + SEED_PAGE}"
    browser.wait_for("(() => { const h = document.querySelector('article h1');"
                     f" return h && h.innerText.replaceAll('¶', '').trim() === {js(seed.nama)} }})()",
                     WAIT, f"judul {seed.nama!r}")


# --- Daftar SOP filtered by status, on a site with SOPs of several statuses ---------------------

STATUS_FIXTURES = ("minimal.yaml", "dicabut-diganti.yaml", "belum-berlaku.yaml")
SUPERSEDED = "sop-rekomendasi-izin-keramaian"


@pytest.fixture(scope="module")
def status_site(tmp_path_factory) -> Iterator[str]:
    """The seed site plus the status fixtures (withdrawn, not yet in force) and a superseded seed SOP,
    built in this process and served under the same sub-path."""
    root = tmp_path_factory.mktemp("situs-status")
    (root / "sumber").mkdir()
    project = copy_sources(root / "sumber")
    for name in STATUS_FIXTURES:
        shutil.copy(FIXTURES / "baik" / name, project / "sop_data" / name)
    with (project / "sop_data" / f"{SUPERSEDED}.yaml").open("a", encoding="utf-8") as f:
        f.write("diganti_oleh: minimal\n")
    www = root / "www"
    build_site(project, str(www / SUB_PATH.strip("/")))
    yield from _serve(www, "situs-status")


SHOWN_ROWS = ("[...document.querySelectorAll('.sop-daftar tr[data-status]')]"
              ".filter(r => r.checkVisibility()).map(r => r.querySelector('a').getAttribute('href'))")


def choose_status(tab: Tab, status: str) -> list[str]:
    """Pick ``status`` in the menu from the keyboard (focus, type its first word, as a reader picks an
    option of a closed menu); the rows then shown."""
    time.sleep(1.1)  # the menu's type-ahead forgets earlier key presses after a second
    tab.evaluate("document.getElementById('saring-status').focus()")
    assert tab.evaluate("document.activeElement.id") == "saring-status"
    tab.type(status.split()[0])
    tab.wait_for(f"document.getElementById('saring-status').value === {js(status)}", WAIT, f"status {status!r}")
    return sorted(tab.evaluate(SHOWN_ROWS))


def test_daftar_sop_filters_by_status_with_the_text_filter(browser, status_site):
    browser.goto(status_site + "daftar-sop/")
    browser.wait_for("document.getElementById('saring-status') !== null", WAIT, "pilihan status")
    label = browser.evaluate("document.querySelector('label[for=saring-status]').innerText.trim()")
    options = browser.evaluate("[...document.querySelectorAll('#saring-status option')].map(o => o.text)")
    assert (label, options) == ("Status", ["semua", "berlaku", "draf", "belum berlaku", "dicabut", "diganti"])
    every = browser.evaluate("[...document.querySelectorAll('.sop-daftar tr[data-status]')]"
                             ".map(r => [r.querySelector('a').getAttribute('href'), r.dataset.status])")
    by_status: dict[str, list[str]] = {}
    for href, status in every:
        by_status.setdefault(status, []).append(href)
    assert {"berlaku", "belum berlaku", "dicabut", "diganti"} <= set(by_status)

    for status in ("dicabut", "belum berlaku", "diganti", "berlaku"):
        assert choose_status(browser, status) == sorted(by_status[status]), status
    assert choose_status(browser, "dicabut") == ["../sop/dicabut-diganti/"]
    assert not browser.evaluate("document.querySelector('.sop-saring-kosong').checkVisibility()")

    # With the text filter: words and status both hold; nothing left is said in a sentence.
    browser.click("#saring-sop")
    browser.type("tamu")
    browser.wait_for(f"(() => {{ const r = {SHOWN_ROWS}; return r.length === 1 && r }})()", WAIT, "baris 'tamu'")
    assert choose_status(browser, "belum berlaku") == ["../sop/belum-berlaku/"]
    assert choose_status(browser, "diganti") == []
    empty = browser.wait_for("(() => { const p = document.querySelector('.sop-saring-kosong');"
                             " return p.checkVisibility() && p.innerText })()", WAIT, "kalimat 'tidak ada SOP'")
    assert empty == "Tidak ada SOP yang cocok dengan saringan ini."
    browser.evaluate("(() => { const s = document.getElementById('saring-status'); s.value = '';"
                     " s.dispatchEvent(new Event('change')) })()")
    assert len(browser.evaluate(SHOWN_ROWS)) == 3  # 'tamu': minimal, dicabut-diganti, belum-berlaku


# --- A site of several institutions: Daftar SOP by institution and unit, an institution's own search ----

PEMDA_DINAS, PEMDA_KEC = "dinas-kependudukan", "kecamatan-bungursari"
SHARED_UNIT = "SUBBAGIAN UMUM DAN KEPEGAWAIAN"
"""A unit both institutions of tests/fixtures/pemda have."""


def serve_pemda_site(tmp_path_factory, name: str) -> Iterator[str]:
    """The two-institution example (tests/fixtures/pemda) built without PDFs and served under the sub-path."""
    from test_pemda import pemda_project

    root = tmp_path_factory.mktemp(name)
    project = pemda_project(root / "sumber")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "data_dir: sop_data", "data_dir: sop_data\n      pdf: false"), encoding="utf-8")
    www = root / "www"
    build_site(project, str(www / SUB_PATH.strip("/")))
    yield from _serve(www, name)


@pytest.fixture(scope="module")
def pemda_site(tmp_path_factory) -> Iterator[str]:
    yield from serve_pemda_site(tmp_path_factory, "situs-pemda")


SHOWN_SOPS = ("[...document.querySelectorAll('.sop-daftar tr[data-saring]')].filter(r => r.checkVisibility())"
              ".map(r => r.querySelector('a').getAttribute('href'))")
OFFERED_UNITS = "[...document.querySelectorAll('#saring-unit option')].filter(o => !o.hidden && o.value).map(o => o.value)"


def choose(tab: Tab, menu: str, value: str) -> None:
    """Pick ``value`` in the menu ``#<menu>`` as a reader does from the keyboard: focus it, then the arrow
    keys (up or down) until it is chosen, each key press a change of its own."""
    here = f"document.getElementById({js(menu)})"
    tab.evaluate(f"{here}.focus()")
    wanted = tab.evaluate(f"[...{here}.options].findIndex(o => o.value === {js(value)})")
    assert wanted >= 0, (menu, value)
    for _ in range(30):
        index = tab.evaluate(f"{here}.selectedIndex")
        if index == wanted:
            return
        key, code = ("ArrowDown", 40) if index < wanted else ("ArrowUp", 38)
        for kind in ("keyDown", "keyUp"):
            tab.send("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code})
    pytest.fail(f"pilihan {value!r} tidak tercapai di menu {menu}", pytrace=False)


def test_daftar_sop_filters_by_institution_then_unit_and_keeps_them_in_the_address(browser, pemda_site):
    browser.goto(pemda_site + "daftar-sop/")
    browser.wait_for("document.getElementById('saring-instansi') !== null", WAIT, "pilihan instansi")
    every = sorted(browser.evaluate(SHOWN_SOPS))
    assert len(every) == 8
    assert set(browser.evaluate(OFFERED_UNITS)) > {SHARED_UNIT, "SEKSI PELAYANAN UMUM", "BIDANG PELAYANAN PENCATATAN SIPIL"}

    # An institution: only its rows, and only its units offered.
    choose(browser, "saring-instansi", PEMDA_DINAS)
    dinas = browser.wait_for(f"(() => {{ const r = {SHOWN_SOPS}; return r.length === 3 && r }})()", WAIT, "baris dinas")
    assert all(h.startswith(f"../sop/{PEMDA_DINAS}/") for h in dinas), dinas
    assert sorted(browser.evaluate(OFFERED_UNITS)) == [
        "BIDANG PELAYANAN PENCATATAN SIPIL", "BIDANG PELAYANAN PENDAFTARAN PENDUDUK", SHARED_UNIT]
    # Then a unit both institutions have: the dinas's one SOP of it.
    choose(browser, "saring-unit", SHARED_UNIT)
    browser.wait_for(f"(() => {{ const r = {SHOWN_SOPS}; return r.length === 1 && r }})()", WAIT, "baris unit")
    assert browser.evaluate(SHOWN_SOPS) == [f"../sop/{PEMDA_DINAS}/sop-surat-masuk/"]
    assert browser.evaluate("document.querySelector('.sop-saring-hasil').innerText") == "1 dari 8 SOP"
    # The choices are in the address: opened again from it, the list is filtered alike.
    address = browser.evaluate("location.href")
    assert f"instansi={PEMDA_DINAS}" in address and "unit=SUBBAGIAN+UMUM+DAN+KEPEGAWAIAN" in address, address
    browser.goto(address)
    browser.wait_for(f"(() => {{ const r = {SHOWN_SOPS}; return r.length === 1 && r }})()", WAIT, "baris dari alamat")
    assert browser.evaluate("document.getElementById('saring-instansi').value") == PEMDA_DINAS
    # Without the institution, the shared unit holds both institutions' SOP of it.
    choose(browser, "saring-instansi", "")
    both = browser.wait_for(f"(() => {{ const r = {SHOWN_SOPS}; return r.length === 2 && r }})()", WAIT, "dua baris")
    assert sorted(both) == [f"../sop/{PEMDA_DINAS}/sop-surat-masuk/", f"../sop/{PEMDA_KEC}/sop-surat-masuk/"]


def test_an_institution_home_links_to_daftar_sop_filtered_to_it(browser, pemda_site):
    browser.goto(pemda_site + f"instansi/{PEMDA_KEC}/")
    assert heading(browser) == "Kecamatan Bungursari"
    browser.click("a.sop-instansi-daftar")
    rows = browser.wait_for(f"(() => {{ const r = location.pathname.endsWith('/daftar-sop/') && {SHOWN_SOPS};"
                            f" return r && r.length === 5 && r }})()", WAIT, "daftar SOP kecamatan")
    assert all(h.startswith(f"../sop/{PEMDA_KEC}/") for h in rows), rows
    assert browser.evaluate("document.getElementById('saring-instansi').value") == PEMDA_KEC


def test_an_institution_home_searches_its_own_sops_only(browser, pemda_site):
    """The home's search box: 'surat masuk' finds the dinas's own SOP only (the kecamatan's has the same
    file name), and a word of a box ('srikandi', an application in Peralatan/Perlengkapan) finds it too."""
    browser.goto(pemda_site + f"instansi/{PEMDA_DINAS}/")
    heading(browser)
    browser.click("#saring-sop")
    browser.type("surat masuk")
    found = browser.wait_for(f"(() => {{ const r = {SHOWN_SOPS}; return r.length === 1 && r }})()", WAIT, "hasil 'surat masuk'")
    assert found == [f"../../sop/{PEMDA_DINAS}/sop-surat-masuk/"]
    browser.evaluate("(() => { const b = document.getElementById('saring-sop'); b.value = 'srikandi';"
                     " b.dispatchEvent(new Event('input')) })()")
    assert browser.evaluate(SHOWN_SOPS) == [f"../../sop/{PEMDA_DINAS}/sop-surat-masuk/"]
    browser.evaluate("(() => { const b = document.getElementById('saring-sop'); b.value = 'keramaian';"
                     " b.dispatchEvent(new Event('input')) })()")  # the kecamatan's SOP: not here
    assert browser.evaluate(SHOWN_SOPS) == []
    assert browser.evaluate("document.querySelector('.sop-saring-kosong').checkVisibility()")


def test_search_with_an_institutions_name_finds_its_sop_first(browser, pemda_site):
    """The site's search has no scopes; each SOP page carries its institution's name, so adding the name's
    words puts that institution's SOP before the other institution's SOP of the same title."""
    dinas = pemda_site + f"sop/{PEMDA_DINAS}/sop-surat-masuk/"
    query = "kependudukan surat masuk"
    search(browser, pemda_site, query, dinas)
    links = "[...document.querySelectorAll('.md-search-result__item a')].map(a => a.href || '')"
    typed = "h=" + query.replace(" ", "+")  # results of the whole query (not of the letters typed so far)
    browser.wait_for(f"{links}.some(h => h.includes({js(typed)}))", WAIT, "hasil untuk seluruh kata")
    time.sleep(0.5)  # the last results settle
    found = browser.evaluate(links)
    pages = [h.split("#")[0].split("?")[0] for h in found]  # without the highlighted words and the section
    kec = pemda_site + f"sop/{PEMDA_KEC}/sop-surat-masuk/"
    assert dinas in pages, found
    assert kec not in pages or pages.index(kec) > pages.index(dinas), found


def visit_pages_and_drain(browser: Tab, base_url: str, request_log: RequestLog, requested: list[str]) -> None:
    # The last two tests check the requests of every test above, plus two pages
    # of their own so that they still mean something when run alone.
    for page in ("", SEED_PAGE):
        browser.goto(base_url + page)
        heading(browser)
    requested.extend(request_log.urls())
    assert any(urlsplit(url).hostname == "127.0.0.1" for url in requested), \
        "log jaringan peramban kosong; uji ini tidak memeriksa apa pun"


def test_no_request_leaves_the_machine(browser, base_url, request_log, requested):
    visit_pages_and_drain(browser, base_url, request_log, requested)
    outside = sorted({url for url in requested
                      if urlsplit(url).scheme not in IGNORED_SCHEMES and urlsplit(url).hostname != "127.0.0.1"})
    assert not outside, f"situs meminta sumber dari luar mesin: {outside}"


def test_every_local_request_stays_under_the_sub_path(browser, base_url, request_log, requested):
    # A site published at /intranet/sop/ must not ask for /assets/... or /search/... at the root.
    visit_pages_and_drain(browser, base_url, request_log, requested)
    # Chromium asks for /favicon.ico by itself on pages that name no icon (the
    # server's own 404 page, say); that request is the browser's, not the site's.
    stray = sorted({url for url in requested
                    if urlsplit(url).hostname == "127.0.0.1" and urlsplit(url).path != "/favicon.ico"
                    and not urlsplit(url).path.startswith(SUB_PATH)})
    assert not stray, f"permintaan di luar sub-path {SUB_PATH}: {stray}"

