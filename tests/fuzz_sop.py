"""Broken and hostile SOP files, made by Hypothesis from the real ones, and the oracle they must pass.

:func:`cases` draws a (kind, bytes) pair: one of the project's own SOP files
(the seed, the examples, the good fixtures), mutated the way people and
programs break files: a key deleted, a value of the wrong type, a list where
a map belongs, random Unicode, huge numbers, a step pointing nowhere, YAML
anchors that loop, random bytes, a cut-off file.

:func:`run_case` is the oracle: the file must end as a model (drawable) or as
the project's own ``path:line:col`` diagnostics; never a traceback, never
longer than :data:`LIMIT` seconds. A model is rendered as the site and the
printed sheets render it (swimlane SVG through Graphviz, the sheet chart's
DOT and routes, the printed sheet's HTML without a browser, the page's HTML):
every output encodes as UTF-8, holds no raw ``<script`` and holds every
step's text, escaped.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import yaml
from hypothesis import strategies as st

from sopcode.model.load import load_sop
from sopcode.rules import check_sop
from sopcode.shapes.sheet_chart import layout_pages, sheet_dots, simple_layout
from sopcode.shapes.swimlane import swimlane_dot, swimlane_svg
from sopcode.sheets.layout import MARGIN, MIN_ROW, PT_PER_MM, Lembar, kertas_of, kolom_for, paginate, sheets_html
from sopcode.site.pages import SiteContext, sop_page

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "sop_data").glob("sop-*.yaml"), *(ROOT / "tests" / "fixtures" / "baik").glob("*.yaml")])
TEXTS = [p.read_bytes() for p in SOURCES]
class _NoBool(yaml.SafeLoader):
    """YAML 1.1 reads the key ``no`` (a step's number) as false; the project reads it as text, so do we."""


_NoBool.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:bool"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
DATA = [yaml.load(t, Loader=_NoBool) for t in TEXTS]

LIMIT = 5.0
"""Seconds one case may take, loading, checking and laying out included."""

KINDS = ("hapus-kunci", "tipe-salah", "daftar-peta", "unicode-acak", "escape-kendali", "angka-besar",
         "target-menggantung", "alias-siklus", "bita-acak", "potong")

DIAGNOSTIC = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (galat|peringatan): .+ \[[a-z0-9-]+\]")


class Hang(Exception):
    pass


def _paths(node: object, prefix: tuple = ()) -> Iterator[tuple]:
    """Every place in a loaded YAML tree, as a path of keys and indexes."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _get(node, path):
    for p in path:
        node = node[p]
    return node


def _set(node, path, value):
    if not path:
        return value
    _get(node, path[:-1])[path[-1]] = value
    return node


WRONG = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=50),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.dates(min_value=dt.date(1, 1, 1)),
)

WEIRD_TEXT = st.text(alphabet=st.characters(), min_size=0, max_size=200)
"""Any code point, surrogates and controls included (the dumper writes those as escapes)."""

ESCAPES = ("\\uD83D\\uDE00", "\\uD800", "\\uDFFF", "\\e[2K", "\\x1b]0;judul\\x07", "\\x00", "\\0", "\\u0085",
           "\\x9b", "\\uFFFE", "\\uFFFF", "\\r", "\\t", "\\n", "\\x7f", "\\N", "\\L", "\\P", "\\_")
"""Escapes of a double-quoted YAML string, as a hostile file writes them (tab, newline and the
printable ones are allowed; the rest are refused at load)."""

HOSTILE_TEXT = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}", "&amp; &lt;",
                "\\N \\G { a | b }", "]]> <!-- -->")


def _dump(data: object) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@st.composite
def cases(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(KINDS))
    k = draw(st.integers(0, len(TEXTS) - 1))
    data, text = copy.deepcopy(DATA[k]), TEXTS[k]
    places = [p for p in _paths(data) if p]
    if kind == "hapus-kunci":
        keyed = [p for p in places if isinstance(p[-1], str)]
        path = draw(st.sampled_from(keyed))
        del _get(data, path[:-1])[path[-1]]
        return kind, _dump(data)
    if kind == "tipe-salah":
        path = draw(st.sampled_from(places))
        return kind, _dump(_set(data, path, draw(WRONG)))
    if kind == "daftar-peta":
        containers = [p for p in places if isinstance(_get(data, p), (list, dict))] or [()]
        path = draw(st.sampled_from(containers))
        value = _get(data, path)
        swapped = {str(i): v for i, v in enumerate(value)} if isinstance(value, list) else [[k, v] for k, v in value.items()]
        return kind, _dump(_set(data, path, swapped))
    if kind == "unicode-acak":
        strings = [p for p in places if isinstance(_get(data, p), str)]
        path = draw(st.sampled_from(strings))
        return kind, _dump(_set(data, path, draw(WEIRD_TEXT)))
    if kind == "escape-kendali":  # a value written with escapes, in double quotes, where the dumper would not
        strings = [p for p in places if isinstance(_get(data, p), str)]
        path = draw(st.sampled_from(strings))
        marker = "ZZESCAPEZZ"
        body = draw(st.lists(st.one_of(st.sampled_from(ESCAPES), st.sampled_from(HOSTILE_TEXT),
                                       st.text(alphabet="abc <>&'", max_size=8)), min_size=1, max_size=6))
        value = "".join(body).replace("\\", "\\\\").replace('"', '\\"')
        for esc in ESCAPES:  # the escapes stay escapes: only the text around them is quoted
            value = value.replace(esc.replace("\\", "\\\\"), esc)
        dumped = _dump(_set(data, path, marker)).decode("utf-8")
        return kind, dumped.replace(marker, '"' + value + '"', 1).encode("utf-8")
    if kind == "angka-besar":
        numbers = [p for p in places if p[-1] in ("no", "ya", "tidak", "lanjut", "jam_kerja_per_hari", "waktu")]
        path = draw(st.sampled_from(numbers or places))
        value = draw(st.sampled_from([10**20, -1, 0, 2**63, "9" * 400, "1e400 menit", "-5 menit", "0 hari",
                                      "99999999999 jam"]))
        return kind, _dump(_set(data, path, value))
    if kind == "target-menggantung":
        steps = data.get("langkah") if isinstance(data, dict) else None
        if isinstance(steps, list) and steps:
            step = steps[draw(st.integers(0, len(steps) - 1))]
            if isinstance(step, dict):
                step[draw(st.sampled_from(["lanjut", "ya", "tidak"]))] = draw(st.integers(-3, 10**6))
        return kind, _dump(data)
    if kind == "alias-siklus":
        snippet = draw(st.sampled_from([
            b"pelaksana: &a [*a]\n", b"langkah: &x\n  - *x\n", b"dasar_hukum: &l [&m [*l, *m]]\n",
            b"a: &a [*a, *a, *a]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: &d [*c, *c, *c]\n",
            b"nama: &n\n  x: *n\n",
        ]))
        cut = draw(st.integers(0, len(text)))
        line_start = text.rfind(b"\n", 0, cut) + 1
        return kind, text[:line_start] + snippet + text[line_start:]
    if kind == "bita-acak":
        noise = draw(st.binary(min_size=1, max_size=40))
        at = draw(st.integers(0, len(text)))
        overwrite = draw(st.booleans())
        return kind, text[:at] + noise + text[at + (len(noise) if overwrite else 0):]
    at = draw(st.integers(0, len(text)))  # potong: a file cut off (a full disk, an interrupted copy)
    return kind, text[:at]


def _alarm(signum, frame):
    raise Hang()


def run_case(data: bytes, folder: Path) -> str:
    """Load, check and lay out one file; returns 'model' or 'galat'. Raises on anything else."""
    path = folder / "sop-uji.yaml"
    path.write_bytes(data)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, LIMIT)
    try:
        sop, diagnostics = load_sop(str(path))
        if sop is not None:
            diagnostics = diagnostics + check_sop(sop)
        errors = [d for d in diagnostics if d.is_error]
        for d in diagnostics:
            text = d.format()
            m = DIAGNOSTIC.match(text)
            assert m and m.group("path").endswith("sop-uji.yaml"), f"not our message: {text!r}"
        if sop is None:
            assert errors, "no model and no error"
            return "galat"
        if errors:
            return "galat"
        render(sop)
        return "model"
    except Hang:
        raise AssertionError(f"a case took more than {LIMIT} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _sheet(sop) -> Lembar:
    """The printed sheets' model made without a browser: rows of the least height, nothing measured."""
    paper = kertas_of(sop)
    width = round((paper.lebar - MARGIN[1] - MARGIN[3]) * PT_PER_MM, 2)
    lb = Lembar(sop, paper, kolom_for([str(a) for a in sop.pelaksana], width), {sop.id: str(sop.nama)})
    lb.rows_pt = [MIN_ROW] * len(sop.langkah)
    paginate(lb)
    return lb


_DOT_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


def _plain(text: str) -> str:
    return " ".join(html.unescape(text).split())


def render(sop) -> None:
    """Every output of a model: encodable, no raw ``<script``, every step's text in the page and the sheet."""
    lb = _sheet(sop)
    outputs = {
        "swimlane-dot": swimlane_dot(sop),
        "swimlane-svg": swimlane_svg(sop),
        "lembar-dot": "\n".join(sheet_dots(sop, lb.layout())),
        "lembar-html": sheets_html(lb),
        "halaman-html": sop_page(sop, lambda target: target + ".md", SiteContext.of({sop.id: sop})).html,
    }
    layout_pages(sop, simple_layout(sop))
    for name, text in outputs.items():
        text.encode("utf-8")  # raises on a surrogate
        if name.endswith("-dot"):  # DOT: text lives in quoted strings (Graphviz escapes them), never in <...> labels
            text = _DOT_STRING.sub('""', text)
        assert "<script" not in text.lower(), f"{name}: raw <script"
    for name in ("lembar-html", "halaman-html"):
        shown = _plain(outputs[name])
        for step in sop.langkah:
            assert " ".join(str(step.kegiatan).split()) in shown, f"{name}: kegiatan {step.no} not whole"
