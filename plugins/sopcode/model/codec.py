"""The model as cache entries: what the cache's JSON is read back as (see :class:`sopcode.cache.Codec`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sopcode.cache import Codec
from sopcode.diagnostics import Diagnostic, Loc
from sopcode.model.sop import Posisi, Sop, Summary, Teks


def _teks_data(text: Any) -> Any:
    return [str(text), *text.loc]


def _teks(value: Any) -> Any:
    text, path, line, col = value
    return Teks(text, Loc(path, line, col))


# A text keeps where it was written: flat, a model holds hundreds of them.
_TEXT: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {Teks: (_teks_data, _teks)}

def codec_of(kind: object) -> Codec:
    """A codec for a value holding model objects (a sheet with its SOP, say)."""
    return Codec(kind, _TEXT, mapping=Posisi)


LOADED = codec_of(tuple[Sop | None, list[Diagnostic]])
"""An SOP file as loaded: its model (None when it does not load) and what loading found."""

SUMMARY = codec_of(tuple[Summary | None, list[Diagnostic]])
"""An SOP file as ``sop check`` keeps it: its summary (None when it does not load) and its findings."""

FINDINGS = codec_of(list[Diagnostic])
"""The per-SOP rules' findings on one SOP."""

SOP_MODEL = codec_of(Sop)
"""One SOP's model, whole (a key of what is drawn or printed from it)."""
