"""Accessibility (issue 18, item 8): colours at WCAG AA contrast, drawings with a text alternative,
and (in Chromium) the skip link and the SOP page's table of contents.

The contrast tests read the colours the code actually uses: the swimlane, sheet chart and Monev chart
as drawn (their SVG, made by the real Graphviz), our CSS as written, and Material's variables from the
theme's own stylesheet. Nothing is copied here, so a colour changed in the code is measured as changed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_browser import js, serve_seed_site, start_chromium

from conftest import FIXTURES, ROOT, sop_main
from sopcode.model.load import load_folder
from sopcode.site.chart import Bar, bar_chart

S = "{http://www.w3.org/2000/svg}"
CSS = ROOT / "plugins" / "sopcode" / "site" / "assets" / "sop.css"
SHEET_CSS = ROOT / "plugins" / "sopcode" / "sheets" / "sheet.css"
TEXT, LARGE, GRAPHIC = 4.5, 3.0, 3.0
"""WCAG 2.1 AA: normal text 1.4.3, large text 1.4.3, graphical objects and controls' borders 1.4.11."""

Rgba = tuple[float, float, float, float]


# --- colours ---------------------------------------------------------------------------------

def rgba(value: str) -> Rgba | None:
    """A CSS/SVG colour as (r, g, b, alpha) in 0..1; None for what is not a plain colour."""
    value = value.strip().lower()
    if value in ("white",):
        value = "#ffffff"
    if value in ("black",):
        value = "#000000"
    m = re.fullmatch(r"#([0-9a-f]{3,8})", value)
    if m:
        h = m.group(1)
        if len(h) in (3, 4):
            h = "".join(c * 2 for c in h)
        parts = [int(h[i:i + 2], 16) / 255 for i in range(0, len(h), 2)]
        return (parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else 1.0)
    m = re.fullmatch(r"rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)", value)
    if m:
        r, g, b = (float(m.group(i)) / 255 for i in (1, 2, 3))
        return (r, g, b, float(m.group(4)) if m.group(4) else 1.0)
    return None


def over(top: Rgba, below: Rgba) -> Rgba:
    """``top`` painted over the opaque ``below``."""
    a = top[3]
    return (top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1.0)


def luminance(c: Rgba) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])


