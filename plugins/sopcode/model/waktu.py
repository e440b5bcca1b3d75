"""The time of a step (``mutu_baku.waktu``) as offices write it: ``15 menit``, ``1 hari kerja``,
``30 - 60 menit``, ``maks. 2 jam``, ``1 jam 30 menit``; the grammar and its spec."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sopcode.model.schema import Scalar, case_insensitive
from sopcode.model.sop import Satuan, Waktu
from sopcode.text import short

_NUM = r"[0-9]{1,6}(?:[.,][0-9]{1,3})?"
_QTY = rf"{_NUM}(?:\s*[x×]\s*{_NUM})?"
"""An amount: ``15``, ``1,5``, or a product as in ``1x24 jam``."""
_UNIT = r"menit|jam|hari(?:\s+kerja)?|hk"
_UPTO = (r"maks(?:imal|imum)?\.?|paling\s+lama|paling\s+lambat|selambat-lambatnya|"
         r"tidak\s+lebih\s+dari|<=|≤")
_TO = r"\s*(?:-|–|—|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?)\s*"
_PART = re.compile(rf"(?P<q>{_QTY})\s*(?P<u>{_UNIT})?", re.IGNORECASE)
_SIDE = rf"{_QTY}\s*(?:{_UNIT})(?:\s*{_QTY}\s*(?:{_UNIT}))*"
"""One side of a time: amounts each with its unit (``2 jam 30 menit``). Every repeat ends in a
unit, so a long row of digits cannot be split in many ways (no catastrophic backtracking)."""
_WAKTU = re.compile(rf"(?:(?P<upto>{_UPTO})\s*)?(?P<a>{_SIDE}|{_QTY})(?:{_TO}(?P<b>{_SIDE}))?", re.IGNORECASE)
"""``15 menit``, ``3 Jam``, ``2 jam 30 menit``, ``1x24 jam``, ``1 HK``, ``1-2 hari``,
``30 menit - 1 jam``, ``1 s.d. 3 hari kerja``, ``maks. 3 hari``, ``paling lambat 3 hari``."""

_MENIT_PER = {Satuan.MENIT: 1.0, Satuan.JAM: 60.0}


_WAKTU_LAIN = (
    (re.compile(r"minggu|pekan", re.IGNORECASE), "tulis dalam hari kerja, misalnya `5 hari` untuk satu minggu"),
    (re.compile(r"bulan", re.IGNORECASE), "tulis dalam hari kerja, misalnya `20 hari` untuk satu bulan"),
    (re.compile(r"detik", re.IGNORECASE), "tulis dalam menit, misalnya `1 menit`"),
    (re.compile(r"mnt|mnit", re.IGNORECASE), "tulis satuannya lengkap: `menit`"),
    (re.compile(r"±|\+/-|kurang\s+lebih|sekitar", re.IGNORECASE),
     "tulis tanpa tanda perkiraan, misalnya `15 menit`, atau sebagai rentang, misalnya `10-20 menit`"),
)


def _unit(word: str | None) -> Satuan | None:
    if not word:
        return None
    word = word.split()[0].lower()
    return Satuan.HARI if word == "hk" else Satuan(word)


def _side(text: str) -> list[tuple[float, Satuan | None]] | None:
    """``2 jam 30 menit`` → [(2, jam), (30, menit)]; None when a part is not an amount."""
    parts = []
    for m in _PART.finditer(text):
        factors = re.split(r"\s*[x×]\s*", m["q"])
        amount = 1.0
        for f in factors:
            amount *= float(f.replace(",", "."))
        parts.append((amount, _unit(m["u"])))
    return parts or None


def _in(parts: list[tuple[float, Satuan | None]], unit: Satuan) -> float:
    """Parts of one side, all in one unit (hours and minutes mix; days are working days, kept apart)."""
    if unit is Satuan.HARI:
        return sum(a for a, _ in parts)
    return sum(a * _MENIT_PER[u or unit] for a, u in parts) / _MENIT_PER[unit]


@dataclass
class WaktuSpec(Scalar):
    doc: str = ""
    expected = "lama waktu dengan satuan"

    def parse(self, node, ctx, key):
        text = " ".join(node.value.split())
        hint = ("tulis angka dan satuannya: `15 menit`, `2 jam`, `2 jam 30 menit` atau `1 hari` (hari kerja); "
                "rentang ditulis `1-2 hari`, batas atas `maks. 3 hari`")
        m = _WAKTU.fullmatch(text) if len(text) <= 60 else None
        low_parts = _side(m["a"]) if m and m["a"] else None
        high_parts = _side(m["b"]) if m and m["b"] else None
        main = high_parts or low_parts
        if not m or not main or main[-1][1] is None:
            if re.fullmatch(_NUM, text):
                return ctx.error(node, "waktu-salah", f"waktu '{text}' tidak bersatuan", hint)
            other = next((h for pattern, h in _WAKTU_LAIN if pattern.search(text)), hint)
            return ctx.error(node, "waktu-salah", f"waktu '{short(text)}' tidak dapat dibaca", other)
        units = {u for _, u in main if u} | {u for _, u in (low_parts or []) if u}
        if Satuan.HARI in units and len(units) > 1:
            return ctx.error(node, "waktu-salah", f"waktu '{short(text)}' mencampur hari dengan jam atau menit",
                             "tulis dalam satu satuan, misalnya `1 hari` atau `10 jam`")
        # The unit of the whole: the upper side's smallest (2 jam 30 menit → menit).
        unit = min((u for _, u in main if u), key=lambda u: (u is Satuan.HARI, _MENIT_PER.get(u, 0)))
        high = _in(main, unit)
        low = _in(low_parts, unit) if high_parts and low_parts else None
        if (low is not None and low <= 0) or high <= 0 or high > 100_000:
            return ctx.error(node, "waktu-salah", f"waktu '{short(text)}' harus lebih dari 0 dan masuk akal", hint)
        if low is not None and high <= low:
            assert low_parts is not None  # low is counted from them
            first, second = m["a"].strip(), m["b"].strip()
            if low_parts[-1][1] is None:  # `3-2 hari`: the unit is written once, after the second
                upper = _PART.match(second)
                assert upper is not None  # the second side matched _SIDE, which begins with an amount
                example = f"{upper['q']}-{first} {upper['u']}"
            else:
                example = f"{second} - {first}"
            return ctx.error(node, "waktu-salah", f"rentang waktu '{short(text)}': batas kedua harus lebih besar",
                             f"tulis yang terkecil dahulu, misalnya `{example}`")
        return Waktu(high, unit, low, text)  # printed as written

    def example(self, key):
        return "tulis misalnya `waktu: 15 menit`"

    def json_schema(self):
        pattern = rf"^\s*(({_UPTO})\s*)?({_SIDE}|{_QTY})({_TO}{_SIDE})?\s*$".replace("(?:", "(")
        return self._with_doc({"type": "string", "pattern": case_insensitive(pattern)})
