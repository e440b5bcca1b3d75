"""Regulations revoked by a later one, kept as data, each with its source.

A Dasar Hukum entry citing one of these is warned about, with the
replacement (rule ``dasar-hukum-dicabut``). Only revocations the revoking
regulation states itself are listed ("… dicabut dan dinyatakan tidak
berlaku"), with that regulation and its article as the source. A regulation
merely followed by a newer one on the same subject is not revoked and is not
listed (Kepmenpan 63/KEP/M.PAN/7/2003 was not revoked by UU 25/2009).

Each entry is found in a Dasar Hukum text after it is read by :func:`baku`
(lower case, without dots, one space, no spaces around ``/``), by any of its
patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Dicabut:
    pola: tuple[str, ...]
    """Regular expressions over the text read by :func:`baku`: how a citation of it is found."""
    pola_pengganti: str
    """The replacement, as it is found: an entry citing both ("… yang menggantikan …") is left alone."""
    nama: str
    """The revoked regulation, shortly (the message names it)."""
    pengganti: str
    """The regulation to cite instead."""
    sumber: str
    """The revoking regulation and its article: where the revocation is written."""

    def cocok(self, teks_baku: str) -> bool:
        return any(re.search(p, teks_baku) for p in self.pola) and not re.search(self.pola_pengganti, teks_baku)


DAFTAR: tuple[Dicabut, ...] = (
    Dicabut(
        nama="Permenpan Nomor PER/21/M.PAN/11/2008 tentang Pedoman Penyusunan SOP Administrasi Pemerintahan",
        pengganti="Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 35 Tahun 2012 "
                  "tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan",
        sumber="Pasal 3 Permenpan-RB Nomor 35 Tahun 2012",
        pola=(
            r"\bper/?21/m ?pan/11/2008\b",
            # "Permenpan Nomor 21 Tahun 2008 tentang Pedoman Penyusunan SOP": the ministry and the subject named
            r"^(?=.*(?:aparatur|\bm?pan\b|menpan))(?=.*(?:standar operasional prosedur|\bsop\b))"
            r".*\b21 (?:tahun|th) 2008\b",
        ),
        pola_pengganti=r"\b35 (?:tahun|th) 2012\b",
    ),
    Dicabut(
        nama="UU Nomor 32 Tahun 2004 tentang Pemerintahan Daerah",
        pengganti="Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        sumber="Pasal 409 UU Nomor 23 Tahun 2014",
        pola=(
            r"\b(?:uu|undang-undang|undang undang)(?: ri| republik indonesia)? ?(?:no|nomor)? ?:? ?32 "
            r"(?:tahun|th) 2004\b",
            r"\b(?:uu|undang-undang|undang undang)(?: ri| republik indonesia)? ?(?:no|nomor)? ?:? ?32/2004\b",
        ),
        pola_pengganti=r"\b23 (?:tahun|th) 2014\b|\b23/2014\b",
    ),
)


def baku(teks: str) -> str:
    """A citation read for matching: ``UU No. 32  Th. 2004`` → ``uu no 32 th 2004``."""
    text = teks.casefold().replace(".", " ")
    text = " ".join(text.split())
    return re.sub(r" ?/ ?", "/", text)


def dicabut(teks: str) -> Dicabut | None:
    """The revoked regulation a Dasar Hukum entry cites, if any."""
    text = baku(teks)
    return next((d for d in DAFTAR if d.cocok(text)), None)
