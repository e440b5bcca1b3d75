"""Hostile file systems: links to devices and to files outside the project, named pipes, names that
collide with the site's own files or differ only in case, file names that are almost an SOP's.
Real files in a temporary folder, checked and built as a user would, read back as a user sees them."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BIN, ROOT, copy_sources, run_sop

pytestmark = pytest.mark.slow  # a `sop check` process per hostile file: 5 s of CPU in all

GOOD = ROOT / "sop_data" / "sop-surat-keterangan-domisili.yaml"
SECRET = "RahasiaSekali-0123456789"


def data_folder(tmp_path: Path, *sops: str) -> Path:
    """A project of one data folder: the settings and valid SOPs under the given ids."""
    data = tmp_path / "proyek" / "sop_data"
    data.mkdir(parents=True)
    shutil.copy(ROOT / "sop_data" / "_instansi.yaml", data)
    for sop_id in sops:
        shutil.copy(GOOD, data / f"{sop_id}.yaml")
    return data


def check(folder: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """`sop check` as a user runs it, from the project's folder (a regression fails instead of hanging)."""
    return subprocess.run([str(BIN / "sop"), "check", folder.name], cwd=folder.parent, capture_output=True,
                          text=True, timeout=timeout)


def site_project(tmp_path: Path) -> Path:
    """A copy of the repository's site sources, built without PDFs (no browser needed)."""
    project = tmp_path / "situs"
    project.mkdir()
    copy_sources(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      data_dir: sop_data", "      data_dir: sop_data\n      pdf: false"))
    return project


def mkdocs(project: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(BIN / "mkdocs"), "build"], cwd=project, capture_output=True, text=True,
                          timeout=timeout, env=env)


def published(project: Path) -> list[str]:
    site = project / "site"
    return sorted(str(p.relative_to(site)) for p in site.rglob("*")) if site.is_dir() else []


# --- 1. devices: never read without limit ------------------------------------------------

@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_refused_at_once(tmp_path: Path, device: str):
    data = data_folder(tmp_path, "sop-baik")
    (data / "sop-nol.yaml").symlink_to(device)
    done = check(data, timeout=30)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (f"sop_data/sop-nol.yaml:1:1: galat: berkas ini tautan simbolik ke '{device}', di luar folder proyek; "
            "isinya tidak dibaca dan tidak diterbitkan [tautan-ke-luar]") in done.stdout
    assert "perbaikan: simpan berkasnya sendiri (bukan tautan)" in done.stdout
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr
    assert "1 galat, 0 peringatan pada 1 berkas SOP: GAGAL" in done.stderr


def test_a_device_is_never_read_whatever_its_name(tmp_path: Path):
    from sopcode.model.load import load_instansi, load_sop, read_for_key
    for device in ("/dev/zero", "/dev/urandom"):
        sop, diags = load_sop(device)
        assert sop is None and [d.code for d in diags] == ["bukan-berkas-biasa"], diags
        assert "berupa berkas perangkat, bukan berkas teks" in diags[0].message
        assert read_for_key(device) is None
        _, diags = load_instansi(device)
        assert [d.code for d in diags] == ["bukan-berkas-biasa"]
    # Given on the command line: said and skipped, never opened.
    done = run_sop("check", "/dev/zero")
    assert "/dev/zero:1:1: peringatan: 'zero' berupa berkas perangkat" in done.stdout, done.stdout + done.stderr


def test_the_peak_memory_of_sop_check_over_a_dev_zero_link_stays_small(tmp_path: Path):
    data = data_folder(tmp_path, "sop-baik")
    (data / "sop-nol.yaml").symlink_to("/dev/zero")
    (data / "sop-acak.yaml").symlink_to("/dev/urandom")
    # A fresh parent: RUSAGE_CHILDREN holds the largest child it ever waited for, only sop check here.
    probe = ("import resource, subprocess, sys\n"
             "done = subprocess.run(sys.argv[1:], capture_output=True, timeout=60)\n"
             "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", probe, str(BIN / "sop"), "check", str(data)],
                         capture_output=True, text=True, timeout=90)
    assert out.returncode == 0, out.stderr
    rc, peak_kb = map(int, out.stdout.split())
    assert rc == 1
    assert peak_kb < 100 * 1024, f"sop check used {peak_kb / 1024:.0f} MB"


