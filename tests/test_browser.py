"""The built site in a real browser: headless Chromium driven by Selenium.

The site is built once with `mkdocs build` from a copy of the project and served
by Python's http.server under a sub-path (http://127.0.0.1:PORT/intranet/sop/),
which proves that every link and asset works wherever an office publishes it.
Chromium cannot resolve any host but 127.0.0.1, and every request it makes is
read back from the performance log so the last tests can prove nothing tried
to leave the machine.

Chromium and chromedriver come from Debian (`make test` installs them); the
driver is given by path so Selenium Manager never downloads anything.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BIN, SEED, copy_sources
from sopcode.model.load import load_sop

SUB_PATH = "/intranet/sop/"
SEED_PAGE = "sop/sop-pengukuran-kinerja-bungursari/"
RELATED_PAGE = "sop/sop-laporan-penyelenggaraan-pemerintahan-kecamatan/"
WAIT = 10  # seconds for anything the page does after it has loaded
IGNORED_SCHEMES = {"data", "blob", "about", "chrome-extension"}
INSTALL_HINT = "sudo apt-get install -y chromium chromium-driver fonts-dejavu-core"


def find_program(*candidates: str) -> str | None:
    for name in candidates:
        found = shutil.which(name)
        if found:
            return found
    return None


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="module")
def seed():
    sop, diagnostics = load_sop(str(SEED))
    assert sop is not None, diagnostics
    return sop


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    """Build the site into <www>/intranet/sop/ and serve <www> on a free local port."""
    root = tmp_path_factory.mktemp("situs")
    (root / "sumber").mkdir()
    sources = copy_sources(root / "sumber")
    www = root / "www"
    site_dir = www / SUB_PATH.strip("/")
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--site-dir", str(site_dir)], cwd=sources,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr

    handler = functools.partial(QuietHandler, directory=str(www))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="situs-sop", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    chromium = find_program("chromium", "chromium-browser")
    chromedriver = find_program("chromedriver")
    missing = [name for name, path in (("chromium", chromium), ("chromedriver", chromedriver)) if not path]
    if missing:
        pytest.fail(
            f"Uji peramban membutuhkan Chromium dan chromedriver, tetapi {' dan '.join(missing)} tidak ditemukan. "
            f"Jalankan `make test` sebagai root, atau pasang dulu: {INSTALL_HINT}",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900",
                     # Only 127.0.0.1 resolves: nothing can reach the internet.
                     "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def requested() -> list[str]:
    """Every URL the browser asked for during this module."""
    return []


@pytest.fixture(autouse=True)
def _record_requests(browser, requested):
    yield
    drain_requests(browser, requested)


def drain_requests(driver, sink: list[str]) -> None:
    """Move the URLs of all requests since the last call from the performance log into ``sink``."""
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            sink.append(params["request"]["url"])
        elif method == "Network.webSocketCreated":
            sink.append(params["url"])


def heading(driver) -> str:
    """Text of the page's title heading (without a permalink sign, if any)."""
    h1 = WebDriverWait(driver, WAIT).until(EC.presence_of_element_located((By.CSS_SELECTOR, "article h1")))
    return h1.text.replace("¶", "").strip()


