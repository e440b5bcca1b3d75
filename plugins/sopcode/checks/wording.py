"""Rules on the wording of kegiatan (warnings: the regulation's style).

Actors are compared by :mod:`checks.nama`, one reading for every rule, so a
kegiatan that says "Kasubbag" or "Kepala" means the column "Kasubag
Perencanaan" or "Kadis" in both rules below.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic, peringatan
from ..model import Sop, Step
from ..spec import short
from ..vocab import SAMBUNG
from .nama import Nama, awalan, kata_kerja, menyebut

KATA_SUBJEK_MAKS = 5
"""A job title not among the columns ("Kepala Seksi Pelayanan Umum") is taken as the subject
only when a verb follows within this many words."""


def check(sop: Sop) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    kolom = [(str(a), Nama(a)) for a in sop.pelaksana]
    for step in sop.langkah:
        kegiatan = Nama(step.kegiatan)
        if not len(kegiatan):
            continue
        subjek = _subjek(kegiatan, kolom, _pelaksana(step))
        if subjek is not None:
            found.append(subjek.diagnostic(step))
        named: list[str] = []
        for k in kegiatan.jabatan():
            title = kegiatan.tertulis(k)
            if title.casefold() in named or any(menyebut(kegiatan, k, nama) for _, nama in kolom):
                continue
            named.append(title.casefold())
            found.append(peringatan(
                step.kegiatan.loc, "jabatan-tanpa-kolom",
                f"langkah {step.no}: kegiatan menyebut '{title}', yang bukan pelaksana SOP ini",
                f"bila '{title}' ikut mengerjakan prosedur, tambahkan ke `pelaksana` agar punya kolom; "
                "bila tidak, sebut tanpa jabatan"))
    return found


def _pelaksana(step: Step) -> set[str]:
    return {str(a) for a in step.semua_pelaksana}


@dataclass
class _Subjek:
    teks: Nama
    sampai: int
    """The subject is the words before this one."""
    pelaksana: str | None
    """The column the subject names, when it is known for sure."""
    kata_kolom: str = ""
    """The column's own word for the subject's last word (``sekretaris`` for ``Sekretari``)."""

    def diagnostic(self, step: Step) -> Diagnostic:
        kegiatan = self.teks
        written = kegiatan.teks[:kegiatan.akhir(self.sampai - 1)]
        subject = f"'{written}'"
        if self.pelaksana is not None and self.pelaksana.casefold() != written.casefold():
            subject += f" (pelaksana '{self.pelaksana}')"
        rest = self._sisa()
        if rest:
            hint = f"pelaksana sudah tampak dari kolomnya; tulis misalnya '{short(rest[:1].upper() + rest[1:], 70)}'"
        else:  # where the subject ends is not sure: no rewrite rather than a wrong one
            hint = "pelaksana sudah tampak dari kolomnya; hapus subjeknya dan awali kegiatan dengan kata kerja aktif"
        return peringatan(
            step.kegiatan.loc, "kegiatan-diawali-subjek",
            f"langkah {step.no}: kegiatan diawali subjek {subject}; "
            "Permenpan-RB 35/2012 meminta kata kerja aktif tanpa subjek", hint)

    def _sisa(self) -> str:
        """The kegiatan without its subject, when a verb follows it; else empty."""
        kegiatan, n = self.teks, self.sampai
        if n >= len(kegiatan):
            return ""
        text = kegiatan.teks
        if kata_kerja(kegiatan.tertulis(n)):
            return text[kegiatan.awal(n):]
        # A space typed one letter early: "Sekretari smenyampaikan" is "Sekretaris menyampaikan".
        last, following = kegiatan.tertulis(n - 1), kegiatan.tertulis(n)
        wanted = self.kata_kolom
        if (len(wanted) == len(last) + 1 and wanted.startswith(last.casefold())
                and following[:1].casefold() == wanted[-1] and kata_kerja(following[1:])):
            return text[kegiatan.awal(n) + 1:]
        return ""


def _subjek(kegiatan: Nama, kolom: list[tuple[str, Nama]], own: set[str]) -> _Subjek | None:
    """The subject a kegiatan starts with, if it surely starts with one."""
    n, actor, word = _kolom_di(kegiatan, 0, kolom, own)
    if n:
        # Actors done together: "Camat dan Sekretaris menandatangani …".
        while n < len(kegiatan):
            at = n + 1 if kegiatan.kata[n] in SAMBUNG else n
            more, _, more_word = _kolom_di(kegiatan, at, kolom, own, full_only=True)
            if not more:
                break
            n, actor, word = at + more, None, more_word
        return _Subjek(kegiatan, n, actor, word)
    if kegiatan.jabatan()[:1] == [0]:
        # A job title without a column of its own: the subject runs up to the verb.
        verb = next((k for k in range(1, min(len(kegiatan), KATA_SUBJEK_MAKS + 1))
                     if kata_kerja(kegiatan.tertulis(k))), None)
        if verb is not None:
            return _Subjek(kegiatan, verb, None)
    return None


def _kolom_di(kegiatan: Nama, at: int, kolom: list[tuple[str, Nama]], own: set[str],
              full_only: bool = False) -> tuple[int, str | None, str]:
    """At word ``at``: how many words name a column, which column (None when not sure), and
    the column's own word for the last of them.

    The longest whole name wins ("Seksi Survei" over "Seksi"), the step's own actor on a tie.
    Part of a name ("Seksi" of "Seksi Survei") counts only when a verb follows it.
    """
    whole: list[tuple[int, bool, str, str]] = []
    part: list[tuple[int, bool, str, str]] = []
    for name, nama in kolom:
        n = awalan(kegiatan, nama, at)
        if n and n == len(nama):
            whole.append((n, name in own, name, nama.kata[n - 1]))
        elif n and not full_only and at + n < len(kegiatan) and kata_kerja(kegiatan.tertulis(at + n)):
            part.append((n, name in own, name, nama.kata[n - 1]))
    for found in (whole, part):
        if found:
            best = max(found)
            rivals = {name for n, mine, name, _ in found if (n, mine) == best[:2]}
            return best[0], best[2] if len(rivals) == 1 else None, best[3]
    return 0, None, ""
