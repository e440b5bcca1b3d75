"""The `sop` command as a user runs it: exit codes, Indonesian text, never overwriting."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, ROOT, run_sop, sop_main, tree_hash
from sopcode.model.load import load_sop


def test_check_passes_on_sop_data_with_warnings_and_fails_strict(seed_data: Path):
    before = tree_hash(seed_data)
    result = sop_main("check", str(seed_data))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "peringatan" in result.stdout and "LULUS" in result.stdout
    strict = sop_main("check", "--strict", str(seed_data))
    assert strict.returncode == 1 and "GAGAL" in strict.stderr
    assert tree_hash(seed_data) == before


def test_check_exits_1_on_errors_with_file_line_and_hint():
    result = sop_main("check", str(FIXTURES / "rusak" / "pelaksana-tak-dikenal.yaml"))
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert re.match(r".*pelaksana-tak-dikenal\.yaml:\d+:\d+: galat: ", first)
    assert result.stdout.splitlines()[1].startswith("    perbaikan: ")
    assert "Traceback" not in result.stderr


def test_check_on_missing_path_is_a_clear_error():
    result = sop_main("check", "tidak-ada.yaml")
    assert result.returncode == 2 and "tidak ada" in result.stderr


def test_check_json_output_is_machine_readable():
    import json
    result = sop_main("check", "--json", str(FIXTURES / "rusak" / "target-tak-ada.yaml"))
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert {"path", "line", "col", "level", "code", "message", "hint"} <= set(data[0])


def test_help_is_in_indonesian():
    for args in (["--help"], ["check", "--help"], ["new", "--help"], ["schema", "--help"]):
        out = sop_main(*args).stdout
        assert out.startswith("pemakaian: sop")
        assert "usage" not in out and "show this help" not in out and "options:" not in out
    bad = sop_main("check", "--tidak-ada")
    assert bad.returncode == 2 and "argumen tidak dikenal" in bad.stderr


def test_new_writes_a_template_that_loads_and_never_overwrites(tmp_path: Path):
    shutil.copy(ROOT / "sop_data" / "_instansi.yaml", tmp_path / "_instansi.yaml")
    result = sop_main("new", "Pelayanan Surat Keterangan Domisili", "--folder", str(tmp_path))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "sop-pelayanan-surat-keterangan-domisili.yaml"
    sop, _diags = load_sop(str(path))
    assert sop is not None and sop.nama == "Pelayanan Surat Keterangan Domisili"
    assert sop.tanggal_pembuatan == sop.tanggal_efektif == dt.date.today()
    assert not sop.disahkan_oleh.nip  # no sample NIP to be published as the signer's
    # Every "..." left is an error on its own line, so an unfilled template is never published.
    text = path.read_text(encoding="utf-8")
    placeholders = [n for n, line in enumerate(text.splitlines(), 1)
                    if '"..."' in line and not line.lstrip().startswith("#")]
    check = sop_main("check", "--json", str(path))
    assert check.returncode == 1
    found = json.loads(check.stdout)
    assert sorted(d["line"] for d in found if d["code"] == "isian-contoh") == placeholders
    assert all(d["level"] == "galat" for d in found if d["code"] == "isian-contoh")
    path.write_text(text.replace('"..."', '"Diisi"').replace("  nip: ", '  nip: "19640104 199101 1 004"', 1),
                    encoding="utf-8")
    check = sop_main("check", str(path))
    assert check.returncode == 0, check.stdout
    path.write_text(text, encoding="utf-8")
    schema_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert (tmp_path / schema_line.split("$schema=")[1]).resolve() == (ROOT / "plugins/sopcode/schema.json").resolve()

    path.write_text("isi yang sudah diubah pengguna\n", encoding="utf-8")
    again = sop_main("new", "Pelayanan Surat Keterangan Domisili", "--folder", str(tmp_path))
    assert again.returncode == 1 and "tidak ditimpa" in again.stderr
    assert path.read_text(encoding="utf-8") == "isi yang sudah diubah pengguna\n"


def test_new_with_hostile_name_writes_valid_yaml(tmp_path: Path):
    name = 'Uji "kutip" \\ {{ x }} <b>: # bukan komentar'
    result = sop_main("new", name, "--folder", str(tmp_path))
    assert result.returncode == 0, result.stderr
    sop, _diags = load_sop(str(next(tmp_path.glob("sop-*.yaml"))))
    assert sop is not None and sop.nama == name


def test_a_file_named_from_inside_its_folder_is_not_its_own_duplicate(seed_data: Path):
    """`sop check x.yaml` run inside sop_data/ sees x.yaml once, not also as ./x.yaml."""
    result = sop_main("check", "sop-surat-keterangan-domisili.yaml", cwd=seed_data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ganda" not in result.stdout + result.stderr


def test_json_output_survives_a_file_name_that_is_not_utf8(tmp_path: Path):
    import json
    import os

    good = (FIXTURES / "baik" / "minimal.yaml").read_bytes()
    with open(os.path.join(os.fsencode(tmp_path), b"sop-\xff\x1b[2K.yaml"), "wb") as fh:
        fh.write(good.replace(b"waktu: 5 menit", b"waktu: lima menit"))
    done = run_sop("check", "--json", str(tmp_path))
    assert "Traceback" not in done.stderr, done.stderr
    found = json.loads(done.stdout)
    assert [d["code"] for d in found] == ["nama-berkas-salah"] and done.returncode == 1
    assert "\x1b" not in done.stdout and "\x1b" not in done.stderr


@pytest.mark.slow
def test_pdf_and_gambar_are_commands_with_indonesian_help_and_messages(tmp_path: Path):
    top = run_sop("--help").stdout
    assert "pdf       cetak lembar SOP dan buku SOP ke PDF" in top and "gambar    gambar bagan alir" in top
    for command in ("pdf", "gambar"):
        out = run_sop(command, "--help").stdout
        assert out.startswith(f"pemakaian: sop {command}") and "--keluar FOLDER" in out and "opsi:" in out
    missing = run_sop("pdf", str(tmp_path / "tidak-ada"), "--keluar", str(tmp_path / "pdf"))
    assert missing.returncode == 2 and "galat: folder" in missing.stderr and "tidak ada" in missing.stderr
    missing = run_sop("gambar", str(tmp_path / "tidak-ada.yaml"), "--keluar", str(tmp_path / "g"))
    assert missing.returncode == 2 and "galat: berkas" in missing.stderr and "tidak ada" in missing.stderr
    (tmp_path / "kosong").mkdir()
    empty = run_sop("pdf", str(tmp_path / "kosong"), "--keluar", str(tmp_path / "pdf"))
    assert empty.returncode == 1 and "tidak ada berkas SOP" in empty.stderr, empty.stderr
    bad = run_sop("pdf", "--kertas", "A3")
    assert bad.returncode == 2 and "pilihan tidak dikenal" in bad.stderr
    assert not (tmp_path / "pdf").exists() and not (tmp_path / "g").exists()  # nothing written



def _typed(command: str, cwd: Path, path: str = "/usr/bin:/bin") -> subprocess.CompletedProcess:
    """``command`` typed into a shell in ``cwd``, with only ``path`` on PATH (no venv activated)."""
    env = {**os.environ, "PATH": path}
    return subprocess.run(["/bin/sh", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def _said_command(out: str) -> str:
    return next(line for line in out.splitlines() if "lalu jalankan: " in line).split("lalu jalankan: ", 1)[1]


@pytest.mark.parametrize("typed, path", [
    (".venv/bin/sop", "/usr/bin:/bin"),                  # as the README shows it, from the project folder
    (str(BIN / "sop"), "/usr/bin:/bin"),                 # by its full path
    ("sop", f"{BIN}:/usr/bin:/bin"),                     # from PATH (a venv activated)
], ids=["relatif", "jalur-penuh", "dari-PATH"])
def test_the_commands_sop_new_tells_work_as_typed(tmp_path: Path, typed: str, path: str):
    """The follow-up command printed by `sop new`, and the one in the new file's comment, run as they
    are written in the shell the user typed `sop new` into: no `sop: command not found`."""
    if typed.startswith(".venv") and BIN != ROOT / ".venv" / "bin":
        pytest.skip("the venv is not the project's .venv")
    folder = tmp_path / "data baru"  # a space: the file's path is quoted for the shell
    made = _typed(f"{typed} new 'Pelayanan Surat Pindah' --folder '{folder}'", ROOT, path)
    assert made.returncode == 0, made.stderr
    said = _said_command(made.stdout)
    program = os.path.relpath(typed, ROOT) if typed.startswith(str(ROOT) + os.sep) else typed
    assert said.split()[0] == program, said  # the full path typed inside the project is said shorter
    template = (folder / "sop-pelayanan-surat-pindah.yaml").read_text(encoding="utf-8")
    comment = next(line for line in template.splitlines() if "periksa dengan:" in line).split("periksa dengan:")[1]
    assert comment.strip() == said  # one command: running it once runs both (a shell skips the spaces around)
    check = _typed(said, ROOT, path)
    # The template is unfilled: sop check runs and reports its placeholders (exit 1), not 127.
    assert check.returncode == 1 and "[isian-contoh]" in check.stdout, (said, check.stdout + check.stderr)


def test_a_program_typed_from_its_own_folder_is_said_with_dot_slash(tmp_path: Path):
    made = _typed(f"./sop new 'Pelayanan Surat Pindah' --folder {tmp_path}", BIN)
    said = _said_command(made.stdout)
    assert said.startswith("./sop check ") and _typed(said, BIN).returncode == 1


def test_sop_gambar_on_a_broken_file_names_the_check_command_as_typed(tmp_path: Path):
    if BIN != ROOT / ".venv" / "bin":
        pytest.skip("the venv is not the project's .venv")
    broken = tmp_path / "sop-rusak.yaml"
    shutil.copy(FIXTURES / "rusak" / "pelaksana-tak-dikenal.yaml", broken)
    done = _typed(f".venv/bin/sop gambar {broken} --keluar {tmp_path / 'gambar'}", ROOT)
    assert done.returncode == 1 and not (tmp_path / "gambar").exists()
    said = re.search(r"\(`([^`]+)` menampilkan pesan yang sama\)", done.stderr)
    assert said and said[1] == f".venv/bin/sop check {broken}", done.stderr
    check = _typed(said[1], ROOT)
    assert check.returncode == 1 and "[pelaksana-tak-dikenal]" in check.stdout, check.stdout + check.stderr
