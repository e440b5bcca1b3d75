"""Checks: one broken fixture per rule, the seed's known flaws, cross-SOP rules."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SEED, write

from sopcode.checks import check

RUSAK = FIXTURES / "rusak"
EXPECT = re.compile(rb"#\s*harapan:\s*([a-z-]+)")


def expectations(folder_or_file: Path) -> set[tuple[str, str, int]]:
    """(file, code, line) read from the `# harapan: <kode>` comments of a fixture."""
    files = [folder_or_file] if folder_or_file.is_file() else sorted(folder_or_file.rglob("*.yaml"))
    found = set()
    for path in files:
        for number, line in enumerate(path.read_bytes().splitlines(), start=1):
            m = EXPECT.search(line)
            if m:
                found.add((str(path), m.group(1).decode(), number))
    return found


def cases():
    if not RUSAK.is_dir():
        return []
    return sorted(p for p in RUSAK.iterdir()
                  if not p.name.startswith(".") and (p.suffix == ".yaml" or p.is_dir()))  # not a cache


@pytest.mark.parametrize("fixture", cases(), ids=lambda p: p.stem)
def test_each_rule_reports_its_file_line_and_code(fixture: Path):
    expected = expectations(fixture)
    assert expected, f"{fixture} has no '# harapan:' comment"
    code = next(iter(expected))[1]
    assert fixture.stem == code, "fixture is named after its rule"
    report = check([str(fixture)])
    got = {(d.loc.path, d.code, d.loc.line) for d in report.diagnostics}
    assert expected <= got, "\n".join(d.format() for d in report.diagnostics)
    # The flaw is the only one of its kind in the fixture...
    assert {g for g in got if g[1] == code} == expected
    # ...and the fixture has no other warnings: each one isolates its rule.
    other_warnings = [d for d in report.warnings if d.code != code]
    assert not other_warnings, "\n".join(d.format() for d in other_warnings)
    for d in report.diagnostics:
        assert d.hint, f"{d.code} has no hint"
        assert re.fullmatch(r".+:\d+:\d+: (galat|peringatan): .+ \[[a-z-]+\]", d.format().splitlines()[0])


def test_every_rule_has_a_fixture():
    """The rules documented in the issue all have a broken fixture."""
    rules = {
        "yaml-sintaks", "kunci-ganda", "kunci-tak-dikenal", "wajib-diisi", "tipe-salah", "tanggal-salah",
        "nip-salah", "nip-tanggal", "waktu-salah", "pelaksana-tak-dikenal", "target-tak-ada",
        "nomor-langkah-ganda", "tak-terjangkau", "buntu", "keputusan-tak-lengkap", "terminator-di-tengah",
        "id-ganda", "nomor-sop-ganda", "keterkaitan-tak-ada", "pengodean",
        "pelaksana-tanpa-langkah", "kegiatan-diawali-subjek", "jabatan-tanpa-kolom", "judul-berbeda",
        "revisi-sebelum-pembuatan", "regulasi-lebih-baru", "kotak-kosong", "nomor-kosong",
        # issue 13, items 15 and 17
        "isian-contoh", "nip-contoh", "nomor-langkah-loncat", "dasar-hukum-dicabut",
    }
    assert rules <= {p.stem for p in cases()}


def test_seed_reports_its_known_flaws_and_nothing_else():
    report = check([str(SEED)], [str(SEED.parent)])
    got = sorted((d.code, d.loc.line) for d in report.diagnostics)
    lines = SEED.read_text(encoding="utf-8").splitlines()

    def line_of(text: str) -> int:
        return next(i for i, line in enumerate(lines, start=1) if text in line)

    assert not report.errors
    assert got == sorted([
        ("nomor-kosong", line_of("nomor:")),
        ("judul-berbeda", line_of("nama_prosedur:")),
        ("regulasi-lebih-baru", line_of("Nomor 123 Tahun 2020")),
        ("kegiatan-diawali-subjek", line_of("kegiatan: Camat Memerintahkan")),
        ("kegiatan-diawali-subjek", line_of("kegiatan: Kasi menghimpun")),
        ("kegiatan-diawali-subjek", line_of("kegiatan: Camat mengoreksi")),
        ("kegiatan-diawali-subjek", line_of("kegiatan: Sekretari smenyampaikan")),
        ("jabatan-tanpa-kolom", line_of("masing masing kasi dan sekretaris")),
        ("jabatan-tanpa-kolom", line_of("kepada masing masing Kasi")),
        ("jabatan-tanpa-kolom", line_of("kegiatan: Kasi menghimpun")),
        ("jabatan-tanpa-kolom", line_of("kepada Kasubag Perencanaan")),
    ])


def test_examples_in_sop_data_are_clean():
    report = check([str(ROOT / "sop_data")])
    assert len(report.sops) >= 4
    assert {d.loc.path for d in report.diagnostics} == {str(SEED)}


def test_good_fixtures_have_no_errors():
    report = check([str(FIXTURES / "baik")])
    assert len(report.sops) >= 3
    assert not report.errors, "\n".join(d.format() for d in report.errors)


def test_abbreviated_titles_in_a_good_sop_do_not_cry_wolf():
    """Kadis, Sekdis, Kasubbag, Kabid, Kasi as columns; Kepala, Sekretaris Dinas, Kasubag, Kasie in the text."""
    report = check([str(FIXTURES / "baik" / "singkatan-jabatan.yaml")])
    assert report.sops and not report.diagnostics, "\n".join(d.format() for d in report.diagnostics)


def test_keterkaitan_resolves_against_the_whole_folder(tmp_path: Path):
    a = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    write(tmp_path / "sop-a.yaml", a.replace("\nnama:", "\nketerkaitan:\n  - sop: sop-b\nnama:", 1))
    write(tmp_path / "sop-b.yaml", a)
    assert not check([str(tmp_path / "sop-a.yaml")], [str(tmp_path)]).errors
    (tmp_path / "sop-b.yaml").unlink()
    codes = [d.code for d in check([str(tmp_path / "sop-a.yaml")], [str(tmp_path)]).errors]
    assert codes == ["keterkaitan-tak-ada"]


@pytest.mark.parametrize("models", [True, False], ids=["situs", "sop-check"])
def test_a_second_check_reads_the_cache_and_still_sees_every_edit(tmp_path: Path, models: bool):
    data = tmp_path / "sop_data"
    shutil.copytree(ROOT / "sop_data", data)
    cache = tmp_path / ".cache" / "sop"
    cold = check([str(data)], riwayat=False, models=models)
    if models:  # the models in shards by file, and the per-SOP findings
        files = [cache / "periksa.pickle", *sorted((cache / "model").glob("*.pickle"))]
        assert len(files) >= 2
    else:
        files = [cache / "ringkasan.pickle"]
    assert all(f.is_file() for f in files)
    warm = check([str(data)], riwayat=False, models=models)
    assert [d.format() for d in warm.diagnostics] == [d.format() for d in cold.diagnostics]
    assert warm.sops == cold.sops and [s.pos for s in warm.sops] == [s.pos for s in cold.sops]
    assert warm.ringkasan == cold.ringkasan and len(cold.ringkasan) >= 4

    seed = data / SEED.name
    text = seed.read_text(encoding="utf-8")
    old = "    pelaksana: camat                # dari teks"
    seed.write_text(text.replace(old, "    pelaksana: lurah", 1), encoding="utf-8")
    edited = check([str(data)], riwayat=False)
    unknown = [d for d in edited.errors if d.code == "pelaksana-tak-dikenal"]
    assert unknown and unknown[0].loc.path.endswith(SEED.name)
    line = text[:text.index(old)].count("\n") + 1
    assert unknown[0].loc.line == line  # the position comes from the file as it is now

    seed.write_text(text, encoding="utf-8")
    for n, f in enumerate(files):
        f.write_bytes([b"rusak", b"\x80\x04rusak"][n % 2])  # a damaged cache is only a slower check
    again = check([str(data)], riwayat=False, models=models)
    assert [d.format() for d in again.diagnostics] == [d.format() for d in cold.diagnostics]
    assert again.sops == cold.sops


def _benchmark_corpus(folder: Path, n: int) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    project, _, _ = module.make_corpus(folder, n)
    return project / "sop_data"


def test_sop_check_finds_what_the_build_finds_also_when_split_over_workers(tmp_path: Path):
    """`sop check` reads files in worker processes and keeps no models; the site build keeps them.
    Both must report the same, file for file and line for line, cold and from their caches."""
    from sopcode.checks import PARALLEL_MIN

    data = _benchmark_corpus(tmp_path, PARALLEL_MIN + 12)
    for broken in RUSAK.glob("*.yaml"):  # every rule's broken fixture among them
        shutil.copy(broken, data / broken.name)
    one = data / "sop-00003.yaml"
    text = one.read_text(encoding="utf-8")
    one.write_text(text.replace("\nketerkaitan:\n", "\nketerkaitan:\n  - sop: sop-99999\n", 1), encoding="utf-8")
    nomor = re.search(r"(?m)^nomor: .*$", (data / "sop-00004.yaml").read_text(encoding="utf-8")).group(0)
    five = data / "sop-00005.yaml"
    five.write_text(re.sub(r"(?m)^nomor: .*$", nomor, five.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    (data / "sop-00006.yaml").write_text("nama: [tidak ditutup\n", encoding="utf-8")

    site = check([str(data)], riwayat=False, cache_dir=None)
    expected = [d.format() for d in site.diagnostics]
    codes = {d.code for d in site.errors}
    assert {"keterkaitan-tak-ada", "nomor-sop-ganda", "yaml-sintaks"} <= codes, codes
    for cache in (None, str(tmp_path / "c"), str(tmp_path / "c")):  # no cache, cold cache, warm cache
        light = check([str(data)], riwayat=False, cache_dir=cache, models=False)
        assert [d.format() for d in light.diagnostics] == expected
        assert light.sops == [] and sorted(s.id for s in light.ringkasan) == sorted(s.id for s in site.sops)


# --- one matcher of actor names (checks/nama.py, data in vocab.py) ------------------------

from sopcode.checks import check_sop  # noqa: E402
from sopcode.checks.nama import Nama, menyebut, sama  # noqa: E402
from sopcode.load import load_sop  # noqa: E402
from sopcode.vocab import GABUNGAN, SINGKATAN  # noqa: E402

SAMA = [  # the same actor as real SOPs write it
    ("Kadis", "Kepala Dinas"),
    ("Kasubag Perencanaan", "Kasubbag Perencanaan"),
    ("Kasubag Perencanaan", "Kepala Subbagian Perencanaan"),
    ("Kasubbag Umum", "Kepala Sub Bagian Umum"),
    ("Kasubbag Umum", "Ka. Subag Umum"),
    ("Kasi Pemerintahan", "Kepala Seksi Pemerintahan"),
    ("Kasie Trantib", "Kasi Trantib"),
    ("Kabid Pelayanan", "Kepala Bidang Pelayanan"),
    ("Kabid Pelayanan", "Kepala Bid. Pelayanan"),
    ("Sekdis", "Sekretaris Dinas"),
    ("Sekcam", "Sekretaris Kecamatan"),
    ("Lurah", "Kepala Kelurahan"),
    ("Camat", "Kepala Kecamatan"),
    ("Staf", "Pelaksana"),
    ("Staf Seksi Pelayanan", "Pelaksana Seksi Pelayanan"),
    ("Bid. Perizinan", "Bidang Perizinan"),
    ("Sek.Tim.Sakip", "Sekretaris Tim SAKIP"),
    ("Sek. Tim SAKIP", "Sek.Tim.Sakip"),
    ("KASUBAG PERENCANAAN", "kasubag  perencanaan"),
    ("Sekretaris", "Sekretari"),  # a typo of one letter
]


@pytest.mark.parametrize("a, b", SAMA, ids=[f"{a}={b}" for a, b in SAMA])
def test_one_actor_written_two_ways_is_the_same(a: str, b: str):
    assert sama(Nama(a), Nama(b)) and sama(Nama(b), Nama(a))


@pytest.mark.parametrize("a, b", [("Kasi Pemerintahan", "Kasi Pelayanan"), ("Kadis", "Kaban"), ("Sekdis", "Sekcam"),
                                  ("Kepala Seksi", "Kepala Subseksi"), ("Staf", "Kasi"),
                                  ("Petugas Loket 1", "Petugas Loket 2")])
def test_different_actors_are_not_the_same(a: str, b: str):
    assert not sama(Nama(a), Nama(b))


@pytest.mark.parametrize("word", sorted(SINGKATAN))
def test_every_abbreviation_reads_as_what_it_stands_for(word: str):
    assert sama(Nama(word), Nama(" ".join(SINGKATAN[word])))
    assert sama(Nama(word.upper() + "."), Nama(" ".join(SINGKATAN[word]).title()))


@pytest.mark.parametrize("pair", sorted(GABUNGAN))
def test_every_two_word_spelling_reads_as_one_word(pair):
    assert Nama(" ".join(pair).title()).kata == [GABUNGAN[pair]]


MENYEBUT = [  # (kegiatan, column, the title in the kegiatan means the column)
    ("Menyerahkan konsep kepada Kasubbag untuk diparaf", "Kasubag Perencanaan", True),
    ("Menyerahkan konsep kepada Kepala Subbagian Perencanaan", "Kasubag Perencanaan", True),
    ("Meneruskan berkas kepada Kepala untuk didisposisi", "Kadis", True),
    ("Meneruskan berkas kepada Kepala Dinas", "Kadis", True),
    ("Meneruskan berkas kepada Kadis Kesehatan", "Kepala Dinas", True),
    ("Menyampaikan laporan kepada Kepala Bappeda", "Kepala Badan", True),  # unsure: silent
    ("Mengundang Camat Bungursari", "Camat", True),
    ("Menyerahkan berkas kepada Kasubag Keuangan", "Kasubbag Perencanaan dan Keuangan", True),
    ("Menyerahkan berkas kepada staf", "Pelaksana", True),
    ("Mengetik konsep sesuai arahan Kasi Pemerintahan", "Kepala Seksi Pelayanan Umum", False),
    ("Mengetik konsep sesuai arahan Kepala Seksi", "Camat", False),
    ("Menyerahkan konsep kepada Sekretaris Dinas", "Sekretaris Kecamatan", False),
    ("Menyerahkan konsep kepada Kasubag Perencanaan, Keuangan dan Pelaporan", "camat", False),
]


@pytest.mark.parametrize("kegiatan, kolom, expected", MENYEBUT, ids=[f"{k[:30]}|{c}" for k, c, _ in MENYEBUT])
def test_a_title_in_a_kegiatan_means_a_column(kegiatan: str, kolom: str, expected: bool):
    teks = Nama(kegiatan)
    assert menyebut(teks, teks.jabatan()[0], Nama(kolom)) is expected


def _sop(tmp_path: Path, pelaksana: list[str], langkah: list[tuple[str, object]], extra: str = "") -> list:
    """An SOP with these actors and steps (kegiatan, pelaksana); what the per-SOP rules find in it."""
    import json
    lines = ["nama: Uji", "tanggal_pembuatan: 2020-01-06", "tanggal_efektif: 2020-01-13", "disahkan_oleh:",
             "  jabatan: KEPALA DINAS", "  nama: Drs. Uji", "  nip: \"19640104 199101 1 004\"", extra, "pelaksana:"]
    lines += [f"  - {json.dumps(p, ensure_ascii=False)}" for p in pelaksana]
    lines.append("langkah:")
    for no, (kegiatan, actor) in enumerate(langkah, start=1):
        lines += [f"  - no: {no}", f"    kegiatan: {json.dumps(kegiatan, ensure_ascii=False)}",
                  f"    pelaksana: {json.dumps(actor, ensure_ascii=False)}", "    mutu_baku:", "      waktu: 5 menit"]
    path = write(tmp_path / "sop-uji.yaml", "\n".join(lines) + "\n")
    sop, diags = load_sop(str(path))
    assert sop is not None, [d.format() for d in diags]
    return diags + check_sop(sop)


def _codes(found, *codes) -> list:
    return [d for d in found if d.code in codes]


def test_abbreviated_titles_match_their_columns_in_every_rule(tmp_path: Path):
    """Issue 13: "Kasubbag" for the column "Kasubag Perencanaan", "Kepala" for "Kadis"."""
    found = _sop(tmp_path, ["Kasubag Perencanaan", "Kadis"], [
        ("Menyusun konsep rencana kerja", "Kasubag Perencanaan"),
        ("Kasubbag menyerahkan konsep kepada Kepala", "Kasubag Perencanaan"),
        ("Kepala menandatangani rencana kerja", "Kadis"),
    ])
    assert not _codes(found, "jabatan-tanpa-kolom"), [d.format() for d in found]
    subjects = _codes(found, "kegiatan-diawali-subjek")
    assert [d.message.split(";")[0] for d in subjects] == [
        "langkah 2: kegiatan diawali subjek 'Kasubbag' (pelaksana 'Kasubag Perencanaan')",
        "langkah 3: kegiatan diawali subjek 'Kepala' (pelaksana 'Kadis')",
    ]
    assert "'Menyerahkan konsep kepada Kepala'" in subjects[0].hint
    assert "'Menandatangani rencana kerja'" in subjects[1].hint


def test_subject_of_several_words_is_removed_whole_and_named_right(tmp_path: Path):
    """Issue 14: the longest actor name, not its first word; two actors sharing a first word."""
    found = _sop(tmp_path, ["Pemohon", "Seksi Perizinan", "Seksi Survei", "Kepala Kantor"], [
        ("Pemohon mengajukan permohonan", "Pemohon"),
        ("Seksi Perizinan memeriksa berkas", "Seksi Perizinan"),
        ("Seksi Survei melakukan survei lapangan", "Seksi Survei"),
        ("Kepala Kantor menandatangani izin", "Kepala Kantor"),
    ])
    subjects = _codes(found, "kegiatan-diawali-subjek")
    assert [(d.message.split(";")[0], d.hint.split("misalnya ")[-1]) for d in subjects] == [
        ("langkah 1: kegiatan diawali subjek 'Pemohon'", "'Mengajukan permohonan'"),
        ("langkah 2: kegiatan diawali subjek 'Seksi Perizinan'", "'Memeriksa berkas'"),
        ("langkah 3: kegiatan diawali subjek 'Seksi Survei'", "'Melakukan survei lapangan'"),
        ("langkah 4: kegiatan diawali subjek 'Kepala Kantor'", "'Menandatangani izin'"),
    ]


def test_part_of_a_name_names_the_steps_own_actor_or_nobody(tmp_path: Path):
    found = _sop(tmp_path, ["Seksi Perizinan", "Seksi Survei"], [
        ("Seksi melakukan survei lapangan", "Seksi Survei"),
        ("Seksi memeriksa hasil survei", "Seksi Perizinan"),
    ])
    subjects = _codes(found, "kegiatan-diawali-subjek")
    assert [d.message.split(";")[0] for d in subjects] == [
        "langkah 1: kegiatan diawali subjek 'Seksi' (pelaksana 'Seksi Survei')",
        "langkah 2: kegiatan diawali subjek 'Seksi' (pelaksana 'Seksi Perizinan')",
    ]
    assert "'Melakukan survei lapangan'" in subjects[0].hint


def test_when_the_subject_end_is_unsure_no_rewrite_is_suggested(tmp_path: Path):
    found = _sop(tmp_path, ["Camat", "Petugas"], [
        ("Camat Bungursari selaku penanggung jawab rapat", "Camat"),
        ("Menyusun notula", "Petugas"),
    ])
    subjects = _codes(found, "kegiatan-diawali-subjek")
    assert len(subjects) == 1 and "misalnya" not in subjects[0].hint and "kata kerja aktif" in subjects[0].hint


def test_a_space_typed_one_letter_early_is_read_through(tmp_path: Path):
    found = _sop(tmp_path, ["Camat", "Sekretaris"], [
        ("Menyusun konsep", "Sekretaris"),
        ("Sekretari smenyampaikan dokumen kepada camat", "Sekretaris"),
        ("Menandatangani dokumen", "Camat"),
    ])
    subjects = _codes(found, "kegiatan-diawali-subjek")
    assert len(subjects) == 1
    assert subjects[0].message.startswith("langkah 2: kegiatan diawali subjek 'Sekretari' (pelaksana 'Sekretaris')")
    assert subjects[0].hint.endswith("'Menyampaikan dokumen kepada camat'")


def test_kegiatan_that_starts_with_a_noun_is_no_subject(tmp_path: Path):
    found = _sop(tmp_path, ["Kepala Dinas", "Staf"], [
        ("Kepala surat dan nomor agenda dibubuhkan pada konsep", "Staf"),
        ("Penandatanganan surat oleh Kepala Dinas", "Kepala Dinas"),
    ])
    assert not _codes(found, "kegiatan-diawali-subjek", "jabatan-tanpa-kolom"), [d.format() for d in found]


# --- steps done by several actors ------------------------------------------------------------

def test_every_actor_of_a_shared_step_is_a_column_and_counts_as_used(tmp_path: Path):
    found = _sop(tmp_path, ["Front Office", "Pemohon", "Kasi"], [
        ("Menerima berkas", "Front Office"),
        ("Menandatangani tanda terima", ["Front Office", "Pemohon"]),
        ("Memeriksa berkas bersama Kasi", ["Front Office", "Back Office"]),
        ("Memaraf berkas", "Kasi"),
    ])
    assert not _codes(found, "pelaksana-tanpa-langkah", "jabatan-tanpa-kolom")  # Pemohon: a second actor only
    unknown = _codes(found, "pelaksana-tak-dikenal")
    assert [d.message for d in unknown] == ["langkah 3: pelaksana 'Back Office' tidak ada dalam daftar `pelaksana`"]
    text = (tmp_path / "sop-uji.yaml").read_text(encoding="utf-8").splitlines()
    assert '"Back Office"' in text[unknown[0].loc.line - 1][unknown[0].loc.col - 1:]  # its own position


def test_two_actors_written_as_one_name_get_the_list_as_the_fix(tmp_path: Path):
    found = _sop(tmp_path, ["Camat", "Sekretaris"], [
        ("Menyusun konsep", "Sekretaris"),
        ("Menandatangani berita acara", "Camat dan Sekretaris"),
        ("Mengesahkan berita acara", "Camat"),
    ])
    unknown = _codes(found, "pelaksana-tak-dikenal")
    assert len(unknown) == 1
    assert "`pelaksana: [Camat, Sekretaris]`" in unknown[0].hint


def test_an_actor_written_otherwise_is_told_its_column_name(tmp_path: Path):
    found = _sop(tmp_path, ["Kasubag Perencanaan", "Kadis"], [
        ("Menyusun konsep", "Kasubbag Perencanaan"),
        ("Menandatangani", "Kadis"),
    ])
    unknown = _codes(found, "pelaksana-tak-dikenal")
    assert len(unknown) == 1 and "'Kasubag Perencanaan'" in unknown[0].hint


def test_separate_capsules_leave_no_step_a_terminator(tmp_path: Path):
    found = _sop(tmp_path, ["Petugas"], [("Menerima berkas", "Petugas"), ("Mencatat berkas", "Petugas")],
                 extra="terminator: terpisah")
    assert not [d for d in found if d.is_error]
    path = tmp_path / "sop-uji.yaml"
    text = path.read_text(encoding="utf-8").replace("  - no: 1\n", "  - no: 1\n    simbol: terminator\n")
    path.write_text(text, encoding="utf-8")
    sop, _ = load_sop(str(path))
    errors = [d for d in check_sop(sop) if d.code == "terminator-di-tengah"]
    assert len(errors) == 1 and "terpisah" in errors[0].message and errors[0].loc.line == text.splitlines().index(
        "    simbol: terminator") + 1


# --- regulations revoked by a later one (regulasi_dicabut.py) ----------------------------------

from sopcode.regulasi_dicabut import DAFTAR, dicabut  # noqa: E402


@pytest.mark.parametrize("entry, revoked", [
    ("Peraturan Menteri Negara Pendayagunaan Aparatur Negara Nomor PER/21/M.PAN/11/2008 tentang Pedoman "
     "Penyusunan Standar Operasional Prosedur (SOP) Administrasi Pemerintahan", "PER/21"),
    ("Permenpan No. Per/21/M.Pan/11/2008", "PER/21"),
    ("PermenPAN PER /21/ M.PAN/11/2008 tentang Pedoman Penyusunan SOP", "PER/21"),
    ("Peraturan Menteri PAN Nomor 21 Tahun 2008 tentang Pedoman Penyusunan SOP AP", "PER/21"),
    ("Undang-Undang Nomor 32 Tahun 2004 tentang Pemerintahan Daerah", "32 Tahun 2004"),
    ("UU No. 32 Th. 2004 tentang Pemerintahan Daerah", "32 Tahun 2004"),
    ("UU RI Nomor 32/2004", "32 Tahun 2004"),
    # not revoked, or not this regulation
    ("Peraturan Menteri PAN dan RB Nomor 35 Tahun 2012 tentang Pedoman Penyusunan SOP AP", None),
    ("Peraturan Menteri Dalam Negeri Nomor 21 Tahun 2008 tentang Pedoman Evaluasi", None),
    ("Peraturan Pemerintah Nomor 32 Tahun 2004", None),
    ("Keputusan Menteri PAN Nomor 63/KEP/M.PAN/7/2003 tentang Pedoman Umum Penyelenggaraan Pelayanan Publik", None),
    ("Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah, pengganti Undang-Undang Nomor 32 Tahun 2004",
     None),
])
def test_revoked_regulations_are_found_however_they_are_cited(entry: str, revoked: str | None):
    found = dicabut(entry)
    assert bool(found) is bool(revoked)
    assert revoked is None or revoked in found.nama


def test_every_revocation_names_its_source_and_replacement():
    for entry in DAFTAR:
        assert re.match(r"Pasal \d+ ", entry.sumber) and entry.pengganti and entry.nama


# --- a broken SOP file still exists (item 16) ----------------------------------------------------

@pytest.mark.parametrize("models", [True, False], ids=["situs", "sop-check"])
def test_a_broken_file_is_still_an_sop_others_may_refer_to(tmp_path: Path, models: bool):
    from sopcode.mkdocs_plugin import _errors_by_file

    good = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    write(tmp_path / "sop-a.yaml", good.replace("\nnama:", "\nketerkaitan:\n  - sop: sop-b\nnama:", 1))
    write(tmp_path / "sop-b.yaml", good.replace("pelaksana:", "pelaksana: [", 1))  # does not load
    report = check([str(tmp_path)], riwayat=False, cache_dir=None, models=models)
    assert [d.code for d in report.errors] == ["yaml-sintaks"]
    assert report.diagnostics[0].loc.path.endswith("sop-b.yaml"), "the broken file's own error comes first"
    assert report.rusak == [str(tmp_path / "sop-b.yaml")]
    assert list(_errors_by_file(report)) == [str(tmp_path / "sop-b.yaml")]  # sop-a stays published
    alone = check([str(tmp_path / "sop-a.yaml")], [str(tmp_path)], riwayat=False, cache_dir=None, models=models)
    assert not alone.errors


def test_a_missing_sop_is_never_suggested_as_the_sop_itself(tmp_path: Path):
    good = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    write(tmp_path / "sop-pelayanan-ktp.yaml",
          good.replace("\nnama:", "\nketerkaitan:\n  - sop: sop-pelayanan-kk\nnama:", 1))
    errors = check([str(tmp_path)], riwayat=False, cache_dir=None).errors
    assert [d.code for d in errors] == ["keterkaitan-tak-ada"]
    assert "sop-pelayanan-ktp" not in errors[0].hint
