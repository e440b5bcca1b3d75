"""Rules across SOPs: unique ids and numbers, Keterkaitan references (errors)."""

from __future__ import annotations

from ..diagnostics import Diagnostic, Loc, galat
from ..model import Ringkasan
from ..spec import suggest


def check(sops: list[Ringkasan], rusak: set[str] | frozenset[str] = frozenset()) -> list[Diagnostic]:
    """``rusak``: the ids of SOP files that exist but did not load; referring to them is not wrong."""
    found: list[Diagnostic] = []
    ordered = sorted(sops, key=lambda s: s.path)
    by_id: dict[str, Ringkasan] = {}
    by_nomor: dict[str, Ringkasan] = {}
    for sop in ordered:
        if sop.id in by_id:
            found.append(galat(
                Loc(sop.path, 1, 1), "id-ganda",
                f"id SOP '{sop.id}' sudah dipakai oleh {by_id[sop.id].path}",
                "id SOP adalah nama berkasnya: ganti nama salah satu berkas"))
        else:
            by_id[sop.id] = sop
        nomor = " ".join(str(sop.nomor or "").split())
        if nomor:
            if nomor in by_nomor:
                found.append(galat(
                    sop.nomor_loc or Loc(sop.path), "nomor-sop-ganda",
                    f"Nomor SOP '{nomor}' sudah dipakai oleh {by_nomor[nomor].path}",
                    "setiap SOP punya nomor sendiri menurut tata naskah dinas"))
            else:
                by_nomor[nomor] = sop
    for sop in ordered:
        for ref in sop.rujukan:
            if ref not in by_id and ref not in rusak:
                ids = [i for i in by_id if i != sop.id] + sorted(rusak)  # an SOP is no keterkaitan of its own
                hint = suggest(ref, ids) or "id SOP adalah nama berkasnya di sop_data/ tanpa .yaml"
                found.append(galat(ref.loc, "keterkaitan-tak-ada",
                                   f"Keterkaitan merujuk SOP '{ref}' yang tidak ada", hint))
    return found
