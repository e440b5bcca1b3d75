"""The shipped JSON Schema matches the loader's declaration and accepts what it accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT

from sopcode.load import json_schema

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