def search(driver, base_url: str, query: str, wanted: str) -> list[str]:
    """Type ``query`` into Material's search on the home page; the result links once one starts with ``wanted``."""
    driver.get(base_url)
    box = WebDriverWait(driver, WAIT).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "input.md-search__input")))
    if not box.is_displayed():  # narrow layouts hide the field behind the search button
        driver.find_element(By.CSS_SELECTOR, 'label.md-header__button[for="__search"]').click()
        WebDriverWait(driver, WAIT).until(EC.visibility_of(box))
    box.click()
    box.send_keys(query)

    def result_links(d):
        links = [a.get_attribute("href") or "" for a in
                 d.find_elements(By.CSS_SELECTOR, ".md-search-result__item a")]
        return links if any(link.startswith(wanted) for link in links) else False

    try:
        return WebDriverWait(driver, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(result_links)
    except TimeoutException:
        pass
    found = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item a")]
    meta = driver.find_elements(By.CSS_SELECTOR, ".md-search-result__meta")
    pytest.fail(f"Pencarian '{query}' tidak menampilkan {wanted}. "
                f"Keterangan hasil: {meta[0].text if meta else '-'!r}; tautan hasil: {found}", pytrace=False)


def test_seed_page_shows_its_title_and_flowchart(browser, base_url, seed):
    browser.get(base_url + SEED_PAGE)
    assert heading(browser) == seed.nama

    charts = browser.find_elements(By.CSS_SELECTOR, "article svg.swimlane")
    assert len(charts) == 1, "halaman SOP harus memuat tepat satu bagan alir <svg class=\"swimlane\"> di dalam isi"
    chart = charts[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
    box = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return {width: r.width, height: r.height};", chart)
    assert chart.is_displayed() and box["width"] > 0 and box["height"] > 0, f"bagan alir tidak tampak: {box}"
    steps = chart.find_elements(By.CSS_SELECTOR, "g.langkah")
    assert len(steps) == len(seed.langkah)


def test_search_finds_the_seed_by_a_word_of_a_step(browser, base_url, seed):
    word = "Penandatanganan"
    assert any(word in step.kegiatan for step in seed.langkah)
    links = search(browser, base_url, word, base_url + SEED_PAGE)
    assert any(link.startswith(base_url + SEED_PAGE) for link in links)


def test_search_finds_the_seed_by_an_indonesian_root_word(browser, base_url):
    # "ukur" is the root of "pengukuran": needs the Indonesian stemmer in the search index.
    links = search(browser, base_url, "ukur", base_url + SEED_PAGE)
    assert any(link.startswith(base_url + SEED_PAGE) for link in links)


def test_keterkaitan_link_opens_the_related_sop(browser, base_url, seed):
    browser.get(base_url + RELATED_PAGE)
    links = browser.find_elements(By.CSS_SELECTOR, 'article a[href*="sop-pengukuran-kinerja-bungursari"]')
    assert links, "kotak Keterkaitan tidak memuat tautan ke SOP seed"
    link = links[0]
    href = link.get_attribute("href")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    WebDriverWait(browser, WAIT).until(EC.element_to_be_clickable(link)).click()
    WebDriverWait(browser, WAIT).until(EC.url_changes(base_url + RELATED_PAGE))
    assert browser.current_url == base_url + SEED_PAGE, \
        f"tautan Keterkaitan ({href}) membuka {browser.current_url}, bukan {base_url + SEED_PAGE}"
    WebDriverWait(browser, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: heading(d) == seed.nama)


def visit_pages_and_drain(browser, base_url: str, requested: list[str]) -> None:
    # The last two tests check the requests of every test above, plus two pages
    # of their own so that they still mean something when run alone.
    for page in ("", SEED_PAGE):
        browser.get(base_url + page)
        heading(browser)
    drain_requests(browser, requested)
    assert any(urlsplit(url).hostname == "127.0.0.1" for url in requested), \
        "log jaringan peramban kosong; uji ini tidak memeriksa apa pun"


def test_no_request_leaves_the_machine(browser, base_url, requested):
    visit_pages_and_drain(browser, base_url, requested)
    outside = sorted({url for url in requested
                      if urlsplit(url).scheme not in IGNORED_SCHEMES and urlsplit(url).hostname != "127.0.0.1"})
    assert not outside, f"situs meminta sumber dari luar mesin: {outside}"


def test_every_local_request_stays_under_the_sub_path(browser, base_url, requested):
    # A site published at /intranet/sop/ must not ask for /assets/... or /search/... at the root.
    visit_pages_and_drain(browser, base_url, requested)
    # Chromium asks for /favicon.ico by itself on pages that name no icon (the
    # server's own 404 page, say); that request is the browser's, not the site's.
    stray = sorted({url for url in requested
                    if urlsplit(url).hostname == "127.0.0.1" and urlsplit(url).path != "/favicon.ico"
                    and not urlsplit(url).path.startswith(SUB_PATH)})
    assert not stray, f"permintaan di luar sub-path {SUB_PATH}: {stray}"
