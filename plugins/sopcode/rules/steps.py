"""Rules on actors and the flow of steps (errors: the flowchart cannot be drawn)."""

from __future__ import annotations

import re
import unicodedata

from sopcode.diagnostics import Diagnostic, galat, peringatan
from sopcode.model.graph import Graph, out_edges
from sopcode.model.sop import Simbol, Sop, Step
from sopcode.rules.names import Nama, sama
from sopcode.text import closest, short, suggest, then


def check(sop: Sop) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    found += _actors(sop)
    if len(sop.langkah) < 2:
        found.append(galat(
            sop.pos.get("langkah", sop.loc), "langkah-kurang",
            f"SOP hanya punya {len(sop.langkah)} langkah; bagan alir butuh sedikitnya langkah awal dan akhir",
            "tambahkan langkah di bawah `langkah:`"))
        return found
    numbers = _numbers(sop)
    branches, unsure = _branches(sop)
    found += numbers + branches
    # A step's own branching broken is said there, once: the reachability rules do not add its
    # consequences. Two steps of one number leave every arrow to it unsure: not checked at all.
    if not any(d.code == "nomor-langkah-ganda" for d in numbers):
        found += _reachability(sop, unsure)
    return found


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _same(name: str) -> str:
    """A name as it looks: case, invisible characters (zero-width, soft hyphen) and kinds of space
    (a no-break space from Word) do not make two columns different."""
    return " ".join(unicodedata.normalize("NFKC", name).translate(_INVISIBLE).casefold().split())


def _actors(sop: Sop) -> list[Diagnostic]:
    found = []
    seen: dict[str, int] = {}
    for actor in sop.pelaksana:
        if _same(actor) in seen:
            found.append(galat(actor.loc, "pelaksana-ganda", f"pelaksana '{actor}' ditulis dua kali",
                               "setiap pelaksana cukup satu kolom; hapus salah satunya"))
        seen[_same(actor)] = 1
    names = [str(a) for a in sop.pelaksana]
    kolom = [(name, Nama(name)) for name in names]
    used = set()
    for step in sop.langkah:
        # Every actor of a step done together is a column; a second actor counts as used.
        for actor in step.semua_pelaksana:
            if actor in names:
                used.add(str(actor))
                continue
            hint, meant = _actor_hint(actor, names, kolom, bool(step.pelaksana_lain))
            used.update(meant)  # the column a misspelt actor means is not also "without a step"
            found.append(galat(
                actor.loc, "pelaksana-tak-dikenal",
                f"langkah {step.no}: pelaksana '{short(actor)}' tidak ada dalam daftar `pelaksana`", hint))
    for actor in sop.pelaksana:
        if str(actor) not in used:
            found.append(peringatan(
                actor.loc, "pelaksana-tanpa-langkah",
                f"pelaksana '{short(actor)}' tidak mengerjakan satu langkah pun",
                "hapus dari daftar `pelaksana`, atau tetapkan sebagai pelaksana langkah yang sesuai"))
    return found


_JOINED = re.compile(r"\s*(?:,|&|/|\+|\bdan\b|\bserta\b|\bbersama\b|\bbeserta\b)\s*", re.IGNORECASE)


def _actor_hint(actor: str, names: list[str], kolom: list[tuple[str, Nama]], in_list: bool
                ) -> tuple[str, list[str]]:
    """How to name a column (the same actor written otherwise, several actors in one text, or a
    near miss), and the columns the actor surely means."""
    read = Nama(actor)
    same = next((name for name, nama in kolom if sama(read, nama)), None)
    if same is not None:
        return (f"tulis persis seperti di daftar `pelaksana`: '{same}' (kolomnya dicari dengan nama yang sama "
                "persis)", [same])
    parts = [p for p in _JOINED.split(actor) if p.strip()]
    if len(parts) > 1 and not in_list:
        columns = [_column(p, names, kolom) for p in parts]
        if all(columns):
            joined = ", ".join(columns)  # type: ignore[arg-type]
            return ("kegiatan yang dikerjakan bersama ditulis sebagai daftar: "
                    f"`pelaksana: [{joined}]`; pelaksana pertama memegang simbolnya", columns)  # type: ignore[return-value]
    near = closest(actor, names)
    hint = suggest(actor, names) or "pilih salah satu: " + ", ".join(names)
    return then(hint, f"atau tambahkan '{short(actor)}' ke daftar `pelaksana` SOP ini"), [near] if near else []


