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
    found += _unknown(sop)
    if sop.tanggal_revisi and sop.tanggal_pembuatan and sop.tanggal_revisi < sop.tanggal_pembuatan:
        found.append(peringatan(
            sop.pos["tanggal_revisi"], "revisi-sebelum-pembuatan",
            f"tanggal revisi {format_tanggal(sop.tanggal_revisi)} mendahului tanggal pembuatan "
            f"{format_tanggal(sop.tanggal_pembuatan)}",
            "periksa tahun dan bulan kedua tanggal"))
    if sop.tanggal_efektif and sop.tanggal_pembuatan and sop.tanggal_efektif < sop.tanggal_pembuatan:
        found.append(peringatan(
            sop.pos["tanggal_efektif"], "efektif-sebelum-pembuatan",
            f"tanggal efektif {format_tanggal(sop.tanggal_efektif)} mendahului tanggal pembuatan "
            f"{format_tanggal(sop.tanggal_pembuatan)}",
            "SOP disahkan setelah selesai dibuat: periksa kedua tanggal"))
    latest = sop.tanggal_terakhir()
    for entry in sop.dasar_hukum if latest else ():
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


_IDENTITY = (
    ("tanggal_pembuatan", "Tanggal Pembuatan", "`tanggal_pembuatan: 2019-01-02`"),
    ("tanggal_efektif", None, "`tanggal_efektif: 2019-01-07` (tanggal disahkan)"),
    ("jabatan", "jabatan pejabat yang mengesahkan", "`jabatan:` di bawah `disahkan_oleh:`, misalnya CAMAT BUNGURSARI"),
    ("nama", "nama pejabat yang mengesahkan", "`nama:` di bawah `disahkan_oleh:`"),
    ("nip", "NIP pejabat yang mengesahkan", "`nip:` di bawah `disahkan_oleh:` (18 angka)"),
)


def _unknown(sop: Sop) -> list[Diagnostic]:
    """Identity data the source does not give: printed as an empty cell, never invented; said once each.

    A field the source marks "-" says there is none, and is not asked for again.
    """
    found = []  # (an empty Nomor SOP has its own rule, below: it is normal while in draft)
    for key, label, how in _IDENTITY:
        if sop.identitas(key):
            continue
        if key in ("jabatan", "nama", "nip"):
            loc = sop.disahkan_oleh.pos.get(key) or sop.pos.get("disahkan_oleh") or sop.loc
        else:
            loc = sop.pos.get(key) or sop.loc
        found.append(_kosong(loc, label or sop.instansi.labels["tanggal_efektif"], how))
    return found


def _kosong(loc, label: str, how: str) -> Diagnostic:
    return peringatan(
        loc, "identitas-kosong", f"{label} tidak tercantum; lembar identitas mencetak selnya kosong",
        f"bila diketahui dari naskah aslinya, isi {how}; bila memang tidak ada, tulis `-`")