def test_a_file_too_large_is_said_with_its_size_in_indonesian(tmp_path: Path):
    data = data_folder(tmp_path, "sop-baik")
    (data / "sop-besar.yaml").write_bytes(b"a" * 52_428_807)
    done = check(data)
    assert done.returncode == 1
    assert ("sop_data/sop-besar.yaml:1:1: galat: berkas berukuran 52.428.807 bita, melebihi batas 1.000.000 bita "
            "[berkas-terlalu-besar]") in done.stdout, done.stdout


# --- 2. links out of the project ---------------------------------------------------------

def test_a_link_to_a_file_outside_prints_none_of_its_lines(tmp_path: Path):
    data = data_folder(tmp_path, "sop-baik")
    outside = tmp_path / "luar" / "shadow"
    outside.parent.mkdir()
    outside.write_text(f"root:{SECRET}:19000:0:99999:7:::\nkata_sandi: {SECRET}\n", encoding="utf-8")
    (data / "sop-s.yaml").symlink_to(outside)
    done = check(data)
    assert done.returncode == 1
    assert SECRET not in done.stdout + done.stderr
    assert f"sop_data/sop-s.yaml:1:1: galat: berkas ini tautan simbolik ke '{outside}', di luar folder proyek" \
        in done.stdout


@pytest.mark.slow
def test_a_link_to_a_valid_sop_outside_is_not_published(tmp_path: Path):
    project = site_project(tmp_path)
    outside = tmp_path / "luar" / "sop-luar.yaml"
    outside.parent.mkdir()
    shutil.copy(GOOD, outside)
    text = outside.read_text(encoding="utf-8")
    outside.write_text(text.replace("nomor:", f"# {SECRET}\nnomor:", 1), encoding="utf-8")
    (project / "sop_data" / "sop-luar.yaml").symlink_to(outside)
    built = mkdocs(project)
    assert built.returncode != 0
    assert "sop_data/sop-luar.yaml:1:1: galat: berkas ini tautan simbolik ke" in built.stderr, built.stderr
    assert not any("sop-luar" in p for p in published(project))
    for p in (project / "site").rglob("*") if (project / "site").is_dir() else ():
        assert not p.is_file() or SECRET.encode() not in p.read_bytes()


@pytest.mark.slow
def test_a_link_inside_the_project_is_read_and_published(tmp_path: Path):
    project = site_project(tmp_path)
    (project / "arsip").mkdir()
    source = GOOD.read_text(encoding="utf-8").replace("470/012/Kec.Bgs/2019", "470/999/Kec.Bgs/2019", 1)
    (project / "arsip" / "sop-arsip.yaml").write_text(source, encoding="utf-8")
    (project / "sop_data" / "sop-arsip.yaml").symlink_to(Path("..") / "arsip" / "sop-arsip.yaml")
    done = check(project / "sop_data")
    assert done.returncode == 0, done.stdout + done.stderr
    built = mkdocs(project)
    assert built.returncode == 0, built.stderr
    download = project / "site" / "sop" / "sop-arsip" / "sop-arsip.yaml"
    assert download.read_text(encoding="utf-8") == source
    assert not download.is_symlink()


def test_a_link_into_a_hidden_folder_of_the_project_is_refused(tmp_path: Path):
    data = data_folder(tmp_path, "sop-baik")
    hidden = data.parent / ".git" / "config"
    hidden.parent.mkdir()
    hidden.write_text(f'[remote "origin"]\n\turl = https://{SECRET}@example.org/x.git\n', encoding="utf-8")
    (data / "sop-git.yaml").symlink_to(Path("..") / ".git" / "config")
    done = check(data)
    assert done.returncode == 1 and SECRET not in done.stdout + done.stderr
    assert "sop_data/sop-git.yaml:1:1: galat: berkas ini tautan simbolik ke '../.git/config', berkas tersembunyi " \
           "atau isi folder tersembunyi '.git'" in done.stdout, done.stdout


