#!/usr/bin/env python3
"""Draw the charts of one SOP file: ``python scripts/gambar_sop.py sop_data/x.yaml [--keluar DIR]``.

Writes ``<id>-swimlane.svg`` (the page's drawing) and ``<id>-swimlane.png``,
and ``<id>-lembar-<page>.svg`` / ``.png`` (the chart of the procedure sheet,
page by page, on plain equal rows) to DIR (default ``build/gambar/``).
Messages are in Indonesian; a broken SOP file gives the same diagnostics as
``sop check``, never a traceback.

Each chart is an entry of :data:`GAMBAR`: a name and a function
``sop -> {file suffix: bytes}``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

try:
    import sopcode  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from sopcode.rules import check_sop
from sopcode.shapes.graphviz import DrawError, cached_render_many, render_bytes
from sopcode.shapes.sheet_chart import sheet_dots, simple_layout
from sopcode.shapes.swimlane import swimlane_png, swimlane_svg
from sopcode.model.load import SETTINGS_FILE, load_instansi, load_sop
from sopcode.model.sop import Sop

DEFAULT_OUT = os.path.join("build", "gambar")
CACHE = os.path.join("build", "cache-graphviz")


def gambar_swimlane(sop: Sop, cache_dir: str | None) -> dict[str, bytes]:
    """The swimlane flowchart, as on the web page (SVG) and as a picture (PNG)."""
    return {
        "swimlane.svg": swimlane_svg(sop, cache_dir).encode("utf-8"),
        "swimlane.png": swimlane_png(sop, cache_dir),
    }


def gambar_lembar(sop: Sop, cache_dir: str | None) -> dict[str, bytes]:
    """The chart of the procedure sheet, one drawing per page, on plain equal rows."""
    layout = simple_layout(sop, sop.instansi.kertas)
    out: dict[str, bytes] = {}
    # The table's lines are drawn too: without them the columns cannot be told apart.
    dots = sheet_dots(sop, layout, grid=True)
    svgs = cached_render_many(dots, "neato", "svg", cache_dir, args=["-n2"])
    for n, (svg, dot) in enumerate(zip(svgs, dots), 1):
        out[f"lembar-{n}.svg"] = svg.encode("utf-8")
        out[f"lembar-{n}.png"] = render_bytes(dot, "neato", "png", args=["-n2", "-Gdpi=144"])
    return out


GAMBAR: list[tuple[str, Callable[[Sop, str | None], dict[str, bytes]]]] = [
    ("bagan alir lintas fungsi", gambar_swimlane),
    ("bagan dalam lembar prosedur", gambar_lembar),
]
"""The charts this script draws, in order: a name for messages, and how to draw it."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gambar_sop.py", description="Gambar bagan alir satu berkas SOP (SVG dan PNG).")
    p.add_argument("berkas", help="berkas SOP (.yaml)")
    p.add_argument("--keluar", default=DEFAULT_OUT, metavar="FOLDER",
                   help=f"folder hasil (bawaan: {DEFAULT_OUT})")
    p.add_argument("--tanpa-cache", action="store_true", help="gambar ulang walau sudah ada di cache")
    return p


def _write(path: str, data: bytes) -> None:
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not os.path.isfile(args.berkas):
        print(f"galat: berkas '{args.berkas}' tidak ada", file=sys.stderr)
        return 2
    instansi, diagnostics = None, []
    settings = os.path.join(os.path.dirname(args.berkas) or ".", SETTINGS_FILE)
    if os.path.isfile(settings):  # the institution's settings beside the SOP, as `sop check` reads them
        instansi, diagnostics = load_instansi(settings)
    sop, found = load_sop(args.berkas, instansi)
    diagnostics = diagnostics + found
    if sop is not None:
        diagnostics = diagnostics + check_sop(sop)
    errors = [d for d in diagnostics if d.is_error]
    for d in errors:
        print(d.format(), file=sys.stderr)
    if sop is None or errors:
        print(f"galat: {len(errors)} galat pada {args.berkas}; bagan alir tidak digambar "
              "(`sop check` menampilkan pesan yang sama)", file=sys.stderr)
        return 1
    cache = None if args.tanpa_cache else CACHE
    try:
        drawn = [(name, draw(sop, cache)) for name, draw in GAMBAR]
    except DrawError as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 1
    os.makedirs(args.keluar, exist_ok=True)
    for name, outputs in drawn:
        for suffix, data in outputs.items():
            path = os.path.join(args.keluar, f"{sop.id}-{suffix}")
            _write(path, data)
            print(f"{name}: {path} ditulis")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("dibatalkan", file=sys.stderr)
        sys.exit(130)