def _column(text: str, names: list[str], kolom: list[tuple[str, Nama]]) -> str | None:
    text = text.strip()
    if text in names:
        return text
    read = Nama(text)
    return next((name for name, nama in kolom if sama(read, nama)), None)


def _numbers(sop: Sop) -> list[Diagnostic]:
    found = []
    first: dict[int, Step] = {}
    for step in sop.langkah:
        if step.no in first:
            found.append(galat(
                step.pos.get("no", step.loc), "nomor-langkah-ganda",
                f"nomor langkah {step.no} sudah dipakai di baris {first[step.no].loc.line}",
                "beri nomor yang berbeda; `lanjut`, `ya` dan `tidak` merujuk langkah lewat nomornya"))
        else:
            first[step.no] = step
    # A number left out (1, 2, 3, 4, 6) is kept as written: `lanjut`, `ya` and `tidak` refer to it.
    # Next to a number written twice, the twin most likely took the missing one: said once, above.
    before = 0
    for step in sop.langkah if not found else ():
        if step.no > before + 1 and not any(before < no < step.no for no in first):
            missing = _ranges(list(range(before + 1, step.no)))
            what = f"nomor langkah loncat dari {before} ke {step.no}" if before else \
                f"langkah pertama bernomor {step.no}"
            found.append(peringatan(
                step.pos.get("no", step.loc), "nomor-langkah-loncat", f"{what}; langkah {missing} tidak ada",
                f"bila tidak ada langkah yang terlewat, beri langkah ini nomor {before + 1}, lalu sesuaikan "
                "nomor sesudahnya serta `lanjut`, `ya` dan `tidak` yang merujuknya"))
        before = max(before, step.no)
    return found


def _branches(sop: Sop) -> tuple[list[Diagnostic], set[int]]:
    """What is wrong with each step's own arrows, and the steps whose arrows are therefore unsure."""
    found = []
    unsure: set[int] = set()
    numbers = {s.no for s in sop.langkah}
    last = len(sop.langkah) - 1
    for i, step in enumerate(sop.langkah):
        is_decision = step.simbol is Simbol.KEPUTUSAN
        if step.simbol is Simbol.TERMINATOR and sop.terminator_terpisah:
            found.append(galat(
                step.pos.get("simbol", step.loc), "terminator-di-tengah",
                f"langkah {step.no}: simbol terminator tidak dipakai langkah mana pun, karena kapsul "
                "mulai dan selesai digambar terpisah (`terminator: terpisah`)",
                "ganti dengan `simbol: proses`, atau hapus `simbol:`"))
        elif step.simbol is Simbol.TERMINATOR and 0 < i < last:
            found.append(galat(
                step.pos.get("simbol", step.loc), "terminator-di-tengah",
                f"langkah {step.no}: simbol terminator hanya untuk langkah pertama dan terakhir",
                "ganti dengan `simbol: proses`, atau hapus `simbol:`"))
        if i == last and (step.lanjut is not None or step.ya is not None or step.tidak is not None):
            key = next(k for k in ("lanjut", "ya", "tidak") if getattr(step, k) is not None)
            found.append(galat(
                step.pos.get(key, step.loc), "akhir-bercabang",
                f"langkah {step.no} adalah langkah terakhir (akhir prosedur) tetapi punya `{key}`",
                "langkah terakhir mengakhiri prosedur: hapus kunci ini, atau pindahkan langkah ke urutan yang benar"))
            unsure.add(step.no)
            continue
        if is_decision:
            missing = [k for k in ("ya", "tidak") if getattr(step, k) is None]
            if missing:
                found.append(galat(
                    step.pos.get("simbol", step.loc), "keputusan-tak-lengkap",
                    f"langkah {step.no} adalah keputusan tetapi tidak punya `{'` dan `'.join(missing)}`",
                    "keputusan punya dua cabang: tulis `ya: <nomor langkah>` dan `tidak: <nomor langkah>`"))
                unsure.add(step.no)
            if step.lanjut is not None:
                found.append(galat(
                    step.pos["lanjut"], "cabang-salah",
                    f"langkah {step.no} adalah keputusan: arahnya ditulis dengan `ya` dan `tidak`, bukan `lanjut`",
                    "hapus `lanjut`"))
                unsure.add(step.no)
        for edge in out_edges(sop, i):
            if edge.dst not in numbers:
                found.append(galat(
                    step.pos.get(edge.key, step.loc), "target-tak-ada",
                    f"langkah {step.no}: `{edge.key}: {edge.dst}` merujuk langkah yang tidak ada",
                    "nomor langkah yang ada: " + _ranges(sorted(numbers))))
                unsure.add(step.no)
    return found, unsure


