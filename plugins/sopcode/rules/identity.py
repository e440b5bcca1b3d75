"""Rules on the identity sheet: title, dates, regulations, boxes, number (warnings),
and what a new SOP's template left unfilled anywhere in the file (errors)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sopcode.diagnostics import Diagnostic, galat, peringatan
from sopcode.model.sop import KOTAK, Keterkaitan, Sop, Teks
from sopcode.rules.revoked_laws import dicabut
from sopcode.text import format_tanggal, short

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
    label = sop.instansi.labels  # the identity sheet's rows and boxes as the institution names them
    if _before_making(sop, "tanggal_revisi"):
        found.append(peringatan(sop.pos["tanggal_revisi"], "revisi-sebelum-pembuatan",
                                _precedes(sop, "tanggal_revisi"), "periksa tahun dan bulan kedua tanggal"))
    if _before_making(sop, "tanggal_efektif"):
        found.append(peringatan(sop.pos["tanggal_efektif"], "efektif-sebelum-pembuatan", _precedes(sop, "tanggal_efektif"),
                                "SOP disahkan setelah selesai dibuat: periksa kedua tanggal"))
    withdrawn = sop.dicabut
    if (withdrawn is not None and withdrawn.tanggal is not None and sop.tanggal_efektif is not None
            and withdrawn.tanggal < sop.tanggal_efektif):
        found.append(peringatan(
            withdrawn.pos.get("tanggal", sop.pos["dicabut"]), "dicabut-sebelum-efektif",
            f"SOP dicabut ({format_tanggal(withdrawn.tanggal)}) sebelum tanggal efektifnya "
            f"({format_tanggal(sop.tanggal_efektif)})", "periksa tahun dan bulan kedua tanggal"))
    latest = sop.tanggal_terakhir()
    for entry in sop.dasar_hukum:
        years = [int(a or b) for a, b in _YEAR.findall(entry)]
        if latest and years and max(years) > latest.year:
            found.append(peringatan(
                entry.loc, "regulasi-lebih-baru",
                f"dasar hukum tahun {max(years)} dikutip oleh SOP bertanggal {format_tanggal(latest)}",
                "periksa tahun peraturan; bila SOP direvisi karena peraturan baru, isi `tanggal_revisi`"))
    for entry in sop.dasar_hukum:
        revoked = dicabut(entry)
        if revoked is not None:
            found.append(peringatan(
                entry.loc, "dasar-hukum-dicabut",
                f"dasar hukum {revoked.nama} sudah dicabut oleh {revoked.sumber}",
                f"ganti dengan {revoked.pengganti}; bila SOP direvisi karenanya, isi `tanggal_revisi`"))
    found += _contoh(sop)
    for key, _ in KOTAK:
        if not sop.kotak(key):
            found.append(peringatan(
                sop.pos.get(key, sop.loc), "kotak-kosong", f"kotak '{label[key]}' kosong",
                f"isi `{key}:` dengan daftar butir; bila memang tidak ada, kotak dicetak dengan tanda '-'"))
    if not sop.nomor:
        found.append(peringatan(
            sop.pos.get("nomor", sop.loc), "nomor-kosong", f"{label['nomor']} belum diisi",
            "isi `nomor:` menurut tata naskah dinas instansi (boleh kosong selama draf)"))
    return found



def _before_making(sop: Sop, key: str) -> bool:
    """Whether the date ``key`` is earlier than the making date (both given)."""
    date = getattr(sop, key)
    return bool(date and sop.tanggal_pembuatan and date < sop.tanggal_pembuatan)


def _precedes(sop: Sop, key: str) -> str:
    """``Tanggal Revisi 14 Januari 2019 mendahului Tanggal Pembuatan 25 Februari 2019``, in the institution's labels."""
    label = sop.instansi.labels
    return (f"{label[key]} {format_tanggal(getattr(sop, key))} mendahului "
            f"{label['tanggal_pembuatan']} {format_tanggal(sop.tanggal_pembuatan)}")

