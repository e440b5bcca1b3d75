"""The model as cache entries: the only classes the cache's JSON may construct (see :class:`sopcode.cache.Codec`)."""

from __future__ import annotations

from sopcode.cache import Codec
from sopcode.diagnostics import Diagnostic, Level, Loc
from sopcode.model.sop import (
    Instansi, Keterkaitan, MutuBaku, Pejabat, Posisi, Satuan, Simbol, Sop, Step, Summary, Teks, Waktu,
)


def _teks(value: list) -> Teks:
    text, path, line, col = value
    return Teks(text, Loc(path, line, col))


MODEL = Codec(
    [Sop, Step, MutuBaku, Waktu, Pejabat, Keterkaitan, Instansi, Summary, Diagnostic,
     Simbol, Satuan, Level, Loc, Posisi],
    # A text keeps where it was written: flat, a model holds hundreds of them.
    special={Teks: (lambda t: [str(t), *t.loc], _teks)},
)
"""SOP models, their summaries and findings, as JSON."""
