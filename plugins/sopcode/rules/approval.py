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
    # A built site judges committed versions only: uncommitted edits make a draft there once committed.
    status = "SOP ini berstatus DRAF" if since.commit else "setelah di-commit, SOP ini berstatus DRAF"
    marked = "situs dan lembar cetak menandainya DRAF" if since.commit else (
        "setelah di-commit, situs dan lembar cetak menandainya DRAF (`mkdocs serve` sudah menandainya)")
    return peringatan(
        where, "belum-disahkan",
        f"isi SOP berubah pada {since.tanggal} ({what}) setelah tanggal pengesahan "
        f"{format_tanggal(approval_date(sop))}, tetapi tanggalnya tidak diperbarui; {status}",
        "bila perubahan sudah disahkan, isi `tanggal_revisi` dengan tanggal pengesahannya; "
        f"bila belum, biarkan: {marked}")
