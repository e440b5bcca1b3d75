"""The text alternative of a page's chart: what the drawing shows, said in words.

The chart is drawn as SVG inside the procedure table; the sheet gives it this text as its
accessible name (``role="img" aria-label``), and Chromium writes it into the tagged PDF as the
``/Alt`` of the chart's Figure. The table beside it already holds each step's activity; the
chart adds who does each step and where the flow goes from it, which is what is said here.
"""

from __future__ import annotations

from html import escape

from sopcode.model.graph import out_edges
from sopcode.model.sop import Simbol, Sop


def chart_description(sop: Sop, lo: int, hi: int) -> str:
    """Words for the chart of the steps at indexes ``lo`` to ``hi`` - 1 (one page of the sheet)."""
    steps = sop.langkah[lo:hi]
    if not steps:
        return "Bagan alir"
    first, last = steps[0].no, steps[-1].no
    said = [f"Bagan alir langkah {first}" + (f" sampai {last}" if last != first else "") + "."]
    for i in range(lo, hi):
        step = sop.langkah[i]
        actors = " dan ".join(" ".join(str(a).split()) for a in step.semua_pelaksana)
        edges = out_edges(sop, i)
        if any(e.label for e in edges):
            flow = "keputusan, " + ", ".join(f"{e.label} ke langkah {e.dst}" for e in edges)
        elif edges:
            flow = ("mulai, " if step.simbol is Simbol.TERMINATOR else "") + f"lanjut ke langkah {edges[0].dst}"
        else:
            flow = "selesai"
        said.append(f"Langkah {step.no}, {actors}: {flow}.")
    return " ".join(said)


def labelled(svg: str, description: str) -> str:
    """The SVG as one image named ``description`` (its own text and titles are then not read apart)."""
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(description, quote=True)}" ', 1)
