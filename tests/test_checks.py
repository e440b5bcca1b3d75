"""Checks: one broken fixture per rule, the seed's known flaws, cross-SOP rules."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEED, full_history, write
from sopcode.rules import check
from sopcode.rules.registry import RULES

RUSAK = FIXTURES / "rusak"
EXPECT = re.compile(rb"#\s*harapan:\s*([a-z-]+)")
FIXTURE_DAY = dt.date(2027, 1, 13)
"""The day the fixtures are checked on, so that their monitoring and evaluation records (dated 2025-2027)
do not grow overdue as the years pass: each is then neither overdue nor dated in the future."""
DAY_DEPENDENT = {"monev-terlambat", "evaluasi-terlambat"}
"""Codes that depend on the day checked on (tests/test_due.py checks the seed on a fixed day)."""


def expectations(folder_or_file: Path) -> set[tuple[str, str, int]]:
    """(file, code, line) read from the `# harapan: <kode>` comments of a fixture, and from the
    `harapan.txt` of a fixture folder for files that cannot hold a comment (a link, `X.YAML`)."""
    files = [folder_or_file] if folder_or_file.is_file() else sorted(folder_or_file.rglob("*.yaml"))
    found = set()
    for path in files:
        if path.is_symlink():  # a link (maybe broken, maybe leading out) says nothing itself
            continue
        for number, line in enumerate(path.read_bytes().splitlines(), start=1):
            m = EXPECT.search(line)
            if m:
                found.add((str(path), m.group(1).decode(), number))
    said = folder_or_file / "harapan.txt"
    if folder_or_file.is_dir() and said.is_file():
        for line in said.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, number, code = line.split(":")  # sop-x.yaml:1: berkas-tak-terbaca
                found.add((str(folder_or_file / name), code.strip(), int(number)))
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
    # Not the fixture's own git history: a fixture edited since its first commit would read as a DRAF.
    report = check([str(fixture)], history=False, cache_dir=None, today=FIXTURE_DAY)
    got = {(d.loc.path, d.code, d.loc.line) for d in report.diagnostics}
    assert expected <= got, "\n".join(d.format() for d in report.diagnostics)
    # The flaw is the only one of its kind in the fixture...
    assert {g for g in got if g[1] == code} == expected
    # ...and the fixture says nothing else, error or warning: one mistake, one message.
    others = [d for d in report.diagnostics if d.code != code]
    assert not others, "\n".join(d.format() for d in others)
    for d in report.diagnostics:
        assert d.level is RULES[d.code].level, f"{d.code} reported as {d.level.value}, registered otherwise"
        assert d.hint, f"{d.code} has no hint"
        assert not re.search(r"[?!]\.|(?<!\.)\.\.(?!\.)", d.hint), f"doubled stop: {d.hint}"
        assert re.fullmatch(r".+:\d+:\d+: (galat|peringatan): .+ \[[a-z-]+\]", d.format().splitlines()[0])


def test_every_rule_has_a_fixture():
    """Every registered rule has a broken fixture named after it, but the few a fixture file
    cannot hold, which a test builds where it runs (see tests/test_rules_registry.py)."""
    from test_rules_registry import BUILT

    assert set(RULES) - set(BUILT) <= {p.stem for p in cases()}


def test_seed_reports_its_known_flaws_and_nothing_else(seed_data: Path):
    seed = seed_data / SEED.name
    report = check([str(seed)], [str(seed_data)])
    got = sorted((d.code, d.loc.line) for d in report.diagnostics)
    lines = seed.read_text(encoding="utf-8").splitlines()

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


def test_examples_in_sop_data_are_clean(seed_data: Path):
    report = check([str(seed_data)])
    assert len(report.sops) >= 4
    # Checked with the repository's history, as in place (a shallow clone has none to give).
    assert report.history is not None and report.history.available == full_history()
    assert {d.loc.path for d in report.diagnostics if d.code not in DAY_DEPENDENT} == {str(seed_data / SEED.name)}


def test_good_fixtures_have_no_errors():
    report = check([str(FIXTURES / "baik")], cache_dir=None)
    assert len(report.sops) >= 3
    assert not report.errors, "\n".join(d.format() for d in report.errors)


def test_abbreviated_titles_in_a_good_sop_do_not_cry_wolf():
    """Kadis, Sekdis, Kasubbag, Kabid, Kasi as columns; Kepala, Sekretaris Dinas, Kasubag, Kasie in the text."""
    report = check([str(FIXTURES / "baik" / "singkatan-jabatan.yaml")], cache_dir=None)
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
    cold = check([str(data)], history=False, models=models)
    if models:  # the models in shards by file, and the per-SOP findings
        files = [*sorted((cache / "findings").glob("*.json")), *sorted((cache / "model").glob("*.json"))]
    else:
        files = sorted((cache / "summary").glob("*.json"))
    assert files and all(f.is_file() for f in files)
    warm = check([str(data)], history=False, models=models)
    assert [d.format() for d in warm.diagnostics] == [d.format() for d in cold.diagnostics]
    assert warm.sops == cold.sops and [s.pos for s in warm.sops] == [s.pos for s in cold.sops]
    assert warm.summaries == cold.summaries and len(cold.summaries) >= 4

    seed = data / SEED.name
    text = seed.read_text(encoding="utf-8")
    old = "    pelaksana: camat                # dari teks"
    seed.write_text(text.replace(old, "    pelaksana: lurah", 1), encoding="utf-8")
    edited = check([str(data)], history=False)
    unknown = [d for d in edited.errors if d.code == "pelaksana-tak-dikenal"]
    assert unknown and unknown[0].loc.path.endswith(SEED.name)
    line = text[:text.index(old)].count("\n") + 1
    assert unknown[0].loc.line == line  # the position comes from the file as it is now

    seed.write_text(text, encoding="utf-8")
    for n, f in enumerate(files):
        f.write_bytes([b"rusak", b"\x80\x04rusak"][n % 2])  # a damaged cache is only a slower check
    again = check([str(data)], history=False, models=models)
    assert [d.format() for d in again.diagnostics] == [d.format() for d in cold.diagnostics]
    assert again.sops == cold.sops


def _benchmark_corpus(folder: Path, n: int) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    project, _, _ = module.make_corpus(folder, n)
    return project / "sop_data"


@pytest.mark.slow
def test_sop_check_finds_what_the_build_finds_also_when_split_over_workers(tmp_path: Path):
    """`sop check` reads files in worker processes and keeps no models; the site build keeps them.
    Both must report the same, file for file and line for line, cold and from their caches."""
    from sopcode.rules import PARALLEL_MIN

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

    site = check([str(data)], history=False, cache_dir=None)
    expected = [d.format() for d in site.diagnostics]
    codes = {d.code for d in site.errors}
    assert {"keterkaitan-tak-ada", "nomor-sop-ganda", "yaml-sintaks"} <= codes, codes
    for cache in (None, str(tmp_path / "c"), str(tmp_path / "c")):  # no cache, cold cache, warm cache
        light = check([str(data)], history=False, cache_dir=cache, models=False)
        assert [d.format() for d in light.diagnostics] == expected
        assert light.sops == [] and sorted(s.id for s in light.summaries) == sorted(s.id for s in site.sops)


# --- one matcher of actor names (rules/names.py, data in vocab.py) ------------------------

from sopcode.model.load import load_sop  # noqa: E402
from sopcode.rules import check_sop  # noqa: E402
from sopcode.rules.names import Nama, menyebut, sama  # noqa: E402
from sopcode.rules.vocab import GABUNGAN, SINGKATAN  # noqa: E402

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

from sopcode.rules.revoked_laws import DAFTAR, dicabut  # noqa: E402


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
    from sopcode.publish import _errors_by_file

    good = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    write(tmp_path / "sop-a.yaml", good.replace("\nnama:", "\nketerkaitan:\n  - sop: sop-b\nnama:", 1))
    write(tmp_path / "sop-b.yaml", good.replace("pelaksana:", "pelaksana: [", 1))  # does not load
    report = check([str(tmp_path)], history=False, cache_dir=None, models=models)
    assert [d.code for d in report.errors] == ["yaml-sintaks"]
    assert report.diagnostics[0].loc.path.endswith("sop-b.yaml"), "the broken file's own error comes first"
    assert report.broken == [str(tmp_path / "sop-b.yaml")]
    assert list(_errors_by_file(report)) == [str(tmp_path / "sop-b.yaml")]  # sop-a stays published
    alone = check([str(tmp_path / "sop-a.yaml")], [str(tmp_path)], history=False, cache_dir=None, models=models)
    assert not alone.errors


def test_a_missing_sop_is_never_suggested_as_the_sop_itself(tmp_path: Path):
    good = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    write(tmp_path / "sop-pelayanan-ktp.yaml",
          good.replace("\nnama:", "\nketerkaitan:\n  - sop: sop-pelayanan-kk\nnama:", 1))
    errors = check([str(tmp_path)], history=False, cache_dir=None).errors
    assert [d.code for d in errors] == ["keterkaitan-tak-ada"]
    assert "sop-pelayanan-ktp" not in errors[0].hint


# --- one mistake, one message at its line (a new user's first three real SOPs) -------------------

_IDENTITAS = """\
nomor: "001/UJI/2020"
nama: Uji Alur
tanggal_pembuatan: 2020-01-06
tanggal_efektif: 2020-01-13
disahkan_oleh:
  jabatan: CAMAT BUNGURSARI
  nama: Drs. Uji
  nip: "19640104 199101 1 004"
