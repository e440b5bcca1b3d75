"""One reading of actor names for every rule.

A name is read into its words in lower case, without dots, with every
abbreviation of :mod:`sopcode.rules.vocab` written out: "Kasubbag", "Kasubag" and "Kepala Sub
Bagian" all read ``kepala subbagian``; "Sek.Tim.Sakip" reads ``sekretaris tim
sakip``. Two words are the same when equal, or one letter apart in words of five
letters or more (real SOPs have typos: "Sekretari").

The rules ask three questions: is this name that column (:func:`sama`), does
this kegiatan begin with that column's name (:func:`awalan`), and does a job
title written in a kegiatan mean that column (:func:`menyebut`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sopcode.rules.vocab import BUKAN_KATA_KERJA, GABUNGAN, JABATAN, KEPALA_TINGKAT, SAMBUNG, SINGKATAN, TINGKAT, UNIT

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
"""A word: letters or digits ("Petugas 1" is not "Petugas 2")."""


class Nama:
    """A text read word by word: ``kata`` the words as compared, each from a written word."""

    __slots__ = ("asal", "ditulis", "kata", "teks")

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
                self.kata.append(GABUNGAN[pair])
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

    def jeda(self, i: int) -> str:
        """The text between the ``i``-th written word and the next."""
        return self.teks[self.ditulis[i].end():self.ditulis[i + 1].start()]

    def kata_dari(self, awal: int, akhir: int) -> list[str]:
        """The words read from the written words ``awal`` to ``akhir``."""
        return [self.kata[k] for k, (first, _) in enumerate(self.asal) if awal <= first <= akhir]

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
    return any(near(teks.kata[k], word) and _berlanjut(teks, k, kolom, p) for p, word in enumerate(kolom.kata))


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


_DALAM_NAMA = re.compile(r"[ \t.]*")
"""Between two words of one name: spaces, the dot of an abbreviation (``Ka. Subag``)."""
_KOMA = re.compile(r"\s*[,&]\s*")
_AWAL_GABUNGAN = frozenset(first for first, _ in GABUNGAN)
NAMA_MAKS = 6
"""A title's words after its first, at most (``Kepala Dinas Kesehatan Kabupaten Purwakarta``)."""


def _unit(word: str) -> bool:
    return all(w in UNIT for w in SINGKATAN.get(word, (word,)))


def judul(teks: Nama, awal: int, kolom: Sequence[Nama] = ()) -> int:
    """The last written word of the title (or name) starting at written word ``awal``.

    A title runs on over the words that complete it: a kind of unit, or a capitalised name
    (``Kepala Desa``, ``Kasubbag Keuangan``, ``Camat Bungursari``); not over a joining word,
    a verb or another title. A unit named by a list of capitalised names runs on over the
    list (``Kasubag Perencanaan, Keuangan dan Pelaporan``), unless a name in it begins a
    column's (``… dan Pemohon``). Where every word is capitalised, only kinds of unit count.
    """
    words = [m.group() for m in teks.ditulis]
    lower = [w.casefold() for w in words]
    content = [w for w, low in zip(words, lower) if low not in SAMBUNG and len(w) > 3]
    title_case = len(content) >= 4 and all(w[:1].isupper() for w in content)  # capitals tell nothing

    def completes(i: int, list_item: bool = False) -> bool:
        word, low = words[i], lower[i]
        if low in SAMBUNG or low in JABATAN or kata_kerja(word):
            return False
        if list_item:  # a further name of the same unit: capitalised, no kind of unit, no column's
            return (word[:1].isupper() and not _unit(low) and not title_case
                    and not any(near(SINGKATAN.get(low, (low,))[0], nama.kata[0]) for nama in kolom if len(nama)))
        return _unit(low) or low in _AWAL_GABUNGAN or word.isdigit() or (word[:1].isupper() and not title_case)

    end = awal
    named = False  # a name of its own, not only a kind of unit: a list of names may follow
    while end + 1 < len(words) and end - awal < NAMA_MAKS:
        if _DALAM_NAMA.fullmatch(teks.jeda(end)) and completes(end + 1):
            end += 1
            named = named or not _unit(lower[end])
            continue
        nxt = end + 1
        if _KOMA.fullmatch(teks.jeda(end)):
            if lower[nxt] in ("dan", "serta") and nxt + 1 < len(words) and teks.jeda(nxt).isspace():
                nxt += 1
        elif teks.jeda(end).isspace() and lower[nxt] in ("dan", "serta") and nxt + 1 < len(words) \
                and teks.jeda(nxt).isspace():
            nxt += 1
        else:
            break
        if not (named and completes(nxt, list_item=True)):
            break
        end = nxt
    return end


def tingkat(teks: Nama, awal: int, akhir: int) -> str | None:
    """The level of government whose head (or secretary) the title from ``awal`` to ``akhir``
    names (``Kepala Desa``, ``Camat``, ``Bupati``), or None (``Kasi``, ``Kepala Dinas``)."""
    kata = teks.kata_dari(awal, akhir)
    if not kata:
        return None
    if kata[0] in KEPALA_TINGKAT:
        return KEPALA_TINGKAT[kata[0]]
    if kata[0] in ("kepala", "sekretaris") and len(kata) > 1 and kata[1] in TINGKAT:
        return kata[1]
    return None