def contrast(fg: Rgba, bg: Rgba) -> float:
    """WCAG's contrast ratio of ``fg`` drawn on ``bg`` (both composed over white first)."""
    white = (1.0, 1.0, 1.0, 1.0)
    bg = over(bg, white)
    hi, lo = sorted((luminance(over(fg, bg)), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula():
    """The formula itself, on pairs whose ratios WCAG's own examples give."""
    assert round(contrast(rgba("#000"), rgba("#fff")), 1) == 21.0  # type: ignore[arg-type]
    assert round(contrast(rgba("#767676"), rgba("#ffffff")), 2) == 4.54  # type: ignore[arg-type]
    assert round(contrast(rgba("#777777"), rgba("#ffffff")), 2) == 4.48  # type: ignore[arg-type]


# --- drawings --------------------------------------------------------------------------------

def _paint(el, name: str) -> str | None:
    value = el.get(name)
    if value is None:
        m = re.search(rf"(?:^|;)\s*{name}\s*:\s*([^;]+)", el.get("style", ""))
        value = m.group(1) if m else None
    return None if value in (None, "none", "transparent") else value


def svg_failures(svg: str, where: str, beside: bool = False) -> list[str]:
    """Every text colour of a drawing against every area colour it has (text at 4.5:1: the drawings' texts
    are small), and every line and outline against every area colour (3:1): the pairs below AA, named.

    An area is a filled shape other than an arrowhead (an arrowhead is a line's end, filled with the line's
    colour). The white halo under an arrow only adds contrast. Each pair is checked whether or not the two
    ever touch: the drawings have few colours, and a layout change must not make a failing pair meet.
    ``beside``: a bar chart, whose texts stand beside the bars and whose grid lies behind them: texts and
    lines are measured on the page's white, and each bar (a graphic that carries the value) on white at 3:1."""
    root = ET.fromstring(svg)
    parents = {child: parent for parent in root.iter() for child in parent}

    def within(el, *prefixes: str) -> bool:
        """``el`` lies in a group whose class starts with one of ``prefixes``."""
        while el is not None:
            if el.tag == f"{S}g" and any(c.startswith(prefixes) for c in el.get("class", "").split()):
                return True
            el = parents.get(el)
        return False

    texts, areas, lines = set(), set(), set()
    for el in root.iter():
        tag = el.tag.removeprefix(S)
        if tag == "text":
            texts.add(_paint(el, "fill") or "#000000")
        elif tag in ("rect", "polygon", "path", "ellipse", "circle", "line", "polyline"):
            fill, stroke = _paint(el, "fill"), _paint(el, "stroke")
            if fill and not (tag == "polygon" and within(el, "panah", "edge")):
                areas.add(fill)
            if stroke and "halo" not in el.get("class", "") and not (tag == "rect" and within(el, "lajur")):
                lines.add(stroke)
    failures = []
    if beside:
        for bar in sorted(areas):
            ratio = contrast(rgba(bar), rgba("#ffffff"))  # type: ignore[arg-type]
            if ratio < GRAPHIC:
                failures.append(f"{where}: batang {bar} di atas #ffffff: {ratio:.2f}:1 (< {GRAPHIC}:1)")
        areas = set()
    areas.add("#ffffff")  # the page behind the drawing
    for kind, colours, need in (("teks", texts, TEXT), ("garis", lines, GRAPHIC)):
        for fg in sorted(colours):
            for bg in sorted(areas):
                if fg == bg:
                    continue
                f, b = rgba(fg), rgba(bg)
                assert f is not None and b is not None, (where, fg, bg)
                ratio = contrast(f, b)
                if ratio < need:
                    failures.append(f"{where}: {kind} {fg} di atas {bg}: {ratio:.2f}:1 (< {need}:1)")
    return failures


@pytest.fixture(scope="module")
def fixture_sops():
    return load_folder(str(FIXTURES / "baik")).sops


def test_swimlane_colours_reach_aa(fixture_sops):
    """Every text of the swimlane (steps, lane names, Ya/Tidak) on every fill it has (lanes, header,
    symbols), and every symbol outline and arrow, as the real Graphviz draws them. The thin lines between
    lanes are not measured: a lane is told by its header above it and its own fill, not by that line."""
    from sopcode.shapes.swimlane import swimlane_svgs

    drawings = swimlane_svgs(list(fixture_sops))
    failures = [f for sop_id, svg in drawings.items() for f in svg_failures(svg, f"bagan alir {sop_id}")]
    assert not failures, "\n".join(sorted(set(failures)))


def test_sheet_chart_colours_reach_aa(fixture_sops):
    """The chart inside the printed procedure sheet, as Graphviz draws it."""
    from sopcode.shapes.sheet_chart.render import sheet_svgs, simple_layout

    failures = []
    for sop in fixture_sops[:4]:
        for n, svg in enumerate(sheet_svgs(sop, simple_layout(sop))):
            failures += svg_failures(svg, f"bagan lembar {sop.id} #{n + 1}")
    assert not failures, "\n".join(sorted(set(failures)))


def test_monev_chart_colours_reach_aa():
    svg = bar_chart("Judul", "Keterangan", "Sumbu", [("Unit", [Bar("2025 semester 1", 2, 3), Bar("2025 semester 2", 0, 0)])])
    failures = svg_failures(svg, "grafik monev", beside=True)
    assert not failures, "\n".join(failures)


# --- our CSS ---------------------------------------------------------------------------------

def material_variables() -> dict[str, str]:
    """Material's colour variables for its default (light) scheme, from the theme's own stylesheet."""
    import material

    sheet = next((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css"))
    found: dict[str, str] = {}
    for name, value in re.findall(r"(--md-[a-z0-9-]+):([^;}]+)", sheet.read_text(encoding="utf-8")):
        found.setdefault(name, value.strip())  # the first: :root's, before any scheme's
    return found


def resolve(value: str, variables: dict[str, str]) -> Rgba | None:
    """A declaration's colour: a plain colour, or var(--x, fallback) through Material's variables."""
    value = value.strip().removesuffix("!important").strip()
    for _ in range(5):
        m = re.fullmatch(r"var\(\s*(--[a-z0-9-]+)\s*(?:,\s*(.+))?\)", value)
        if not m:
            break
        value = variables.get(m.group(1)) or (m.group(2) or "")
    return rgba(value)


def css_rules(text: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of every innermost rule; comments and @media wrappers dropped."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                name, value = decl.split(":", 1)
                decls[name.strip()] = value.strip()
        rules.append((" ".join(selector.split()), decls))
    return rules


PAGE_TEXT, PAGE_BG = "var(--md-default-fg-color)", "var(--md-default-bg-color)"
DECORATION = {
    ".sop-lembar .cap-draf": "the big DRAF watermark behind the sheet; the footer says DRAF in full colour",
}
"""Rules whose colour is decoration, not text to read, and why."""


FOOTER_BG = "var(--md-footer-bg-color)"
"""Behind a rule of the theme's footer (selectors ``.md-footer…``, ``.md-copyright…``)."""


def css_failures(path: Path) -> list[str]:
    """Each rule's text colour on its background (its own, else the page's or the footer's): 4.5:1; and each
    border colour of a form control (what shows where it is) on that background: 3:1. Material's variables
    as the file itself sets them on ``:root``, else as the theme does."""
    variables = material_variables()
    for selector, decls in css_rules(path.read_text(encoding="utf-8")):
        if ":root" in selector:
            variables.update({k: v for k, v in decls.items() if k.startswith("--md-")})
    failures = []
    for selector, decls in css_rules(path.read_text(encoding="utf-8")):
        if selector in DECORATION or selector.startswith("@") or ":root" in selector:
            continue
        colour = decls.get("color")
        page_bg = FOOTER_BG if re.match(r"\.md-(footer|copyright)", selector) else PAGE_BG
        background = decls.get("background-color") or decls.get("background") or (
            page_bg if page_bg != PAGE_BG and colour else None)
        if colour is None and background is None:
            continue
        fg = resolve(colour or PAGE_TEXT, variables)
        bg = resolve(background or PAGE_BG, variables)
        if fg is None or bg is None:  # inherit, currentColor, none, a gradient: the page's own, measured by axe
            continue
        ratio = contrast(fg, bg)
        if ratio < TEXT:
            failures.append(f"{path.name}: {selector}: teks {colour or PAGE_TEXT} di atas {background or PAGE_BG}: "
                            f"{ratio:.2f}:1 (< {TEXT}:1)")
    for selector, decls in css_rules(path.read_text(encoding="utf-8")):
        if not re.search(r"sop-saring|input|select|button", selector):
            continue
        border = decls.get("border") or decls.get("border-color")
        m = re.search(r"(#[0-9a-fA-F]{3,8}|rgba?\([^)]*\)|var\([^)]*\))", border or "")
        if not m:
            continue
        line, bg = resolve(m.group(1), variables), resolve(decls.get("background") or PAGE_BG, variables)
        if line is None or bg is None:
            continue
        ratio = contrast(line, bg)
        if ratio < GRAPHIC:
            failures.append(f"{path.name}: {selector}: garis tepi {m.group(1)} di atas {decls.get('background') or PAGE_BG}:"
                            f" {ratio:.2f}:1 (< {GRAPHIC}:1)")
    return failures


def test_css_colours_reach_aa():
    """Badges, banners, status labels, table headers, captions and the filter box of our stylesheets."""
    failures = css_failures(CSS) + css_failures(SHEET_CSS)
    assert not failures, "\n".join(failures)


def test_css_check_finds_a_failing_pair(tmp_path):
    """The CSS check is not blind: a grey a little too light on white, and a faint control border, fail."""
    bad = tmp_path / "bad.css"
    bad.write_text(".a { color: #777777; }\n@media screen { .b { color: #fff; background: rgba(0, 0, 0, 0.3); } }\n"
                   ".sop-saring { border: 1px solid var(--md-default-fg-color--lightest); }\n", encoding="utf-8")
    found = css_failures(bad)
    assert [f.split(": ")[1] for f in found] == [".a", ".b", ".sop-saring"], found


# --- text alternatives of the drawings ---------------------------------------------------------

def test_swimlane_is_named_and_described_and_its_links_stay(fixture_sops):
    """The page's swimlane: a group (not an image, which would hide its links) named by the SOP, described by
    its number of steps and actors and where the full text is; every symbol still a named link."""
    from sopcode.shapes.swimlane import swimlane_svgs

    sop = next(s for s in fixture_sops if s.id == "perizinan-enam-pelaksana")
    root = ET.fromstring(swimlane_svgs([sop])[sop.id])
    assert root.get("role") == "group" and root.get("aria-label") == f"Bagan alir lintas fungsi: {sop.nama}"
    desc = root.find(f"{S}desc")
    assert root[0].tag == f"{S}title" and root[0].text == root.get("aria-label")
    assert desc is not None and root[1] is desc and root.get("aria-describedby") == desc.get("id")
    assert desc.text.startswith(f"{len(sop.langkah)} langkah, {len(sop.pelaksana)} pelaksana (")
    assert "tabel Prosedur" in desc.text and all(str(p) in desc.text for p in sop.pelaksana)
    links = list(root.iter(f"{S}a"))
    assert {a.get("href") for a in links} == {f"#langkah-{s.no}" for s in sop.langkah}
    assert all(a.get("aria-label", "").startswith("Langkah ") for a in links)


def test_standalone_swimlane_links_lead_to_the_page_or_are_gone(fixture_sops):
    """bagan-alir.svg beside the page: each symbol leads to its row on that page; `sop gambar`'s file, with
    no page to lead to, has no links (and its description promises none)."""
    from sopcode.shapes.swimlane import standalone_svg, swimlane_svgs

    sop = next(s for s in fixture_sops if s.id == "dua-belas-langkah")
    svg = swimlane_svgs([sop])[sop.id]
    beside = ET.fromstring(standalone_svg(svg, "./"))
    assert sorted(a.get("href") for a in beside.iter(f"{S}a")) == sorted(f"./#langkah-{s.no}" for s in sop.langkah)
    alone_svg = standalone_svg(svg, None)
    alone = ET.fromstring(alone_svg)
    assert not list(alone.iter(f"{S}a")) and "href" not in alone_svg
    assert "tautan" not in alone.find(f"{S}desc").text
    # Nothing but the links changed: every symbol and text is still there.
    assert [t.text for t in alone.iter(f"{S}text")] == [t.text for t in ET.fromstring(svg).iter(f"{S}text")]


def test_sop_gambar_writes_no_dead_links(tmp_path):
    """The command's SVG opened on its own: no `#langkah-N` that leads nowhere."""
    out = tmp_path / "gambar"
    result = sop_main("gambar", str(FIXTURES / "baik" / "minimal.yaml"), "--keluar", str(out), env={"SOPCODE_CACHE_DIR": ""})
    assert result.returncode == 0, result.stderr
    svg = (out / "minimal-swimlane.svg").read_text(encoding="utf-8")
    assert "#langkah-" not in svg and 'aria-label="Bagan alir lintas fungsi: ' in svg and "<desc " in svg


def test_page_toc_lists_the_sections_with_their_anchors():
    """An SOP page's table of contents: its top (the skip link's target), its sections and their boxes,
    each anchor one the page has; text from YAML stays escaped."""
    from sopcode.site.pages import TOP_ID, Page

    page = Page('A <b>"x"</b> & b', '<p>intro</p>\n<h2 id="identitas">Identitas</h2>\n<h3 id="dasar-hukum">Dasar &amp; '
                '<em>Hukum</em></h3>\n<h2 id="prosedur">Prosedur</h2>\n<h4 id="x">no</h4>')
    (top,) = page.toc()
    assert (top["level"], top["id"], top["name"]) == (1, TOP_ID, "A &lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; b")
    assert [(e["id"], e["name"], [c["id"] for c in e["children"]]) for e in top["children"]] == [
        ("identitas", "Identitas", ["dasar-hukum"]), ("prosedur", "Prosedur", [])]
    assert top["children"][0]["children"][0]["name"] == "Dasar &amp; Hukum"


# --- in Chromium: skip link, table of contents, the drawing's name -----------------------------

SEED_PAGE = "sop/sop-pengukuran-kinerja-bungursari/"
SECTIONS = ["#identitas", "#bagan-alir", "#prosedur", "#riwayat-revisi", "#dipakai-oleh"]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    yield from serve_seed_site(tmp_path_factory, "situs-aksesibilitas", "situs-aksesibilitas")


@pytest.fixture(scope="module")
def tab():
    with start_chromium("--window-size=1366,900") as chromium:
        yield chromium.new_tab()


def press(tab, key: str, code: int) -> None:
    event = {"key": key, "code": key, "windowsVirtualKeyCode": code}
    tab.send("Input.dispatchKeyEvent", {"type": "keyDown", **event, **({"text": "\r"} if key == "Enter" else {})})
    tab.send("Input.dispatchKeyEvent", {"type": "keyUp", **event})


FOCUS = ("(() => { const a = document.activeElement; return {tag: a.localName, cls: a.className, id: a.id,"
         " text: (a.innerText || '').trim(), href: a.getAttribute('href'), in_article: !!a.closest('article'),"
         " shown: a.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) && getComputedStyle(a).opacity === '1'}; })()")


@pytest.mark.parametrize("page", ["", "daftar-sop/", SEED_PAGE], ids=["beranda", "daftar-sop", "halaman-sop"])
@pytest.mark.browser
@pytest.mark.slow
def test_first_tab_shows_the_skip_link_and_it_leads_into_the_content(tab, site_url, page):
    """Tab, first thing on a page: a visible "Lewati ke isi"; Enter on it: the next Tab is inside the page's
    content, past the header, the tabs and the navigation."""
    tab.goto(site_url + page)
    tab.wait_for("document.readyState === 'complete' && !!document.querySelector('article h1')", 10, "halaman")
    press(tab, "Tab", 9)
    skip = tab.wait_for(f"(() => {{ const f = {FOCUS}; return f.shown && f; }})()", 10, "tautan lewati tampak")
    assert "md-skip" in skip["cls"].split() and skip["text"] == "Lewati ke isi", skip
    href = js(skip["href"])
    assert tab.evaluate(f"!!document.getElementById({href}.slice(1))"), f"{skip['href']} tidak ada di halaman"
    press(tab, "Enter", 13)
    tab.wait_for(f"location.hash === {href}", 10, "alamat berpindah ke isi")
    press(tab, "Tab", 9)
    after = tab.evaluate(FOCUS)
    assert after["in_article"], f"Tab setelah 'Lewati ke isi' sampai di {after}, bukan di isi halaman"


SIDEBAR_TOC = ("[...document.querySelectorAll('.md-sidebar--secondary nav.md-nav--secondary > ul a.md-nav__link')]"
               ".filter(a => a.checkVisibility()).map(a => a.getAttribute('href'))")


INLINE_TOC = "document.querySelector('article nav.sop-daftar-isi[aria-label=\"Daftar isi halaman\"]')"
INLINE_LINKS = (f"[...{INLINE_TOC}.querySelectorAll('a')].map(a => {{ const r = a.getBoundingClientRect();"
                " return {href: a.getAttribute('href'), shown: a.checkVisibility(), top: Math.round(r.top),"
                " inside: r.left >= 0 && r.right <= innerWidth, target: !!document.getElementById(a.hash.slice(1))}; })")


@pytest.mark.browser
@pytest.mark.slow
def test_sop_page_lists_its_sections_at_its_top_and_leaves_the_width_to_its_tables(tab, site_url):
    """At 1366 px: no "Daftar isi" column beside the page (it left the procedure table too narrow for its
    seven columns, issue 18); the page lists its sections in one line at its top, each leading to its heading."""
    tab.goto(site_url + SEED_PAGE)
    tab.wait_for("document.readyState === 'complete'", 10, "halaman")
    assert tab.evaluate(SIDEBAR_TOC) == []
    assert tab.evaluate("document.querySelector('.md-sidebar--secondary').checkVisibility()") is False
    links = tab.evaluate(INLINE_LINKS)
    assert [a["href"] for a in links] == SECTIONS, links
    assert all(a["shown"] and a["inside"] and a["target"] for a in links), links
    assert len({a["top"] for a in links}) == 1, f"daftar isi halaman tidak satu baris: {links}"
    # Above the page's first section, below its title.
    assert tab.evaluate(f"!!({INLINE_TOC}.compareDocumentPosition(document.getElementById('identitas'))"
                        " & Node.DOCUMENT_POSITION_FOLLOWING)")
    tab.click('nav.sop-daftar-isi a[href="#prosedur"]')
    tab.wait_for("location.hash === '#prosedur'", 10, "alamat #prosedur")
    seen = tab.wait_for("(() => { const r = document.getElementById('prosedur').getBoundingClientRect();"
                        " const h = document.querySelector('.md-header').getBoundingClientRect().bottom;"
                        " return r.top >= h - 1 && r.top < innerHeight; })()", 10, "judul Prosedur tampak")
    assert seen


@pytest.mark.browser
@pytest.mark.slow
def test_sop_page_table_of_contents_is_in_the_drawer_on_a_phone(tab, site_url):
    tab.send("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    try:
        tab.goto(site_url + SEED_PAGE)
        tab.wait_for("document.readyState === 'complete'", 10, "halaman")
        assert tab.evaluate(SIDEBAR_TOC) == []  # no sidebar beside the page at 390 px
        tab.click('label.md-header__button[for="__drawer"]')
        tab.click('.md-nav--primary label.md-nav__link[for="__toc"]')
        links = tab.wait_for(
            "(() => { const l = [...document.querySelectorAll('.md-nav--primary nav.md-nav--secondary a.md-nav__link')]"
            ".filter(a => { const r = a.getBoundingClientRect(); return a.checkVisibility() && r.width > 0"
            " && r.left >= 0 && r.right <= innerWidth; }).map(a => a.getAttribute('href'));"
            " return l.length ? l : null; })()", 10, "daftar isi di laci navigasi")
        assert [h for h in links if h in SECTIONS] == SECTIONS, links
        tab.goto(site_url + SEED_PAGE)  # the drawer closed again
        tab.wait_for("document.readyState === 'complete'", 10, "halaman")
        # The page's own list of its sections, wrapped within the screen.
        inline = tab.wait_for(f"(() => {{ const l = {INLINE_LINKS}; return l.every(a => a.shown && a.inside) && l; }})()",
                              10, "daftar isi halaman di dalam layar")
        assert [a["href"] for a in inline] == SECTIONS, inline
    finally:
        tab.send("Emulation.clearDeviceMetricsOverride")


def ax_nodes(tab) -> list[dict]:
    tab.send("Accessibility.enable")
    return tab.send("Accessibility.getFullAXTree")["nodes"]


def _value(node: dict, key: str) -> str:
    return str((node.get(key) or {}).get("value", ""))


@pytest.mark.browser
@pytest.mark.slow
def test_the_flowchart_has_a_name_a_description_and_named_links(tab, site_url, seed):
    """What a screen reader gets, from Chromium's accessibility tree: the chart as a named, described group,
    and inside it every step as a link named by its number and text (an image would have hidden them)."""
    tab.goto(site_url + SEED_PAGE)
    tab.wait_for("document.readyState === 'complete' && !!document.querySelector('svg.swimlane')", 10, "bagan")
    nodes = ax_nodes(tab)
    chart = [n for n in nodes if not n.get("ignored") and _value(n, "name") == f"Bagan alir lintas fungsi: {seed.nama}"]
    assert len(chart) == 1, "bagan alir tanpa nama aksesibel"
    assert _value(chart[0], "role") == "group"
    described = _value(chart[0], "description")
    assert described.startswith(f"{len(seed.langkah)} langkah, {len(seed.pelaksana)} pelaksana"), described
    assert "tabel Prosedur" in described
    by_id = {n["nodeId"]: n for n in nodes}
    inside, todo = [], list(chart[0].get("childIds", []))
    while todo:
        node = by_id.get(todo.pop())
        if node is not None:
            inside.append(node)
            todo += node.get("childIds", [])
    links = {_value(n, "name") for n in inside if _value(n, "role") == "link" and not n.get("ignored")}
    assert {f"Langkah {s.no}: {' '.join(str(s.kegiatan).split())}" for s in seed.langkah} <= links


@pytest.mark.browser
@pytest.mark.slow
def test_the_full_size_drawing_leads_to_the_steps_on_the_page(tab, site_url):
    """The drawing as a file, bagan-alir.svg (its download on the "Perbesar bagan" page), opened on its own:
    a symbol there opens the SOP page at its row."""
    tab.goto(site_url + SEED_PAGE + "bagan-alir.svg")
    tab.wait_for("document.documentElement.localName === 'svg'", 10, "berkas SVG")
    tab.click('a.ke-langkah[href$="#langkah-3"]')
    tab.wait_for("location.hash === '#langkah-3' && !!document.querySelector('tr#langkah-3')", 10,
                 "halaman SOP di baris langkah 3")
    assert tab.evaluate("location.pathname").endswith("/" + SEED_PAGE)


def test_every_version_of_an_sop_page_has_the_same_contents(fixture_sops):
    """The serve fast path puts a saved SOP's new page between its markers and leaves the theme's table of
    contents as the last build wrote it: right, because an SOP page's headings are its template's (the boxes'
    labels its institution's, and a change of those waits for the full rebuild), whatever the SOP says."""
    from sopcode.site.pages import SiteContext, sop_page

    site = SiteContext.of({s.id: s for s in fixture_sops})
    tocs = {repr(sop_page(s, lambda i: f"../{i}/", site).toc()[0]["children"]) for s in fixture_sops
            if s.instansi == fixture_sops[0].instansi}
    assert len(tocs) == 1, tocs
    (toc,) = tocs
    assert all(f"'id': '{h[1:]}'" in toc for h in SECTIONS)
    # The page's own list of its sections (in the content the fast path splices) names each section of the contents.
    for s in fixture_sops[:3]:
        page = sop_page(s, lambda i: f"../{i}/", site)
        listed = re.findall(r'<a href="(#[^"]+)">', page.html.split('aria-label="Daftar isi halaman"', 1)[1].split("</nav>")[0])
        assert listed == [f"#{e['id']}" for e in page.toc()[0]["children"]] == SECTIONS
        assert page.meta["hide"] == ["toc"]


@pytest.mark.browser
@pytest.mark.slow
def test_a_fast_error_page_hides_the_contents_of_the_page_it_replaces(tab, site_url, tmp_path):
    """`mkdocs serve`'s fast path: a saved SOP with errors gets its error page between the markers, while the
    theme's table of contents (outside them) still lists the SOP's sections in the drawer until the rebuild
    (beside the page an SOP page has none). The error page hides it."""
    import shutil

    from conftest import SEED
    from sopcode import preview
    from sopcode.publish import Settings, SiteSettings, publish

    data = tmp_path / "sop_data"
    shutil.copytree(SEED.parent, data)
    site = SiteSettings(url=lambda p: p[:-3] + "/" if p.endswith(".md") else p, relative=lambda a, b: a,
                        root=str(tmp_path), preview=True)
    pub = publish(str(data), Settings(pdf=False, keep_going=True, site=site))
    old = next(s for s in pub.sops if s.id == SEED.stem)
    Path(old.path).write_text(Path(old.path).read_text(encoding="utf-8") + "langkah: [\n", encoding="utf-8")
    made = preview.refresh(pub, site, old, None)
    assert made is not None and made.errors and "Berkas ini belum dapat diterbitkan" in made.content
    in_drawer = ("[...document.querySelectorAll('.md-nav--primary nav.md-nav--secondary a, "
                 ".md-nav--primary label[for=__toc]')].filter(a => a.checkVisibility()).length")
    tab.send("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    try:
        tab.goto(site_url + SEED_PAGE)
        tab.wait_for("document.readyState === 'complete'", 10, "halaman")
        assert tab.evaluate(in_drawer) > 0
        tab.evaluate(f"document.querySelector('article').innerHTML = {js(made.content)}")
        assert tab.evaluate(in_drawer) == 0
    finally:
        tab.send("Emulation.clearDeviceMetricsOverride")


def test_sop_gambar_png_carries_its_text_alternative(tmp_path):
    """The PNG `sop gambar` writes names and describes itself (iTXt chunks, read back here with the
    chunks' own lengths and checksums), as the SVG does, in Indonesian."""
    import zlib

    out = tmp_path / "gambar"
    result = sop_main("gambar", str(FIXTURES / "baik" / "minimal.yaml"), "--keluar", str(out), env={"SOPCODE_CACHE_DIR": ""})
    assert result.returncode == 0, result.stderr
    png = (out / "minimal-swimlane.png").read_bytes()
    texts, at = {}, 8
    while at < len(png):
        size, kind = int.from_bytes(png[at:at + 4], "big"), png[at + 4:at + 8]
        data = png[at + 8:at + 8 + size]
        assert zlib.crc32(kind + data) == int.from_bytes(png[at + 8 + size:at + 12 + size], "big"), kind
        if kind == b"iTXt":
            keyword, rest = data.split(b"\0", 1)
            texts[keyword.decode()] = rest[2:].split(b"\0", 2)[2].decode("utf-8")
        at += 12 + size
    sop = next(s for s in load_folder(str(FIXTURES / "baik")).sops if s.id == "minimal")
    assert texts["Title"] == f"Bagan alir lintas fungsi: {sop.nama}"
    assert texts["Description"].startswith(f"{len(sop.langkah)} langkah, ") and "tabel Prosedur" in texts["Description"]
    assert "tautan" not in texts["Description"]