def test_a_settings_file_linked_from_outside_is_refused(tmp_path: Path):
    data = data_folder(tmp_path, "sop-baik")
    outside = tmp_path / "luar" / "_instansi.yaml"
    outside.parent.mkdir()
    outside.write_text(f"hierarki: [{SECRET}]\n", encoding="utf-8")
    (data / "_instansi.yaml").unlink()
    (data / "_instansi.yaml").symlink_to(outside)
    done = check(data)
    assert done.returncode == 1
    assert "sop_data/_instansi.yaml:1:1: galat: berkas ini tautan simbolik ke" in done.stdout, done.stdout
    # Beside a single file given: the same.
    done = run_sop("check", str(data / "sop-baik.yaml"))
    assert "_instansi.yaml:1:1: galat: berkas ini tautan simbolik ke" in done.stdout, done.stdout


# --- 3. named pipes: never opened ---------------------------------------------------------

def test_a_named_pipe_is_said_and_skipped_by_sop_check(tmp_path: Path):
    data = data_folder(tmp_path, "sop-baik")
    os.mkfifo(data / "sop-x.yaml")
    done = check(data, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ("sop_data/sop-x.yaml:1:1: peringatan: 'sop-x.yaml' berupa pipa bernama (FIFO), bukan berkas teks; "
            "tidak dibaca dan dilewati [bukan-berkas-biasa]") in done.stdout
    assert "0 galat, 1 peringatan pada 1 berkas SOP: LULUS" in done.stdout


def test_a_named_pipe_opened_directly_does_not_block(tmp_path: Path):
    from sopcode.model.load import load_sop
    fifo = tmp_path / "sop-x.yaml"
    os.mkfifo(fifo)
    old = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("reading a named pipe blocked"))
    signal.alarm(10)
    try:
        sop, diags = load_sop(str(fifo))  # past the folder's check (a file swapped since): O_NONBLOCK
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert sop is None and [d.code for d in diags] == ["bukan-berkas-biasa"]


@pytest.mark.slow
def test_a_named_pipe_does_not_hang_the_site_build(tmp_path: Path):
    project = site_project(tmp_path)
    os.mkfifo(project / "sop_data" / "sop-x.yaml")
    os.mkfifo(project / "sop_data" / "_lain.yaml")  # not an SOP's name: not even looked at
    built = mkdocs(project, timeout=300)
    assert built.returncode == 0, built.stderr
    assert "sop_data/sop-x.yaml:1:1: peringatan: 'sop-x.yaml' berupa pipa bernama (FIFO)" in built.stderr
    assert not any("sop-x" in p for p in published(project))
    assert "sop/sop-surat-keterangan-domisili/index.html" in published(project)


# --- 9. names: the site's own files, case, almost-SOP names -------------------------------

def distinct(data: Path) -> None:
    """Give each SOP of the folder its own Nomor SOP (copies of one SOP share it)."""
    for n, path in enumerate(sorted(p for p in data.glob("*") if not p.name.startswith("_"))):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("470/012/Kec.Bgs/2019", f"470/{n:03}/Uji/2019", 1), encoding="utf-8")


@pytest.mark.parametrize("sop_id", ["index", "README", "buku-sop", "Index", "BUKU-SOP"])
def test_an_id_taken_by_the_site_is_an_error_with_a_new_name(tmp_path: Path, sop_id: str):
    data = data_folder(tmp_path, "sop-baik", sop_id)
    distinct(data)
    done = check(data)
    assert done.returncode == 1
    assert f"sop_data/{sop_id}.yaml:1:1: galat: id SOP '{sop_id}' dipakai situs untuk" in done.stdout, done.stdout
    assert "[id-dicadangkan]" in done.stdout
    assert f"perbaikan: id SOP adalah nama berkasnya: ganti nama berkas, misalnya menjadi 'sop-{sop_id.lower()}.yaml'" \
        in done.stdout


