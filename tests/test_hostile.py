"""Hostile text and paths, and no data loss: what a file cannot do to the site, the PDFs or sop_data/."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BIN, ROOT, SEED, build_site, copy_sources, run_sop, tree_hash

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # builds sites with PDFs from hostile sources

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SOP_ID = "sop-surat-keterangan-domisili"

HOSTILE = {
    "script": "<script>alert('x')</script>",
    "img": '"><img src=x onerror=alert(1)>',
    "link": "javascript:alert(document.cookie)",
    "graphviz": "<b>{ a | b }</b> \\N \\G \\L \\",
    "template": "{{ 7*7 }} {% if 1 %}ya{% endif %} {# komentar #}",
    "markdown": "**tebal** [tautan](javascript:alert(1)) <!-- -->",
}


def mkdocs(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mkdocs"), "build", "-q"], cwd=project, capture_output=True, text=True,
                          timeout=600, env=ENV)


def with_text(project: Path, make) -> None:
    """Rewrite one SOP: its name, an actor, a box entry and every step's text come from ``make(slot)``."""
    path = project / "sop_data" / f"{SOP_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^nama: .*$", lambda m: "nama: " + json.dumps(make("nama")), text, count=1)
    n = iter(range(1000))
    text = re.sub(r"(?m)^(    kegiatan: ).*$", lambda m: m.group(1) + json.dumps(make(f"langkah{next(n)}")), text)
    text = re.sub(r"(?m)^(dasar_hukum:\n  - ).*$", lambda m: m.group(1) + json.dumps(make("kotak")), text, count=1)
    actor = re.search(r"(?m)^pelaksana:\n  - (.*)$", text).group(1).strip()
    # The column and every step it does.
    text = re.sub(rf"(?m)^(\s*(?:- |pelaksana: )){re.escape(actor)}$", lambda m: m.group(1) + json.dumps(make("aktor")),
                  text)
    path.write_text(text, encoding="utf-8")


class Shape(HTMLParser):
    """The elements and attribute names of a page, in order: what markup there is, not what it says."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple[str, tuple[str, ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.shape.append((tag, tuple(sorted(k for k, _ in attrs))))

    def handle_data(self, data):
        self.text.append(data)


def shape_of(html: str) -> tuple[Counter, str]:
    parser = Shape()
    parser.feed(html)
    return Counter(parser.shape), " ".join(" ".join(parser.text).split())


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The project built twice: with plain words, and with hostile ones in the same places."""
    out = {}
    for name, make in (("biasa", lambda slot: f"Teks biasa {slot}"),
                       ("jahat", lambda slot: f"{list(HOSTILE.values())[sum(map(ord, slot)) % len(HOSTILE)]} {slot}")):
        folder = tmp_path_factory.mktemp(name)
        project = copy_sources(folder)
        with_text(project, make)
        build_site(project)  # in this process: what is tested is the site
        out[name] = project
    return out


