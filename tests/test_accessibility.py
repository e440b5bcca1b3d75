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

from conftest import FIXTURES, ROOT
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