@pytest.mark.slow
def test_a_reserved_id_stops_the_build_and_nothing_is_published(tmp_path: Path):
    project = site_project(tmp_path)
    shutil.copy(GOOD, project / "sop_data" / "buku-sop.yaml")
    distinct(project / "sop_data")
    built = mkdocs(project)
    assert built.returncode != 0
    assert "sop_data/buku-sop.yaml:1:1: galat: id SOP 'buku-sop' dipakai situs untuk buku SOP" in built.stderr
    assert not any("buku-sop" in p for p in published(project))


def test_ids_differing_only_in_case_are_an_error(tmp_path: Path):
    data = data_folder(tmp_path, "sop-a", "SOP-A")
    distinct(data)
    done = check(data)
    assert done.returncode == 1
    assert ("sop_data/sop-a.yaml:1:1: galat: id SOP 'sop-a' hanya berbeda huruf besar-kecil dari 'SOP-A' "
            "(sop_data/SOP-A.yaml)") in done.stdout, done.stdout
    assert "perbaikan: id SOP adalah nama berkasnya: ganti nama salah satu berkas" in done.stdout
    assert done.stdout.count("[id-ganda]") == 1


@pytest.mark.parametrize(("name", "meant"), [("sop-b.YAML", "sop-b.yaml"), ("sop-b.Yaml", "sop-b.yaml"),
                                             ("sop-b.yaml ", "sop-b.yaml"), ("sop-b.YML", "sop-b.yaml"),
                                             ("_Instansi.yaml", "_instansi.yaml")])
def test_a_file_almost_named_as_an_sop_is_said_not_skipped_silently(tmp_path: Path, name: str, meant: str):
    data = data_folder(tmp_path, "sop-baik")
    shutil.copy(GOOD, data / name)
    (data / "catatan.txt").write_text("bukan SOP\n", encoding="utf-8")
    done = check(data)
    assert f"sop_data/{name}:1:1: peringatan: berkas '{name}' tidak dibaca" in done.stdout, done.stdout
    assert f"perbaikan: ganti namanya menjadi '{meant}'" in done.stdout
    assert "catatan.txt" not in done.stdout
    assert "1 peringatan pada 1 berkas SOP" in done.stdout


# --- 13. digits 0-9 only; OS errors in Indonesian -------------------------------------------

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(("old", "code"), [
    ("  - no: 1\n", "tipe-salah"),
    ('  nip: "19640104 199101 1 004"\n', "nip-salah"),
    ("tanggal_efektif: 2019-02-11\n", "tanggal-salah"),
    ("      waktu: 5 menit\n", "waktu-salah"),
])
def test_only_the_digits_0_to_9_are_numbers(tmp_path: Path, old: str, code: str):
    data = data_folder(tmp_path, "sop-angka")
    path = data / "sop-angka.yaml"
    text = path.read_text(encoding="utf-8")
    key, value = old.split(":", 1)
    assert old in text
    path.write_text(text.replace(old, f"{key}:{value.translate(ARABIC)}", 1), encoding="utf-8")
    done = check(data)
    assert done.returncode == 1, done.stdout
    assert f"[{code}]" in done.stdout, done.stdout


def test_hours_of_a_working_day_in_other_digits_are_refused(tmp_path: Path):
    data = data_folder(tmp_path, "sop-baik")
    settings = data / "_instansi.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("jam_kerja_per_hari: 7.5",
                                                                     "jam_kerja_per_hari: ٧"), encoding="utf-8")
    done = check(data)
    assert done.returncode == 1 and "'jam_kerja_per_hari' harus berupa angka antara 1 dan 24" in done.stdout


