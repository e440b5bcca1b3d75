"""Hostile text inside values: escapes that write control characters or surrogates, and texts too long to print.

Each test runs the commands a user runs and reads what they see: the message with its line and column, the
exit code, no raw control character on the terminal, and (for long texts) every word on the printed sheet.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import BIN, FIXTURES, ROOT, run_sop

pytestmark = pytest.mark.slow  # a `sop check` process per hostile text: 3 s of CPU in all

SOP_ID = "sop-surat-keterangan-domisili"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def data_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "sop_data"
    folder.mkdir()
    shutil.copy(ROOT / "sop_data" / "_instansi.yaml", folder)
    shutil.copy(ROOT / "sop_data" / f"{SOP_ID}.yaml", folder)
    return folder


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- item 6: escapes that write control characters or surrogates --------------------------------------------

ESCAPES = {
    "emoji-surrogates": r"\uD83D\uDE00",
    "lone-surrogate": r"\uD800",
    "erase-line": r"\e[2K",
    "esc": r"\x1b",
    "nel-c1": r"\u0085",
    "nul": r"\0",
    "noncharacter": r"\uFFFF",
}


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_an_escaped_control_character_or_surrogate_is_refused_at_its_line_and_column(tmp_path, escape):
    folder = data_folder(tmp_path)
    path = folder / f"{SOP_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    # In a value, and (another file) in a key: every scalar is looked at.
    path.write_text(text.replace("  - Stempel dinas", f'  - "Stempel {escape} dinas"', 1), encoding="utf-8")
    line = line_of(path.read_text(encoding="utf-8"), '"Stempel')
    key_file = folder / "sop-kunci.yaml"
    key_file.write_text(text.replace("nama: ", f'"nam{escape}a": x\nnama: ', 1), encoding="utf-8")

    done = run_sop("check", str(folder))
    assert done.returncode == 1
    assert not RAW_CONTROL.search(done.stdout + done.stderr), repr(done.stdout + done.stderr)
    assert f"{SOP_ID}.yaml:{line}:5: galat: teks ini berisi" in done.stdout
    assert f"sop-kunci.yaml:{line_of(text, 'nama: ')}:1: galat: teks ini berisi" in done.stdout
    assert done.stdout.count("[karakter-kendali]") == 2  # one per file

    as_json = run_sop("check", "--json", str(folder))
    assert as_json.returncode == 1
    found = json.loads(as_json.stdout)
    assert {(Path(d["path"]).name, d["code"]) for d in found if d["level"] == "galat"} == {
        (f"{SOP_ID}.yaml", "karakter-kendali"), ("sop-kunci.yaml", "karakter-kendali")}


def test_a_surrogate_pair_is_told_as_the_character_it_meant(tmp_path):
    folder = data_folder(tmp_path)
    path = folder / f"{SOP_ID}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - Stempel dinas", r'  - "Stempel \uD83D\uDE00"', 1), encoding="utf-8")
    done = run_sop("check", str(folder))
    assert "sepasang surrogate UTF-16" in done.stdout and "\\U0001F600" in done.stdout and "😀" in done.stdout


def test_a_file_name_with_control_characters_is_printed_escaped(tmp_path):
    folder = data_folder(tmp_path)
    bad = folder / "sop-\x1b[2Kjahat.yaml"
    bad.write_text("nama: [\n", encoding="utf-8")
    done = run_sop("check", str(folder))
    assert done.returncode == 1
    assert "sop-\\x1b[2Kjahat.yaml:" in done.stdout
    assert not RAW_CONTROL.search(done.stdout + done.stderr), repr(done.stdout + done.stderr)


def test_a_message_quoting_a_value_shows_its_control_characters_as_escapes():
    from sopcode.diagnostics import Loc, galat

    d = galat(Loc("a\x1bb.yaml", 3, 4), "kode", "nilai 'x\x9b2J\ud800'", "hapus '\x07'")
    assert d.format() == "a\\x1bb.yaml:3:4: galat: nilai 'x\\x9b2J\\ud800' [kode]\n    perbaikan: hapus '\\x07'"


# --- item 8: limits, said at the value's line; at each limit the sheet prints every word ---------------------

def words(prefix: str, n: int) -> str:
    """Numbered words (``kg0000 kg0001 ...``), exactly ``n`` characters: each word can be looked for in the PDF."""
    out, i = [], 0
    while len(" ".join(out)) + 7 <= n:
        out.append(f"{prefix}{i:04d}")
        i += 1
    text = " ".join(out)
    return text + "x" * (n - len(text))


def at_limits(folder: Path, kegiatan: int, sel: int, actors: int, name: str = SOP_ID) -> Path:
    """The SOP with step 2's kegiatan, keterangan, kelengkapan and output of these lengths, and ``actors`` columns."""
    text = (ROOT / "sop_data" / f"{SOP_ID}.yaml").read_text(encoding="utf-8")
    text = text.replace("    kegiatan: Mengisi formulir permohonan dan melampirkan persyaratan",
                        f"    kegiatan: {json.dumps(words('kg', kegiatan))}\n"
                        f"    keterangan: {json.dumps(words('kt', sel))}", 1)
    text = re.sub(r"      kelengkapan:\n        - Formulir permohonan\n(        - .*\n)+",
                  f"      kelengkapan:\n        - {json.dumps(words('kl', sel))}\n", text, count=1)
    text = text.replace("      output: Berkas permohonan\n", f"      output: {json.dumps(words('op', sel))}\n", 1)
    have = re.search(r"(?m)^pelaksana:\n((?:  - .*\n)+)", text)
    extra = "".join(f"  - Kepala Subbagian Umum {i}\n" for i in range(actors - have.group(1).count("\n")))
    text = text[:have.end()] + extra + text[have.end():]
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_texts_and_lists_over_their_limit_are_errors_at_their_line(tmp_path):
    from sopcode.rules import limits as batas

    folder = data_folder(tmp_path)
    path = at_limits(folder, batas.KEGIATAN_MAX + 1, batas.SEL_MAX + 1, batas.AKTOR_MAX + 1)
    text = path.read_text(encoding="utf-8")
    long_id = folder / ("sop-" + "a" * (batas.ID_MAX - 3) + ".yaml")
    long_id.write_text((ROOT / "sop_data" / f"{SOP_ID}.yaml").read_text(encoding="utf-8").replace(
        "nomor: ", "nomor: X", 1), encoding="utf-8")
    done = run_sop("check", str(folder))
    assert done.returncode == 1
    out = done.stdout
    kegiatan_line = line_of(text, 'kegiatan: "kg')
    assert f"{SOP_ID}.yaml:{kegiatan_line}:15: galat: kegiatan langkah 2 'kg0000" in out
    assert "1.001 karakter, melebihi batas 1.000 karakter [teks-terlalu-panjang]" in out
    for key in ("keterangan", "kelengkapan", "output"):
        assert f"galat: {key} langkah 2 301 karakter, melebihi batas 300 karakter" in out
    actors_line = line_of(text, "\npelaksana:") + 1
    assert f"{SOP_ID}.yaml:{actors_line}:1: galat: 11 pelaksana, melebihi batas 10" in out
    assert f"{long_id.name}:1:1: galat: nama berkas SOP 101 karakter, melebihi batas 100" in out
    assert out.count("perbaikan:") >= 6


