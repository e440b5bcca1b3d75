from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = ROOT / "sop_data" / "sop-pengukuran-kinerja-bungursari.yaml"
BIN = Path(sys.executable).parent


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file below a folder with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def run_sop(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "sop"), *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          check=False)


def sop_main(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`sop` run as :func:`run_sop` runs it, but in this process (``sopcode.cli.main``): a process costs
    a fifth of a second. For tests of what the command does; the process itself (the installed entry
    point, PATH, encodings of the terminal) is tested with :func:`run_sop`.

    The same program name in ``sys.argv[0]``, working folder and environment (``env`` added to it, as
    ``subprocess.run(env={**os.environ, **env})``); stdout and stderr encoded as a process writes them to a
    pipe (UTF-8, stdout strict, stderr backslashreplace) and read back as ``text=True`` does; the exit code
    of ``sys.exit`` or of the return value; an uncaught exception printed as Python prints it, exit 1.
    """
    import io
    import traceback

    from sopcode import cli

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True)
    saved = sys.argv, sys.stdout, sys.stderr, os.getcwd(), dict(os.environ)
    sys.argv, sys.stdout, sys.stderr = [str(BIN / "sop"), *args], out, err
    try:
        if env:
            os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        try:
            code = cli.main(list(args))
        except SystemExit as stop:  # argparse's errors and --help
            if stop.code is None or isinstance(stop.code, int):
                code = stop.code
            else:  # sys.exit("message")
                print(stop.code, file=err)
                code = 1
        except Exception:  # noqa: BLE001 - as the interpreter does: the traceback on stderr, exit 1
            traceback.print_exc(file=err)
            code = 1
    finally:
        sys.argv, sys.stdout, sys.stderr = saved[0], saved[1], saved[2]
        os.chdir(saved[3])
        os.environ.clear()
        os.environ.update(saved[4])
    texts = []
    for stream in (out, err):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    return subprocess.CompletedProcess([str(BIN / "sop"), *args], code or 0, texts[0], texts[1])


def copy_sources(dest: Path) -> Path:
    """Copy the repository's site sources (mkdocs.yml, docs, sop_data) into a folder."""
    for name in ("mkdocs.yml", "docs", "sop_data"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy(src, dest / name)
    return dest


def full_history() -> bool:
    """Whether this checkout has the repository's whole git history (not a tarball, not a shallow clone)."""
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--is-shallow-repository"], capture_output=True,
                          text=True, timeout=60, check=False)
    return done.returncode == 0 and done.stdout.strip() == "false"


@pytest.fixture
def seed_data(tmp_path: Path) -> Path:
    """The repository's sop_data/ as it is now, with its git history, in a clone under ``tmp_path``.

    Checked or built there, its caches are written beside the clone, never into the repository's own
    ``.cache/``; its history is the repository's (no checkout: the clone shares the objects).
    """
    clone = tmp_path / "klon"
    if (ROOT / ".git").exists():
        git = ["git", "-c", "core.hooksPath=/dev/null"]
        subprocess.run([*git, "clone", "-q", "--shared", "--no-checkout", str(ROOT), str(clone)], check=True,
                       capture_output=True, timeout=60)
        subprocess.run([*git, "-C", str(clone), "read-tree", "HEAD"], check=True, capture_output=True, timeout=60)
    shutil.copytree(ROOT / "sop_data", clone / "sop_data")  # as it is now, uncommitted edits included
    return clone / "sop_data"


# A shell runs a command started with `&` (a CI job in the background) with SIGINT ignored, and the
# ignoring is inherited through exec: every `mkdocs serve` a test stops with Ctrl+C would then never
# stop. A handler is not inherited (exec resets it to the default), so the tests' children get Ctrl+C
# back, and so does pytest itself.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def build_site(project: Path, site_dir: str = "site") -> Path:
    """Build a project's site in this process, as `mkdocs build` does (plugins, drawings, PDFs).

    For tests that need the site, not the command: its exit code and its messages are tested with
    the real `mkdocs build`. A failed build raises.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return project / site_dir


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's site sources (mkdocs.yml, docs, sop_data) to build in."""
    return copy_sources(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


_COUNTS: list[str] = []


@pytest.fixture
def hitungan():
    """What a property test went through (SOPs, pages, arrows, labels…): shown at the end of every
    run, `make test` included, so the counts are seen without `-s`."""
    return _COUNTS.append


GUARDED = (ROOT / ".cache", ROOT / "sop_data", ROOT / "tests" / "fixtures")
"""What no test may change: the repository's own caches, its SOPs and the test fixtures (no cache
beside them either; tests work on copies or check without a cache)."""
_BEFORE: dict[str, tuple[int, int, int]] = {}
_CHANGED: list[str] = []


def _listing() -> dict[str, tuple[int, int, int]]:
    """Every entry below the guarded folders (the folders too) with its kind, size and time of change."""
    out = {}
    for top in GUARDED:
        paths = [str(top)] + [os.path.join(folder, n) for folder, dirs, files in os.walk(top) for n in dirs + files]
        for path in paths:
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                continue
            out[os.path.relpath(path, ROOT)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def pytest_sessionstart(session):
    _BEFORE.update(_listing())


def pytest_sessionfinish(session, exitstatus):
    after = _listing()
    _CHANGED.extend(f"{'ditambahkan' if p not in _BEFORE else 'dihapus' if p not in after else 'diubah'}: {p}"
                    for p in sorted(set(_BEFORE) | set(after)) if _BEFORE.get(p) != after.get(p))
    if _CHANGED and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker: its counts go to the summary of the run
        session.config.workeroutput["hitungan"] = list(_COUNTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist: a worker finished; the counts of its property tests join the run's summary."""
    _COUNTS.extend(getattr(node, "workeroutput", {}).get("hitungan", []))


def pytest_terminal_summary(terminalreporter):
    if _CHANGED:
        terminalreporter.section("uji mengubah folder repositori", red=True)
        terminalreporter.write_line("Selama uji berjalan, isi .cache/, sop_data/ atau tests/fixtures/ repositori berubah (uji harus "
                                    "bekerja pada salinan di tmp_path; atau program lain menulis di sana bersamaan):",
                                    red=True)
        for line in _CHANGED[:50]:
            terminalreporter.write_line("  " + line)
        if len(_CHANGED) > 50:
            terminalreporter.write_line(f"  … dan {len(_CHANGED) - 50} lagi")
    if _COUNTS:
        terminalreporter.section("hitungan uji sifat")
        for line in _COUNTS:
            terminalreporter.write_line(line)


def run_hypothesis(test) -> None:
    """Run a Hypothesis test with Hypothesis's own files in a temporary folder, not the working folder."""
    from hypothesis.configuration import set_hypothesis_home_dir

    with tempfile.TemporaryDirectory() as home:
        set_hypothesis_home_dir(home)
        try:
            test()
        finally:
            set_hypothesis_home_dir(None)


@pytest.fixture
def sop_data_copy(tmp_path: Path) -> Path:
    """A copy of the repository's sop_data/ (its SOPs and monitoring and evaluation records), to add files to."""
    dest = tmp_path / "sop_data"
    shutil.copytree(ROOT / "sop_data", dest, ignore=shutil.ignore_patterns(".cache"))
    return dest


@pytest.fixture
def pemda(tmp_path: Path) -> Path:
    """A project holding a copy of the two-institution example (tests/fixtures/pemda) as its sop_data/."""
    data = tmp_path / "proyek" / "sop_data"
    shutil.copytree(FIXTURES / "pemda", data, ignore=shutil.ignore_patterns(".cache"))
    (tmp_path / "proyek" / "mkdocs.yml").write_text("site_name: Uji\n", encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def seed():
    """The seed SOP (SEED), loaded."""
    from sopcode.model.load import load_sop

    sop, diagnostics = load_sop(str(SEED))
    assert sop is not None, diagnostics
    return sop
