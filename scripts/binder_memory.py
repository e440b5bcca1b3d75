#!/usr/bin/env python3
"""Memory and time of binding a binder: N copies of the seed's SOP PDFs behind its cover and contents.

    .venv/bin/python scripts/binder_memory.py --copies 60 300     # 604 and 3,004 pages

The seed's SOPs (sop_data/) are printed once with real Chromium (tagged, as the build prints
them) and copied N times, each copy written anew by :func:`~sopcode.sheets.binder.finish` under
a title of its own, as distinct SOPs have. They are kept in ``--workdir`` between runs: delete it
after a change to how PDFs are printed.
Three bindings of the same pages:

- ``bind``: :func:`~sopcode.sheets.binder.bind`, as the build binds, from the tagged PDFs (the
  binder takes their pages without their structure trees);
- ``bind, untagged parts``: the same from the PDFs with their trees removed (StructTreeRoot,
  MarkInfo, the pages' StructParents): what binding costs when the parts hold no tree at all;
- ``trees kept``: the least a tagged binder needs, each part's pages with its whole structure tree
  copied in (qpdf holds every copied object until the binder is written), without the work of
  joining them into one tree (ParentTree keys, identifiers), stamping or an outline. The binder
  that did join them (commit c34b890) measured more than this on 3,002 pages: 1,443 MB, 9.7 s.

Each binding runs in a process of its own (``--child``), from files as the build's cache holds
them, and reports the peak RSS of that process (``VmHWM``: qpdf's memory is invisible to
tracemalloc) after the parts are assembled, before the binder is written, and at the end, and
the seconds of :func:`~sopcode.sheets.binder.bind`. The objects per page of one SOP's PDF,
with and without its tree, are counted too. Nothing here is a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

import pikepdf  # noqa: E402
from pikepdf import Name  # noqa: E402


def status(field: str) -> int:
    """A field of /proc/self/status, in KB (VmHWM: the peak RSS; VmRSS: now)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def strip(data: bytes) -> bytes:
    """The PDF without its structure tree: what binding an untagged PDF reads."""
    from sopcode.sheets.binder import _save

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key in (Name.StructTreeRoot, Name.MarkInfo):
            if key in pdf.Root:
                del pdf.Root[key]
        for page in pdf.pages:
            if Name.StructParents in page.obj:
                del page.obj[Name.StructParents]
            for annot in page.obj.get(Name.Annots, ()):
                if Name.StructParent in annot:
                    del annot[Name.StructParent]
        return _save(pdf)


def prepare(workdir: Path, copies: int) -> None:
    """The seed printed once (``front.pdf``, one PDF per SOP), then the copies, tagged and stripped."""
    from sopcode.model.load import load_folder
    from sopcode.sheets import Printer, SheetInputs, _part
    from sopcode.sheets.binder import SopPart, finish

    seed = workdir / "seed.json"
    if not seed.exists():
        sops = load_folder(str(ROOT / "sop_data")).sops
        with Printer() as printer:
            these = printer.prepare(sops, SheetInputs(all_sops={s.id: s for s in sops}))
            printed = printer.print(these)
            binder = printer.prepare_binder(these)
        (workdir / "front.pdf").write_bytes(binder.front)
        (workdir / "front-polos.pdf").write_bytes(strip(binder.front))
        parts = []
        for i, (lb, data) in enumerate(zip(these, printed)):
            (workdir / f"seed-{i}.pdf").write_bytes(data)
            part = _part(lb)
            parts.append({"pages": part.pages, "title": part.title, "outline": part.outline})
        seed.write_text(json.dumps({"title": binder.title, "parts": parts}))
    parts = json.loads(seed.read_text())["parts"]
    for k in range(copies):
        for i, p in enumerate(parts):
            tagged, plain = workdir / f"sop-{k}-{i}.pdf", workdir / f"sop-{k}-{i}-polos.pdf"
            if plain.exists():
                continue
            part = SopPart(p["pages"], f"{p['title']} ({k + 1})", tuple((a, b) for a, b in p["outline"]))
            data = finish((workdir / f"seed-{i}.pdf").read_bytes(), part)
            tagged.write_bytes(data)
            plain.write_bytes(strip(data))


KINDS = {"bind": "", "bind, untagged parts": "-polos", "trees kept": ""}


def with_trees(front: bytes, entries: list, target: str) -> None:
    """The pages and the whole structure tree of every part in one PDF (see ``trees kept``)."""
    from sopcode.sheets import binder as binding

    book = pikepdf.new()
    trees = book.make_indirect(pikepdf.Array())
    for source in [io.BytesIO(front), *(e.pdf for e in entries)]:
        with pikepdf.open(source) as src:
            book.pages.extend(src.pages)
            if Name.StructTreeRoot in src.Root:
                trees.append(book.copy_foreign(src.Root.StructTreeRoot))
    book.Root.Trees = trees
    binding._save(book, target)


