"""Rules on the wording of kegiatan (warnings: the regulation's style).

Actors are compared by :mod:`sopcode.rules.names`, one reading for every rule, so a
kegiatan that says "Kasubbag" or "Kepala" means the column "Kasubag
Perencanaan" or "Kadis" in both rules below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sopcode.diagnostics import Diagnostic, peringatan
from sopcode.model.sop import Sop, Step
from sopcode.rules.names import Nama, awalan, judul, kata_kerja, menyebut, tingkat
from sopcode.rules.vocab import DEPAN_LUAR, JABATAN, PENENTU, SAMBUNG, TERIMA, TINGKAT
from sopcode.text import short

KATA_SUBJEK_MAKS = 5
"""A job title not among the columns ("Kepala Seksi Pelayanan Umum") is taken as the subject
only when a verb follows within this many words."""


def check(sop: Sop) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    kolom = [(str(a), Nama(a)) for a in sop.pelaksana]
    names = [nama for _, nama in kolom]
    level = tingkat_instansi(sop)
    for step in sop.langkah:
        kegiatan = Nama(step.kegiatan)
        if not len(kegiatan):
            continue
        subjek = _subjek(kegiatan, kolom, _pelaksana(step))
        if subjek is not None:
            found.append(subjek.diagnostic(step))
        named: list[str] = []
        outside = _di_luar(kegiatan, names, level)
        for k in kegiatan.jabatan():
            first = kegiatan.asal[k][0]
            if first in outside or any(menyebut(kegiatan, k, nama) for _, nama in kolom):
                continue
            last = judul(kegiatan, first, names)  # the title with the words that complete it: "Kepala Desa"
            title = kegiatan.teks[kegiatan.ditulis[first].start():kegiatan.ditulis[last].end()]
            if title.casefold() in named:
                continue
            named.append(title.casefold())
            found.append(peringatan(
                step.kegiatan.loc, "jabatan-tanpa-kolom",
                f"langkah {step.no}: kegiatan menyebut '{title}', yang bukan pelaksana SOP ini",
                f"bila '{title}' ikut mengerjakan prosedur, tambahkan ke `pelaksana` agar punya kolom; "
                "bila tidak, sebut tanpa jabatan"))
    return found


_LEVEL = re.compile(r"\s*(?:pemerintah\s+)?(\w+)")


def tingkat_instansi(sop: Sop) -> str | None:
    """The level of government the institution belongs to: the lowest line of its hierarchy
    that names one (``KECAMATAN BUNGURSARI``; a ``DINAS`` belongs to the ``KABUPATEN`` above it)."""
    for line in reversed(sop.instansi.hierarki):
        m = _LEVEL.match(str(line).casefold())
        if m and m.group(1) in TINGKAT:
            return m.group(1)
    return None


def _di_luar(kegiatan: Nama, kolom: list[Nama], level: str | None) -> set[int]:
    """The written words starting a title of someone outside the procedure, who only sends
    or receives: after ``dari``, ``kepada``, ``ke`` or ``untuk``,

    - one of several to choose from (``dari Kepala Desa, Camat atau Bupati``): whichever it is,
      it cannot be a column;
    - the sender of what the kegiatan receives (``Menerima surat dari Bupati``): it was sent
      before the step, by no column;
    - an official of another level of government than the institution's (``kepada Kepala Desa``
      in a kecamatan's SOP).

    A title that does the work (the subject, ``oleh Camat``) or that the work is handed to
    within the institution (``kepada Kasubag Perencanaan``) is not among them.
    """
    words = [m.group().casefold() for m in kegiatan.ditulis]
    receives = bool(words) and words[0] in TERIMA
    out: set[int] = set()
    for p, word in enumerate(words):
        if word not in DEPAN_LUAR:
            continue
        items: list[tuple[int, int]] = []  # (first, last) written word of each one named
        alternatives = False
        i = p + 1
        while i < len(words):
            while i < len(words) and words[i] in PENENTU:
                i += 1
            if i >= len(words):
                break
            written = kegiatan.ditulis[i].group()
            if not (words[i] in JABATAN or (written[:1].isupper() and words[i] not in SAMBUNG
                                             and not kata_kerja(written))):
                break
            last = judul(kegiatan, i, kolom)
            items.append((i, last))
            if last + 1 >= len(words):
                break
            gap, nxt = kegiatan.jeda(last), last + 1
            joined = words[nxt] in ("dan", "serta", "atau") and nxt + 1 < len(words) and kegiatan.jeda(nxt).isspace()
            if re.fullmatch(r"\s*[,/&]\s*", gap):
                alternatives = alternatives or "/" in gap
                if joined:
                    alternatives = alternatives or words[nxt] == "atau"
                    nxt += 1
            elif gap.isspace() and joined:
                alternatives = alternatives or words[nxt] == "atau"
                nxt += 1
            else:
                break
            i = nxt
        for first, last in items:
            theirs = tingkat(kegiatan, first, last)
            if alternatives or (receives and word == "dari") or (level and theirs and theirs != level):
                out.add(first)
    return out


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
