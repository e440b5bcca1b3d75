"""The registry of rules (sopcode/rules/registry.py) held against the code, the fixtures and the guide.

The codes the package reports are read from its source (every call that makes a diagnostic), so a
new rule that is not registered, or registered at another level than it is reported, fails here;
so does a registered code that nothing reports any more. The broken fixture of each rule lives in
tests/fixtures/rusak/ (tests/test_checks.py runs them); the few that no file in the repository can
be (a named pipe, a file over the size limit, a name git cannot hold, a git history) are built by
the tests below, each asserting the code, the file and the line.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
from pathlib import Path

from conftest import FIXTURES, ROOT
from sopcode.diagnostics import Level
from sopcode.rules import check
from sopcode.rules.registry import RULES

PACKAGE = ROOT / "plugins" / "sopcode"
GUIDE = ROOT / "docs" / "panduan" / "menulis-sop.md"
CLEAN = FIXTURES / "rusak" / "logo-tak-ada" / "sop-izin-cuti-tahunan.yaml"
"""A fixture SOP without a flaw: six actors, seven steps, every box filled."""

# What makes a diagnostic, and the level it makes: (function, index of the code argument, level).
_MAKERS = {"galat": (1, Level.GALAT), "peringatan": (1, Level.PERINGATAN),
           "error": (1, Level.GALAT),  # Ctx.error in model/schema.py: always an error
           "Refusal": (0, Level.PERINGATAN)}  # a refused logo (model/logo.py), said as a warning (rules/logo.py)
_FORWARDERS = {("model/schema.py", "error"), ("rules/logo.py", "check")}
"""Functions that pass on a code they were given (the code is written where they are called)."""
_CODE = re.compile(r"[a-z]+(-[a-z]+)*")


def emitted() -> dict[str, set[tuple[Level, str]]]:
    """Every code written in the package as a diagnostic's, with its level and where it is written."""
    found: dict[str, set[tuple[Level, str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for function, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            name = call.func.id if isinstance(call.func, ast.Name) else \
                call.func.attr if isinstance(call.func, ast.Attribute) else None
            if name not in _MAKERS or (name == "error" and not _is_ctx(call.func)):
                continue
            index, level = _MAKERS[name]
            if len(call.args) <= index:
                continue
            arg = call.args[index]
            for b in [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]:
                if isinstance(b, ast.Constant) and isinstance(b.value, str):
                    assert _CODE.fullmatch(b.value), f"{rel}:{call.lineno}: code '{b.value}' is not a-z words"
                    found.setdefault(b.value, set()).add((level, f"{rel}:{call.lineno}"))
                else:
                    assert (rel, function) in _FORWARDERS, f"{rel}:{call.lineno}: a diagnostic's code not written there"
    return found


def _calls(node: ast.AST, function: str = ""):
    """(name of the innermost function around it, call) for every call below ``node``."""
    for child in ast.iter_child_nodes(node):
        inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
        if isinstance(child, ast.Call):
            yield function, child
        yield from _calls(child, inner)


def _is_ctx(func: ast.expr) -> bool:
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("ctx", "self")


def test_every_code_reported_is_registered_at_its_level_and_every_registered_code_is_reported():
    found = emitted()
    assert len(found) > 50  # the scan sees the package's rules (it is no test if it finds nothing)
    unregistered = {code: sorted(w for _, w in found[code]) for code in set(found) - set(RULES)}
    assert not unregistered, f"reported but not in rules/registry.py: {unregistered}"
    unused = set(RULES) - set(found)
    assert not unused, f"registered but reported nowhere: {sorted(unused)}"
    for code, uses in found.items():
        for level, where in uses:
            assert level is RULES[code].level, f"{where}: '{code}' reported as {level.value}, registered as " \
                                               f"{RULES[code].level.value}"


def test_every_rule_is_described_in_one_indonesian_sentence():
    for rule in RULES.values():
        text = rule.description
        assert text[:1].isupper() or text.startswith("`"), rule.code
        assert text.endswith(".") and "\n" not in text and len(text) <= 160, rule.code


def _guide_tables() -> dict[Level, dict[str, str]]:
    """The guide's rule tables: level → code → the row's text (the heading above a table names its level)."""
    section = GUIDE.read_text(encoding="utf-8").split("### Kode aturan", 1)[1].split("\n## ", 1)[0]
    tables: dict[Level, dict[str, str]] = {}
    level = None
    for line in section.splitlines():
        if line.startswith("Galat"):
            level = Level.GALAT
        elif line.startswith("Peringatan"):
            level = Level.PERINGATAN
        m = re.fullmatch(r"\| `([a-z-]+)` \| (.+) \|", line)
        if m and level is not None:
            tables.setdefault(level, {})[m.group(1)] = m.group(2)
    return tables


def test_the_guide_lists_every_rule_under_its_level_starting_with_its_description():
    tables = _guide_tables()
    for level in Level:
        listed = tables.get(level, {})
        registered = {code for code, rule in RULES.items() if rule.level is level}
        assert set(listed) == registered, (
            f"{level.value}: missing from the guide {sorted(registered - set(listed))}, "
            f"not registered as {level.value} {sorted(set(listed) - registered)}")
        for code, row in listed.items():
            assert row.startswith(RULES[code].description), f"{code}: the guide's row does not start with " \
                                                            f"the registry's description"


# --- the rules no fixture file can hold: built where the test runs --------------------------------



def _one(report, code: str):
    got = [d for d in report.diagnostics if d.code == code]
    assert len(got) == 1 and got[0].level is RULES[code].level, "\n".join(d.format() for d in report.diagnostics)
    return got[0]


def test_a_named_pipe_is_skipped_with_a_warning_at_its_name(tmp_path: Path):
    data = tmp_path / "sop_data"
    data.mkdir()
    (data / CLEAN.name).write_bytes(CLEAN.read_bytes())
    os.mkfifo(data / "sop-surat-masuk.yaml")
    d = _one(check([str(data)], history=False, cache_dir=None), "bukan-berkas-biasa")
    assert (d.loc.path, d.loc.line) == (str(data / "sop-surat-masuk.yaml"), 1)


def test_a_file_over_the_size_limit_is_refused_at_its_first_line(tmp_path: Path):
    big = tmp_path / "sop_data" / "sop-izin-cuti-tahunan.yaml"
    big.parent.mkdir()
    text = CLEAN.read_text(encoding="utf-8")
    big.write_text(text + "# " + "lampiran hasil pindaian " * 45_000 + "\n", encoding="utf-8")  # a pasted blob
    d = _one(check([str(big.parent)], history=False, cache_dir=None), "berkas-terlalu-besar")
    assert (d.loc.path, d.loc.line) == (str(big), 1)


def test_two_hundred_and_one_steps_are_refused_at_the_list_of_steps(tmp_path: Path):
    text = CLEAN.read_text(encoding="utf-8")
    head, steps = text.split("\nlangkah:\n", 1)
    blocks = steps.rstrip("\n").split("\n\n")  # steps 1 to 7, each actor's at least once
    middle = [re.sub(r"- no: \d+", f"- no: {n}", blocks[1 + (n - 2) % 5], count=1) for n in range(2, 201)]
    last = re.sub(r"- no: \d+", "- no: 201", blocks[-1], count=1)
    path = tmp_path / "sop-izin-cuti-tahunan.yaml"
    path.write_text("\n\n".join([f"{head}\nlangkah:\n{blocks[0]}", *middle, last]) + "\n", encoding="utf-8")
    report = check([str(path)], history=False, cache_dir=None)
    d = _one(report, "langkah-terlalu-banyak")
    assert (d.loc.path, d.loc.line) == (str(path), head.count("\n") + 2)
    assert [x.code for x in report.diagnostics] == ["langkah-terlalu-banyak"]


def test_a_file_name_with_a_control_character_is_not_read(tmp_path: Path):
    data = tmp_path / "sop_data"
    data.mkdir()
    bad = data / "sop-izin\x1b[2Kcuti.yaml"  # an escape sequence: it would erase the terminal's line
    bad.write_bytes(CLEAN.read_bytes())
    d = _one(check([str(data)], history=False, cache_dir=None), "nama-berkas-salah")
    assert (d.loc.path, d.loc.line) == (str(bad), 1)


def test_an_edit_after_approval_without_new_dates_is_a_draft_at_the_date_to_update(tmp_path: Path):
    data = tmp_path / "sop_data"
    data.mkdir()
    path = data / CLEAN.name
    text = CLEAN.read_text(encoding="utf-8")

    def git(*args: str, when: str = "2019-08-20T09:00:00+07:00") -> None:
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Rina",
               "GIT_AUTHOR_EMAIL": "rina@example.go.id", "GIT_COMMITTER_NAME": "Rina",
               "GIT_COMMITTER_EMAIL": "rina@example.go.id", "GIT_CONFIG_GLOBAL": os.devnull}
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q")
    path.write_text(text, encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "SOP izin cuti disahkan")
    path.write_text(text.replace("waktu: 1 hari kerja\n      output: Surat izin cuti",
                                 "waktu: 2 hari kerja\n      output: Surat izin cuti"), encoding="utf-8")
    git("commit", "-q", "-am", "Penandatanganan menjadi 2 hari kerja", when="2020-02-03T10:00:00+07:00")
    d = _one(check([str(data)], cache_dir=None), "belum-disahkan")
    line = text.splitlines().index("tanggal_efektif: 2019-08-19") + 1
    assert (d.loc.path, d.loc.line) == (str(path), line)


BUILT = {
    "bukan-berkas-biasa": test_a_named_pipe_is_skipped_with_a_warning_at_its_name,
    "berkas-terlalu-besar": test_a_file_over_the_size_limit_is_refused_at_its_first_line,
    "langkah-terlalu-banyak": test_two_hundred_and_one_steps_are_refused_at_the_list_of_steps,
    "nama-berkas-salah": test_a_file_name_with_a_control_character_is_not_read,
    "belum-disahkan": test_an_edit_after_approval_without_new_dates_is_a_draft_at_the_date_to_update,
}
"""Registered rules without a fixture file in tests/fixtures/rusak/ (a named pipe cannot be committed,
a file over 1 MB is not kept in the repository, 201 steps are built from a fixture, git cannot hold
every name, an approval needs a git history), each with the test that builds its case."""
