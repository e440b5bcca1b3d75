"""Rules on the identity sheet: title, dates, regulations, boxes, number (warnings)."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, peringatan
from ..model import KOTAK, Sop
from ..spec import format_tanggal, short

_YEAR = re.compile(r"(?:\btahun|\bth\.?)\s*(\d{4})\b|/\s*((?:19|20)\d{2})\b", re.IGNORECASE)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def check(sop: Sop) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if sop.nama_prosedur and _norm(sop.nama_prosedur) != _norm(sop.nama):
        found.append(peringatan(
            sop.pos["nama_prosedur"], "judul-berbeda",
            f"judul lembar prosedur '{short(sop.nama_prosedur)}' berbeda dari nama SOP '{short(sop.nama)}'",
            "samakan keduanya (judul yang benar biasanya yang disahkan), lalu hapus `nama_prosedur`"))
    if sop.tanggal_revisi and sop.tanggal_revisi < sop.tanggal_pembuatan:
        found.append(peringatan(
            sop.pos["tanggal_revisi"], "revisi-sebelum-pembuatan",
            f"tanggal revisi {format_tanggal(sop.tanggal_revisi)} mendahului tanggal pembuatan "
            f"{format_tanggal(sop.tanggal_pembuatan)}",
            "periksa tahun dan bulan kedua tanggal"))
    if sop.tanggal_efektif < sop.tanggal_pembuatan:
        found.append(peringatan(
            sop.pos["tanggal_efektif"], "efektif-sebelum-pembuatan",
            f"tanggal efektif {format_tanggal(sop.tanggal_efektif)} mendahului tanggal pembuatan "
            f"{format_tanggal(sop.tanggal_pembuatan)}",
            "SOP disahkan setelah selesai dibuat: periksa kedua tanggal"))
    latest = max(d for d in (sop.tanggal_pembuatan, sop.tanggal_revisi, sop.tanggal_efektif) if d)
    for entry in sop.dasar_hukum:
        years = [int(a or b) for a, b in _YEAR.findall(entry)]
        if years and max(years) > latest.year:
            found.append(peringatan(
                entry.loc, "regulasi-lebih-baru",
                f"dasar hukum tahun {max(years)} dikutip oleh SOP bertanggal {format_tanggal(latest)}",
                "periksa tahun peraturan; bila SOP direvisi karena peraturan baru, isi `tanggal_revisi`"))
    for key, label in KOTAK:
        if not sop.kotak(key):
            found.append(peringatan(
                sop.pos.get(key, sop.loc), "kotak-kosong", f"kotak '{label}' kosong",
                f"isi `{key}:` dengan daftar butir; bila memang tidak ada, kotak dicetak dengan tanda '-'"))
    if not sop.nomor:
        found.append(peringatan(
            sop.pos.get("nomor", sop.loc), "nomor-kosong", "Nomor SOP belum diisi",
            "isi `nomor:` menurut tata naskah dinas instansi (boleh kosong selama draf)"))
    return found
