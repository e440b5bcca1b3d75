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
)
_PEJABAT = {"jabatan": "jabatan", "nama": "nama", "nip": "NIP"}


def _unknown(sop: Sop) -> list[Diagnostic]:
    """Identity data the source does not give: printed as an empty cell, never invented.

    One warning per place in the file (an SOP found without its identity sheet gets one,
    not five). A field the source marks "-" says there is none, and is not asked for again.
    """
    missing: dict = {}  # loc -> [(what, how)]
    for key, label, how in _IDENTITY:
        if not sop.identitas(key):
            loc = sop.pos.get(key) or sop.loc
            missing.setdefault(loc, []).append((label or sop.instansi.labels["tanggal_efektif"], how))
    parts = [k for k in _PEJABAT if not sop.identitas(k)]
    if parts:
        given = sop.pos.get("disahkan_oleh")
        loc = (sop.disahkan_oleh.pos.get(parts[0]) if len(parts) < 3 else None) or given or sop.loc
        what = "pejabat yang mengesahkan" if len(parts) == 3 else \
            " dan ".join(_PEJABAT[k] for k in parts) + " pejabat yang mengesahkan"
        how = "`jabatan:`, `nama:` dan `nip:` (18 angka) di bawah `disahkan_oleh:`" if len(parts) == 3 else \
            ", ".join(f"`{k}:`" for k in parts) + " di bawah `disahkan_oleh:`"
        missing.setdefault(loc, []).append((what, how))
    found = []
    for loc, items in missing.items():
        whats = [w for w, _ in items]
        what = whats[0] if len(whats) == 1 else ", ".join(whats[:-1]) + " dan " + whats[-1]
        hows = "; ".join(h for _, h in items)
        found.append(peringatan(
            loc, "identitas-kosong",
            f"{what} tidak tercantum; lembar identitas mencetak selnya kosong",
            f"bila diketahui dari naskah aslinya, isi {hows}; bila sumbernya memang menulis '-', tulis `-`"))
    return found
