"""Random but valid SOPs for property tests of the drawings.

``random_sop(seed)`` builds a :class:`sopcode.model.sop.Sop` directly: 2–7
actors, 5–30 steps, 0–3 decisions whose *ya*/*tidak* go to the next step and
either loop back to an earlier step or jump forward, sometimes a ``lanjut``
that jumps forward past a decision's target (like ``kotak-kosong.yaml``), and
sometimes step numbers that are not 1, 2, 3 … . The same seed always gives
the same SOP, and every SOP passes ``sopcode.rules.check_sop`` without an
error: every step is reachable from the first and can reach the last.

Optional traits, off by default (an SOP without them is the same as before
they existed; each trait draws from its own random stream, so turning one on
changes nothing else of the SOP):

* ``terpisah``: the share of SOPs with separate "Mulai"/"Selesai" capsules
  (``terminator: terpisah``; their first and last steps are then processes);
* ``bersama``: the share of SOPs with one to three steps done by two or three
  actors (``pelaksana: [A, B]``), the further actors' lanes either next to the
  first actor's (one symbol spanning them) or apart from it.

Run it to see one: ``python tests/gen_sop.py 7``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys

from sopcode.diagnostics import Loc
from sopcode.model.sop import MutuBaku, Pejabat, Satuan, Simbol, Sop, Step, Teks, Waktu
from sopcode.rules import check_sop

ACTORS = [
    "Pemohon", "Petugas Pelayanan", "Kepala Seksi Pemerintahan", "Sekretaris Kecamatan", "Camat",
    "Tim Verifikasi", "Pengolah Data", "Bendahara Pengeluaran", "Kasubbag Umum dan Kepegawaian",
    "Operator SIMPEG", "Pelaksana Seksi Ketenteraman dan Ketertiban Umum", "Lurah", "Analis Kebijakan",
    "Pengadministrasi Umum", "Pranata Komputer",
]
VERBS = [
    "Menerima", "Memeriksa", "Mencatat", "Menyusun", "Menelaah", "Memaraf", "Menandatangani",
    "Mengarsipkan", "Menyampaikan", "Memverifikasi", "Menginput", "Menggandakan", "Mengoreksi",
    "Menyiapkan", "Mengirimkan", "Mendisposisikan", "Mengundang", "Melaksanakan",
]
OBJECTS = [
    "berkas permohonan", "surat pengantar dari desa", "konsep surat jawaban", "data capaian kinerja",
    "berita acara peninjauan lokasi", "laporan penyelenggaraan pemerintahan", "dokumen & lampirannya",
    "formulir \"F-01\"", "register <surat masuk>", "nota dinas", "lembar disposisi",
    "rekapitulasi anggaran tahun berjalan",
]
TAILS = [
    "", "", "", " sesuai ketentuan yang berlaku", " kepada pejabat yang berwenang",
    " dalam buku register", " melalui aplikasi SRIKANDI", " paling lambat 3 hari kerja",
]
QUESTIONS = [
    "Memeriksa kelengkapan berkas", "Menilai kelayakan permohonan", "Memeriksa kebenaran data",
    "Menelaah konsep surat", "Memverifikasi keabsahan dokumen",
]


def _teks(value: str, path: str, line: int) -> Teks:
    return Teks(value, Loc(path, line, 1))


def _attempt(rng: random.Random, name: str) -> Sop:
    path = f"gen/{name}.yaml"
    n_actors = rng.randint(2, 7)
    n_steps = rng.randint(5, 30)
    actors = rng.sample(ACTORS, n_actors)
    numbers = list(range(1, n_steps + 1))
    if rng.random() < 0.15:
        numbers = [10 * n for n in numbers]
    lanes = [rng.randrange(n_actors)]
    for _ in range(n_steps - 1):  # mostly a change of actor, sometimes the same one again
        lanes.append(lanes[-1] if rng.random() < 0.25 else rng.randrange(n_actors))
    for k in range(n_actors):  # use every actor when there are enough steps
        if k not in lanes and n_steps > n_actors:
            lanes[rng.randrange(n_steps)] = k

    n_decisions = rng.randint(0, min(3, n_steps - 2))
    decisions = sorted(rng.sample(range(1, n_steps - 1), n_decisions))
    targets: dict[int, tuple[int, int]] = {}  # index → (ya index, tidak index)
    jumps: dict[int, int] = {}  # index → lanjut index
    for i in decisions:
        back = i > 0 and (rng.random() < 0.65 or i + 2 > n_steps - 1)
        other = rng.randrange(0, i) if back else rng.randint(i + 2, n_steps - 1)
        targets[i] = (i + 1, other) if rng.random() < 0.7 else (other, i + 1)
        if not back and other - 1 > i and rng.random() < 0.4 and other + 1 <= n_steps - 1:
            before = other - 1  # the step before the jump target skips it, as in kotak-kosong.yaml
            if before not in decisions and before not in jumps:
                jumps[before] = rng.randint(other + 1, n_steps - 1)

    steps = []
    for i in range(n_steps):
        line = 20 + 8 * i
        if i in targets:
            text = rng.choice(QUESTIONS) + "?"
            simbol = Simbol.KEPUTUSAN
        else:
            text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
            simbol = Simbol.TERMINATOR if i in (0, n_steps - 1) else Simbol.PROSES
        ya = tidak = lanjut = None
        if i in targets:
            ya, tidak = (numbers[t] for t in targets[i])
        if i in jumps:
            lanjut = numbers[jumps[i]]
        steps.append(Step(
            no=numbers[i], kegiatan=_teks(text, path, line + 1), pelaksana=_teks(actors[lanes[i]], path, line + 2),
            simbol=simbol, simbol_eksplisit=simbol is Simbol.KEPUTUSAN,
            mutu_baku=MutuBaku(waktu=Waktu(rng.choice([5, 10, 15, 30, 60]), Satuan.MENIT)),
            lanjut=lanjut, ya=ya, tidak=tidak, loc=Loc(path, line, 3)))
    return Sop(
        id=name, path=path, nama=_teks(f"SOP Acak {name}", path, 2), nomor=_teks("000/001/Acak", path, 1),
        tanggal_pembuatan=dt.date(2024, 1, 2), tanggal_efektif=dt.date(2024, 1, 8),
        disahkan_oleh=Pejabat(_teks("CAMAT CONTOH", path, 5), _teks("Nama Pejabat, S.Sos", path, 6),
                              _teks("196401041991011004", path, 7)),
        pelaksana=tuple(_teks(a, path, 10 + k) for k, a in enumerate(actors)),
        langkah=tuple(steps), loc=Loc(path, 1, 1))


def _with_traits(sop: Sop, rng: random.Random, terpisah: float, bersama: float) -> Sop:
    """The optional traits, drawn from their own stream (``rng``)."""
    steps = list(sop.langkah)
    if rng.random() < terpisah:
        last = len(steps) - 1
        for i in (0, last):
            if steps[i].simbol is Simbol.TERMINATOR:  # no step is the start or end
                steps[i] = dataclasses.replace(steps[i], simbol=Simbol.PROSES)
        sop = dataclasses.replace(sop, terminator="terpisah")
    if rng.random() < bersama:
        n = len(sop.pelaksana)
        for i in rng.sample(range(len(steps)), min(len(steps), rng.randint(1, 3))):
            step = steps[i]
            own = [str(a) for a in sop.pelaksana].index(step.pelaksana)
            others = [k for k in range(n) if k != own]
            count = min(len(others), 1 if rng.random() < 0.65 else 2)
            if rng.random() < 0.5:  # lanes next to the first actor's: one symbol across them
                first = rng.choice([a for a in range(own - count, own + 1) if a >= 0 and a + count < n])
                lanes = [k for k in range(first, first + count + 1) if k != own]
                rng.shuffle(lanes)
            else:  # apart from it where there is room: a symbol per lane, joined by a line
                far = [k for k in others if abs(k - own) > 1] or others
                lanes = rng.sample(far, min(count, len(far)))
            extra = tuple(Teks(str(sop.pelaksana[k]), step.pelaksana.loc) for k in lanes)
            steps[i] = dataclasses.replace(step, pelaksana_lain=extra)
    return dataclasses.replace(sop, langkah=tuple(steps))


def random_sop(seed: int, *, terpisah: float = 0.0, bersama: float = 0.0) -> Sop:
    """One valid random SOP; the same seed (and traits) gives the same SOP.

    ``terpisah`` and ``bersama`` are the chances of the optional traits (see the module's text).
    """
    rng = random.Random(f"sop-{seed}")
    for _try in range(100):
        sop = _attempt(rng, f"acak-{seed:04d}")
        if not any(d.is_error for d in check_sop(sop)):
            break
    else:
        raise AssertionError(f"no valid SOP for seed {seed} after 100 attempts")  # pragma: no cover
    if not (terpisah or bersama):
        return sop
    sop = _with_traits(sop, random.Random(f"ciri-{seed}"), terpisah, bersama)
    errors = [d.format() for d in check_sop(sop) if d.is_error]
    assert not errors, f"seed {seed} with traits: {errors}"
    return sop


def random_sops(count: int, start: int = 0, *, terpisah: float = 0.0, bersama: float = 0.0) -> list[Sop]:
    return [random_sop(seed, terpisah=terpisah, bersama=bersama) for seed in range(start, start + count)]


if __name__ == "__main__":  # pragma: no cover - a look at one
    sop = random_sop(int(sys.argv[1]) if len(sys.argv) > 1 else 0, terpisah=0.3, bersama=0.5)
    print(sop.id, "terminator:", sop.terminator, "pelaksana:", ", ".join(sop.pelaksana))
    for s in sop.langkah:
        jump = "".join(f" {k}={getattr(s, k)}" for k in ("ya", "tidak", "lanjut") if getattr(s, k) is not None)
        print(f"  {s.no:>3} [{s.simbol.value:10}] {' + '.join(s.semua_pelaksana):<30} {s.kegiatan}{jump}")
