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