dasar_hukum: [Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan]
kualifikasi_pelaksana: [Memahami tugasnya]
keterkaitan: [SOP Pelayanan Surat Keterangan Domisili]
peralatan_perlengkapan: [Komputer]
peringatan: [Berkas dapat tercecer]
pencatatan_pendataan: [Buku register]
"""


def _alur(tmp_path: Path, steps: list[tuple[str, str, str]], pelaksana=("Petugas",),
          instansi: str | None = None) -> tuple[list, dict]:
    """An SOP clean but for what ``steps`` say: (kegiatan, pelaksana, more YAML lines of the step,
    e.g. ``simbol: keputusan``). Returns every diagnostic of `sop check` as (code, line), sorted,
    and the line of each ``key`` of each step: ``at[(no, key)]``, ``at[no]`` for the step itself."""
    lines = _IDENTITAS.splitlines() + ["pelaksana:"] + [f"  - {p}" for p in pelaksana] + ["langkah:"]
    at: dict = {}
    for i, (kegiatan, actor, more) in enumerate(steps, start=1):
        no = next(iter(re.findall(r"^no: (\d+)$", more, re.M)), str(i))
        at.setdefault(int(no), len(lines) + 1)
        lines += [f"  - no: {no}", f"    kegiatan: {kegiatan}", f"    pelaksana: {actor}",
                  "    mutu_baku:", "      waktu: 5 menit"]
        for extra in more.splitlines():
            if not extra.startswith("no: "):
                at.setdefault((i, extra.split(":")[0]), len(lines) + 1)
                lines.append(f"    {extra}")
    folder = tmp_path / "sop_data"
    path = write(folder / "sop-uji.yaml", "\n".join(lines) + "\n")
    if instansi is not None:
        write(folder / "_instansi.yaml", instansi)
    report = check([str(folder)], history=False, cache_dir=None)
    for d in report.diagnostics:
        assert d.loc.path == str(path) or d.loc.path.endswith("_instansi.yaml")
        assert "?." not in d.hint and ".." not in d.hint.replace("...", ""), d.hint  # no doubled stops
    return sorted((d.code, d.loc.line) for d in report.diagnostics), at


def _langkah(n: int, **more: str) -> list[tuple[str, str, str]]:
    """``n`` plain steps by Petugas; ``more`` gives a step's extra lines: ``s5="simbol: keputusan"``."""
    return [(f"Mengerjakan tahap {no}", "Petugas", more.get(f"s{no}", "")) for no in range(1, n + 1)]


