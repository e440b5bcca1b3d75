"""An automated accessibility audit of the built site (issue 18, item 8): axe-core, run in headless Chromium.

axe-core comes from a registry, not from the network at test time: the PyPI wheel
axe-playwright-python ships it as ``axe_playwright_python/axe.min.js`` (axe-core 4.12.1, MPL-2.0).
The Makefile installs that wheel without its dependencies (it would pull Playwright, which we do not
use), so the package is never imported here: the file is found from the package's location alone.

The script is injected into each page by Runtime.evaluate through the project's own DevTools client,
and the audit runs on the whole document (nothing is excluded) at a desktop width and a phone's width.
A page passes when axe finds no violation of impact "serious" or "critical".
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_browser import SEED_PAGE, WAIT, search, serve_pemda_site, serve_seed_site, start_chromium

from sopcode.sheets.chromium import Tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_PACKAGE = "axe-playwright-python==0.1.8"
AXE_INSTALL = f".venv/bin/python -m pip install --no-deps '{AXE_PACKAGE}'"
SERIOUS = {"serious", "critical"}

PAGES = {
    "beranda": "",
    "daftar SOP": "daftar-sop/",
    "SOP seed": SEED_PAGE,
    "SOP dengan keputusan": "sop/sop-rekomendasi-izin-keramaian/",
    "panduan menulis SOP": "panduan/menulis-sop/",
    "monitoring dan evaluasi": "monitoring-dan-evaluasi/",
    "perubahan terbaru": "perubahan-terbaru/",
}
PEMDA_HOME = "instansi/kecamatan-bungursari/"
WIDTHS = {
    1366: {"width": 1366, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    390: {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
}

RUN_AXE = """axe.run(document, {resultTypes: ['violations']}).then(r => ({passed: r.passes.length,
  violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''}))}))}))"""
MIN_PASSED = 30  # rules axe finds met on every page here (46 to 49): fewer means it did not really run


def axe_script() -> str:
    """axe.min.js from the installed axe-playwright-python, found without importing the package
    (its __init__ imports Playwright, which is not installed)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "axe.min.js"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.fail(f"Audit aksesibilitas membutuhkan axe-core dari paket {AXE_PACKAGE}, yang belum terpasang. "
                f"Pasang dengan: {AXE_INSTALL} (pada klon baru, `make test` memasangnya). "
                f"axe-core is missing: install it with the command above.", pytrace=False)


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    """The repository's site, built by `mkdocs build`, served under the sub-path."""
    yield from serve_seed_site(tmp_path_factory, "situs-axe", "situs-axe")


@pytest.fixture(scope="module")
def pemda_url(tmp_path_factory) -> Iterator[str]:
    yield from serve_pemda_site(tmp_path_factory, "axe-pemda")


@pytest.fixture(scope="module")
def tab() -> Iterator[Tab]:
    with start_chromium("--window-size=1366,900") as chromium:
        yield chromium.new_tab()


@contextmanager
def shown_at(tab: Tab, width: int) -> Iterator[Tab]:
    """The tab as a screen ``width`` px wide, for one test."""
    tab.send("Emulation.setDeviceMetricsOverride", WIDTHS[width])
    try:
        yield tab
    finally:
        tab.send("Emulation.clearDeviceMetricsOverride")


def open_page(tab: Tab, url: str) -> None:
    """``url`` loaded and its own scripts run (the theme's and sop.js)."""
    tab.goto(url)
    tab.wait_for("document.readyState === 'complete' && document.querySelector('article h1') !== null",
                 WAIT, "halaman dimuat")


def audit(tab: Tab, axe: str) -> list[dict]:
    """axe's violations on the page the tab shows now, the whole document, once nothing on it moves
    (colours read halfway through the theme's fading in are not the page's)."""
    tab.wait_for("document.getAnimations().every(a => a.playState !== 'running')", WAIT, "animasi selesai")
    tab.evaluate(axe + "\n;true")
    result = tab.evaluate(RUN_AXE)
    assert result["passed"] >= MIN_PASSED, f"axe-core hanya memeriksa {result['passed']} aturan: audit tidak berjalan"
    return result["violations"]


def report(page: str, width: int, violations: list[dict]) -> str:
    """The serious and critical violations as a developer reads them to fix them."""
    lines = [f"axe-core menemukan pelanggaran serius/kritis di {page} ({width} px):"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({len(v['nodes'])} elemen)")
        for node in v["nodes"][:3]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_no_serious(page: str, width: int, violations: list[dict]) -> None:
    serious = [v for v in violations if v["impact"] in SERIOUS]
    assert not serious, report(page, width, serious)


def test_axe_script_is_installed_from_its_wheel(axe):
    assert axe.startswith("/*! axe v4."), axe[:40]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_serious_accessibility_violation(tab, axe, site_url, page, width):
    with shown_at(tab, width):
        open_page(tab, site_url + PAGES[page])
        assert_no_serious(page, width, audit(tab, axe))


@pytest.mark.parametrize("width", WIDTHS)
def test_open_search_with_results_has_no_serious_accessibility_violation(tab, axe, site_url, width):
    """The theme's search dialog, open over the home page and listing results (it is hidden otherwise,
    and axe checks only what is shown)."""
    with shown_at(tab, width):
        search(tab, site_url, "domisili", site_url + "sop/")
        assert_no_serious("pencarian terbuka", width, audit(tab, axe))


def test_open_navigation_drawer_on_a_phone_has_no_serious_accessibility_violation(tab, axe, site_url):
    """At a phone's width the navigation is a drawer opened by the header's menu button (hidden till then)."""
    with shown_at(tab, 390):
        open_page(tab, site_url + SEED_PAGE)
        tab.click('label.md-header__button[for="__drawer"]')
        tab.wait_for("document.querySelector('.md-sidebar--primary .md-nav').checkVisibility()", WAIT, "menu terbuka")
        assert_no_serious("menu navigasi terbuka", 390, audit(tab, axe))


@pytest.mark.parametrize("width", WIDTHS)
def test_institution_home_has_no_serious_accessibility_violation(tab, axe, pemda_url, width):
    with shown_at(tab, width):
        open_page(tab, pemda_url + PEMDA_HOME)
        assert_no_serious("beranda instansi", width, audit(tab, axe))