def test_os_errors_are_said_in_indonesian(tmp_path: Path):
    from sopcode.model.load import load_sop
    from sopcode.model.yaml_reading import os_error_text
    data = data_folder(tmp_path, "sop-baik")
    (data / "sop-putar.yaml").symlink_to("sop-putar.yaml")  # a link to itself: ELOOP
    (data / "sop-hilang.yaml").symlink_to("sop-tidak-ada.yaml")  # dangling: ENOENT
    done = check(data)
    assert done.returncode == 1
    assert ("sop_data/sop-putar.yaml:1:1: galat: berkas tidak dapat dibaca: tautan simbolik berputar (menunjuk "
            "dirinya sendiri) atau bertingkat terlalu dalam [berkas-tak-terbaca]") in done.stdout, done.stdout
    assert "sop_data/sop-hilang.yaml:1:1: galat: berkas tidak dapat dibaca: berkas tidak ada" in done.stdout
    _, diags = load_sop(str(tmp_path / ("x" * 300 + ".yaml")))
    assert diags[0].message == "berkas tidak dapat dibaca: nama berkas atau jalurnya terlalu panjang"
    _, diags = load_sop(str(tmp_path))
    assert diags[0].code == "bukan-berkas-biasa" and "berupa folder" in diags[0].message
    said = {e: os_error_text(OSError(e, os.strerror(e)))[0] for e in
            (errno.ENOENT, errno.EACCES, errno.EISDIR, errno.ENAMETOOLONG, errno.ELOOP, errno.EIO)}
    assert said == {
        errno.ENOENT: "berkas tidak ada",
        errno.EACCES: "tidak ada izin membaca berkas ini",
        errno.EISDIR: "ini folder, bukan berkas",
        errno.ENAMETOOLONG: "nama berkas atau jalurnya terlalu panjang",
        errno.ELOOP: "tautan simbolik berputar (menunjuk dirinya sendiri) atau bertingkat terlalu dalam",
        errno.EIO: "galat baca pada media penyimpanan (disk rusak atau terputus)",
    }
    for text in said.values():
        assert os.strerror(errno.ENOENT) not in text


def test_a_data_folder_that_links_out_of_the_project_is_not_followed(tmp_path: Path):
    """A committed `sop_data -> /elsewhere`: what lies there is neither read, printed nor published."""
    outside = tmp_path / "di-luar"
    outside.mkdir()
    secret = (ROOT / "tests" / "fixtures" / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    (outside / "sop-rahasia.yaml").write_text(secret.replace("Penerimaan Tamu Dinas", "RAHASIA-LUAR"),
                                              encoding="utf-8")
    project = tmp_path / "proyek"
    project.mkdir()
    (project / "sop_data").symlink_to(outside)
    done = run_sop("check", "sop_data", cwd=project)
    assert done.returncode == 1 and "[tautan-ke-luar]" in done.stdout
    assert "RAHASIA-LUAR" not in done.stdout + done.stderr


def test_a_file_name_with_control_characters_is_refused_and_shown_escaped(tmp_path: Path):
    data = tmp_path / "sop_data"
    data.mkdir()
    good = (ROOT / "tests" / "fixtures" / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    (data / "sop-\x1b[31mmerah\u202e.yaml").write_text(good, encoding="utf-8")
    done = run_sop("check", str(data))
    assert done.returncode == 1 and "[nama-berkas-salah]" in done.stdout
    assert "\x1b" not in done.stdout + done.stderr and "\u202e" not in done.stdout + done.stderr


def test_a_linked_folder_in_the_data_and_a_fifo_logo_are_said(tmp_path: Path):
    project = tmp_path / "proyek"
    (project / "sop_data").mkdir(parents=True)
    (project / "lain").mkdir()
    good = (ROOT / "tests" / "fixtures" / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    (project / "lain" / "sop-a.yaml").write_text(good, encoding="utf-8")
    (project / "sop_data" / "sub").symlink_to(project / "lain")
    (project / "sop_data" / "sop-b.yaml").write_text(good, encoding="utf-8")
    os.mkfifo(project / "sop_data" / "logo.png")
    (project / "sop_data" / "_instansi.yaml").write_text("hierarki: [X]\nlogo: logo.png\n", encoding="utf-8")
    done = subprocess.run([str(BIN / "sop"), "check", "sop_data"], cwd=project, capture_output=True, text=True,
                          timeout=60)
    assert "folder 'sub' adalah tautan simbolik" in done.stdout and "[berkas-dilewati]" in done.stdout
    assert "bukan berkas biasa" in done.stdout and "[logo-bukan-gambar]" in done.stdout