def test_the_plain_sop_of_these_tests_is_clean(tmp_path: Path):
    assert _alur(tmp_path, _langkah(8))[0] == []


BROKEN_BRANCH = [  # (case, step extras, the one rule and the key it is reported at)
    ("keputusan tanpa ya dan tidak", {"s5": "simbol: keputusan"}, ("keputusan-tak-lengkap", 5, "simbol")),
    ("keputusan tanpa tidak", {"s5": "simbol: keputusan\nya: 6"}, ("keputusan-tak-lengkap", 5, "simbol")),
    ("keputusan tanpa ya, kembali", {"s5": "simbol: keputusan\ntidak: 2"}, ("keputusan-tak-lengkap", 5, "simbol")),
    ("tidak ke langkah yang tak ada", {"s5": "ya: 6\ntidak: 50"}, ("target-tak-ada", 5, "tidak")),
    ("lanjut ke langkah yang tak ada", {"s5": "lanjut: 50"}, ("target-tak-ada", 5, "lanjut")),
    ("keputusan dengan lanjut", {"s5": "simbol: keputusan\nya: 3\ntidak: 2\nlanjut: 8"},
     ("cabang-salah", 5, "lanjut")),
    ("langkah akhir kembali", {"s8": "lanjut: 3"}, ("akhir-bercabang", 8, "lanjut")),
]


