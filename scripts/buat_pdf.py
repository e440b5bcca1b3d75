#!/usr/bin/env python3
"""Build only the PDFs: ``python scripts/buat_pdf.py [sop_data] [--keluar site/pdf] [--kertas A4|F4]``.

Writes ``<id>.pdf`` for every SOP and the binder ``buku-sop.pdf``, each
atomically (a reader never sees a half-written file). Shows a progress bar on
a terminal. SOP files with errors stop it with the same messages as
``sop check``; nothing is written then.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

try:
    import sopcode  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from sopcode.atomic import gagal_tulis
from sopcode.cache import trusted
from sopcode.sheets import BUKU, CetakError
from sopcode.diagnostics import tampak
from sopcode.publish import Settings, publish
from sopcode.shapes.graphviz import DrawError

CACHE = os.path.join(".cache", "sop")  # the same cache as the site build


def progress_bar(stream=sys.stderr):
    """A progress callback: a bar redrawn in place on a terminal, a line per file elsewhere."""
    tty = stream.isatty()
    start = time.monotonic()

    def show(done: int, total: int, name: str) -> None:
        if tty:
            width = 30
            filled = int(width * done / max(total, 1))
            bar = "#" * filled + "-" * (width - filled)
            stream.write(f"\r[{bar}] {done}/{total} {name[:40]:<40}")
            if done == total:
                stream.write(f"\rselesai: {total} berkas PDF dalam {time.monotonic() - start:.1f} detik"
                             + " " * 40 + "\n")
        elif name:
            stream.write(f"dicetak {done}/{total}: {name}\n")
        stream.flush()

    return show


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="buat_pdf.py", description="Cetak lembar SOP dan buku SOP ke PDF.")
    p.add_argument("folder", nargs="?", default="sop_data", help="folder data SOP (bawaan: sop_data)")
    p.add_argument("--keluar", default=os.path.join("site", "pdf"), metavar="FOLDER",
                   help="folder hasil (bawaan: site/pdf)")
    p.add_argument("--kertas", choices=["A4", "F4"], help="ukuran kertas (bawaan: dari _instansi.yaml)")
    p.add_argument("--tanpa-cache", action="store_true", help="cetak ulang walau sudah ada di cache")
    args = p.parse_args(argv)
    if not os.path.isdir(args.folder):
        print(f"galat: folder '{args.folder}' tidak ada", file=sys.stderr)
        return 2
    settings = Settings(cache_dir=None if args.tanpa_cache else trusted(CACHE), paper=args.kertas,
                        progress=progress_bar())
    try:
        pub = publish(args.folder, settings)
    except (CetakError, DrawError) as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 1
    with pub:
        report = pub.report
        for d in report.errors:
            print(d.format(), file=sys.stderr)
        if pub.stopped:
            print(f"galat: {len(report.errors)} galat; PDF tidak dibuat (`sop check` menampilkan pesan yang sama)",
                  file=sys.stderr)
            return 1
        cut = pub.cut
        for problem in pub.problems:
            print(f"{'galat' if problem in cut else 'peringatan'}: tata letak: {tampak(problem)}", file=sys.stderr)
        if cut:
            print(f"galat: {len(cut)} lembar cetak memotong teksnya: persingkat teks SOP itu atau kurangi butirnya",
                  file=sys.stderr)
            return 1
        try:
            written = pub.write_pdfs(args.keluar)
        except OSError as exc:
            print(f"galat: {gagal_tulis(exc, args.keluar)}", file=sys.stderr)
            return 1
    print(f"{len(written) - 1} PDF SOP dan {BUKU} ditulis ke {args.keluar} "
          f"({pub.printed} dicetak, {pub.from_cache} dari cache)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("dibatalkan", file=sys.stderr)
        sys.exit(130)
