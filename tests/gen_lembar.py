"""Random SOPs shaped like the hard real ones, for the printed sheet's geometry test.

``lembar_sop(seed)`` builds a valid :class:`sopcode.model.sop.Sop` with 2–8
actors, 1–4 decisions whose *Tidak* (sometimes *Ya*) loops back 1–8 steps,
often into another actor's column and very often to the step right above,
sometimes a ``lanjut`` jumping forward, activities done by two or three
actors (adjacent columns or not), separate Mulai/Selesai capsules in about a
third of them, and step texts long enough that the procedure table breaks
1–4 times. The same seed always gives the same SOP; every SOP passes
``sopcode.rules.check_sop`` without an error.

Run it to see one: ``python tests/gen_lembar.py 7``.
"""

from __future__ import annotations

import dataclasses
import math
import random
import sys

from gen_sop import ACTORS, OBJECTS, QUESTIONS, TAILS, VERBS, _teks
from sopcode.diagnostics import Loc
from sopcode.model.sop import MutuBaku, Pejabat, Satuan, Simbol, Sop, Step, Waktu
from sopcode.rules import check_sop

FILLER = (
    "dengan memeriksa kesesuaian data pada register dan dokumen pendukung, mencatat hasilnya pada "
    "lembar kendali, serta menyampaikan catatan perbaikan kepada pelaksana sebelumnya apabila ditemukan "
    "kekurangan atau ketidaksesuaian isi"
)


def _text(rng: random.Random, head: str, long: float) -> str:
    """An activity: a verb phrase, lengthened so that rows grow tall."""
    words = FILLER.split()
    extra = rng.randint(0, int(len(words) * long))
    return (head + " " + " ".join(words[:extra])).strip()


def _row_estimate(n_actors: int, length: int) -> float:
    """About how tall (pt) a row with this much text is on A4 (the measuring pass decides)."""
    actor = min(max(778 * 0.40 / n_actors, 42.5), 85.0)
    rest = 778 - 22 - n_actors * actor
    kegiatan = (rest - max(rest * 0.12, 48.0)) * 0.38 - 6
    lines = math.ceil(length * 4.3 / kegiatan)
    return max(40.0, lines * 10.0 + 6)


