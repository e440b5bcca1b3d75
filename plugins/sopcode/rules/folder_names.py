"""An institution folder's name: capitals, spaces or other characters than a-z, 0-9 and '-'.

The folder's name is part of every address of the institution (``instansi/<kode>/``,
``sop/<kode>/<file>/``, ``pdf/<kode>/``): ``Dinas Pendidikan`` gives ``sop/Dinas%20Pendidikan/...``,
hard to type, to read out and to share, and one letter's case apart from ``dinas pendidikan`` on
a Windows or macOS disk. A *warning*, once, at the institution's ``_instansi.yaml``: the site
works, and renaming the folder after the site is published breaks its addresses, so it is said
before. Names the site cannot use at all are refused by the loader (``nama-berkas-salah``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from sopcode.diagnostics import Diagnostic, Loc, peringatan, safe_text
from sopcode.model.sop import Instansi
from sopcode.text import slug

_GOOD = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def check_all(institutions: Mapping[str, Instansi]) -> list[Diagnostic]:
    """Each institution whose own folder name (below its parent's) is not lower-case a-z, 0-9 and '-'."""
    found: list[Diagnostic] = []
    for instansi in institutions.values():
        if not instansi.kode or not instansi.path:
            continue
        parent = instansi.induk or ""
        own = instansi.kode[len(parent) + 1:] if parent else instansi.kode
        bad = [part for part in own.split("/") if not _GOOD.fullmatch(part)]
        if not bad:
            continue
        name = bad[0]
        what = [w for w, hit in (("huruf besar", name != name.lower()), ("spasi", " " in name),
                                 ("karakter selain a-z, 0-9 dan tanda hubung",
                                  bool(re.search(r"[^A-Za-z0-9 -]", name)) or name.startswith("-")
                                  or name.endswith("-") or "--" in name)) if hit]
        folder = os.path.dirname(instansi.path)
        better = slug(name) or "nama-instansi"
        found.append(peringatan(
            Loc(instansi.path, 1, 1), "nama-folder-instansi",
            f"nama folder instansi '{safe_text(name)}' memuat {' dan '.join(what) or 'karakter lain'}; nama folder "
            f"menjadi bagian alamat setiap halaman instansi ini (sop/{safe_text(instansi.kode)}/...), sulit diketik "
            "dan dibagikan",
            f"sebelum situs terbit, ganti namanya dengan huruf kecil, angka dan tanda hubung: "
            f"git mv \"{safe_text(folder)}\" \"{safe_text(os.path.join(os.path.dirname(folder), better))}\""))
    return found
