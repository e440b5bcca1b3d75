"""One reading of actor names for every rule.

A name is read into its words in lower case, without dots, with every
abbreviation of :mod:`vocab` written out: "Kasubbag", "Kasubag" and "Kepala Sub
Bagian" all read ``kepala subbagian``; "Sek.Tim.Sakip" reads ``sekretaris tim
sakip``. Two words are the same when equal, or one letter apart in words of five
letters or more (real SOPs have typos: "Sekretari").

The rules ask three questions: is this name that column (:func:`sama`), does
this kegiatan begin with that column's name (:func:`awalan`), and does a job
title written in a kegiatan mean that column (:func:`menyebut`).
"""

from __future__ import annotations

import re

from ..vocab import BUKAN_KATA_KERJA, GABUNGAN, JABATAN, SAMBUNG, SINGKATAN, UNIT

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
"""A word: letters or digits ("Petugas 1" is not "Petugas 2")."""


class Nama:
    """A text read word by word: ``kata`` the words as compared, each from a written word."""

    __slots__ = ("teks", "ditulis", "kata", "asal")

    def __init__(self, teks: str):
        self.teks = teks
        self.ditulis: list[re.Match] = list(_WORD.finditer(teks))
        """The written words, with where each stands in the text."""
        self.kata: list[str] = []
        self.asal: list[tuple[int, int]] = []
        """For each word of ``kata``: the first and last written word it comes from."""
        lower = [m.group().casefold() for m in self.ditulis]
        i = 0
        while i < len(lower):
            pair = (lower[i], lower[i + 1]) if i + 1 < len(lower) else None
            if pair in GABUNGAN:
                self.kata.append(GABUNGAN[pair])  # type: ignore[index]
                self.asal.append((i, i + 1))
                i += 2
                continue
            for word in SINGKATAN.get(lower[i], (lower[i],)):
                self.kata.append(word)
                self.asal.append((i, i))
            i += 1

    def __len__(self) -> int:
        return len(self.kata)

    def tertulis(self, k: int) -> str:
        """The written word the ``k``-th word comes from (its first, for a pair)."""
        return self.ditulis[self.asal[k][0]].group()

    def kapital(self, k: int) -> bool:
        return self.tertulis(k)[:1].isupper()

    def akhir(self, k: int) -> int:
        """Where in the text the written word of the ``k``-th word ends."""
        return self.ditulis[self.asal[k][1]].end()

    def awal(self, k: int) -> int:
        """Where in the text the written word of the ``k``-th word starts."""
        return self.ditulis[self.asal[k][0]].start()

    def jabatan(self) -> list[int]:
        """The words that begin a job title as written (``Kasi``, ``Kepala``, ``Sekretaris``)."""
        out, seen = [], set()
        for k, (first, _) in enumerate(self.asal):
            if first not in seen:
                seen.add(first)
                if self.ditulis[first].group().casefold() in JABATAN:
                    out.append(k)
        return out


def near(a: str, b: str) -> bool:
    """Equal, or one letter apart for words of five letters or more (``Sekretari``/``Sekretaris``)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short_, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short_ for i in range(len(long_)))


def sama(a: Nama, b: Nama) -> bool:
    """The same actor written two ways (``Kasubbag Perencanaan`` = ``Kepala Subbagian Perencanaan``)."""
    return len(a) == len(b) > 0 and all(near(x, y) for x, y in zip(a.kata, b.kata))


def awalan(teks: Nama, kolom: Nama, dari: int = 0) -> int:
    """How many words of the column's name the text starts with (from word ``dari``)."""
    n = 0
    while n < len(kolom) and dari + n < len(teks) and near(teks.kata[dari + n], kolom.kata[n]):
        n += 1
    return n


def kata_kerja(word: str) -> bool:
    """An active verb, as a kegiatan starts: ``me-`` (``menyampaikan``) or ``ber-`` (``berkoordinasi``)."""
    word = word.casefold()
    if word in BUKAN_KATA_KERJA or word in JABATAN:
        return False
    return (word.startswith("me") and len(word) >= 5) or (word.startswith("ber") and len(word) >= 6)


def menyebut(teks: Nama, k: int, kolom: Nama) -> bool:
    """Whether the job title starting at word ``k`` of a text means this column.

    The title's words must be the column's; a word after them that names a
    unit must be the column's too ("Kasi Pemerintahan" is not "Kepala Seksi
    Pelayanan"; "Kepala Seksi" is not "Kepala Dinas"). A title without such a
    word ("Kepala", "Kasubbag") means any column holding it: the head of the
    unit, the only Kasubag. When unsure, it does.
    """
    for p, word in enumerate(kolom.kata):
        if near(teks.kata[k], word) and _berlanjut(teks, k, kolom, p):
            return True
    return False


def _berlanjut(teks: Nama, k: int, kolom: Nama, p: int) -> bool:
    n = 1
    while True:
        if p + n >= len(kolom) or k + n >= len(teks):
            return True  # the column's name, or the text, ends: "Camat Bungursari" is the Camat
        word, theirs = teks.kata[k + n], kolom.kata[p + n]
        if near(word, theirs):
            n += 1
            continue
        later = any(near(word, x) for x in kolom.kata[p + n + 1:])
        if word in UNIT:  # another kind of unit: another head ("Kepala Seksi" / "Kepala Dinas")
            return theirs not in UNIT and later
        if teks.kapital(k + n) and word not in SAMBUNG and not kata_kerja(word):
            # A name after the title ("Kasi Pemerintahan"): the column's own, or a column
            # naming only the kind of unit ("Kepala Dinas" for "Kepala Bappeda"), when unsure.
            return theirs in UNIT or later
        return True  # a verb or a joining word: the title stands alone
