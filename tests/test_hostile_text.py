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
from conftest import ROOT, run_sop

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