def test_hostile_text_adds_no_markup_to_the_page_or_the_drawing(builds):
    pages = {k: (p / "site" / "sop" / SOP_ID / "index.html").read_text(encoding="utf-8") for k, p in builds.items()}
    plain, hostile = shape_of(pages["biasa"]), shape_of(pages["jahat"])
    # The same kinds of element with the same attributes, as many of each, but for the
    # lines of text in the drawing's symbols (longer words wrap into more lines).
    assert set(plain[0]) == set(hostile[0]), set(hostile[0]) ^ set(plain[0])
    lines = lambda shape: Counter({k: v for k, v in shape.items() if k[0] != "text"})
    assert lines(plain[0]) == lines(hostile[0]), set(lines(hostile[0]).items()) ^ set(lines(plain[0]).items())
    text = hostile[1]
    for value in HOSTILE.values():
        assert value.split()[0] in text  # shown as written
    assert "49" not in re.findall(r"\b49\b", pages["jahat"]) or "{{ 7*7 }}" in text  # never evaluated
    svg = (builds["jahat"] / "site" / "sop" / SOP_ID / "bagan-alir.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert not [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] in ("script", "foreignObject", "image")]
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
    assert not [v for el in root.iter() for k, v in el.attrib.items() if "javascript:" in v and k.endswith("href")]
    # "Perbesar bagan"'s page: its title and the drawing in it add no markup either.
    charts = {k: shape_of((p / "site" / "sop" / SOP_ID / "bagan-alir.html").read_text(encoding="utf-8"))
              for k, p in builds.items()}
    assert lines(charts["biasa"][0]) == lines(charts["jahat"][0])
    assert all(value.split()[0] in charts["jahat"][1] for value in HOSTILE.values())


def test_hostile_text_prints_literally_in_the_pdf(builds):
    text = subprocess.run(["pdftotext", str(builds["jahat"] / "site" / "pdf" / f"{SOP_ID}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "<script>alert('x')</script>" in flat and "{{ 7*7 }}" in flat and "\\N \\G" in flat


def test_dot_source_carries_hostile_text_as_data():
    import dataclasses

    from sopcode.model.load import load_folder
    from sopcode.model.sop import Teks
    from sopcode.shapes.swimlane import swimlane_dot

    sop = next(s for s in load_folder(str(ROOT / "sop_data")).sops if s.id == SOP_ID)
    step = sop.langkah[0]
    evil = '"]; x [label="ditanam"]; y -> z; //' + HOSTILE["graphviz"]
    sop = dataclasses.replace(sop, langkah=(dataclasses.replace(step, kegiatan=Teks(evil, step.kegiatan.loc)),
                                            *sop.langkah[1:]))
    dot = swimlane_dot(sop)
    done = subprocess.run(["dot", "-Tjson"], input=dot, capture_output=True, text=True, check=True)
    names = {o["name"] for o in json.loads(done.stdout)["objects"]}
    assert not names & {"x", "y", "z"}, "text from YAML became DOT syntax"


def test_no_command_changes_sop_data(tmp_path: Path):
    project = copy_sources(tmp_path)
    data = project / "sop_data"
    before = tree_hash(data)
    for args in (["check", "sop_data"], ["check", "--json", "sop_data"], ["check", "--strict", "sop_data"],
                 ["schema"], ["diff", SOP_ID], ["check", str(data / f"{SOP_ID}.yaml")]):
        run_sop(*args, cwd=project)
        assert tree_hash(data) == before, args
    for args in (["gambar", str(data / f"{SOP_ID}.yaml"), "--keluar", str(tmp_path / "g")],
                 ["pdf", "sop_data", "--keluar", str(tmp_path / "pdf")]):
        done = subprocess.run([str(BIN / "sop"), *args], cwd=project, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert tree_hash(data) == before, args
    assert mkdocs(project).returncode == 0 and tree_hash(data) == before
    # `sop new` writes only the new file, and never over an existing one.
    done = run_sop("new", "Pelayanan Surat Keterangan Domisili", "--id", SOP_ID, "--folder", "sop_data", cwd=project)
    assert done.returncode != 0 and tree_hash(data) == before
    done = run_sop("new", "Pelayanan Baru", "--folder", "sop_data", cwd=project)
    after = tree_hash(data)
    assert done.returncode == 0 and {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) == {"sop-pelayanan-baru.yaml"}


def test_a_build_killed_half_way_leaves_nothing_that_breaks_the_next(tmp_path: Path):
    project = copy_sources(tmp_path)
    proc = subprocess.Popen([str(BIN / "mkdocs"), "build", "-q"], cwd=project, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    cache = project / ".cache" / "sop"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(cache.rglob("*.pdf")) and proc.poll() is None:
        time.sleep(0.05)  # killed while the PDFs are being printed: drawings cached, printing under way
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for path in cache.rglob("*"):
        if path.is_file() and not path.name.startswith(".tmp-"):
            data = path.read_bytes()
            if path.suffix == ".svg":
                ET.fromstring(data)  # a whole drawing, never half of one
            elif path.suffix == ".pdf":
                assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), path
    done = mkdocs(project)
    assert done.returncode == 0, done.stderr
    pdf = project / "site" / "pdf" / f"{SEED.stem}.pdf"
    assert pdf.read_bytes().rstrip().endswith(b"%%EOF")
    assert not [p for p in (project / "site" / "pdf").iterdir() if p.name.startswith(".tmp")]
