"""The site's flowchart as readers use it (issue 18, item 2), in headless Chromium on the built site.

A symbol is a link to its row of the procedure table and the row links back; Tab visits the
symbols in step order; at a phone's 390 px the chart fits the page's width (no scroll box of
its own, no sideways scrolling) and "Perbesar bagan" opens a page of its own with the drawing at full size
(its text at least 12 px, moved in both directions, pinch-zoom left to the phone), whose symbols lead to
their rows on the SOP page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_browser import WAIT, js, serve_seed_site, start_chromium

from sopcode.sheets.chromium import Tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEED_PAGE = "sop/sop-pengukuran-kinerja-bungursari/"
CHART = "document.querySelector('article svg.swimlane')"
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Iterator[str]:
    """The repository's site, built by `mkdocs build`, served under the sub-path."""
    yield from serve_seed_site(tmp_path_factory, "situs-bagan", "situs-bagan")


@pytest.fixture(scope="module")
def tab() -> Iterator[Tab]:
    with start_chromium("--window-size=1366,900") as chromium:
        yield chromium.new_tab()


@pytest.fixture
def phone(tab: Tab) -> Iterator[Tab]:
    """The tab as a phone 390 px wide, for one test."""
    tab.send("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        yield tab
    finally:
        tab.send("Emulation.clearDeviceMetricsOverride")


def in_view_js(selector: str) -> str:
    return (f"(() => {{ const r = document.querySelector({js(selector)}).getBoundingClientRect();"
            " const h = document.querySelector('.md-header').getBoundingClientRect().bottom;"
            " return {top: r.top, bottom: r.bottom, header: h,"
            " seen: r.top >= h - 1 && r.top < innerHeight && r.bottom > h}; })()")


def press_tab(tab: Tab) -> None:
    key = {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9}
    tab.send("Input.dispatchKeyEvent", {"type": "keyDown", **key})
    tab.send("Input.dispatchKeyEvent", {"type": "keyUp", **key})


FOCUSED = ("(() => { const a = document.activeElement;"
           " return {href: a.getAttribute('href'), name: a.getAttribute('aria-label'),"
           " chart: !!a.closest('svg.swimlane')}; })()")


@pytest.mark.parametrize("no", [1, 8, 14])
def test_clicking_a_symbol_shows_its_row_and_the_row_links_back(tab, site_url, seed, no):
    step = next(s for s in seed.langkah if s.no == no)
    tab.goto(site_url + SEED_PAGE)
    # Every step's symbol links to a row that exists on the page.
    targets = tab.evaluate(f"[...{CHART}.querySelectorAll('a.ke-langkah')].map(a => a.getAttribute('href'))"
                           ".filter((h, i, all) => all.indexOf(h) === i)"
                           ".map(h => [h, !!document.querySelector('tr' + h)])")
    assert targets == [[f"#langkah-{s.no}", True] for s in seed.langkah]

    tab.click(f'svg.swimlane a[href="#langkah-{no}"]')
    tab.wait_for(f"location.hash === {js(f'#langkah-{no}')}", WAIT, f"alamat #langkah-{no}")
    row = tab.wait_for(f"(() => {{ const v = ({in_view_js(f'#langkah-{no}')}); return v.seen && v; }})()",
                       WAIT, f"baris langkah {no} tampak di bawah kepala halaman")
    assert row["seen"], row
    shown = tab.evaluate(f"document.querySelector('#langkah-{no}').innerText")
    assert " ".join(str(step.kegiatan).split()) in " ".join(shown.split())

    tab.click(f"#langkah-{no} a.sop-ke-bagan")
    tab.wait_for(f"location.hash === {js(f'#bagan-langkah-{no}')}", WAIT, f"alamat #bagan-langkah-{no}")
    symbol = tab.wait_for(f"(() => {{ const v = ({in_view_js(f'#bagan-langkah-{no}')}); return v.seen && v; }})()",
                          WAIT, f"simbol langkah {no} tampak di bawah kepala halaman")
    assert symbol["seen"], symbol


def test_tab_visits_the_symbols_in_step_order(tab, site_url, seed):
    tab.goto(site_url + SEED_PAGE)
    tab.evaluate("(() => { const h = document.querySelector('h2#bagan-alir'); h.tabIndex = -1; h.focus(); })()")
    for _ in range(5):  # past the heading's own permalink
        press_tab(tab)
        if tab.evaluate(FOCUSED)["chart"]:
            break
    visited = [tab.evaluate(FOCUSED)]
    for _ in seed.langkah[1:]:
        press_tab(tab)
        visited.append(tab.evaluate(FOCUSED))
    assert [v["href"] for v in visited] == [f"#langkah-{s.no}" for s in seed.langkah]
    assert visited[0]["name"] == f"Langkah 1: {' '.join(str(seed.langkah[0].kegiatan).split())}"
    press_tab(tab)  # then out of the chart, to the caption's link
    after = tab.evaluate("document.activeElement.textContent")
    assert after == "Perbesar bagan"
    # Enter on a focused symbol follows its link.
    press_tab_back = {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9, "modifiers": 8}
    tab.send("Input.dispatchKeyEvent", {"type": "keyDown", **press_tab_back})
    tab.send("Input.dispatchKeyEvent", {"type": "keyUp", **press_tab_back})
    last = seed.langkah[-1].no
    assert tab.evaluate(FOCUSED)["href"] == f"#langkah-{last}"
    enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
    tab.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **enter})
    tab.send("Input.dispatchKeyEvent", {"type": "keyUp", **enter})
    tab.wait_for(f"location.hash === {js(f'#langkah-{last}')}", WAIT, "Enter pada simbol membuka barisnya")


