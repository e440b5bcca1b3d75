"""An institution's ``hierarki``: lines its parent already prints, written again below them; or no
top (``sop_data/_instansi.yaml``) above the institutions, so no sheet prints the government's line.

A kelurahan's ``_instansi.yaml`` that copies the whole header (PEMERINTAH KABUPATEN ..., KECAMATAN
..., KELURAHAN ...) prints the regency and the kecamatan twice, since an institution's lines are
put below its parent's (:mod:`sopcode.model.institutions`). A *warning*, at the first line repeated:
the sheets are still right to read, and ``hierarki_lengkap: ya`` says the lines are whole on purpose.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from sopcode.diagnostics import Diagnostic, Loc, peringatan
from sopcode.model.load import SETTINGS_FILE
from sopcode.model.sop import Instansi


def _key(line: str) -> str:
    return " ".join(str(line).split()).casefold()


def check_all(institutions: Mapping[str, Instansi]) -> list[Diagnostic]:
    """Each institution below the top whose own ``hierarki`` lines repeat a line of its parent's;
    institutions without a top above them (no ``sop_data/_instansi.yaml``)."""
    found: list[Diagnostic] = _without_top(institutions)
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


def _without_top(institutions: Mapping[str, Instansi]) -> list[Diagnostic]:
    """Institutions in a data folder that has no ``_instansi.yaml`` of its own: the government's line is
    on none of their sheets. Said once, at the first of them by folder, with the file to write."""
    top = institutions.get("")
    below = sorted((i for i in institutions.values() if i.kode and i.induk == "" and i.path),
                   key=lambda i: i.kode)
    if top is None or top.path or not below:
        return []
    first = below[0]
    folder = os.path.dirname(first.path or "")
    data = os.path.normpath(os.path.join(folder, *([os.pardir] * len(first.kode.split("/")))))
    settings = os.path.join(data, SETTINGS_FILE)
    names = ", ".join(i.kode for i in below[:3]) + (f" dan {len(below) - 3} lainnya" if len(below) > 3 else "")
    return [peringatan(
        Loc(first.path or settings, 1, 1), "puncak-tanpa-pengaturan",
        f"{settings} (pengaturan pemerintah daerah di puncak) tidak ada: kop lembar SOP instansi {names} "
        "tidak diawali baris pemerintah daerah, dan kertas serta label bersama tidak berlaku",
        f"buat {settings} dengan `hierarki:` berisi baris pemerintah daerah (misalnya "
        "`- PEMERINTAH KABUPATEN ...`); baris setiap instansi tetap di _instansi.yaml foldernya")]