_IDENTITY = (
    ("tanggal_pembuatan", "`tanggal_pembuatan: tahun-bulan-hari`"),
    ("tanggal_efektif", "`tanggal_efektif: tahun-bulan-hari` (tanggal disahkan)"),
)
"""The dates the sheet prints, and how to write one: its form, never a date a user could copy as real."""
_PEJABAT = {"jabatan": "jabatan", "nama": "nama", "nip": "NIP"}


def _unknown(sop: Sop) -> list[Diagnostic]:
    """Identity data the source does not give: printed as an empty cell, never invented.

    One warning per place in the file (an SOP found without its identity sheet gets one,
    not five). A field the source marks "-" says there is none, and is not asked for again.
    """
    missing: dict = {}  # loc -> [(what, how)]
    for key, how in _IDENTITY:
        if not sop.identitas(key):
            loc = sop.pos.get(key) or sop.loc
            missing.setdefault(loc, []).append((sop.instansi.labels[key], how))
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


_PLACEHOLDER = re.compile(r"[\s\[(<\"']*(?:\.{2,}|…)+[\s\])>\"']*")
"""A value that is only dots (``...``, ``…``, ``[...]``): what the template of `sop new` leaves to fill."""

NIP_CONTOH = "197001011995011001"
"""The sample NIP older templates of `sop new` wrote (19700101 199501 1 001)."""


def _contoh(sop: Sop) -> list[Diagnostic]:
    """Template values left in the file: an SOP with them is not ready to be approved or published."""
    found = []
    for where, hint, value in _isian(sop):
        if value is not None and _PLACEHOLDER.fullmatch(value):
            found.append(galat(
                value.loc, "isian-contoh", f"{where} masih berisi isian contoh '{value.strip()}'",
                hint))
    nip = sop.disahkan_oleh.nip
    if nip and re.sub(r"\D", "", nip) == NIP_CONTOH:
        found.append(peringatan(
            nip.loc, "nip-contoh",
            f"NIP '{nip}' sama dengan NIP contoh templat lama `sop new`",
            "pastikan ini NIP pejabat yang mengesahkan; bila belum diketahui, kosongkan `nip:`"))
    return found


_ISI = "ganti dengan isi yang sebenarnya"


def _isian(sop: Sop) -> Iterator[tuple[str, str, Teks | None]]:
    """Every text of the file a user fills in: (where, how to fix, value)."""
    for key in ("nomor", "nama", "nama_prosedur", "unit"):
        yield f"`{key}`", _ISI + (", atau kosongkan selama draf" if key == "nomor" else ""), getattr(sop, key)
    for key in ("jabatan", "nama", "nip"):
        yield (f"`disahkan_oleh.{key}`", "isi data pejabat yang mengesahkan; bila belum diketahui, kosongkan "
               f"`{key}:` (lembar identitas mencetak selnya kosong)", getattr(sop.disahkan_oleh, key))
    for key, _ in KOTAK:
        for item in sop.kotak(key):
            where = f"kotak '{sop.instansi.labels[key]}'"
            hint = f"{_ISI}, atau hapus butir ini (kotak tanpa butir dicetak '-')"
            if isinstance(item, Keterkaitan):
                yield where, hint, item.teks
                yield where, hint, item.sop
            else:
                yield where, hint, item
    for actor in sop.pelaksana:
        yield "daftar `pelaksana`", _ISI, actor
    for step in sop.langkah:
        yield f"langkah {step.no}: `kegiatan`", _ISI, step.kegiatan
        for actor in step.semua_pelaksana:
            yield f"langkah {step.no}: `pelaksana`", _ISI, actor
        yield f"langkah {step.no}: `keterangan`", f"{_ISI}, atau hapus `keterangan:`", step.keterangan
        mutu = step.mutu_baku
        for key, items in (("kelengkapan", mutu.kelengkapan), ("output", mutu.output)):
            for item in items:
                yield f"langkah {step.no}: `{key}`", f"{_ISI}, atau hapus butir ini", item
