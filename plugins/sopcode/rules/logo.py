"""The institution's logo: why the file named by ``logo:`` is not used, when it is not.

Only a PNG or JPEG of the project is taken, known by its content, of a bounded size, never from
a hidden folder such as ``.git/`` nor through a link leading out (:mod:`sopcode.model.logo` reads
it and says why it refuses one).

Decision: every refusal is a *warning* (``peringatan``), one, at the line of ``logo:``. Nothing
of a refused file is published or printed, so the site is safe either way, and a decorative
picture should not stop the publication of every SOP; the site and the sheets are built without
a logo. ``sop check --strict`` turns the warning into an error for those who want the build to stop.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from sopcode.diagnostics import Diagnostic, Loc, peringatan
from sopcode.model.load import SETTINGS_FILE
from sopcode.model.logo import Refusal, accept
from sopcode.model.sop import Instansi

WITHOUT = "situs dan lembar SOP dibuat tanpa logo"


def check_all(institutions: Iterable[Instansi]) -> list[Diagnostic]:
    """Every institution's logo, each said once where it is named (an inherited one is its parent's)."""
    found: list[Diagnostic] = []
    for instansi in institutions:
        for d in check(instansi):
            if d not in found:
                found.append(d)
    return found


def check(instansi: Instansi) -> list[Diagnostic]:
    """The settings' logo refused, as a warning (relative to the folder of the settings file naming it)."""
    if not instansi.logo:
        return []
    folder = instansi.logo_folder or os.path.dirname(instansi.path or "") or "."
    try:
        accept(instansi, folder)
    except Refusal as no:
        loc = instansi.pos.get("logo") or Loc(instansi.path or os.path.join(folder, SETTINGS_FILE))
        return [peringatan(loc, no.code, f"{no.message}; {WITHOUT}", no.hint)]
    return []
