"""Many institutions in one data folder (issue 17): settings inherited down the folders, ids that
carry the institution, references within and across institutions, nomor unique per institution,
``sop new --instansi``.

Built on copies of the two-institution example (tests/fixtures/pemda) and of the seed's sop_data/;
the loader, the checks and the ``sop`` command run for real.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import ROOT, sop_main, tree_hash, write
from sopcode.model.institutions import institution_of, resolve
from sopcode.model.load import load_folder
from sopcode.model.logo import read_logo
from sopcode.model.status import Status, statuses
from sopcode.rules import check

KEC = "kecamatan-bungursari"
DINAS = "dinas-kependudukan"
KABUPATEN = "PEMERINTAH KABUPATEN PURWAKARTA"


def by_id(data: Path) -> dict:
    return {s.id: s for s in load_folder(str(data), cache_dir=None).sops}


def codes(report, path: Path | None = None) -> list[str]:
    return [d.code for d in report.diagnostics if path is None or Path(d.loc.path) == path]


def png(width: int, height: int, grey: int = 0) -> bytes:
    """A real 8-bit grey PNG, one shade."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\0" + bytes([grey]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# --- ids and addresses -----------------------------------------------------------------------------

def test_the_single_institution_seed_keeps_every_id_and_address():
    """sop_data/ of today: one _instansi.yaml at the top, so every id is still the file name."""
    loaded = load_folder(str(ROOT / "sop_data"), cache_dir=None)
    stems = sorted(p.stem for p in (ROOT / "sop_data").glob("*.yaml") if not p.name.startswith("_"))
    assert sorted(s.id for s in loaded.sops) == stems
    assert list(loaded.institutions) == [""]
    assert all(s.instansi.kode == "" and institution_of(s) == "" for s in loaded.sops)
    assert loaded.instansi.nama == "KECAMATAN BUNGURSARI"  # no nama: the last hierarki line


def test_two_files_of_the_same_name_in_two_institutions_load_with_their_own_ids_and_headers(pemda: Path):
    sops = by_id(pemda)
    kec, dinas = sops[f"{KEC}/sop-surat-masuk"], sops[f"{DINAS}/sop-surat-masuk"]
    assert "sop-surat-masuk" not in sops
    assert [str(x) for x in kec.instansi.hierarki] == [KABUPATEN, "KECAMATAN BUNGURSARI"]
    assert [str(x) for x in dinas.instansi.hierarki] == [KABUPATEN, "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"]
    assert (kec.instansi.kode, kec.instansi.nama) == (KEC, "Kecamatan Bungursari")
    assert (dinas.instansi.kertas, kec.instansi.kertas) == ("A4", "F4")  # its own; the regency's
    # Same file name, same nomor in two institutions: no error.
    report = check(str(pemda), history=False, cache_dir=None)
    assert not {"id-ganda", "nomor-sop-ganda"} & set(codes(report))


def test_a_folder_without_settings_only_groups_files(pemda: Path):
    moved = pemda / DINAS / "arsip" / "sop-penerbitan-kartu-keluarga.yaml"
    moved.parent.mkdir()
    (pemda / DINAS / "sop-penerbitan-kartu-keluarga.yaml").rename(moved)
    sops = by_id(pemda)
    assert f"{DINAS}/sop-penerbitan-kartu-keluarga" in sops  # not .../arsip/...
    assert sops[f"{DINAS}/sop-penerbitan-kartu-keluarga"].instansi.kertas == "A4"
    # The same file name twice in one institution, grouped apart, is one id twice.
    shutil.copy(moved, pemda / DINAS / moved.name)
    report = check(str(pemda), history=False, cache_dir=None)
    assert "id-ganda" in codes(report)


# --- the inheritance rule --------------------------------------------------------------------------

def test_settings_are_inherited_key_by_key_and_hierarki_lines_add_up(pemda: Path):
    write(pemda / "_instansi.yaml", f"hierarki:\n  - {KABUPATEN}\nkertas: F4\njam_kerja_per_hari: 8\n"
          "label:\n  nomor: No. SOP\n  disahkan_oleh: Ditetapkan oleh\n")
    write(pemda / DINAS / "_instansi.yaml", "hierarki:\n  - DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL\n"
          "kertas: A4\nlabel:\n  nomor: Nomor\n")
    kelurahan = pemda / KEC / "kelurahan-cibening"
    write(kelurahan / "_instansi.yaml", "hierarki:\n  - KELURAHAN CIBENING\n")
    write(kelurahan / "sop-surat-pengantar.yaml",
          (pemda / KEC / "sop-surat-masuk.yaml").read_text(encoding="utf-8"))
    lengkap = pemda / "rsud"
    write(lengkap / "_instansi.yaml", "hierarki_lengkap: ya\nhierarki:\n  - RUMAH SAKIT UMUM DAERAH BAYU ASIH\n"
          "  - KABUPATEN PURWAKARTA\n")
    write(lengkap / "sop-rawat-jalan.yaml", (pemda / KEC / "sop-surat-masuk.yaml").read_text(encoding="utf-8"))
    loaded = load_folder(str(pemda), cache_dir=None)
    sops = {s.id: s for s in loaded.sops}
    dinas = sops[f"{DINAS}/sop-surat-masuk"].instansi
    kel = sops[f"{KEC}/kelurahan-cibening/sop-surat-pengantar"].instansi
    rsud = sops["rsud/sop-rawat-jalan"].instansi
    # A key written wins; a key not written is the parent's.
    assert (dinas.kertas, dinas.jam_kerja_per_hari) == ("A4", 8)
    assert (kel.kertas, kel.jam_kerja_per_hari) == ("F4", 8)
    # Labels merge one by one.
    assert (dinas.labels["nomor"], dinas.labels["disahkan_oleh"]) == ("Nomor", "Ditetapkan oleh")
    assert kel.labels["nomor"] == "No. SOP"
    # hierarki: the child's lines below the parent's, down every level; or whole with hierarki_lengkap.
    assert [str(x) for x in kel.hierarki] == [KABUPATEN, "KECAMATAN BUNGURSARI", "KELURAHAN CIBENING"]
    assert [str(x) for x in rsud.hierarki] == ["RUMAH SAKIT UMUM DAERAH BAYU ASIH", "KABUPATEN PURWAKARTA"]
    assert (kel.kode, kel.induk, kel.nama) == (f"{KEC}/kelurahan-cibening", KEC, "KELURAHAN CIBENING")
    assert set(loaded.institutions) == {"", KEC, DINAS, f"{KEC}/kelurahan-cibening", "rsud"}
    # Where a setting was written: the file that wrote it.
    assert Path(kel.pos["kertas"].path) == pemda / "_instansi.yaml"
    assert Path(dinas.pos["kertas"].path) == pemda / DINAS / "_instansi.yaml"
    # The effective date's label, written either way, is the nearer file's.
    write(pemda / "_instansi.yaml", f"hierarki:\n  - {KABUPATEN}\nlabel:\n  tanggal_efektif: Tgl Pengesahan\n")
    write(pemda / DINAS / "_instansi.yaml", "label_tanggal_efektif: Tanggal Berlaku\n")
    sops = by_id(pemda)
    assert sops[f"{DINAS}/sop-surat-masuk"].instansi.labels["tanggal_efektif"] == "Tanggal Berlaku"
    assert sops[f"{KEC}/sop-surat-masuk"].instansi.labels["tanggal_efektif"] == "Tgl Pengesahan"


def test_a_setting_written_wrong_is_said_at_its_own_file_line_and_column(pemda: Path):
    settings = write(pemda / DINAS / "_instansi.yaml",
                     "hierarki:\n  - DINAS KEPENDUDUKAN\nkertas: B5\nhirarki_lengkap: ya\n")
    report = check(str(pemda), history=False, cache_dir=None)
    mine = {(d.code, d.loc.line, d.loc.col): d for d in report.diagnostics if Path(d.loc.path) == settings}
    assert ("tipe-salah", 3, 9) in mine and "A4" in mine[("tipe-salah", 3, 9)].message
    assert ("kunci-tak-dikenal", 4, 1) in mine and "hierarki_lengkap" in mine[("kunci-tak-dikenal", 4, 1)].hint
    # hierarki may be left out below the top (inherited), not at the top.
    write(pemda / DINAS / "_instansi.yaml", "kertas: A4\n")
    write(pemda / "_instansi.yaml", "kertas: F4\n")
    report = check(str(pemda), history=False, cache_dir=None)
    top = [d for d in report.diagnostics if Path(d.loc.path) == pemda / "_instansi.yaml"]
    assert [d.code for d in top] == ["wajib-diisi"] and "hierarki" in top[0].message
    assert not [d for d in report.diagnostics if Path(d.loc.path) == pemda / DINAS / "_instansi.yaml"]


def test_a_logo_is_relative_to_the_settings_file_that_names_it(pemda: Path):
    (pemda / "lambang-purwakarta.png").write_bytes(png(40, 40, 10))
    (pemda / DINAS / "logo-disdukcapil.png").write_bytes(png(30, 30, 200))
    text = (pemda / "_instansi.yaml").read_text(encoding="utf-8")
    write(pemda / "_instansi.yaml", text + "logo: lambang-purwakarta.png\n")
    loaded = load_folder(str(pemda), cache_dir=None)
    # The kecamatan names no logo: the regency's, found beside the regency's file.
    kec = read_logo(loaded.institutions[KEC], str(pemda / KEC))
    assert kec is not None and kec.data == (pemda / "lambang-purwakarta.png").read_bytes()
    # The dinas names its own, beside its own file.
    text = (pemda / DINAS / "_instansi.yaml").read_text(encoding="utf-8")
    write(pemda / DINAS / "_instansi.yaml", text + "logo: logo-disdukcapil.png\n")
    loaded = load_folder(str(pemda), cache_dir=None)
    dinas = read_logo(loaded.institutions[DINAS], str(pemda))
    assert dinas is not None and dinas.data == (pemda / DINAS / "logo-disdukcapil.png").read_bytes()
    # A missing one is said once, where it is named, though two institutions inherit it.
    write(pemda / DINAS / "_instansi.yaml", text)
    top = (pemda / "_instansi.yaml").read_text(encoding="utf-8")
    write(pemda / "_instansi.yaml", top.replace("logo: lambang-purwakarta.png", "logo: tidak-ada.png"))
    report = check(str(pemda), history=False, cache_dir=None)
    missing = [d for d in report.diagnostics if d.code == "logo-tak-ada"]
    assert len(missing) == 1 and Path(missing[0].loc.path) == pemda / "_instansi.yaml"


def test_a_change_in_one_institution_s_settings_reloads_only_its_sops(pemda: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    first = load_folder(str(pemda), cache_dir=str(cache))
    write(pemda / DINAS / "_instansi.yaml",
          (pemda / DINAS / "_instansi.yaml").read_text(encoding="utf-8").replace("kertas: A4", "kertas: F4"))
    warm = load_folder(str(pemda), cache_dir=str(cache))
    cold = load_folder(str(pemda), cache_dir=None)
    changed = {p for p in warm.content_keys if warm.content_keys[p] != first.content_keys[p]}
    assert changed == {str(p) for p in (pemda / DINAS).glob("sop-*.yaml")}
    assert {s.id: s.instansi.kertas for s in warm.sops} == {s.id: s.instansi.kertas for s in cold.sops}
    assert {s.instansi.kertas for s in warm.sops if s.instansi.kode == DINAS} == {"F4"}


# --- references ------------------------------------------------------------------------------------

def test_resolve_a_bare_name_within_the_institution_then_above_it_and_a_full_id_anywhere():
    ids = {"sop-a", "dinas/sop-a", "dinas/sop-b", "kec/sop-b", "kec/kel/sop-c"}
    assert resolve("sop-a", "dinas", ids) == "dinas/sop-a"
    assert resolve("sop-a", "kec", ids) == "sop-a"  # none in the kecamatan: the top's
    assert resolve("sop-b", "kec/kel", ids) == "kec/sop-b"  # the nearest institution above
    assert resolve("kec/sop-b", "dinas", ids) == "kec/sop-b"
    assert resolve("sop-c", "dinas", ids) is None
    assert resolve("dinas/sop-x", "dinas", ids) is None


@pytest.mark.slow
def test_references_within_and_across_institutions(pemda: Path):
    kk = pemda / DINAS / "sop-penerbitan-kartu-keluarga.yaml"
    report = check(str(pemda), history=False, cache_dir=None)
    assert "keterkaitan-tak-ada" not in codes(report)  # a bare name within, a full id across
    # The kecamatan's SOP named bare from the dinas: not the dinas's; the fix is its full id.
    text = kk.read_text(encoding="utf-8")
    assert f"sop: {KEC}/sop-surat-keterangan-domisili" in text
    kk.write_text(text.replace(f"sop: {KEC}/sop-surat-keterangan-domisili", "sop: sop-surat-keterangan-domisili"),
                  encoding="utf-8")
    done = sop_main("check", str(kk), cwd=pemda.parent)
    assert done.returncode == 1
    assert "Keterkaitan merujuk SOP 'sop-surat-keterangan-domisili' yang tidak ada [keterkaitan-tak-ada]" in done.stdout
    assert f"maksud Anda `{KEC}/sop-surat-keterangan-domisili`?" in done.stdout
    # diganti_oleh: a bare name is the SOP of the same institution, not the other's of the same name.
    sm = pemda / KEC / "sop-surat-masuk.yaml"
    write(pemda / KEC / "sop-surat-masuk-lama.yaml", sm.read_text(encoding="utf-8").replace(
        'nomor: "', 'nomor: "LAMA-') + "diganti_oleh: sop-surat-masuk\n")
    report = check(str(pemda), history=False, cache_dir=None)
    assert "diganti-oleh-tak-ada" not in codes(report)
    states = statuses(report.summaries, dt.date(2030, 1, 1))
    assert states[f"{KEC}/sop-surat-masuk-lama"] is Status.DIGANTI
    assert states[f"{DINAS}/sop-surat-masuk"] is not Status.DIGANTI


@pytest.mark.slow
def test_a_file_checked_alone_has_its_institution_s_id_settings_and_references(pemda: Path):
    kk = pemda / DINAS / "sop-penerbitan-kartu-keluarga.yaml"
    done = sop_main("check", "--json", str(kk.relative_to(pemda.parent)), cwd=pemda.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "keterkaitan-tak-ada" not in done.stdout  # its reference into the kecamatan is found
    # A setting written wrong above its institution is said too, at the regency's file.
    write(pemda / "_instansi.yaml", (pemda / "_instansi.yaml").read_text(encoding="utf-8") + "kertass: A4\n")
    done = sop_main("check", "--json", str(kk.relative_to(pemda.parent)), cwd=pemda.parent)
    found = json.loads(done.stdout)
    assert [(d["path"], d["code"]) for d in found if d["level"] == "galat"] == [
        ("sop_data/_instansi.yaml", "kunci-tak-dikenal")]


@pytest.mark.parametrize("data_dir", [None, "data/sop"])
def test_a_file_checked_alone_without_the_top_settings_has_the_id_of_the_whole_check(
        pemda: Path, data_dir: str | None):
    """No sop_data/_instansi.yaml yet: an SOP of an institution checked alone is still `<kode>/<stem>`, as in
    the check of the whole folder, so its reference into another institution is found and every message
    about it (here: its monitoring is due) names it by the same id either way (also with a `data_dir` of
    mkdocs.yml's own)."""
    project = pemda.parent
    if data_dir:
        (project / "mkdocs.yml").write_text(f"site_name: Uji\nplugins:\n  - sop:\n      data_dir: {data_dir}\n",
                                            encoding="utf-8")
        (project / data_dir).parent.mkdir(parents=True)
        pemda = pemda.rename(project / data_dir)
    (pemda / "_instansi.yaml").unlink()
    kk = pemda / DINAS / "sop-penerbitan-kartu-keluarga.yaml"
    alone = sop_main("check", "--json", str(kk.relative_to(project)), cwd=project)
    assert alone.returncode == 0, alone.stdout  # kecamatan-bungursari/sop-surat-keterangan-domisili is found
    assert "keterkaitan-tak-ada" not in alone.stdout and "puncak-tanpa-pengaturan" in alone.stdout

    whole = {s.path: s.id for s in load_folder(str(pemda), cache_dir=None).sops}
    for path in [kk, pemda / KEC / "sop-surat-masuk.yaml"]:
        [sop] = load_folder(str(path), cache_dir=None).sops
        assert sop.id == whole[str(path)] == f"{path.parent.name}/{path.stem}"


MONEV_ROW = """\
  - sop: {sop}
    penilaian: berjalan dengan baik
    catatan: Berjalan sesuai SOP
    penilai:
      nama: Rina Marlina, S.AP.
      jabatan: Kepala Subbagian Umum dan Kepegawaian
    tanggal: 2026-03-10
"""


def test_records_of_an_institution_name_its_own_sops_by_file_name(pemda: Path):
    write(pemda / DINAS / "_monev" / "2026-1.yaml",
          "unit: SUBBAGIAN UMUM DAN KEPEGAWAIAN\nhasil:\n" + MONEV_ROW.format(sop="sop-surat-masuk"))
    report = check(str(pemda), history=False, cache_dir=None)
    assert not [d for d in report.errors if "_monev" in d.loc.path]
    assert not [c for c in codes(report) if c.startswith("monev-sop")]
    assert [str(r.tanggal) for r in report.monitoring.of(f"{DINAS}/sop-surat-masuk")] == ["2026-03-10"]
    assert "2026-03-10" not in [str(r.tanggal) for r in report.monitoring.of(f"{KEC}/sop-surat-masuk")]


def test_a_record_of_one_institution_naming_another_s_sop_is_warned_the_top_s_are_not(pemda: Path):
    """The dinas's monitoring names the kecamatan's SOP: a warning at that line naming the owner's records
    file, and the record still counts for that SOP. The regency's own records (the Bagian Organisasi) may
    name any institution's SOP."""
    write(pemda / DINAS / "_monev" / "2026-1.yaml", "unit: SUBBAGIAN UMUM DAN KEPEGAWAIAN\nhasil:\n"
          + MONEV_ROW.format(sop="sop-surat-masuk") + MONEV_ROW.format(sop=f"{KEC}/sop-surat-masuk"))
    write(pemda / "_monev" / "2026-1.yaml", "unit: BAGIAN ORGANISASI\nhasil:\n"
          + MONEV_ROW.format(sop=f"{DINAS}/sop-penerbitan-akta-kelahiran"))
    report = check(str(pemda), history=False, cache_dir=None)
    said = [d for d in report.diagnostics if d.code == "monev-sop-instansi-lain"]
    assert [(Path(d.loc.path), d.loc.line, d.level.value) for d in said] == [
        (pemda / DINAS / "_monev" / "2026-1.yaml", 10, "peringatan")]
    assert f"SOP '{KEC}/sop-surat-masuk' milik instansi '{KEC}'" in said[0].message
    assert f"{KEC}/_monev/2026-1.yaml" in said[0].hint
    assert report.monitoring.of(f"{KEC}/sop-surat-masuk")  # read and counted all the same
    assert not [d for d in report.errors if "_monev" in d.loc.path]
    done = sop_main("check", str(pemda))
    assert done.returncode == 0 and "[monev-sop-instansi-lain]" in done.stdout + done.stderr


def test_a_record_naming_a_full_id_that_is_no_sop_is_said_as_written(pemda: Path):
    """`sop: kecamatan-bungursari/../x` in the kecamatan's records: no path is followed, and the message
    quotes the id as written (not put under the institution again)."""
    path = pemda / KEC / "_monev" / "2026-1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - sop: sop-rekomendasi-izin-keramaian", f"  - sop: {KEC}/../x", 1),
                    encoding="utf-8")
    report = check(str(pemda), history=False, cache_dir=None)
    unknown = [d for d in report.errors if d.code == "monev-sop-tak-dikenal"]
    assert len(unknown) == 1 and Path(unknown[0].loc.path) == path
    assert f"SOP '{KEC}/../x' tidak ada" in unknown[0].message and f"{KEC}/{KEC}" not in unknown[0].message


# --- nomor -----------------------------------------------------------------------------------------

def test_a_nomor_may_repeat_across_institutions_not_within_one(pemda: Path):
    kelurahan = pemda / KEC / "kelurahan-cibening"
    write(kelurahan / "_instansi.yaml", "hierarki:\n  - KELURAHAN CIBENING\n")
    shutil.copy(pemda / KEC / "sop-surat-masuk.yaml", kelurahan / "sop-surat-masuk.yaml")
    report = check(str(pemda), history=False, cache_dir=None)
    assert "nomor-sop-ganda" not in codes(report)  # three institutions, one nomor
    twin = pemda / DINAS / "sop-surat-masuk-elektronik.yaml"
    shutil.copy(pemda / DINAS / "sop-surat-masuk.yaml", twin)
    report = check(str(pemda), history=False, cache_dir=None)
    found = [d for d in report.diagnostics if d.code == "nomor-sop-ganda"]
    assert len(found) == 1 and found[0].is_error
    assert str(pemda / DINAS) in found[0].loc.path and "instansi yang sama" in found[0].message


# --- sop new --instansi ----------------------------------------------------------------------------

@pytest.mark.slow
def test_sop_new_in_an_institution(pemda: Path):
    project = pemda.parent
    done = sop_main("new", "Pelayanan Akta Kematian", "--instansi", DINAS, cwd=project)
    assert done.returncode == 0, done.stderr
    made = pemda / DINAS / "sop-pelayanan-akta-kematian.yaml"
    assert made.is_file()
    assert f"id SOP: {DINAS}/sop-pelayanan-akta-kematian" in done.stdout
    first = made.read_text(encoding="utf-8").splitlines()[0]  # the schema, relative to the file's own folder
    assert (made.parent / first.split("$schema=")[1]).resolve() == (ROOT / "plugins/sopcode/schema.json").resolve()
    checked = sop_main("check", "--json", str(made), cwd=project)
    assert all(d["code"] != "keterkaitan-tak-ada" for d in json.loads(checked.stdout))
    # Without --instansi: the data folder, as before.
    done = sop_main("new", "Pelayanan Umum", cwd=project)
    assert done.returncode == 0 and (pemda / "sop-pelayanan-umum.yaml").is_file()


@pytest.mark.slow
def test_sop_new_refuses_a_folder_that_is_no_institution(pemda: Path):
    project = pemda.parent
    (pemda / "arsip").mkdir()
    done = sop_main("new", "Pelayanan Umum", "--instansi", "arsip", cwd=project)
    assert done.returncode == 2 and not list((pemda / "arsip").iterdir())
    assert "bukan folder instansi: _instansi.yaml tidak ada di dalamnya" in done.stderr
    assert "sop_data/arsip/_instansi.yaml" in done.stderr and "hierarki:\n          - ARSIP\n" in done.stderr
    # The example names the folder's own institution, never another one's.
    assert "KEPENDUDUKAN" not in done.stderr
    done = sop_main("new", "Pelayanan Umum", "--instansi", "dinas-kependudukn", cwd=project)
    assert done.returncode == 2
    assert "folder instansi 'dinas-kependudukn' tidak ada" in done.stderr
    assert "maksud Anda: 'dinas-kependudukan'?" in done.stderr
    # A new institution: the ones there are, and how to make the new one (its folder and _instansi.yaml).
    done = sop_main("new", "Penerimaan Peserta Didik Baru", "--instansi", "dinas-pendidikan", cwd=project)
    assert done.returncode == 2 and not (pemda / "dinas-pendidikan").exists()
    assert f"instansi yang ada: {DINAS}, {KEC}; untuk instansi baru, buat dulu folder sop_data/dinas-pendidikan " \
           "dan di dalamnya _instansi.yaml" in done.stderr
    assert "hierarki:\n          - DINAS PENDIDIKAN\n" in done.stderr


def test_sop_new_refuses_an_institution_outside_the_data_folder_or_through_a_link(pemda: Path, tmp_path: Path):
    """An SOP written there would never be published (or not under the id said): nothing is written, and
    the fix names the folders of the data folder, not a file to make elsewhere."""
    project = pemda.parent
    elsewhere = tmp_path / "lain" / "dinas-lain"
    write(elsewhere / "_instansi.yaml", "hierarki:\n  - DINAS LAIN\n")
    (pemda / "tautan-dinas").symlink_to(pemda / DINAS, target_is_directory=True)
    before = tree_hash(pemda)
    for given in ("../../lain/dinas-lain", str(elsewhere), "../../tidak-ada", "tautan-dinas"):
        done = sop_main("new", "Pelayanan Umum", "--instansi", given, cwd=project)
        assert done.returncode == 2, given
        assert "berada di luar folder data sop_data atau dicapai lewat tautan simbolik" in done.stderr, given
        assert f"instansi yang ada: {DINAS}, {KEC}" in done.stderr and "Traceback" not in done.stderr
    assert list(elsewhere.iterdir()) == [elsewhere / "_instansi.yaml"] and tree_hash(pemda) == before


@pytest.mark.slow
def test_sop_diff_takes_an_institution_s_id(pemda: Path):
    project = pemda.parent
    git = ["git", "-c", "user.name=Uji", "-c", "user.email=uji@example.org", "-c", "core.hooksPath=/dev/null"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True, timeout=60)
    subprocess.run([*git, "add", "sop_data"], cwd=project, check=True, timeout=60)
    subprocess.run([*git, "commit", "-qm", "SOP pertama"], cwd=project, check=True, timeout=60)
    sm = pemda / DINAS / "sop-surat-masuk.yaml"
    sm.write_text(sm.read_text(encoding="utf-8").replace("nama: Pengelolaan Surat Masuk",
                                                         "nama: Pengelolaan Surat Masuk Dinas"), encoding="utf-8")
    done = sop_main("diff", f"{DINAS}/sop-surat-masuk", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "Nama SOP: Pengelolaan Surat Masuk → Pengelolaan Surat Masuk Dinas" in done.stdout
    # The bare file name is two institutions' SOPs: both full ids are offered.
    done = sop_main("diff", "sop-surat-masuk", cwd=project)
    assert done.returncode == 2
    assert f"{DINAS}/sop-surat-masuk, {KEC}/sop-surat-masuk" in done.stderr


@pytest.mark.slow
def test_checking_one_institution_s_folder_writes_nothing_into_the_data_folder(pemda: Path):
    before = tree_hash(pemda)
    done = sop_main("check", f"sop_data/{DINAS}", cwd=pemda.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "keterkaitan-tak-ada" not in done.stdout  # the kecamatan's SOP it refers to is known
    assert tree_hash(pemda) == before
    assert (pemda.parent / ".cache" / "sop").is_dir()  # the project's cache, beside sop_data/


def test_an_institution_folder_name_that_cannot_be_an_id_is_refused_and_long_ids_are_no_long_file_names(
        pemda: Path):
    odd = pemda / "dinas\x1b[2Jpendidikan"
    shutil.copytree(pemda / DINAS, odd)
    report = check(str(pemda), history=False, cache_dir=None)
    refused = [d for d in report.diagnostics if d.code == "nama-berkas-salah"]
    assert len(refused) == 1 and Path(refused[0].loc.path) == odd / "_instansi.yaml"
    assert "\x1b" not in refused[0].message and "\\x1b" in refused[0].message
    assert not [s for s in report.summaries if "\x1b" in s.id]  # none of its SOPs read, nor published
    shutil.rmtree(odd)
    # The 100-character limit is the file name's: a long institution folder adds to the id, not to it.
    deep = pemda / KEC / ("kelurahan-" + "x" * 60)
    write(deep / "_instansi.yaml", "hierarki:\n  - KELURAHAN X\n")
    shutil.copy(pemda / KEC / "sop-surat-masuk.yaml", deep / ("sop-" + "y" * 90 + ".yaml"))
    report = check(str(pemda), history=False, cache_dir=None)
    assert "id-terlalu-panjang" not in codes(report)
    shutil.copy(pemda / KEC / "sop-surat-masuk.yaml", deep / ("sop-" + "y" * 100 + ".yaml"))
    report = check(str(pemda), history=False, cache_dir=None)
    assert codes(report).count("id-terlalu-panjang") == 1


def test_institution_and_file_names_the_site_s_own_files_take_are_refused_the_others_published(pemda: Path):
    """Ids carry folders, so a folder or file name could put a page where another's file is: an institution
    `index` or `README` (its home would be instansi/, the top's; `a/index` that of `a`), a folder `x.pdf`
    (pdf/x.pdf/ where SOP x's PDF is), an SOP `x/x.yaml.yaml` (sop/x/x.yaml/ where SOP x's download is).
    Each is said at its file, its SOPs not read; folders named as the site's own folders are fine."""
    for name in ("pdf", "sop", "assets", "search", "instansi", "monev"):
        write(pemda / name / "_instansi.yaml", f"hierarki:\n  - BADAN {name.upper()}\n")
        shutil.copy(pemda / DINAS / "sop-surat-masuk.yaml", pemda / name / "sop-surat-masuk.yaml")
    report = check(str(pemda), history=False, cache_dir=None)
    assert "nama-berkas-salah" not in codes(report)
    assert {f"{n}/sop-surat-masuk" for n in ("pdf", "sop", "assets", "search", "instansi", "monev")} <= {
        s.id for s in report.summaries}
    for folder in ("index", "README", f"{KEC}/index", "laporan.pdf"):
        write(pemda / folder / "_instansi.yaml", "hierarki:\n  - BIDANG X\n")
        shutil.copy(pemda / DINAS / "sop-surat-masuk.yaml", pemda / folder / "sop-lain.yaml")
    shutil.copy(pemda / DINAS / "sop-surat-masuk.yaml", pemda / DINAS / "sop-arsip.yaml.yaml")
    shutil.copy(pemda / DINAS / "sop-surat-masuk.yaml", pemda / DINAS / "bagan-alir.svg.yaml")
    shutil.copy(pemda / DINAS / "sop-surat-masuk.yaml", pemda / DINAS / "bagan-alir.html.yaml")
    report = check(str(pemda), history=False, cache_dir=None)
    refused = {str(Path(d.loc.path).relative_to(pemda)): d for d in report.diagnostics
               if d.code == "nama-berkas-salah"}
    assert set(refused) == {"index/_instansi.yaml", "README/_instansi.yaml", f"{KEC}/index/_instansi.yaml",
                            "laporan.pdf/_instansi.yaml", f"{DINAS}/sop-arsip.yaml.yaml",
                            f"{DINAS}/bagan-alir.svg.yaml", f"{DINAS}/bagan-alir.html.yaml"}
    assert "nama folder instansi 'README' dipakai situs" in refused["README/_instansi.yaml"].message
    assert refused[f"{DINAS}/sop-arsip.yaml.yaml"].hint.startswith("hapus '.yaml' dari namanya, misalnya `sop-arsip.yaml`")
    ids = {s.id for s in report.summaries}
    assert not {"index/sop-lain", "README/sop-lain", f"{KEC}/index/sop-lain", "laporan.pdf/sop-lain",
                f"{DINAS}/sop-arsip.yaml", f"{DINAS}/bagan-alir.svg", f"{DINAS}/bagan-alir.html"} & ids
    assert f"{KEC}/sop-surat-masuk" in ids  # the institution above a refused one is read as before
    # Two institution folders one letter's case apart are one folder of the site on Windows and macOS.
    shutil.copytree(pemda / DINAS, pemda / "Dinas-Kependudukan")
    report = check(str(pemda), history=False, cache_dir=None)
    twins = [d for d in report.diagnostics if d.code == "nama-berkas-salah" and "Dinas-" in d.loc.path
             and d.loc.path.endswith("_instansi.yaml")]
    assert len(twins) == 1 and twins[0].loc.path.endswith("Dinas-Kependudukan/_instansi.yaml")
    assert f"hanya berbeda huruf besar-kecil (atau cara menulis hurufnya) dari '{DINAS}'" in twins[0].message
    assert "id-ganda" not in codes(report)  # its SOPs are not read: no message for each of them
    assert not [s for s in report.summaries if s.id.startswith("Dinas-")]
    assert f"{DINAS}/sop-surat-masuk" in {s.id for s in report.summaries}
    shutil.rmtree(pemda / "Dinas-Kependudukan")
    # A top's SOP has no institution folder beside it to fall into: its name is read as before.
    shutil.copy(pemda / DINAS / "sop-surat-masuk.yaml", pemda / "sop-arsip.yaml.yaml")
    report = check(str(pemda), history=False, cache_dir=None)
    assert "sop-arsip.yaml" in {s.id for s in report.summaries}