def _attempt(rng: random.Random, name: str) -> Sop:
    path = f"gen/{name}.yaml"
    n_actors = rng.randint(2, 8)
    actors = rng.sample(ACTORS, n_actors)
    breaks = rng.randint(1, 4)  # aimed at: rows adding up to a little over that many sheets
    long = rng.uniform(0.4, 1.0)
    heads, height = [], 0.0
    while height < (breaks + 0.3) * 400 or len(heads) < 5:
        head = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
        text = _text(rng, head, long)
        heads.append(text)
        height += _row_estimate(n_actors, len(text))
    n_steps = len(heads)
    terpisah = rng.random() < 0.33
    lanes = [rng.randrange(n_actors)]
    for _ in range(n_steps - 1):  # mostly a change of actor, sometimes the same one again
        lanes.append(lanes[-1] if rng.random() < 0.2 else rng.randrange(n_actors))
    for k in range(n_actors):  # use every actor
        if k not in lanes:
            lanes[rng.randrange(n_steps)] = k

    n_decisions = rng.randint(1, min(4, n_steps - 3))
    decisions = sorted(rng.sample(range(1, n_steps - 1), n_decisions))
    targets: dict[int, tuple[int, int]] = {}  # index → (ya index, tidak index)
    jumps: dict[int, int] = {}
    for i in decisions:
        back = rng.choice([1, 1, 1, 2, 2, 3, rng.randint(1, 8)])
        other = max(0, i - back)
        if rng.random() < 0.15 and i + 3 <= n_steps - 1:  # sometimes a jump forward instead
            other = rng.randint(i + 2, min(n_steps - 1, i + 4))
        targets[i] = (i + 1, other) if rng.random() < 0.85 else (other, i + 1)
        if other > i + 1 and rng.random() < 0.5 and other + 1 <= n_steps - 1:
            before = other - 1  # the branch taken skips the other one, as in kotak-kosong.yaml
            if before not in targets and before not in jumps and before not in decisions:
                jumps[before] = rng.randint(other + 1, min(n_steps - 1, other + 2))
    shared: dict[int, list[int]] = {}
    for i in range(n_steps):
        if i not in targets and n_actors > 2 and rng.random() < 0.12:
            others = [k for k in range(n_actors) if k != lanes[i]]
            shared[i] = rng.sample(others, rng.choice([1, 1, 2]) if len(others) > 1 else 1)

    numbers = list(range(1, n_steps + 1))
    steps = []
    for i in range(n_steps):
        line = 40 + 10 * i
        if i in targets:
            text = rng.choice(QUESTIONS) + "?" + heads[i][heads[i].find(" ", 12):]
            simbol = Simbol.KEPUTUSAN
        else:
            text = heads[i]
            simbol = Simbol.TERMINATOR if i in (0, n_steps - 1) and not terpisah else Simbol.PROSES
        ya = tidak = lanjut = None
        if i in targets:
            ya, tidak = (numbers[t] for t in targets[i])
        if i in jumps:
            lanjut = numbers[jumps[i]]
        others = tuple(_teks(actors[k], path, line + 3) for k in shared.get(i, ()))
        steps.append(Step(
            no=numbers[i], kegiatan=_teks(text, path, line + 1), pelaksana=_teks(actors[lanes[i]], path, line + 2),
            simbol=simbol, simbol_eksplisit=simbol is Simbol.KEPUTUSAN,
            mutu_baku=MutuBaku(waktu=Waktu(rng.choice([5, 10, 15, 30, 60]), Satuan.MENIT)),
            lanjut=lanjut, ya=ya, tidak=tidak, loc=Loc(path, line, 3), pelaksana_lain=others))
    return Sop(
        id=name, path=path, nama=_teks(f"SOP Lembar {name}", path, 2), nomor=_teks("000/001/Acak", path, 1),
        disahkan_oleh=Pejabat(_teks("CAMAT CONTOH", path, 5), _teks("Nama Pejabat, S.Sos", path, 6),
                              _teks("196401041991011004", path, 7)),
        pelaksana=tuple(_teks(a, path, 10 + k) for k, a in enumerate(actors)),
        langkah=tuple(steps), loc=Loc(path, 1, 1), terminator="terpisah" if terpisah else "langkah")


def lembar_sop(seed: int) -> Sop:
    """One valid random SOP for the sheet; the same seed gives the same SOP."""
    rng = random.Random(f"lembar-{seed}")
    for _ in range(200):
        sop = _attempt(rng, f"lembar-{seed:04d}")
        if not any(d.is_error for d in check_sop(sop)):
            return sop
    raise AssertionError(f"no valid SOP for seed {seed}")  # pragma: no cover


def lembar_sops(count: int, start: int = 0) -> list[Sop]:
    return [lembar_sop(seed) for seed in range(start, start + count)]


def with_paper(sop: Sop, kertas: str) -> Sop:
    return dataclasses.replace(sop, instansi=dataclasses.replace(sop.instansi, kertas=kertas))


if __name__ == "__main__":  # pragma: no cover - a look at one
    sop = lembar_sop(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(sop.id, sop.terminator, "pelaksana:", ", ".join(sop.pelaksana))
    for s in sop.langkah:
        jump = "".join(f" {k}={getattr(s, k)}" for k in ("ya", "tidak", "lanjut") if getattr(s, k) is not None)
        who = " + ".join(s.semua_pelaksana)
        print(f"  {s.no:>3} [{s.simbol.value:10}] {who:<40} {str(s.kegiatan)[:50]}{jump}")
