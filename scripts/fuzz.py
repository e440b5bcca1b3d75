#!/usr/bin/env python3
"""Fuzz the loader and the checks: ``python scripts/fuzz.py --n 10000``.

Draws N broken or hostile SOP files (see tests/fuzz_sop.py for the kinds of
damage) and runs each through loading, checking and rendering (swimlane SVG,
sheet chart, printed sheet HTML, page HTML), bounded in time. ``--benih``
makes a run repeatable: the same seed draws the same cases. Nothing is
written to the working folder (Hypothesis keeps its files in a temporary
folder, removed at the end).
Prints a table: per kind, how many cases ended as a model, how many as our
own error message, and how many failed (a traceback, a hang, a foreign
message); exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "plugins"))

_HOME = tempfile.mkdtemp(prefix="sop-fuzz-")
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = _HOME  # before Hypothesis is imported: no .hypothesis/ here

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from fuzz_sop import KINDS, cases, run_case  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="fuzz.py", description="Uji berkas SOP rusak dan berbahaya (fuzzing).")
    p.add_argument("--n", type=int, default=10_000, help="jumlah kasus (bawaan: 10000)")
    p.add_argument("--benih", type=int, default=None, help="benih acak (bawaan: acak)")
    args = p.parse_args(argv)
    seen: Counter = Counter()
    failures: list[str] = []
    start = time.perf_counter()

    @settings(max_examples=args.n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=cases())
    def one(case):
        kind, data = case
        with tempfile.TemporaryDirectory() as folder:
            try:
                seen[(kind, run_case(data, Path(folder)))] += 1
            except BaseException as exc:  # noqa: BLE001 - every failure is counted and shown
                seen[(kind, "gagal")] += 1
                if len(failures) < 5:
                    failures.append(f"{kind}: {exc!r}\n{traceback.format_exc(limit=3)}\n{data[:300]!r}")

    if args.benih is not None:
        one = seed(args.benih)(one)
    try:
        one()
    finally:
        shutil.rmtree(_HOME, ignore_errors=True)
    total = sum(seen.values())
    benih = "acak" if args.benih is None else args.benih
    print(f"{total} kasus dalam {time.perf_counter() - start:.0f} detik (benih {benih})")
    print(f"{'jenis kerusakan':<22} {'kasus':>7} {'model':>7} {'galat':>7} {'gagal':>7}")
    for kind in KINDS:
        row = [seen[(kind, r)] for r in ("model", "galat", "gagal")]
        print(f"{kind:<22} {sum(row):>7} {row[0]:>7} {row[1]:>7} {row[2]:>7}")
    for f in failures:
        print("\nGAGAL:", f, file=sys.stderr)
    return 1 if any(r == "gagal" for _, r in seen) else 0


if __name__ == "__main__":
    sys.exit(main())
