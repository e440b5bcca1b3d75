"""Roots of Indonesian words, so that search finds *penyusunan* from ``susun``.

mkdocs-material's search has no Indonesian stemmer: it matches words as
written (and as prefixes). The site adds, to each SOP page, the roots of the
words of its title, steps and boxes; a reader typing ``ukur`` then finds
*Pengukuran Kinerja*. Roots come from Sastrawi (PySastrawi), a dictionary-based
stemmer for Bahasa Indonesia (``mengoreksi`` → ``koreksi``,
``perencanaan`` → ``rencana``), which Snowball's rule-only stemmer gets wrong.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
"""Indonesian words: letters, possibly reduplicated with a hyphen (``surat-surat``)."""

MIN_LENGTH = 5
"""Shorter words are left alone: they have no affix worth removing."""


@functools.lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@functools.lru_cache(maxsize=65536)
def akar(word: str) -> str:
    """The root of one lower-case word (the word itself when it has none)."""
    return _stemmer().stem(word) or word


def akar_kata(texts: Iterable[str]) -> list[str]:
    """The roots of the words in ``texts`` that differ from the words, sorted, once each."""
    words = {w.lower() for text in texts for w in _WORD.findall(str(text)) if len(w) >= MIN_LENGTH}
    roots = set()
    for word in words:
        for root in akar(word).split():
            if root != word and len(root) >= 3:
                roots.add(root)
    return sorted(roots - words)
