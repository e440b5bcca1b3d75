"""An institution's ``hierarki``: lines its parent already prints, written again below them.

A kelurahan's ``_instansi.yaml`` that copies the whole header (PEMERINTAH KABUPATEN ..., KECAMATAN
..., KELURAHAN ...) prints the regency and the kecamatan twice, since an institution's lines are
put below its parent's (:mod:`sopcode.model.institutions`). A *warning*, at the first line repeated:
the sheets are still right to read, and ``hierarki_lengkap: ya`` says the lines are whole on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping

from sopcode.diagnostics import Diagnostic, Loc, peringatan
from sopcode.model.sop import Instansi


def _key(line: str) -> str:
    return " ".join(str(line).split()).casefold()


def check_all(institutions: Mapping[str, Instansi]) -> list[Diagnostic]:
    """Each institution below the top whose own ``hierarki`` lines repeat a line of its parent's."""
    found: list[Diagnostic] = []
    for instansi in institutions.values():
        parent = institutions.get(instansi.induk) if instansi.induk is not None else None
        if parent is None or instansi.hierarki_lengkap or "hierarki" not in instansi.pos:
            continue
        inherited = instansi.hierarki[:len(parent.hierarki)]
        own = instansi.hierarki[len(parent.hierarki):]
        above = {_key(line) for line in inherited}
        repeated = [line for line in own if _key(line) in above]
        if not repeated:
            continue
        first = repeated[0]
        loc = getattr(first, "loc", None) or instansi.pos.get("hierarki") or Loc(instansi.path or "")
        found.append(peringatan(
            loc, "hierarki-berulang",
            f"baris hierarki '{first}' sudah diwarisi dari instansi induk; kop lembar SOP akan mencetaknya dua "
            f"kali ({' / '.join(str(x) for x in instansi.hierarki)})",
            "tulis hanya baris instansi ini sendiri (baris induk ditambahkan di atasnya), atau tulis "
            "`hierarki_lengkap: ya` bila baris di berkas ini memang sudah lengkap dari atas"))
    return found