def child(workdir: Path, copies: int, kind: str) -> dict:
    """Bind ``copies`` copies in this process: peak RSS (MB) assembled and written, seconds, pages."""
    from sopcode.sheets import MARGIN
    from sopcode.sheets import binder as binding

    suffix = KINDS[kind]
    seed = json.loads((workdir / "seed.json").read_text())
    front = (workdir / f"front{suffix}.pdf").read_bytes()
    with pikepdf.open(io.BytesIO(front)) as pdf:
        page = len(pdf.pages) + 1
    entries = []
    for k in range(copies):
        for i, p in enumerate(seed["parts"]):
            entries.append(binding.BinderEntry(str(workdir / f"sop-{k}-{i}{suffix}.pdf"), f"{p['title']} ({k + 1})", page))
            page += p["pages"]
    found: dict[str, float] = {"start": status("VmRSS") / 1024}
    save = binding._save

    def measured_save(pdf, path=None):  # the binder assembled: what it holds before qpdf writes it
        found["assembled"] = status("VmHWM") / 1024
        found["assembled_s"] = time.perf_counter() - start
        return save(pdf, path)

    binding._save = measured_save  # type: ignore[assignment]
    target = workdir / f"buku{suffix}.pdf"
    start = time.perf_counter()
    if kind == "trees kept":
        with_trees(front, entries, str(target))
    else:
        binding.bind(front, entries, title=seed["title"], margin_left_mm=MARGIN[3], margin_bottom_mm=MARGIN[2],
                     front_outline=(("Sampul", 0), ("Daftar Isi", 1)), target=str(target))
    found["seconds"] = time.perf_counter() - start
    found["peak"] = status("VmHWM") / 1024
    found["pages"] = page - 1
    found["mb_file"] = target.stat().st_size / 1e6
    with pikepdf.open(target) as pdf:
        found["objects"] = len(pdf.objects)
    target.unlink()
    return found


def objects_per_page(path: Path) -> dict:
    """What one SOP's PDF holds per page: its objects, and its structure elements by type."""
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
        out = {"objects": len(pdf.objects) / pages}
        tree = pdf.Root.get(Name.StructTreeRoot)
        if tree is None:
            return out
        types: collections.Counter[str] = collections.Counter()
        refs = 0
        stack = [tree.K]
        while stack:
            here = stack.pop()
            if isinstance(here, pikepdf.Array):
                stack.extend(here)
            elif isinstance(here, pikepdf.Dictionary) and Name.S in here:
                types[str(here.S)] += 1
                if Name.K in here:
                    stack.append(here.K)
            else:
                refs += 1  # a marked-content id or a reference to a content item
        out["elements"] = sum(types.values()) / pages
        out["content items"] = refs / pages
        out.update({f"  {t}": n / pages for t, n in types.most_common(8)})
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[60, 300], help="copies of the seed's SOPs")
    parser.add_argument("--workdir", type=Path, default=ROOT / ".cache" / "binder-memory",
                        help="where the printed seed and its copies are kept between runs")
    parser.add_argument("--runs", type=int, default=1, help="bindings of each kind; the least time and peak are shown")
    parser.add_argument("--child", nargs=2, metavar=("COPIES", "KIND"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.child:
        print(json.dumps(child(args.workdir, int(args.child[0]), args.child[1])))
        return
    prepare(args.workdir, max(args.copies))
    print("objects per page of one SOP's PDF (the seed's first, 'tagged' as printed / 'untagged' stripped):")
    tagged, plain = objects_per_page(args.workdir / "sop-0-0.pdf"), objects_per_page(args.workdir / "sop-0-0-polos.pdf")
    for key, value in tagged.items():
        print(f"  {key:<20} {value:8.1f} {plain.get(key, 0):8.1f}")
    print()
    print("| pages | binder | peak RSS assembled | peak RSS | seconds | file | objects |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    for copies in args.copies:
        for kind in KINDS:
            runs = [json.loads(subprocess.run(
                [sys.executable, __file__, "--workdir", str(args.workdir), "--child", str(copies), kind],
                capture_output=True, text=True, check=True, env=env).stdout) for _ in range(args.runs)]
            r = min(runs, key=lambda x: x["seconds"])
            peak = min(x["peak"] for x in runs)
            print(f"| {r['pages']:,} | {kind} | {r['assembled']:.0f} MB | {peak:.0f} MB | {r['seconds']:.1f} s "
                  f"| {r['mb_file']:.1f} MB | {r['objects']:,} |", flush=True)


if __name__ == "__main__":
    main()
