"""Rules on the wording of kegiatan (warnings: the regulation's style)."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, peringatan
from ..model import Sop
from ..spec import short
from ..vocab import JABATAN

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def near(a: str, b: str) -> bool:
    """Equal, or one letter apart for words of five letters or more (``Sekretari``/``Sekretaris``)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short_, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short_ for i in range(len(long_)))


def check(sop: Sop) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    actor_words = {w for actor in sop.pelaksana for w in words(actor)}
    actor_first = {words(a)[0]: str(a) for a in sop.pelaksana if words(a)}
    for step in sop.langkah:
        kegiatan = step.kegiatan
        ws = words(kegiatan)
        if not ws:
            continue
        actor = next((name for first, name in actor_first.items() if near(ws[0], first)), None)
        if actor is not None or ws[0] in JABATAN:
            written = _WORD.findall(kegiatan)[0]
            subject = f"'{written}'"
            if actor is not None and actor.casefold() != written.casefold():
                subject += f" (pelaksana '{actor}')"
            rest = kegiatan.split(None, 1)[1:] or [""]
            example = rest[0][:1].upper() + rest[0][1:]
            found.append(peringatan(
                kegiatan.loc, "kegiatan-diawali-subjek",
                f"langkah {step.no}: kegiatan diawali subjek {subject}; "
                "Permenpan-RB 35/2012 meminta kata kerja aktif tanpa subjek",
                f"pelaksana sudah tampak dari kolomnya; tulis misalnya '{short(example, 70)}'"))
        named = []
        for w in ws:
            if w in JABATAN and w not in actor_words and w not in named:
                named.append(w)
        for w in named:
            title = next(t for t in _WORD.findall(kegiatan) if t.casefold() == w)
            found.append(peringatan(
                kegiatan.loc, "jabatan-tanpa-kolom",
                f"langkah {step.no}: kegiatan menyebut '{title}', yang bukan pelaksana SOP ini",
                f"bila '{title}' ikut mengerjakan prosedur, tambahkan ke `pelaksana` agar punya kolom; "
                "bila tidak, sebut tanpa jabatan"))
    return found