@pytest.mark.parametrize("more, expected", [c[1:] for c in BROKEN_BRANCH], ids=[c[0] for c in BROKEN_BRANCH])
def test_a_broken_branch_is_said_once_without_its_consequences(tmp_path: Path, more: dict, expected: tuple):
    """Issue: `simbol: keputusan` without `ya`/`tidak` gave 9 errors, the cause 6th among `buntu`
    for the steps before it and `tak-terjangkau` for the steps after it."""
    found, at = _alur(tmp_path, _langkah(8, **more))
    code, no, key = expected
    assert found == [(code, at[(no, key)])]


def test_two_steps_of_one_number_are_said_once(tmp_path: Path):
    steps = _langkah(8, s5="lanjut: 7")
    steps[5] = ("Mengerjakan tahap 6", "Petugas", "no: 5")  # the sixth step numbered 5
    found, _ = _alur(tmp_path, steps)
    lines = (tmp_path / "sop_data" / "sop-uji.yaml").read_text(encoding="utf-8").splitlines()
    second = [i for i, line in enumerate(lines, start=1) if line == "  - no: 5"][1]
    assert found == [("nomor-langkah-ganda", second)]


def test_a_flow_mistake_beside_a_broken_branch_is_still_found(tmp_path: Path):
    """Whatever step 6's missing branch is mended to, steps 2 and 3 loop for ever: said, once."""
    found, at = _alur(tmp_path, _langkah(8, s3="simbol: keputusan\nya: 2\ntidak: 2", s6="simbol: keputusan\nya: 7"))
    assert found == [("buntu", at[3]), ("keputusan-tak-lengkap", at[(6, "simbol")])]


def test_a_loop_without_exit_is_said_once_not_for_every_step_before_it(tmp_path: Path):
    found, at = _alur(tmp_path, _langkah(6, s4="simbol: keputusan\nya: 3\ntidak: 3"))
    assert found == [("buntu", at[4])]  # steps 1 and 2 lead into it: freed with it
    report = check([str(tmp_path / "sop_data")], history=False, cache_dir=None)
    assert report.diagnostics[0].message == ("dari langkah 4 (begitu pula langkah 3) tidak ada jalan menuju "
                                             "langkah akhir (6); langkah 5–6 juga tidak pernah dicapai")


def test_steps_cut_off_are_said_once_at_the_first_of_them(tmp_path: Path):
    found, at = _alur(tmp_path, _langkah(8, s2="lanjut: 8"))
    assert found == [("tak-terjangkau", at[3])]
    report = check([str(tmp_path / "sop_data")], history=False, cache_dir=None)
    assert report.diagnostics[0].message == "langkah 3 (begitu pula langkah 4–7) tidak pernah dicapai dari langkah 1"


