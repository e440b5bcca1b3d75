"""A plain horizontal bar chart as SVG, drawn here (no script, no library, nothing from the internet).

Used for the share of SOPs carried out well per unit and monitoring period. Every bar's value
is written beside it as text (no meaning in colour alone); the colours reach WCAG AA contrast
on white; every text is escaped; the same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 760
LABEL_W = 170
"""The left column: each bar's own label (a period)."""
BAR_W = 440
"""The length of a bar at 100 %."""
BAR_H = 18
ROW_H = 26
GROUP_H = 24
"""The line a group's name takes above its bars."""
TOP = 52
BOTTOM = 46
BAR = "#1f5a8a"
"""The bars: 7.4:1 on white."""
INK = "#1a1a1a"
GRID = "#767676"
"""Grid lines and axis: 4.5:1 on white."""
FONT = "font-family=\"sans-serif\""


@dataclass(frozen=True)
class Bar:
    """One bar: ``bagian`` of ``jumlah`` (``jumlah`` 0: nothing to measure, written as such)."""

    label: str
    bagian: int
    jumlah: int

    @property
    def persen(self) -> int | None:
        """The share as a whole percentage, rounded half up; None when there is nothing to count."""
        return (200 * self.bagian + self.jumlah) // (2 * self.jumlah) if self.jumlah else None

    @property
    def teks(self) -> str:
        return "belum ada data" if self.persen is None else f"{self.persen}% ({self.bagian} dari {self.jumlah})"


def percent_text(bagian: int, jumlah: int) -> str:
    """``67% (2 dari 3)``, as written on a bar."""
    return Bar("", bagian, jumlah).teks


def bar_chart(title: str, desc: str, axis: str, groups: Sequence[tuple[str, Sequence[Bar]]]) -> str:
    """Groups of labelled bars (one row each), a 0-100 % axis below them named ``axis``, ``title`` above."""
    rows = sum(len(bars) for _, bars in groups)
    height = TOP + len(groups) * GROUP_H + rows * ROW_H + BOTTOM
    x0 = LABEL_W
    body: list[str] = [
        f'<text x="{WIDTH // 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold" fill="{INK}">'
        f"{escape(title)}</text>"]
    plot_top, y = TOP - 8, TOP
    for name, bars in groups:
        y += GROUP_H
        body.append(f'<text x="8" y="{y - 7}" font-size="14" font-weight="bold" fill="{INK}" stroke="#ffffff" '
                    f'stroke-width="4" paint-order="stroke">{escape(name)}</text>')
        for bar in bars:
            mid = y + ROW_H // 2
            body.append(f'<text x="{x0 - 8}" y="{mid + 5}" text-anchor="end" font-size="13" fill="{INK}">'
                        f"{escape(bar.label)}</text>")
            length = 0 if bar.persen is None else round(BAR_W * bar.bagian / bar.jumlah)
            if length:
                body.append(f'<rect x="{x0}" y="{mid - BAR_H // 2}" width="{length}" height="{BAR_H}" fill="{BAR}"/>')
            body.append(f'<text x="{x0 + length + 6}" y="{mid + 5}" font-size="13" fill="{INK}">'
                        f"{escape(bar.teks)}</text>")
            y += ROW_H
    axis_y = y + 4
    grid = []  # drawn first: behind the bars and the names
    for pct in (0, 25, 50, 75, 100):
        x = x0 + BAR_W * pct // 100
        dashes = "" if pct == 0 else ' stroke-dasharray="3 3"'
        grid.append(f'<line x1="{x}" y1="{plot_top}" x2="{x}" y2="{axis_y}" stroke="{GRID}" stroke-width="1"{dashes}/>')
        body.append(f'<text x="{x}" y="{axis_y + 16}" text-anchor="middle" font-size="12" fill="{INK}">{pct}%</text>')
    body[1:1] = grid
    body.append(f'<line x1="{x0}" y1="{axis_y}" x2="{x0 + BAR_W}" y2="{axis_y}" stroke="{GRID}" stroke-width="1"/>')
    body.append(f'<text x="{x0 + BAR_W // 2}" y="{axis_y + 36}" text-anchor="middle" font-size="12" fill="{INK}">'
                f"{escape(axis)}</text>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="sop-grafik" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" style="max-width:100%;height:auto" role="img" aria-label={quoteattr(title)} {FONT}>'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
            + "".join(body) + "</svg>")