def _reachability(sop: Sop, unsure: set[int] | frozenset[int] = frozenset()) -> list[Diagnostic]:
    """Steps never reached, and steps that never reach the end, whatever the ``unsure`` steps'
    arrows (reported as broken already) are mended to: such a step may lead to any step."""
    graph = Graph(sop)
    start, end = sop.langkah[0], sop.langkah[-1]
    from_start = graph.reachable(start.no)
    if from_start & unsure:
        from_start = set(graph.index)
    to_end: set[int] = set()
    for no in {end.no} | unsure:
        to_end |= graph.reachable(no, forward=False)
    found = []
    unreached = [s.no for i, s in enumerate(sop.langkah) if s.no not in from_start and graph.index[s.no] == i]
    # Steps that are reached but can never finish: one message per loop with no exit, at its
    # last step in file order. Steps that only lead into such a loop are freed with it: not said.
    trapped = [s.no for s in sop.langkah if s.no in from_start and s.no not in to_end]
    reported: set[int] = set()
    for no in reversed(trapped):
        if no in reported:
            continue
        group = graph.reachable(no) & graph.reachable(no, forward=False)
        reported |= group
        if any(after not in group for member in group for after in graph.succ[member]):
            continue
        others = sorted(group - {no})
        also = f" (begitu pula langkah {_ranges(others)})" if others else ""
        # The steps never reached may be where its exit was meant to go: said here, not apart.
        cut_off = f"; langkah {_ranges(unreached)} juga tidak pernah dicapai" if unreached else ""
        found.append(galat(
            sop.langkah[graph.index[no]].loc, "buntu",
            f"dari langkah {no}{also} tidak ada jalan menuju langkah akhir ({end.no}){cut_off}",
            "beri jalan keluar: salah satu cabang `ya`/`tidak` atau `lanjut` harus menuju langkah sesudahnya"))
    if found:
        return found
    # Steps never reached: one message for each step a part cut off starts with; the steps
    # reached only through it are said with it.
    onward = {no: graph.reachable(no) & set(unreached) for no in unreached}
    covered: set[int] = set()
    for no in unreached:
        if no in covered or any(no in onward[other] and other not in onward[no] for other in unreached):
            continue
        covered |= onward[no]
        others = sorted(onward[no] - {no})
        also = f" (begitu pula langkah {_ranges(others)})" if others else ""
        found.append(galat(
            sop.langkah[graph.index[no]].loc, "tak-terjangkau",
            f"langkah {no}{also} tidak pernah dicapai dari langkah {start.no}",
            "arahkan `lanjut`, `ya` atau `tidak` langkah sebelumnya ke langkah ini, atau hapus langkah ini"))
    return found


def _ranges(numbers: list[int]) -> str:
    """``1–3, 5`` for [1, 2, 3, 5]."""
    parts, i = [], 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        parts.append(str(numbers[i]) if i == j else f"{numbers[i]}–{numbers[j]}")
        i = j + 1
    return ", ".join(parts) or "-"
