"""The swimlane flowchart of an SOP for the web page: a grid placed here, drawn by Graphviz.

The package, in the order a drawing is made: :mod:`.style` (font, sizes, colours),
:mod:`.plan` (rows, columns and the course of every arrow), :mod:`.routes` (coordinates
of cells, symbols and lines), :mod:`.labels` (where Ya/Tidak sit), :mod:`.dot` (the DOT
source), :mod:`.finish` (Graphviz's SVG made the page's) and :mod:`.render` (SOPs to
SVG or PNG, cached, many at once). The public functions are importable from here.

How it is built
---------------
Clusters would be the natural way to draw lanes, but Graphviz reorders
clusters freely. The drawing is instead a grid with no clusters: a cell in
every row (a header row, one row per step, a footer row) and column. A step
*is* the cell of its row in its actor's column, so the lane order and "one
step per row" come from the grid itself. :func:`~.routes.layout_grid` places the grid
(columns as wide as their lane, rows as tall as what they hold) and
``neato -n2`` draws it where it is told; only the empty cells an arrow
passes are given to Graphviz at all. (Letting ``dot`` place a full
invisible grid gave the same picture for 10 ms of CPU per SOP.)

Columns, left to right: left gutters, the lanes in declared order, right
gutters. Arrows are drawn along grid links, so their course is decided here:

* to the next step in another lane (*siku*, an elbow): straight out of the
  step's side along its own row, which holds no other symbol, then down
  into the top of the next step;
* to the next step in the same lane: straight down;
* back up (*balik*, a loop) or forward over other steps (*lompat*): out of
  the step's side along its row to a gutter column, along the gutter, and
  into the target's side along the target's row. Loops prefer the right
  gutters, jumps the left, unless the other side crosses less; a gutter
  column holds routes whose rows do not overlap, shorter ones nearer the
  lanes, so nested loops never cross.

A side of a step is used by one arrow leaving it; arrows arriving may share
it (they merge). A step looping on itself takes a side first (one facing a
lane rather than a gutter, if it can): a small loop out of it and back into it
higher up. When an elbow's side is taken, that arrow becomes a curve
from the bottom of the step to the top of the next. A loop or jump whose side
is taken (or closed, below) leaves by the step's bottom or arrives by its top,
along the gap between the rows.

A step done by several actors (``pelaksana: [A, B]``) has one symbol across
its actors' lanes where they are adjacent, else a symbol in each run of
adjacent lanes, joined by a plain line along its row; the row holds nothing
else. Its arrows attach to the symbol holding its first actor, whose side
facing the other symbols is *closed*; arrows from above or below meet that
symbol over its first actor's lane. With ``terminator: terpisah`` a small
"Mulai" capsule has a row of its own above the first step, "Selesai" one
below the last, each in the lane of that step's first actor.

A decision's *Ya*/*Tidak* labels are placed here too (:func:`~.labels.place_labels`),
once every line drawn here is known: beside the first stretch of their own
line where it leaves the decision, on the side away from where the line turns
next (below the stretch of a loop that then goes up, above that of a jump that
goes down), else the first of a few spots further along that is clear of every
other line, arrowhead, symbol, lane header and label, and nearer its own line
than any other. Graphviz only draws a label where it is told (``tail_lp``), so
where it sits is in the DOT, and so in the key of every cached drawing.

The SVG keeps Graphviz's size (in points); the page scales it down to its own width
(``sop.css``: no scroll box of its own) and links to a page of its own holding the same drawing
at full size, for reading it on a phone ("Perbesar bagan").

Graphviz knows nothing of lanes as areas: :func:`~.finish.finish_svg` reads the header
cells' coordinates back from the SVG and paints the lane columns behind the
drawing (``class="lajur"``); the headers repeat at the bottom of long SOPs.
An arrow along the grid is one edge whose line is given. Every step is
``<g class="langkah …" id="bagan-langkah-<no>">`` showing its whole text (wrapped; the
symbol grows to hold it, never cut) with the text and actors as hover title, inside
``<a class="ke-langkah" href="#langkah-<no>" aria-label="Langkah <no>: <kegiatan>">``, the
link to its row of the page's procedure table (whose rows are ``id="langkah-<no>"`` and
link back to ``#bagan-langkah-<no>``); Tab visits the steps in order. The drawing is named (``aria-label``)
and described (``<desc>``: how many steps and actors, and where the full text is). As a file of its own
(:func:`~.finish.standalone_svg`) the links lead to the rows on the SOP's page, or are left out. A further symbol of
a shared step is ``id="bagan-langkah-<no>-2"`` (``-3`` …, left to right; all its symbols
have class ``bersama``), a link too but no Tab stop of its own, and the lines joining them ``<g class="sambung"
id="sambung-<no>-<n>">``; the capsules are ``<g class="langkah terminator
mulai" id="mulai">`` and ``id="selesai"``. Arrows are ``<g class="panah …"
id="panah-<dari>-<ke>[-ya|-tidak]">`` (``panah-mulai-1``, ``panah-13-selesai``).
"""

from sopcode.shapes.swimlane.dot import ENGINE, ENGINE_ARGS, swimlane_dot
from sopcode.shapes.swimlane.finish import standalone_svg
from sopcode.shapes.swimlane.render import swimlane_png, swimlane_svg, swimlane_svgs

__all__ = ["ENGINE", "ENGINE_ARGS", "standalone_svg", "swimlane_dot", "swimlane_png", "swimlane_svg", "swimlane_svgs"]
