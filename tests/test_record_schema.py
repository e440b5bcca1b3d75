"""The shipped JSON Schemas of monitoring and evaluation files: generated from the same declarations
the checker reads them with, pointed at by the seed files, and agreeing with `sop check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from test_schema import _NoDates

from conftest import FIXTURES, ROOT, sop_main
from sopcode.model.declaration import SCHEMA_FILES, json_schema
from sopcode.model.evaluation import KESIMPULAN, KRITERIA
from sopcode.model.monitoring import METODE, PENILAIAN

PACKAGE = ROOT / "plugins" / "sopcode"
RECORD_FILES = {"monev": sorted((ROOT / "sop_data" / "_monev").glob("*.yaml"))
                + sorted((FIXTURES / "baik" / "_monev").glob("*.yaml")),
                "evaluasi": sorted((ROOT / "sop_data" / "_evaluasi").glob("*.yaml"))
                + sorted((FIXTURES / "baik" / "_evaluasi").glob("*.yaml"))}


def shipped(jenis: str) -> dict:
    return json.loads((PACKAGE / SCHEMA_FILES[jenis]).read_text(encoding="utf-8"))


def read(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDates)


@pytest.mark.parametrize("jenis", ["monev", "evaluasi"])
def test_shipped_schema_is_generated_from_the_declaration(jenis: str):
    assert shipped(jenis) == json_schema(jenis), (
        f"plugins/sopcode/{SCHEMA_FILES[jenis]} is stale: regenerate with "
        f"`sop schema --jenis {jenis} > plugins/sopcode/{SCHEMA_FILES[jenis]}`")


@pytest.mark.parametrize("jenis", ["sop", "monev", "evaluasi"])
def test_sop_schema_prints_the_shipped_file_of_its_kind(jenis: str):
    done = sop_main("schema", "--jenis", jenis)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == shipped(jenis)


def test_sop_schema_refuses_an_unknown_kind_in_indonesian():
    """Run as ``python -m sopcode.cli``: the module is a program too."""
    done = subprocess.run([sys.executable, "-m", "sopcode.cli", "schema", "--jenis", "laporan"],
                          capture_output=True, text=True)
    assert done.returncode != 0
    assert "pilihan tidak dikenal" in done.stderr and "monev" in done.stderr and "evaluasi" in done.stderr


@pytest.mark.parametrize(("jenis", "path"), [(j, p) for j, ps in RECORD_FILES.items() for p in ps],
                         ids=lambda v: v if isinstance(v, str) else f"{v.parent.parent.name}/{v.parent.name}/{v.name}")
def test_record_files_validate_and_point_their_editor_at_the_schema(jenis: str, path: Path):
    jsonschema.validate(read(path), shipped(jenis))
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / first.split("$schema=", 1)[1].strip()).resolve() == (PACKAGE / SCHEMA_FILES[jenis]).resolve()


def test_seed_files_are_in_the_list():
    assert RECORD_FILES["monev"] and RECORD_FILES["evaluasi"]


def test_the_editor_offers_the_forms_words():
    monev = shipped("monev")
    row = monev["properties"]["hasil"]
    text = json.dumps(monev, ensure_ascii=False)
    assert all(f'"{p}"' in text for p in PENILAIAN) and all(f'"{m}"' in text for m in METODE)
    assert "hasil" in monev["required"] and row
    evaluasi = json.dumps(shipped("evaluasi"), ensure_ascii=False)
    assert all(f'"{k}"' in evaluasi for k in KRITERIA) and all(f'"{k}"' in evaluasi for k in KESIMPULAN)


def _broken(path: Path, edit) -> dict:
    data = read(path)
    edit(data["hasil"][0])
    return data


@pytest.mark.parametrize(("jenis", "edit"), [
    ("monev", lambda row: row.update(penilaian="berjalan dgn baik")),
    ("monev", lambda row: row["penilai"].pop("jabatan")),
    ("monev", lambda row: row.update(metode=["observasi atasan", "survei online"])),
    ("monev", lambda row: row.update(tindkan=row.pop("tindakan"))),
    ("evaluasi", lambda row: row["kriteria"].pop("sinergi")),
    ("evaluasi", lambda row: row["kriteria"]["peran_jelas"].update(nilai="iya")),
    ("evaluasi", lambda row: row.update(kesimpulan="direvisi")),
], ids=["penilaian-salah-ketik", "penilai-tanpa-jabatan", "metode-lain", "kunci-salah-ketik",
        "kriteria-kurang", "nilai-iya", "kesimpulan-lain"])
def test_the_editor_flags_what_sop_check_refuses(jenis: str, edit):
    seed = RECORD_FILES[jenis][0]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_broken(seed, edit), shipped(jenis))


def test_a_choice_in_other_case_is_taken_like_the_checker_does():
    data = _broken(RECORD_FILES["monev"][0], lambda row: row.update(penilaian="Berjalan Dengan Baik"))
    jsonschema.validate(data, shipped("monev"))