def test_a_misspelt_actor_is_said_once_not_also_as_a_column_without_steps(tmp_path: Path):
    steps = _langkah(4)
    steps[3] = ("Menandatangani surat", "Camt", "")
    steps[2] = ("Memaraf surat", "Kasubbag Keuangan", "")  # the column's name written otherwise
    steps[1] = ("Mencatat surat", "Petugas dan Kasi", "")  # two columns written as one name
    found, at = _alur(tmp_path, steps, pelaksana=("Petugas", "Kasi", "Kepala Subbagian Keuangan", "Camat"))
    assert found == [("pelaksana-tak-dikenal", at[n] + 2) for n in (2, 3, 4)]


def test_a_suggestion_joined_to_more_text_has_one_stop(tmp_path: Path):
    steps = _langkah(3)
    steps[2] = ("Menandatangani surat", "Kepala Dinsa", "")
    _alur(tmp_path, steps, pelaksana=("Petugas", "Kepala Dinas"))
    report = check([str(tmp_path / "sop_data")], history=False, cache_dir=None)
    assert [d.hint for d in report.errors] == [
        "maksud Anda: 'Kepala Dinas'? Atau tambahkan 'Kepala Dinsa' ke daftar `pelaksana` SOP ini"]


def test_hint_sentences_are_joined_with_one_stop():
    from sopcode.text import then
    assert then("maksud Anda: 'Camat'?", "atau tambahkan") == "maksud Anda: 'Camat'? Atau tambahkan"
    assert then("pilih salah satu: A, B", "atau tambahkan") == "pilih salah satu: A, B. Atau tambahkan"
    assert then("hapus kunci ini.", "lalu periksa") == "hapus kunci ini. Lalu periksa"


@pytest.mark.parametrize("key", ["kegiatan", "pelaksana", "mutu_baku"])
def test_a_misspelt_required_key_is_said_once(tmp_path: Path, key: str):
    """`kegiatn:` gave both "'kegiatan' wajib ada" and "kunci 'kegiatn' tidak dikenal"."""
    good = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    wrong = key[:-2] + key[-1]  # one letter left out
    path = write(tmp_path / "sop-uji.yaml", good.replace(f"    {key}:", f"    {wrong}:", 1))
    line = next(n for n, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if x.startswith(f"    {wrong}:"))
    report = check([str(path)], history=False, cache_dir=None)
    assert [(d.code, d.loc.line) for d in report.diagnostics] == [("kunci-tak-dikenal", line)]
    assert report.diagnostics[0].hint == f"maksud Anda: '{key}'? Kunci '{key}' wajib ada di langkah"


def test_an_unknown_key_beside_its_right_spelling_is_not_called_required(tmp_path: Path):
    good = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    text = good.replace("    kegiatan: Menerima", "    kegiatn: x\n    kegiatan: Menerima", 1)
    path = write(tmp_path / "sop-uji.yaml", text)
    report = check([str(path)], history=False, cache_dir=None)
    assert [(d.code, d.hint) for d in report.diagnostics] == [("kunci-tak-dikenal", "maksud Anda: 'kegiatan'?")]


# --- titles of people outside the procedure ----------------------------------------------------

KECAMATAN = "hierarki:\n  - PEMERINTAH KABUPATEN PURWAKARTA\n  - KECAMATAN BUNGURSARI\n"
DINAS = "hierarki:\n  - PEMERINTAH KABUPATEN PURWAKARTA\n  - DINAS KESEHATAN\n"