@pytest.mark.slow
@pytest.mark.browser
def test_at_every_limit_the_printed_sheet_holds_every_word(tmp_path):
    import subprocess

    from sopcode.rules import limits as batas

    folder = data_folder(tmp_path)
    path = at_limits(folder, batas.KEGIATAN_MAX, batas.SEL_MAX, batas.AKTOR_MAX)
    for i in range(batas.AKTOR_MAX - 5):  # every column does a step: no warning but the layout's
        path.write_text(path.read_text(encoding="utf-8").replace(
            "    pelaksana: Pemohon\n", f"    pelaksana: [Pemohon, Kepala Subbagian Umum {i}]\n", 1), encoding="utf-8")
    checked = run_sop("check", str(folder))
    assert checked.returncode == 0, checked.stdout
    out = tmp_path / "pdf"
    done = subprocess.run([str(BIN / "sop"), "pdf", str(folder), "--keluar", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "melebihi" not in done.stdout + done.stderr  # the sheet's own layout check: nothing overflows
    printed = subprocess.run(["pdftotext", str(out / f"{SOP_ID}.pdf"), "-"], capture_output=True, text=True,
                             check=True).stdout
    source = path.read_text(encoding="utf-8")
    for prefix in ("kg", "kt", "kl", "op"):
        wanted = set(re.findall(rf"{prefix}\d{{4}}", source))
        assert wanted and wanted <= set(re.findall(rf"{prefix}\d{{4}}", printed)), prefix


# --- item 14: the fuzzer's seed counts, and it writes nothing where it runs ---------------------------------

@pytest.mark.slow
def test_the_fuzzers_seed_counts_and_nothing_is_written_where_it_runs(tmp_path):
    import subprocess
    import sys

    def run(benih: int) -> str:
        done = subprocess.run([sys.executable, str(ROOT / "scripts" / "fuzz.py"), "--n", "40", "--benih", str(benih)],
                              capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "40 kasus dalam" in done.stdout and f"(benih {benih})" in done.stdout
        return done.stdout.split("\n", 1)[1]  # the table, without the time taken

    first = run(1)
    assert run(1) == first
    assert run(2) != first or run(999) != first
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("written", ['"Pelayanan \\u202eilisimoD\\u202c Surat"', "Pelayanan \u202eilisimoD Surat",
                                     '"Pelayanan \\u2066x\\u2069"'], ids=["escape", "mentah", "isolasi"])
def test_text_direction_controls_are_refused_with_their_place(tmp_path: Path, written: str):
    from sopcode.model.load import load_sop

    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    path = tmp_path / "sop-arah.yaml"
    path.write_text(text.replace("nama: Penerimaan Tamu Dinas", f"nama: {written}"), encoding="utf-8")
    sop, diags = load_sop(str(path))
    assert sop is None and [(d.code, d.loc.line) for d in diags] == [("karakter-kendali", 2)]
    assert "arah teks" in diags[0].message
