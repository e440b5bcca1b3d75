"""Limits: what a printed sheet can hold, said at the value's line before a build cuts it or fails.

A sheet never cuts text silently (the printed page's own layout check reports overflow), but some
texts cannot fit at all: a step's row must fit one landscape sheet, the actor columns must keep a
readable width, and the file's name becomes the names of the page and the PDF. The limits below
were measured on A4 landscape (the smaller paper) with Chromium and pdftotext: at every limit, with
the neighbouring limits reached at once, every word prints (tests/test_hostile_text.py).

=========================================  ==========  ============================================
value                                      limit       why
=========================================  ==========  ============================================
``kegiatan`` of a step                     1.000 char  one row of a sheet, with 10 actor columns
``kelengkapan``, ``output``, ``keterangan``  300 char  their columns are 3-5 cm wide (whole cell)
``nama``, ``nama_prosedur``                  200 char  the title of every sheet
an actor's name (``pelaksana``)              100 char  the header of a 15 mm column
any other text (boxes, unit, nomor, ...)     500 char  the identity sheet is one page
actors (``pelaksana``)                        10       A4 gives the actors 55% of the table, 15 mm
                                                       each at least: 151 mm / 15 mm
steps (``langkah``)                          200       a procedure of 200 steps is 30-60 sheets
the SOP's id (the file's name)               100 char  page and PDF names (a name > 255 bytes fails)
=========================================  ==========  ============================================
"""

from __future__ import annotations

from sopcode.diagnostics import Diagnostic, Loc, galat
from sopcode.model.institutions import stem_of
from sopcode.model.sop import KOTAK, Sop, Teks
from sopcode.text import short, thousands

KEGIATAN_MAX = 1000
SEL_MAX = 300
JUDUL_MAX = 200
AKTOR_NAMA_MAX = 100
TEKS_MAX = 500
AKTOR_MAX = 10
LANGKAH_MAX = 200
ID_MAX = 100


def _too_long(text: Teks | None, limit: int, what: str, hint: str, loc: Loc | None = None) -> list[Diagnostic]:
    if text is None or len(text) <= limit:
        return []
    return [galat(loc or text.loc, "teks-terlalu-panjang",
                  f"{what} '{short(text)}' {thousands(len(text))} karakter, melebihi batas {thousands(limit)} karakter",
                  hint)]


def check(sop: Sop) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    name = stem_of(sop.id)  # the file name: an institution's folder is no part of it
    if len(name) > ID_MAX:
        found.append(galat(
            Loc(sop.path), "id-terlalu-panjang",
            f"nama berkas SOP {thousands(len(name))} karakter, melebihi batas {thousands(ID_MAX)} karakter",
            "perpendek nama berkasnya (nama berkas menjadi alamat halaman dan nama PDF), "
            "misalnya sop-surat-keterangan-domisili.yaml"))
    if len(sop.pelaksana) > AKTOR_MAX:
        found.append(galat(
            sop.pos.get("pelaksana", sop.loc), "pelaksana-terlalu-banyak",
            f"{len(sop.pelaksana)} pelaksana, melebihi batas {AKTOR_MAX} kolom yang muat pada lembar lanskap",
            "gabungkan jabatan yang bekerja bersama dalam satu kolom (misalnya 'Staf Seksi'), "
            "atau pecah prosedur menjadi beberapa SOP"))
    if len(sop.langkah) > LANGKAH_MAX:
        split = "pecah prosedur menjadi beberapa SOP yang saling merujuk lewat `keterkaitan`"
        found.append(galat(sop.pos.get("langkah", sop.loc), "langkah-terlalu-banyak",
                           f"{thousands(len(sop.langkah))} langkah, melebihi batas {LANGKAH_MAX} langkah", split))
    shorten = "persingkat teksnya; rincian panjang dapat ditulis dalam dokumen lain yang dirujuk"
    for title in (sop.nama, sop.nama_prosedur):
        found += _too_long(title, JUDUL_MAX, "judul", "persingkat judulnya")
    for actor in sop.pelaksana:
        found += _too_long(actor, AKTOR_NAMA_MAX, "nama pelaksana", "tulis jabatannya saja, misalnya 'Kepala Seksi'")
    for text in (sop.nomor, sop.unit, sop.disahkan_oleh.jabatan, sop.disahkan_oleh.nama):
        found += _too_long(text, TEKS_MAX, "teks", shorten)
    for key, _ in KOTAK:
        for text in getattr(sop, key, ()) or ():
            if isinstance(text, str):
                found += _too_long(text, TEKS_MAX, "butir", shorten)
    for ref in sop.keterkaitan:
        for text in (ref.teks, ref.sop):
            found += _too_long(text, TEKS_MAX, "keterkaitan", shorten)
    for step in sop.langkah:
        found += _too_long(step.kegiatan, KEGIATAN_MAX, f"kegiatan langkah {step.no}",
                           "persingkat uraian kegiatan, atau pecah menjadi beberapa langkah; "
                           "penjelasan tambahan dapat ditulis di `keterangan`")
        for name in step.pelaksana_lain:
            found += _too_long(name, AKTOR_NAMA_MAX, "nama pelaksana", "tulis jabatannya saja")
        cells = (("kelengkapan", step.mutu_baku.kelengkapan, step.mutu_baku.pos),
                 ("output", step.mutu_baku.output, step.mutu_baku.pos),
                 ("keterangan", (step.keterangan,) if step.keterangan else (), step.pos))
        for key, texts, pos in cells:
            total = sum(len(t) for t in texts)
            if total > SEL_MAX:
                found.append(galat(
                    pos.get(key) or texts[0].loc, "teks-terlalu-panjang",
                    f"{key} langkah {step.no} {thousands(total)} karakter, melebihi batas {SEL_MAX} karakter "
                    "yang muat dalam kolomnya",
                    "persingkat teksnya (kolom ini sempit); rincian dapat ditulis dalam dokumen yang dirujuk"))
    return found
