"""The benchmark script runs end to end on a small corpus, so it never rots (its numbers are not judged)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # runs the benchmark script over generated SOPs


def test_benchmark_smoke_run(tmp_path):
    out = tmp_path / "hasil.json"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--n", "20", "--json", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    steps = [r["langkah"][0] for r in result["hasil"]]
    assert steps == list("aebcdefg")  # (e) cold, before the site, and warm, after it
    assert all(r["detik"] > 0 and r["rss_mb"] > 0 for r in result["hasil"])
    f = next(r for r in result["hasil"] if r["langkah"].startswith("f"))
    assert f["pss_mb"] > f["rss_mb"] / 2  # the whole tree, Chromium included, was sampled
    assert result["halaman"] >= 20 * 2  # every SOP printed: an identity sheet and a procedure sheet at least
    assert result["halaman_buku"] == result["halaman"] + 1 + 2  # cover, two pages of contents, every sheet
    assert "× (a)" in done.stdout and "Graphviz per SOP" in done.stdout
    latency = result["latensi"]  # (h) and (i): an edit under a real mkdocs serve, the fast path taken
    assert latency["jalur_cepat"] and latency["halaman"] > 0 and latency["situs"] > 0
