"""Approval: an SOP whose content changed (by its git history) after its approval, without new
dates, is a draft; said once, at the date to update (:mod:`sopcode.model.history` judges it)."""

from __future__ import annotations

from sopcode.diagnostics import Diagnostic, peringatan
from sopcode.model.history import History, Revision, approval_date
from sopcode.model.sop import Sop
from sopcode.text import format_tanggal


def check(history: History) -> list[Diagnostic]:
    found = []
    for h in history.per_sop.values():
        now = h.revisi[0].sop if h.revisi else None  # the file as it is
        if h.draf and h.draf_sejak is not None and now is not None:
            found.append(_warning(now, h.draf_sejak))
    return found


def _warning(sop: Sop, since: Revision) -> Diagnostic:
    key = "tanggal_revisi" if sop.tanggal_revisi is not None else "tanggal_efektif"
    where = sop.pos.get(key) or sop.loc
    what = f"commit {since.short_id} '{since.pesan}'" if since.commit else "perubahan yang belum di-commit"
    return peringatan(
        where, "belum-disahkan",
        f"isi SOP berubah pada {since.tanggal} ({what}) setelah tanggal pengesahan "
        f"{format_tanggal(approval_date(sop))}, tetapi tanggalnya tidak diperbarui; SOP ini berstatus DRAF",
        "bila perubahan sudah disahkan, isi `tanggal_revisi` dengan tanggal pengesahannya; "
        "bila belum, biarkan: situs dan lembar cetak menandainya DRAF")
