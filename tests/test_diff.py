"""The domain diff (``sop diff``, the site's revision list): what a reader of two versions of an SOP is
told changed, in the words of the form: steps by their number, actors by name, identity fields by
their label. Both versions are written as a user writes them (YAML) and loaded by the real loader."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import sop_main
from sopcode.model.diff import compare, isi_disetujui
from sopcode.model.load import load_sop

STEPS = [
    ("Menerima berkas permohonan dari pemohon", "Petugas Pelayanan", "5 menit"),
    ("Memeriksa kelengkapan berkas permohonan", "Petugas Pelayanan", "10 menit"),
    ("Memaraf konsep surat keterangan", "Kepala Seksi", "15 menit"),
    ("Menandatangani surat keterangan", "Camat", "10 menit"),
    ("Menyerahkan surat keterangan kepada pemohon", "Petugas Pelayanan", "5 menit"),
]
ACTORS = ["Petugas Pelayanan", "Kepala Seksi", "Camat"]


def text(steps=STEPS, actors=ACTORS, dasar_hukum=("Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",),
         header: str = "", **identity: str) -> str:
    """An SOP file as a user writes it; ``identity`` overrides the identity lines (values as YAML)."""
    fields = {"nomor": '"470/012/Kec.Bgs/2019"', "nama": "Pelayanan Surat Keterangan Domisili",
              "unit": "SEKSI PELAYANAN UMUM", "tanggal_pembuatan": "2019-02-04", "tanggal_efektif": "2019-02-11",
              **identity}
    out = [header] if header else []
    out += [f"{k}: {v}" for k, v in fields.items()]
    out += ["disahkan_oleh:", "  jabatan: CAMAT BUNGURSARI", "  nama: M.SARIPUL.HAROM.S.Sos",
            '  nip: "19640104 199101 1 004"', "dasar_hukum:"]
    out += [f"  - {d}" for d in dasar_hukum]
    out += ["pelaksana:"] + [f"  - {a}" for a in actors] + ["langkah:"]
    for no, (kegiatan, actor, waktu) in enumerate(steps, start=1):
        out += [f"  - no: {no}", f"    kegiatan: {kegiatan}", f"    pelaksana: {actor}",
                "    mutu_baku:", f"      waktu: {waktu}"]
    return "\n".join(out) + "\n"


def load(tmp_path: Path, source: str):
    sop, diagnostics = load_sop(str(tmp_path / "sop-domisili.yaml"), data=source.encode())
    assert sop is not None, [d.format() for d in diagnostics]
    return sop


def changes(tmp_path: Path, old: str, new: str) -> list[str]:
    return [str(p) for p in compare(load(tmp_path, old), load(tmp_path, new))]


def test_the_same_sop_has_no_changes(tmp_path: Path):
    assert changes(tmp_path, text(), text()) == []


def test_a_step_added_in_the_middle_is_reported_as_added_with_its_number_and_nothing_else_moves(tmp_path: Path):
    steps = [*STEPS[:2], ("Mengetik konsep surat keterangan", "Petugas Pelayanan", "10 menit"), *STEPS[2:]]
    assert changes(tmp_path, text(), text(steps)) == [
        "langkah 3 ditambahkan: 'Mengetik konsep surat keterangan'",
        "jumlah waktu: 45 menit → 55 menit",
    ]


def test_a_step_removed_is_reported_with_its_old_number(tmp_path: Path):
    steps = STEPS[:3] + STEPS[4:]
    assert changes(tmp_path, text(), text(steps)) == [
        "langkah 4 dihapus: 'Menandatangani surat keterangan'",
        "jumlah waktu: 45 menit → 35 menit",
    ]


def test_a_step_edited_in_place_is_one_change_of_that_step_not_a_removal_and_an_addition(tmp_path: Path):
    steps = list(STEPS)
    steps[1] = ("Memeriksa keabsahan berkas permohonan", "Petugas Pelayanan", "20 menit")
    assert changes(tmp_path, text(), text(steps)) == [
        "langkah 2: kegiatan Memeriksa kelengkapan berkas permohonan → Memeriksa keabsahan berkas permohonan",
        "langkah 2: waktu 10 menit → 20 menit",
        "jumlah waktu: 45 menit → 55 menit",
    ]


def test_a_step_given_to_another_actor_names_both(tmp_path: Path):
    steps = list(STEPS)
    steps[2] = (STEPS[2][0], "Camat", STEPS[2][2])
    assert changes(tmp_path, text(), text(steps)) == ["langkah 3: pelaksana Kepala Seksi → Camat"]


def test_a_step_moved_is_told_by_its_old_and_new_number_and_the_other_steps_are_not_mentioned(tmp_path: Path):
    steps = [STEPS[0], STEPS[2], STEPS[1], STEPS[3], STEPS[4]]  # steps 2 and 3 swapped
    found = changes(tmp_path, text(), text(steps))
    assert len(found) == 2, found
    moved = [c for c in found if "'" in c]
    assert len(moved) == 2 and len({c.split("'")[1] for c in moved}) == 1, found
    kegiatan = moved[0].split("'")[1]
    assert kegiatan in (STEPS[1][0], STEPS[2][0])
    old_no = 2 if kegiatan == STEPS[1][0] else 3
    assert f"langkah {old_no} dihapus: '{kegiatan}'" in found
    assert f"langkah {5 - old_no} ditambahkan: '{kegiatan}'" in found
    for untouched in (STEPS[0][0], STEPS[3][0], STEPS[4][0]):
        assert not any(untouched in c for c in found)


def test_an_actor_renamed_is_one_rename_and_its_steps_do_not_read_as_changed(tmp_path: Path):
    rename = {"Kepala Seksi": "Kepala Seksi Pelayanan Umum"}
    steps = [(k, rename.get(a, a), w) for k, a, w in STEPS]
    actors = [rename.get(a, a) for a in ACTORS]
    assert changes(tmp_path, text(), text(steps, actors)) == [
        "pelaksana 'Kepala Seksi' diganti nama menjadi 'Kepala Seksi Pelayanan Umum'",
    ]


def test_an_actor_added_with_a_step_is_told_as_both(tmp_path: Path):
    steps = [*STEPS[:4], ("Mengarsipkan salinan surat keterangan", "Pengadministrasi Umum", "5 menit"), *STEPS[4:]]
    found = changes(tmp_path, text(), text(steps, [*ACTORS, "Pengadministrasi Umum"]))
    assert found == [
        "pelaksana 'Pengadministrasi Umum' ditambahkan",
        "langkah 5 ditambahkan: 'Mengarsipkan salinan surat keterangan'",
        "jumlah waktu: 45 menit → 50 menit",
    ]


def test_an_actor_removed_with_its_step_is_told_as_both(tmp_path: Path):
    steps = [s for s in STEPS if s[1] != "Kepala Seksi"]
    found = changes(tmp_path, text(), text(steps, ["Petugas Pelayanan", "Camat"]))
    assert found == [
        "pelaksana 'Kepala Seksi' dihapus",
        "langkah 3 dihapus: 'Memaraf konsep surat keterangan'",
        "jumlah waktu: 45 menit → 30 menit",
    ]


def test_columns_put_in_another_order_are_one_change_listing_both_orders(tmp_path: Path):
    found = changes(tmp_path, text(), text(actors=["Camat", "Kepala Seksi", "Petugas Pelayanan"]))
    assert found == [("urutan kolom pelaksana: Petugas Pelayanan, Kepala Seksi, Camat → "
                      "Camat, Kepala Seksi, Petugas Pelayanan")]


def test_identity_fields_are_named_by_their_label_and_dates_shown_as_printed(tmp_path: Path):
    new = text(nama="Pelayanan Surat Keterangan Domisili Penduduk", nomor='"470/013/Kec.Bgs/2024"',
               tanggal_pembuatan="2019-03-04")
    assert changes(tmp_path, text(), new) == [
        "Nama SOP: Pelayanan Surat Keterangan Domisili → Pelayanan Surat Keterangan Domisili Penduduk",
        "Nomor SOP: 470/012/Kec.Bgs/2019 → 470/013/Kec.Bgs/2024",
        "Tanggal Pembuatan: 04 Februari 2019 → 04 Maret 2019",
    ]


def test_the_signer_changed_is_told_field_by_field(tmp_path: Path):
    new = text().replace("M.SARIPUL.HAROM.S.Sos", "Drs. ASEP SUPRIATNA").replace(
        "19640104 199101 1 004", "19700512 199303 1 007")
    assert changes(tmp_path, text(), new) == [
        "nama pengesah: M.SARIPUL.HAROM.S.Sos → Drs. ASEP SUPRIATNA",
        "NIP pengesah: 19640104 199101 1 004 → 19700512 199303 1 007",
    ]


def test_an_entry_of_a_box_edited_added_and_removed(tmp_path: Path):
    old = ("Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
           "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan")
    edited = ("Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
              "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan (diubah)")
    assert changes(tmp_path, text(dasar_hukum=old), text(dasar_hukum=edited)) == [
        ("Dasar Hukum: butir 'Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan' diubah menjadi "
         "'Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan (diubah)'"),
    ]
    assert changes(tmp_path, text(dasar_hukum=old[:1]), text(dasar_hukum=old)) == [
        "Dasar Hukum: butir ditambahkan: 'Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan'",
    ]
    assert changes(tmp_path, text(dasar_hukum=old), text(dasar_hukum=old[1:])) == [
        "Dasar Hukum: butir dihapus: 'Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik'",
    ]


def test_identity_first_then_boxes_actors_and_steps(tmp_path: Path):
    steps = list(STEPS)
    steps[0] = (STEPS[0][0], STEPS[0][1], "7 menit")
    new = text(steps, ACTORS[::-1], dasar_hukum=("Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",),
               nomor='"470/099/Kec.Bgs/2019"')
    kinds = [p.jenis for p in compare(load(tmp_path, text()), load(tmp_path, new))]
    assert kinds == ["identitas", "kotak", "pelaksana", "langkah", "langkah"]


def test_an_approval_is_not_a_change_of_content_but_an_edit_is(tmp_path: Path):
    """What an approval covers: changing only the approval dates (what approving writes) keeps it;
    reformatting and comments keep it; any word of content breaks it."""
    base = load(tmp_path, text())
    approved_again = load(tmp_path, text(tanggal_efektif="2024-07-01", tanggal_revisi="2024-06-20"))
    reformatted = load(tmp_path, text(header="# disalin dari arsip 2019").replace("kegiatan: ", "kegiatan:   "))
    edited = load(tmp_path, text().replace("10 menit", "11 menit", 1))
    assert isi_disetujui(base) == isi_disetujui(approved_again) == isi_disetujui(reformatted)
    assert isi_disetujui(base) != isi_disetujui(edited)
    # The reader is still told the dates moved.
    assert [str(p) for p in compare(base, approved_again)] == [
        "Tanggal Revisi: - → 20 Juni 2024",
        "Tanggal Efektif: 11 Februari 2019 → 01 Juli 2024",
    ]


def _git(root: Path, *args: str, when: str = "2024-01-02T09:00:00+07:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Rina Wati",
           "GIT_AUTHOR_EMAIL": "rina@bungursari.go.id", "GIT_COMMITTER_NAME": "Rina Wati",
           "GIT_COMMITTER_EMAIL": "rina@bungursari.go.id", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True,
                          text=True).stdout


def _versions(tmp_path: Path, *versions: tuple[str, str, str]) -> Path:
    """A git repository whose sop_data/sop-domisili.yaml is committed once per (text, message, date)."""
    (tmp_path / "sop_data").mkdir()
    _git(tmp_path, "init", "-q", "-b", "main")
    for source, message, when in versions:
        (tmp_path / "sop_data" / "sop-domisili.yaml").write_text(source, encoding="utf-8")
        _git(tmp_path, "add", "sop_data")
        _git(tmp_path, "commit", "-q", "--allow-empty", "-m", message, when=when)
    return tmp_path


def test_sop_diff_says_plainly_when_both_revisions_are_the_same_version(tmp_path: Path):
    root = _versions(tmp_path, (text(), "SOP domisili", "2024-01-02T09:00:00+07:00"))
    (root / "catatan.txt").write_text("bukan SOP\n", encoding="utf-8")
    _git(root, "add", "catatan.txt")
    _git(root, "commit", "-q", "-m", "Catatan rapat", when="2024-03-01T09:00:00+07:00")
    done = sop_main("diff", "sop-domisili", "HEAD~1", "HEAD", cwd=root)
    assert done.returncode == 0, done.stderr
    first = _git(root, "rev-parse", "--short=7", "HEAD~1").strip()
    assert done.stdout == (f"sop-domisili: SOP tidak berubah antara HEAD~1 dan HEAD: pada keduanya berlaku "
                           f"versi {first} (02 Januari 2024)\n")
    assert "penulisan berkas" not in done.stdout
    # Nothing uncommitted is an answer too, not an error.
    clean = sop_main("diff", "sop-domisili", "HEAD", "kerja", cwd=root)
    assert clean.returncode == 0 and "tidak ada perubahan yang belum di-commit" in clean.stdout, clean.stderr


def test_sop_diff_names_a_change_outside_the_approved_sheet_and_a_change_of_writing_only(tmp_path: Path):
    base = text()
    with_alias = base.replace("unit: SEKSI", "alias: [SKD, Surat Domisili]\nunit: SEKSI")
    commented = "# disalin dari arsip 2019\n" + with_alias.replace("kegiatan: ", "kegiatan:   ")
    root = _versions(tmp_path, (base, "SOP domisili", "2024-01-02T09:00:00+07:00"),
                     (with_alias, "Nama singkat SKD", "2024-02-01T09:00:00+07:00"),
                     (commented, "Rapikan berkas", "2024-03-01T09:00:00+07:00"))
    alias = sop_main("diff", "sop-domisili", "HEAD~2", "HEAD~1", cwd=root)
    assert alias.returncode == 0, alias.stderr
    assert alias.stdout.splitlines()[-2:] == [
        "isi lembar SOP yang disahkan tidak berubah; yang berubah hanya di luar lembar itu:",
        "  - alias (nama lain untuk pencarian di situs, tidak dicetak): - → SKD, Surat Domisili"]
    writing = sop_main("diff", "sop-domisili", cwd=root)  # the last two versions
    assert writing.returncode == 0, writing.stderr
    assert writing.stdout.splitlines()[-1] == (
        "isi SOP tidak berubah; yang berbeda hanya komentar atau tata letak berkasnya")
    both = sop_main("diff", "sop-domisili", "HEAD~2", "HEAD", cwd=root)
    assert "Nama singkat SKD" in both.stdout and "Rapikan berkas" in both.stdout
    assert both.stdout.splitlines()[-1].endswith("- → SKD, Surat Domisili")


def test_sop_diff_names_an_alias_change_made_together_with_a_change_of_the_form(tmp_path: Path):
    """An alias edited with a step's time (an Excel round trip) is still said: readers search by it."""
    base = text()
    both = base.replace("unit: SEKSI", "alias: [SKD]\nunit: SEKSI").replace("waktu: 10 menit", "waktu: 20 menit", 1)
    assert both.count("20 menit") == 1
    root = _versions(tmp_path, (base, "SOP domisili", "2024-01-02T09:00:00+07:00"),
                     (both, "Waktu dan nama singkat", "2024-02-01T09:00:00+07:00"))
    done = sop_main("diff", "sop-domisili", cwd=root)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "perubahan isi:" in lines and any("20 menit" in line for line in lines)
    assert lines[-2:] == ["di luar lembar SOP yang disahkan:",
                          "  - alias (nama lain untuk pencarian di situs, tidak dicetak): - → SKD"]