JABATAN_LUAR = [  # (kegiatan, _instansi.yaml, the titles warned about, as the message names them)
    # several to choose from, after dari/kepada/ke/untuk: whichever it is, it is no column
    ("Menerima surat masuk dari Kepala Desa, Camat atau Bupati", None, []),
    ("Meneruskan surat kepada Kepala Desa/Lurah", None, []),
    ("Meneruskan surat ke Kasi Pemerintahan atau Kasi Trantib", None, []),
    # the sender of what the step receives
    ("Menerima disposisi dari Kasubbag Keuangan", None, []),
    # an official of another level of government than the institution's
    ("Menyampaikan laporan kepada Bupati", KECAMATAN, []),
    ("Menyampaikan surat pengantar kepada Kepala Desa", KECAMATAN, []),
    ("Menyampaikan undangan kepada Camat", DINAS, []),
    # ...but of its own level, or when the level is not known: it may take part
    ("Menyampaikan laporan kepada Camat", KECAMATAN, ["Camat"]),
    ("Menyampaikan laporan kepada Bupati", DINAS, ["Bupati"]),
    ("Menyampaikan surat pengantar kepada Kepala Desa", None, ["Kepala Desa"]),
    # the work is handed to them within the institution, or they do it: still warned
    ("Menyerahkan berkas kepada Kasubbag Keuangan untuk diparaf", None, ["Kasubbag Keuangan"]),
    ("Kepala Desa menandatangani surat pengantar", KECAMATAN, ["Kepala Desa"]),
    ("Penandatanganan surat oleh Bupati", KECAMATAN, ["Bupati"]),
    ("Memeriksa berkas untuk diparaf Kasi atau Sekretaris", None, ["Kasi", "Sekretaris"]),
    ("Menyampaikan data dari masing-masing Kasi dan Sekretaris", None, ["Kasi", "Sekretaris"]),
    ("Menyampaikan data kepada Kasubag Perencanaan, Keuangan dan Pelaporan", None,
     ["Kasubag Perencanaan, Keuangan dan Pelaporan"]),
    ("Menyampaikan berkas kepada Kasi Ketenteraman dan Ketertiban Umum", None,
     ["Kasi Ketenteraman dan Ketertiban Umum"]),
    ("Menyampaikan berkas kepada Kasi Pemerintahan dan Pemohon", None, ["Kasi Pemerintahan"]),
]


@pytest.mark.parametrize("kegiatan, instansi, warned", JABATAN_LUAR,
                         ids=[f"{k[:45]}|{'kec' if i == KECAMATAN else 'dinas' if i else '-'}"
                              for k, i, _ in JABATAN_LUAR])
def test_titles_outside_the_procedure_are_not_warned_and_others_are_named_whole(
        tmp_path: Path, kegiatan: str, instansi: str | None, warned: list[str]):
    steps = [("Menerima berkas", "Petugas", ""), (kegiatan, "Petugas", ""), ("Mengarsipkan berkas", "Petugas", "")]
    found, at = _alur(tmp_path, steps, pelaksana=("Petugas", "Pemohon", "Kepala Dinas"), instansi=instansi)
    found = [f for f in found if f[0] != "pelaksana-tanpa-langkah"]
    subject = [("kegiatan-diawali-subjek", at[2] + 1)] if kegiatan.startswith("Kepala") else []
    assert found == sorted([("jabatan-tanpa-kolom", at[2] + 1)] * len(warned) + subject)
    report = check([str(tmp_path / "sop_data")], history=False, cache_dir=None)
    named = [re.search(r"menyebut '(.+)', yang", d.message).group(1) for d in report.diagnostics
             if d.code == "jabatan-tanpa-kolom"]
    assert named == warned


def test_the_seed_still_names_its_titles_without_a_column():
    report = check([str(SEED)], history=False, cache_dir=None)
    named = [re.search(r"menyebut '(.+)', yang", d.message).group(1) for d in report.diagnostics
             if d.code == "jabatan-tanpa-kolom"]
    assert named == ["kasi", "Kasi", "Kasi", "Kasubag Perencanaan, Keuangan dan Pelaporan"]


# --- the institution's labels, and hints that show a form, not a value to copy ---------------

