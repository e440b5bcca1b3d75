"""The guides work as typed: every `sop` command in a ```sh block of README.md and docs/panduan/*.md is
run as written, in a fresh `git clone` of this repository, and must end as the guide says.

The commands are read from the working tree (so a guide is tested as it is being edited) and run in a
clone of the committed HEAD (so they meet the repository's real git history, which `sop diff` reads,
and never the uncommitted files of whoever runs the tests). The clone has the venv as `.venv` and its
`bin` on PATH, so both `.venv/bin/sop …` and `sop …` run as a user types them. Each block gets its own
clone and its commands run in order, so a command may use what an earlier one in its block made.

A command exits 0 unless its line's comment says otherwise (`kode keluar 1`), or it is listed in
:data:`ELSEWHERE` with the step it needs that the guide gives in prose. `make …` and the commands
that start a server are not run; they are listed in :data:`NOT_RUN`, and a new one fails this test
until it is listed.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BIN, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # `sop pdf` and `sop formulir` print with Chromium

GUIDES = [ROOT / "README.md", *sorted((ROOT / "docs" / "panduan").glob("*.md"))]

NOT_RUN = {
    "make site": "builds the whole site with PDFs (make; the site tests build it)",
    "make test": "runs every test (make)",
    "make serve": "starts a server that runs until Ctrl+C (test_serve_fast runs mkdocs serve)",
    ".venv/bin/mkdocs serve -a 127.0.0.1:8001": "starts a server, on another port (mkdocs serve's -a, --dev-addr)",
}
"""`make` and server commands in the guides, by their command (the line without its comment)."""

ELSEWHERE = {
    'sop new "Pengelolaan Surat Keluar" --instansi dinas-kependudukan':
        (2, "needs the folder sop_data/dinas-kependudukan/ with its _instansi.yaml, which this repository "
            "does not have; the guide says how to make it"),
    "sop check sop_data/dinas-kependudukan/sop-pengelolaan-surat-keluar.yaml":
        (2, "checks the file the command above writes, once its '...' are filled in by hand"),
}
"""Commands that need a step the guide describes in prose first: the exit status they have here."""

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
_STATUS = re.compile(r"\bkode keluar (\d+)")


@dataclass(frozen=True)
class Block:
    guide: str  # relative to the repository
    line: int  # of the opening fence
    commands: tuple[str, ...]  # as typed, comments included

    @property
    def name(self) -> str:
        return f"{self.guide}:{self.line}"


def _command(line: str) -> str:
    """The command of a line, without its comment (a '#' after a space outside quotes)."""
    quote = ""
    for i, c in enumerate(line):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].strip()
    return line.strip()


def _is_sop(command: str) -> bool:
    return command.split()[0] in ("sop", ".venv/bin/sop") if command else False


def _not_run(command: str) -> bool:
    words = command.split()
    return bool(words) and (words[0] == "make" or "serve" in words[1:2])


def sh_blocks() -> list[Block]:
    blocks = []
    for path in GUIDES:
        text = path.read_text(encoding="utf-8")
        for m in _FENCE.finditer(text):
            if m["info"].strip() not in ("sh", "bash", "console", "shell"):
                continue
            lines = [line[len(m["indent"]):] if line.startswith(m["indent"]) else line.lstrip()
                     for line in m["body"].splitlines()]
            joined: list[str] = []
            for line in lines:  # a line ending in '\' goes on in the next
                if joined and joined[-1].endswith("\\"):
                    joined[-1] = joined[-1][:-1] + line.strip()
                else:
                    joined.append(line.rstrip())
            commands = tuple(c for c in joined if _command(c))
            blocks.append(Block(str(path.relative_to(ROOT)), text.count("\n", 0, m.start()) + 1, commands))
    return blocks


BLOCKS = sh_blocks()
SOP_BLOCKS = [b for b in BLOCKS if any(_is_sop(_command(c)) for c in b.commands)]


def test_the_guides_have_sop_commands_to_run():
    """The extraction itself: the README's list of commands and the writing guide's are found."""
    named = {b.guide for b in SOP_BLOCKS}
    assert {"README.md", "docs/panduan/menulis-sop.md"} <= named, named
    readme = [_command(c) for b in SOP_BLOCKS if b.guide == "README.md" for c in b.commands]
    assert ".venv/bin/sop check" in readme and any(c.startswith(".venv/bin/sop diff") for c in readme)


def test_every_make_and_server_command_is_listed_as_not_run():
    found = {_command(c) for b in BLOCKS for c in b.commands if _not_run(_command(c))}
    assert found - set(NOT_RUN) == set(), "a new make or server command in a guide: list it in NOT_RUN"
    assert set(NOT_RUN) - found == set(), "NOT_RUN lists a command no guide has any more"
    sop_commands = {_command(c) for b in SOP_BLOCKS for c in b.commands}
    assert set(ELSEWHERE) <= sop_commands, "ELSEWHERE lists a command no guide has any more"


@pytest.fixture(scope="module")
def origin(tmp_path_factory) -> Path:
    """A bare copy of the committed repository, cloned once; each block clones it again (fast, local)."""
    bare = tmp_path_factory.mktemp("asal") / "sop.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(ROOT), str(bare)], check=True, capture_output=True)
    return bare


@pytest.mark.parametrize("block", SOP_BLOCKS, ids=lambda b: b.name)
def test_guide_commands_work_as_typed_in_a_fresh_clone(block: Block, origin: Path, tmp_path: Path):
    clone = tmp_path / "sop"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    (clone / ".venv").symlink_to(BIN.parent, target_is_directory=True)
    env = {**os.environ, "PATH": f"{BIN}:/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOPCODE_CACHE_DIR", None)  # the clone's own cache, as for a user
    for typed in block.commands:
        command = _command(typed)
        if not _is_sop(command):
            continue  # git, sudo, rsync …: not ours to run here
        written = _STATUS.search(typed[len(command):])
        expected = int(written[1]) if written else ELSEWHERE.get(command, (0, ""))[0]
        done = subprocess.run(["/bin/sh", "-c", typed], cwd=clone, env=env, capture_output=True, text=True,
                              timeout=600, check=False)
        said = done.stdout + done.stderr
        assert "Traceback" not in said, f"{block.name}: {typed}\n{said}"
        assert done.returncode == expected, (
            f"{block.name}: `{typed}` exited {done.returncode}, the guide says {expected}\n{said[-3000:]}")

