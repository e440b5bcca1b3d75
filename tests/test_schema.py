"""The shipped JSON Schema matches the loader's declaration and accepts what it accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, ROOT
from sopcode.model.declaration import json_schema

SHIPPED = ROOT / "plugins" / "sopcode" / "schema.json"


class _NoDates(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2): dates stay strings, `no` is a word."""


_NoDates.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def good_files() -> list[Path]:
    files = [p for p in (ROOT / "sop_data").glob("*.yaml") if not p.name.startswith("_")]
    return files + sorted((FIXTURES / "baik").glob("*.yaml"))


def test_shipped_schema_is_generated_from_the_model():
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == json_schema(), (
        "plugins/sopcode/schema.json is stale: regenerate with `sop schema > plugins/sopcode/schema.json`")


@pytest.mark.parametrize("path", good_files(), ids=lambda p: p.name)
def test_good_files_validate_against_the_schema(path: Path):
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDates)
    jsonschema.validate(data, json.loads(SHIPPED.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", good_files(), ids=lambda p: p.name)
def test_each_file_points_its_editor_at_the_schema(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target == SHIPPED.resolve()


def test_schema_rejects_a_misspelt_key_like_the_checker():
    data = yaml.load((ROOT / "sop_data" / "sop-pengukuran-kinerja-bungursari.yaml").read_text(encoding="utf-8"),
                     Loader=_NoDates)
    data["langkah"][0]["kegiatn"] = data["langkah"][0].pop("kegiatan")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())


STRUCTURAL = {"tipe-salah", "wajib-diisi", "kunci-tak-dikenal"}
"""The loader's refusals of a file's shape (as opposed to its meaning: a NIP that is no birth date,
a date not on the calendar, a step pointing nowhere), which a JSON Schema can and must see too."""


@pytest.mark.slow
def test_schema_and_loader_agree_over_the_fuzz_corpus(tmp_path: Path):
    """Every file the loader takes validates against schema.json; every refusal of its shape is the
    schema's refusal too: an editor never flags what `sop check` accepts, nor accepts what it refuses."""
    from collections import Counter

    from hypothesis import HealthCheck, given, settings

    from fuzz_sop import cases
    from sopcode.model.load import load_sop

    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    seen: Counter = Counter()

    @settings(max_examples=300, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(case=cases())
    def one(case):
        _, data = case
        try:
            parsed = yaml.load(data.decode("utf-8"), Loader=_NoDates)
        except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
            return  # not YAML at all: the schema has nothing to say
        path = tmp_path / "sop-uji.yaml"
        path.write_bytes(data)
        sop, diags = load_sop(str(path))
        schema_errors = [e.message for e in validator.iter_errors(parsed)]
        if sop is not None:
            assert not schema_errors, f"loader accepts, schema refuses: {schema_errors[:3]}\n{data.decode()}"
            seen["diterima"] += 1
        elif STRUCTURAL & {d.code for d in diags} and "kunci-ganda" not in {d.code for d in diags}:
            assert schema_errors, "loader refuses the shape, schema accepts:\n" + "\n".join(
                d.format() for d in diags) + "\n" + data.decode()
            seen["ditolak"] += 1

    one()
    assert seen["diterima"] >= 30 and seen["ditolak"] >= 30, seen


@pytest.mark.parametrize("waktu", ["3 Jam", "10 Menit", "1-2 hari", "maks. 3 hari", "1 s.d. 3 hari kerja",
                                   "2,5 jam", "Paling lama 2 Hari", "2 jam 30 menit", "30 menit - 1 jam", "1x24 jam",
                                   "1 HK", "paling lambat 3 hari"])
def test_times_real_sops_write_are_taken_by_both(waktu: str, tmp_path: Path):
    from sopcode.model.load import load_sop

    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8").replace("waktu: 5 menit", f"waktu: {waktu}")
    path = tmp_path / "sop-uji.yaml"
    path.write_text(text, encoding="utf-8")
    sop, diags = load_sop(str(path))
    assert sop is not None, [d.format() for d in diags]
    assert str(sop.langkah[0].mutu_baku.waktu) == waktu, "printed as written"
    jsonschema.validate(yaml.load(text, Loader=_NoDates), json.loads(SHIPPED.read_text(encoding="utf-8")))
