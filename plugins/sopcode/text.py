"""Text for Indonesian readers: dates, numbers, NIP, shortened quotes and "did you mean" hints.

Pure functions of their arguments, used by the model, the rules, the sheets, the site and the
CLI alike; nothing here knows about YAML, files or the SOP model.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata

NAMA_BULAN = (
    "", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember",
)


def format_tanggal(date: dt.date | None) -> str:
    """``07 Januari 2019``, or ``-`` for no date (as on the identity sheet)."""
    if date is None:
        return "-"
    return f"{date.day:02d} {NAMA_BULAN[date.month]} {date.year}"


def format_tanggal_pendek(date: dt.date | None) -> str:
    """``07-01-2019`` (day-month-year, for narrow table cells), or ``-`` for no date."""
    return "-" if date is None else f"{date.day:02d}-{date.month:02d}-{date.year}"


def format_angka(value: float) -> str:
    """Indonesian number: decimal comma, no trailing zeros (``0,5``, ``795``)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def thousands(n: int) -> str:
    """A count with Indonesian thousands separators: ``1.000.000``."""
    return f"{n:,}".replace(",", ".")


def format_nip(nip: str) -> str:
    """NIP grouped 8 6 1 3, as printed: ``19640104 199101 1 004``; anything but 18 digits as written."""
    digits = "".join(ch for ch in nip if ch.isdigit())
    if len(digits) != 18:
        return nip
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def short(text: object, limit: int = 40) -> str:
    """One line of at most ``limit`` characters (whitespace runs made one space, ``…`` where cut)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The choice ``word`` is a near miss of (as the choice is written), or None."""
    match = difflib.get_close_matches(word.lower(), [c.lower() for c in choices], n=1, cutoff=0.6)
    return next(c for c in choices if c.lower() == match[0]) if match else None


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """``maksud Anda: 'kegiatan'?`` for a near miss, else an empty string.

    It ends with a question mark: join more text to it with :func:`then`.
    """
    original = closest(word, choices)
    return f"maksud Anda: '{original}'?" if original is not None else ""


def then(first: str, more: str) -> str:
    """Two sentences of a hint: ``maksud Anda: 'Camat'? Atau …``, never ``?.`` or ``..``."""
    first = first.rstrip()
    if not first:
        return more[:1].upper() + more[1:]
    return f"{first}{'' if first[-1] in '.?!' else '.'} {more[:1].upper() + more[1:]}"


def slug(text: str, limit: int = 80) -> str:
    """A name for a file or an address: ASCII lower case and hyphens (``Seksi Pelayanan Umum`` →
    ``seksi-pelayanan-umum``), at most ``limit`` characters; empty when nothing of ``text`` is left."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].rstrip("-")
