"""The step graph: where each step goes, what is reachable, which arrows go back.

Used by the checks and by both drawings, so they agree on the flow.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopcode.model.sop import Simbol, Sop

YA = "Ya"
TIDAK = "Tidak"


@dataclass(frozen=True)
class Edge:
    src: int  # step number
    dst: int  # step number (may name no step; checks report that)
    label: str | None = None  # "Ya" / "Tidak" on a decision's branches
    key: str = ""  # the YAML key that made it: "", "lanjut", "ya", "tidak"


def out_edges(sop: Sop, index: int) -> list[Edge]:
    """The arrows leaving the step at ``index`` (position in ``sop.langkah``)."""
    step = sop.langkah[index]
    if step.simbol is Simbol.KEPUTUSAN or step.ya is not None or step.tidak is not None:
        edges = []
        if step.ya is not None:
            edges.append(Edge(step.no, step.ya, YA, "ya"))
        if step.tidak is not None:
            edges.append(Edge(step.no, step.tidak, TIDAK, "tidak"))
        return edges
    if step.lanjut is not None:
        return [Edge(step.no, step.lanjut, None, "lanjut")]
    if index + 1 < len(sop.langkah):
        return [Edge(step.no, sop.langkah[index + 1].no)]
    return []


def edges(sop: Sop) -> list[Edge]:
    return [e for i in range(len(sop.langkah)) for e in out_edges(sop, i)]


class Graph:
    """Steps by number, with successors and predecessors (targets that exist only)."""

    def __init__(self, sop: Sop):
        self.sop = sop
        self.index: dict[int, int] = {}
        for i, step in enumerate(sop.langkah):
            self.index.setdefault(step.no, i)
        self.edges = [e for e in edges(sop) if e.dst in self.index]
        self.succ: dict[int, list[int]] = {no: [] for no in self.index}
        self.pred: dict[int, list[int]] = {no: [] for no in self.index}
        for e in self.edges:
            self.succ[e.src].append(e.dst)
            self.pred[e.dst].append(e.src)

    def reachable(self, start: int, forward: bool = True) -> set[int]:
        nexts = self.succ if forward else self.pred
        seen = {start}
        stack = [start]
        while stack:
            for n in nexts[stack.pop()]:
                if n not in seen:
                    seen.add(n)
                    stack.append(n)
        return seen

    def is_back_edge(self, edge: Edge) -> bool:
        """An arrow to the same or an earlier row (a loop), drawn beside the columns."""
        return self.index.get(edge.dst, 0) <= self.index.get(edge.src, 0)
