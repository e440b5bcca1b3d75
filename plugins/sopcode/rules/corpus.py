"""Rules across SOPs: unique ids, numbers unique within an institution, Keterkaitan and ``diganti_oleh``
references (errors). A reference is a bare file name within the SOP's institution, or a full id
``<kode>/<file name>`` across institutions (see :mod:`sopcode.model.institutions`)."""

from __future__ import annotations

from sopcode.diagnostics import Diagnostic, Loc, galat
from sopcode.model.institutions import institution_of, resolve, stem_of, written_as
from sopcode.model.sop import Summary
from sopcode.text import suggest

RESERVED = {
    "index": "halaman induk folder situs (sop/index.md menjadi alamat sop/, bukan sop/index/)",
    "readme": "halaman induk folder situs (MkDocs membaca README.md sebagai index.md)",
    "buku-sop": "buku SOP (pdf/buku-sop.pdf, dan pdf/<instansi>/buku-sop.pdf untuk tiap instansi)",
}
"""File names whose SOP's page or PDF would take the place of one of the site's or a binder's own files,
in any institution's folder (compared without case: on Windows and macOS, and in addresses people
type, case does not count)."""


def _id_fix(sop_id: str) -> str:
    return f"id SOP adalah nama berkasnya: ganti nama berkas, misalnya menjadi 'sop-{stem_of(sop_id).lower()}.yaml'"


NO_SUCH = ("tulis nama berkas SOP tanpa .yaml untuk SOP instansi yang sama, atau `<folder instansi>/<nama berkas>` "
           "untuk SOP instansi lain")


def _suggest(name: str, sop_id: str, ids: list[str]) -> str:
    """What an SOP probably meant by ``name``: each id as it would write it (a bare name within its own
    institution, the full id for another's), then the full id of an SOP of that name elsewhere."""
    kode = institution_of(sop_id)
    same_name = sorted(i for i in ids if i != sop_id and stem_of(i) == stem_of(str(name)))
    if same_name:
        return f"maksud Anda `{same_name[0]}`? SOP instansi lain ditulis dengan folder instansinya: `<folder>/<nama berkas>`"
    written = [written_as(i, kode) for i in ids if i != sop_id]  # an SOP is no keterkaitan of its own
    return suggest(name, written) or NO_SUCH


def check(sops: list[Summary], broken: set[str] | frozenset[str] = frozenset(),
          checked: set[str] | frozenset[str] | None = None) -> list[Diagnostic]:
    """``broken``: the ids of SOP files that exist but did not load; referring to them is not wrong.

    ``checked``: the paths whose findings are shown (all when None). Of two files with the same id
    or nomor the later one is blamed, and the files not checked come first: `sop check` of one file
    alone says its nomor is already used, rather than blaming the other file, whose findings are not shown.
    """
    found: list[Diagnostic] = []
    ordered = sorted(sops, key=lambda s: (checked is not None and s.path in checked, s.path))
    by_id: dict[str, Summary] = {}
    by_fold: dict[str, Summary] = {}
    by_nomor: dict[tuple[str, str], Summary] = {}  # a nomor is unique within an institution
    for sop in ordered:
        fold = sop.id.casefold()
        if stem_of(fold) in RESERVED:  # pdf/<kode>/buku-sop.pdf is that institution's binder
            found.append(galat(
                Loc(sop.path, 1, 1), "id-dicadangkan",
                f"id SOP '{sop.id}' dipakai situs untuk {RESERVED[stem_of(fold)]}; halaman atau PDF SOP ini akan "
                "menimpanya", _id_fix(sop.id)))
        if sop.id in by_id:
            found.append(galat(
                Loc(sop.path, 1, 1), "id-ganda",
                f"id SOP '{sop.id}' sudah dipakai oleh {by_id[sop.id].path}",
                "id SOP adalah nama berkasnya: ganti nama salah satu berkas"))
        elif fold in by_fold:
            other = by_fold[fold]
            found.append(galat(
                Loc(sop.path, 1, 1), "id-ganda",
                f"id SOP '{sop.id}' hanya berbeda huruf besar-kecil dari '{other.id}' ({other.path}); di Windows "
                "dan macOS, dan pada alamat situs yang diketik orang, keduanya satu berkas",
                "id SOP adalah nama berkasnya: ganti nama salah satu berkas (sebaiknya huruf kecil semua)"))
            by_id[sop.id] = sop  # references to it are not missing
        else:
            by_id[sop.id] = sop
            by_fold[fold] = sop
        nomor = " ".join(str(sop.nomor or "").split())
        if nomor:
            key = (institution_of(sop.id), nomor)
            if key in by_nomor:
                found.append(galat(
                    sop.nomor_loc or Loc(sop.path), "nomor-sop-ganda",
                    f"Nomor SOP '{nomor}' sudah dipakai oleh {by_nomor[key].path}"
                    + (" di instansi yang sama" if key[0] else ""),
                    "setiap SOP suatu instansi punya nomor sendiri menurut tata naskah dinas "
                    "(instansi lain boleh memakai nomor yang sama)"))
            else:
                by_nomor[key] = sop
    known = set(by_id) | set(broken)
    for sop in ordered:
        for ref in sop.rujukan:
            if resolve(ref, institution_of(sop.id), known) is None:
                found.append(galat(ref.loc, "keterkaitan-tak-ada",
                                   f"Keterkaitan merujuk SOP '{ref}' yang tidak ada",
                                   _suggest(ref, sop.id, sorted(known))))
    found.extend(_replacements(ordered, by_id, broken))
    return found


def _replacements(ordered: list[Summary], by_id: dict[str, Summary],
                  broken: set[str] | frozenset[str]) -> list[Diagnostic]:
    """``diganti_oleh``: names an SOP that exists, not the SOP itself, and no chain of replacements comes back."""
    found: list[Diagnostic] = []
    known = set(by_id) | set(broken)

    def target(sop: Summary) -> str | None:
        return resolve(sop.diganti_oleh, institution_of(sop.id), known) if sop.diganti_oleh is not None else None

    for sop in ordered:
        new = sop.diganti_oleh
        if new is None:
            continue
        meant = target(sop)
        if meant == sop.id:
            found.append(galat(new.loc, "diganti-oleh-diri-sendiri",
                               f"SOP '{sop.id}' ditulis diganti oleh dirinya sendiri",
                               "tulis id SOP baru yang menggantikannya, atau hapus `diganti_oleh`"))
        elif meant is None:
            found.append(galat(new.loc, "diganti-oleh-tak-ada",
                               f"`diganti_oleh` menyebut SOP '{new}' yang tidak ada",
                               _suggest(new, sop.id, sorted(known))))
        else:
            chain = [sop.id]
            step: Summary | None = by_id.get(meant)
            while step is not None and step.id not in chain:
                chain.append(step.id)
                after = target(step)
                step = by_id.get(after) if after is not None else None
            if step is not None and step.id == sop.id and len(chain) > 1:
                found.append(galat(new.loc, "penggantian-melingkar",
                                   "penggantian SOP melingkar: " + " → ".join([*chain, sop.id]),
                                   "SOP yang lebih baru tidak diganti oleh SOP lama yang digantikannya: "
                                   "hapus `diganti_oleh` dari SOP yang masih berlaku"))
    return found
