"""An SOP page's status line and its notice of a replacement to come, rendered without a build."""

from __future__ import annotations

import datetime as dt
import re

from test_load import MINIMAL

from conftest import write
from sopcode.model.load import load_folder
from sopcode.model.status import statuses
from sopcode.site.pages import SiteContext, sop_page

TODAY = dt.date(2026, 6, 1)


def _pages(tmp_path, baru_efektif: str) -> dict[str, str]:
    write(tmp_path / "lama.yaml", MINIMAL + "diganti_oleh: baru\n")
    write(tmp_path / "baru.yaml", MINIMAL.replace("tanggal_efektif: 2020-01-06", f"tanggal_efektif: {baru_efektif}")
          .replace("nama:", "nama: Baru", 1))
    sops = {s.id: s for s in load_folder(str(tmp_path)).sops}
    context = SiteContext.of(sops, statuses=statuses(sops.values(), TODAY))
    out = {}
    for sid, sop in sops.items():
        html = sop_page(sop, lambda other: f"../{other}/", context).html
        out[sid] = " ".join(re.sub(r"<[^>]+>", "", html).split())
    return out


def test_a_replacement_to_come_is_announced_and_the_old_sop_still_applies(tmp_path):
    text = _pages(tmp_path, "2026-09-01")["lama"]
    assert text.startswith("Status: Berlaku; akan diganti mulai 01 September 2026.")
    assert "Akan diganti mulai 01 September 2026" in text and "DIGANTI" not in text


def test_once_the_replacement_applies_the_old_sop_is_superseded(tmp_path):
    pages = _pages(tmp_path, "2026-05-01")
    assert pages["lama"].startswith("Status: Diganti oleh Baru")
    assert "DIGANTI: tidak berlaku lagi" in pages["lama"] and "Akan diganti" not in pages["lama"]
    assert pages["baru"].startswith("Status: Berlaku.") and "Menggantikan:" in pages["baru"]