def test_identity_messages_use_the_institutions_labels(tmp_path: Path):
    instansi = KECAMATAN + "label:\n  tanggal_pembuatan: Tgl Pembuatan\n  tanggal_efektif: Tgl Pengesahan\n" \
        "  nomor: No. SOP\n  peringatan: Peringatan Penting\n"
    text = _IDENTITAS.replace('nomor: "001/UJI/2020"\n', 'nomor: ""\n').replace(
        "tanggal_pembuatan: 2020-01-06\ntanggal_efektif: 2020-01-13\n", "tanggal_pembuatan: null\n").replace(
        "peringatan: [Berkas dapat tercecer]\n", "")
    folder = tmp_path / "sop_data"
    write(folder / "_instansi.yaml", instansi)
    lines = (text + "pelaksana: [Petugas]\nlangkah:\n" + "".join(
        f"  - no: {n}\n    kegiatan: Mengerjakan tahap {n}\n    pelaksana: Petugas\n    mutu_baku:\n"
        "      waktu: 5 menit\n" for n in (1, 2))).splitlines()
    write(folder / "sop-uji.yaml", "\n".join(lines) + "\n")
    report = check([str(folder)], history=False, cache_dir=None)
    line = {key: next(i for i, x in enumerate(lines, 1) if x.startswith(key)) for key in ("nomor", "tanggal_p")}
    got = {(d.code, d.loc.line): d for d in report.diagnostics}
    missing = 1  # an absent key is reported at the start of the SOP
    assert sorted(got) == sorted([("nomor-kosong", line["nomor"]), ("identitas-kosong", line["tanggal_p"]),
                                  ("identitas-kosong", missing), ("kotak-kosong", missing)])
    assert got["nomor-kosong", line["nomor"]].message == "No. SOP belum diisi"
    made = got["identitas-kosong", line["tanggal_p"]]
    assert made.message == "Tgl Pembuatan tidak tercantum; lembar identitas mencetak selnya kosong"
    assert made.hint.startswith("bila diketahui dari naskah aslinya, isi `tanggal_pembuatan: tahun-bulan-hari`;")
    approved = got["identitas-kosong", missing]
    assert approved.message.startswith("Tgl Pengesahan tidak tercantum")
    assert "`tanggal_efektif: tahun-bulan-hari` (tanggal disahkan)" in approved.hint
    assert got["kotak-kosong", missing].message == "kotak 'Peringatan Penting' kosong"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", " ".join(d.hint for d in report.diagnostics)), \
        "a hint shows a date a user could copy as real"


def test_an_empty_hierarchy_is_refused(tmp_path: Path):
    folder = tmp_path / "sop_data"
    write(folder / "sop-uji.yaml", (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8"))
    write(folder / "_instansi.yaml", "hierarki: []\nkertas: F4\n")
    report = check([str(folder)], history=False, cache_dir=None)
    assert [(os.path.basename(d.loc.path), d.code, d.loc.line) for d in report.errors] == [
        ("_instansi.yaml", "wajib-diisi", 1)]


def test_two_columns_that_only_look_different_are_one_actor_written_twice(tmp_path: Path):
    """A zero-width space or a no-break space pasted from Word makes two columns that look the same."""
    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("  - Sekretaris Kecamatan\n", "  - Sekretaris Kecamatan\n  - \"Sekretaris\\u200b Kecamatan\"\n"
                        "  - \"Sekretaris\\u00a0kecamatan\"\n", 1)
    path = write(tmp_path / "sop-kembar.yaml", text)
    codes = [(d.code, d.loc.line) for d in check([str(path)], history=False).diagnostics if d.code == "pelaksana-ganda"]
    assert [c for c, _ in codes] == ["pelaksana-ganda", "pelaksana-ganda"], codes


from sopcode.diagnostics import Loc  # noqa: E402
from sopcode.model.sop import Summary, Teks  # noqa: E402
from sopcode.rules import corpus  # noqa: E402


def _replaced(sop_id: str, by: str | None) -> Summary:
    path = f"sop_data/{sop_id}.yaml"
    return Summary(sop_id, path, None, None, (), None, Teks(by, Loc(path, 9, 15)) if by else None)


def test_a_chain_of_replacements_is_fine_and_a_longer_cycle_is_reported_on_each_sop():
    chain = [_replaced("a", "b"), _replaced("b", "c"), _replaced("c", None)]
    assert corpus.check(chain) == []
    cycle = [_replaced("a", "b"), _replaced("b", "c"), _replaced("c", "a"), _replaced("d", "a")]
    found = corpus.check(cycle)
    assert [(d.code, d.loc.path) for d in found] == [
        ("penggantian-melingkar", f"sop_data/{i}.yaml") for i in "abc"]
    assert "a → b → c → a" in found[0].message
