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

from sopcode.diagnostics import Diagnostic, Loc, peringatan
from sopcode.model.load import SETTINGS_FILE
from sopcode.model.logo import Refusal, accept
from sopcode.model.sop import Instansi

WITHOUT = "situs dan lembar SOP dibuat tanpa logo"


def check(instansi: Instansi) -> list[Diagnostic]:
    """The settings' logo refused, as a warning (the settings file's folder is the data folder)."""
    if not instansi.logo:
        return []
    folder = os.path.dirname(instansi.path or "") or "."
    try:
        accept(instansi, folder)
    except Refusal as no:
        loc = instansi.pos.get("logo") or Loc(instansi.path or os.path.join(folder, SETTINGS_FILE))
        return [peringatan(loc, no.code, f"{no.message}; {WITHOUT}", no.hint)]
    return []