def test_at_390_px_the_chart_fits_the_page_and_perbesar_makes_its_text_readable(phone, site_url, seed):
    phone.goto(site_url + SEED_PAGE)
    fit = phone.evaluate(
        f"(() => {{ const c = {CHART}, r = c.getBoundingClientRect(), box = c.parentElement;"
        " return {width: r.width, right: r.right, left: r.left, view: document.documentElement.clientWidth,"
        " page: document.documentElement.scrollWidth, natural: c.viewBox.baseVal.width * 4 / 3,"
        " scrolls: box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1,"
        " overflow: getComputedStyle(box).overflow}; })()")
    assert fit["left"] >= 0 and fit["right"] <= fit["view"], fit  # within the page's width
    assert fit["width"] < fit["natural"], fit  # scaled down to it
    assert not fit["scrolls"] and fit["overflow"] == "visible", fit  # no scroll box of its own
    assert fit["page"] <= fit["view"], f"halaman bergulir ke samping pada 390 px: {fit}"
    caption = phone.evaluate("document.querySelector('.sop-bagan figcaption').innerText")
    assert "arahkan penunjuk" not in caption.lower() and "Ketuk atau klik simbol" in caption

    phone.click("a.sop-bagan-penuh")
    phone.wait_for("location.pathname.endsWith('/bagan-alir.html') && document.readyState === 'complete'", WAIT,
                   "halaman bagan ukuran penuh")
    full = phone.evaluate(FULL_SIZE)
    assert full["title"] == f"Bagan alir: {seed.nama}" and full["heading"] == full["title"], full
    assert full["viewport"] == "width=device-width, initial-scale=1", full
    assert full["scale"] == 1, full  # the phone does not zoom the page out to fit the drawing
    assert full["width"] >= fit["natural"] - 1 > 390, full  # its full size, not shrunk to the screen
    # Every symbol's text as the reader sees it: at least 12 px high (about 6 px on the SOP page at 390 px).
    assert full["texts"] >= len(seed.langkah) and full["smallest"] >= 12, full
    # Read by moving the drawing, in both directions, inside its box; the page itself does not get wider.
    assert full["across"] and full["down"] and full["page"] <= 390, full
    assert full["back"] == "Kembali ke halaman SOP" and full["back_to"].endswith("/" + SEED_PAGE), full

    # A tap on a symbol opens the SOP page at that step's row.
    step = seed.langkah[2]
    tap(phone, f'svg.swimlane a.ke-langkah[href$="#langkah-{step.no}"]')
    phone.wait_for(f"location.hash === {js(f'#langkah-{step.no}')} && !!document.querySelector('article h1')", WAIT,
                   f"halaman SOP di baris langkah {step.no}")
    assert phone.evaluate("location.pathname").endswith("/" + SEED_PAGE)
    row = phone.wait_for(f"(() => {{ const v = ({in_view_js(f'#langkah-{step.no}')}); return v.seen && v; }})()",
                         WAIT, f"baris langkah {step.no} tampak di bawah kepala halaman")
    assert row["seen"], row


# The full-size page as its reader finds it: its titles, viewport, zoom, the drawing's size, the smallest
# text inside a symbol on screen (its font size in CSS px, times the page's zoom), whether the drawing's box
# scrolls across and down, the page's width, and its way back.
FULL_SIZE = """(() => {
  const svg = document.querySelector('main svg.swimlane'), box = svg.parentElement, zoom = visualViewport.scale;
  const sizes = [...svg.querySelectorAll('a.ke-langkah text')].map(t =>
    parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a * zoom);
  const back = document.querySelector('a.kembali');
  const across = box.scrollWidth > box.clientWidth && (box.scrollLeft = 200, box.scrollLeft > 0);
  const down = box.scrollHeight > box.clientHeight && (box.scrollTop = 200, box.scrollTop > 0);
  box.scrollLeft = 0; box.scrollTop = 0;
  return {title: document.title, heading: document.querySelector('h1').innerText.trim(),
          viewport: document.querySelector('meta[name=viewport]').content, scale: zoom,
          width: svg.getBoundingClientRect().width, texts: sizes.length, smallest: Math.min(...sizes),
          across, down, page: document.documentElement.scrollWidth,
          back: back.innerText.replace(/^[^A-Za-z]+/, '').trim(), back_to: new URL(back.href).pathname};
})()"""


def tap(tab: Tab, selector: str) -> None:
    """A finger's tap on the first element matching ``selector``, scrolled into view first."""
    point = tab.wait_for(
        f"(() => {{ const el = document.querySelector({js(selector)}); if (!el) return null;"
        " el.scrollIntoView({block: 'center', inline: 'center'});"
        " const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;"
        " const hit = document.elementFromPoint(x, y); return hit && el.contains(hit) ? {x, y} : null; })()",
        WAIT, f"{selector} dapat diketuk")
    tab.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    try:
        tab.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
        tab.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        tab.send("Emulation.setTouchEmulationEnabled", {"enabled": False})
