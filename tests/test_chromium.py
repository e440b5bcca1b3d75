"""The DevTools client itself (sopcode.sheets.chromium): threads, kept events, the sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from sopcode.sheets.chromium import Chromium, PrintError

pytestmark = [pytest.mark.browser, pytest.mark.slow]

THREADS = 8
ROUNDS = 6
PAYLOAD = 300_000
"""Characters in each command: several times a pipe's 64 KiB, so a command goes in several writes."""


def page(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.html"
    path.write_text(f"<!doctype html><meta charset=utf-8><title>{name}</title><body>{body}</body>", encoding="utf-8")
    return path


def cmdline(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


def test_one_browser_serves_several_threads_at_once(tmp_path):
    # Each thread sends long commands of its own through the one pipe, in its own tab, all at
    # the same time; each must get its own answers back, whole.
    pages = [page(tmp_path, f"tab{n}", f"<p id=n>{n}</p>") for n in range(THREADS)]
    start = threading.Barrier(THREADS)
    answers: dict[int, list] = {}
    failures: list[BaseException] = []

    def work(n: int, browser: Chromium) -> None:
        try:
            tab = browser.open(pages[n])
            start.wait(timeout=60)
            got = []
            for round_ in range(ROUNDS):
                text = f"{n}:{round_}:" + "x" * PAYLOAD
                got.append(tab.evaluate(f"[document.getElementById('n').textContent, {json.dumps(text)}.length]"))
            answers[n] = got
            tab.close()
        except BaseException as exc:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(exc)

    with Chromium(timeout=30) as browser:  # a garbled command goes unanswered: fail in 30 s, not 120
        threads = [threading.Thread(target=work, args=(n, browser)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        assert not failures, failures[0]
    for n in range(THREADS):
        assert answers[n] == [[str(n), len(f"{n}:{r}:") + PAYLOAD] for r in range(ROUNDS)]


def test_only_messages_someone_waits_for_are_kept(tmp_path):
    first, second = page(tmp_path, "satu", "<img src=gambar.png>"), page(tmp_path, "dua", "<p>dua</p>")
    with Chromium() as browser:
        tab = browser.open(first)
        tab.send("Network.enable")  # a stream of events that nobody asked to keep
        for _ in range(5):
            tab.goto(first.as_uri())
            tab.goto(second.as_uri())
        assert browser.held_messages() == 0

        with tab.request_log() as log:
            tab.goto(first.as_uri())
            assert browser.held_messages() > 0
            assert [Path(url.removeprefix("file://")).name for url in log.urls()] == ["satu.html", "gambar.png"]
            assert browser.held_messages() == 0
        tab.goto(first.as_uri())
        assert browser.held_messages() == 0

        # A reply that comes after its caller stopped waiting is dropped too.
        with pytest.raises(PrintError, match="tidak menjawab"):
            tab.send("Runtime.evaluate", {"expression": "new Promise(done => setTimeout(done, 1000))",
                                          "awaitPromise": True}, timeout=0.1)
        assert tab.evaluate("new Promise(done => setTimeout(() => done(2), 1500))") == 2
        assert browser.held_messages() == 0


def test_sandbox_stays_on_for_a_normal_user(tmp_path):
    # Chromium's sandbox cannot run as root, so only root gets --no-sandbox.
    with Chromium() as browser:
        tab = browser.open(page(tmp_path, "root", "<p>ok</p>"))
        assert tab.evaluate("document.body.innerText") == "ok"
        assert ("--no-sandbox" in cmdline(browser.pid)) == (os.geteuid() == 0)
    if os.geteuid() != 0:
        return
    # As root: the same client, in a process that has become the user `nobody` (after loading its
    # modules, which live under root's home), must start Chromium with its sandbox, and work.
    with tempfile.TemporaryDirectory(prefix="sop-uji-sandbox-") as shared:  # pytest's own folders are root's alone
        os.chmod(shared, 0o755)
        home = Path(shared) / "rumah"
        home.mkdir()
        shutil.chown(home, "nobody", "nogroup")
        result = run_as_nobody(home, page(Path(shared), "biasa", "<p>sandbox</p>"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.splitlines()[-1]) == [65534, "sandbox", False]


def run_as_nobody(home: Path, target: Path) -> subprocess.CompletedProcess:
    script = (
        "import json, os, pwd, sys\n"
        "from pathlib import Path\n"
        "from sopcode.sheets.chromium import Chromium\n"
        "nobody = pwd.getpwnam('nobody')\n"
        "os.setgroups([]); os.setgid(nobody.pw_gid); os.setuid(nobody.pw_uid)\n"
        "with Chromium() as b:\n"
        "    tab = b.open(sys.argv[1])\n"
        "    args = Path(f'/proc/{b.pid}/cmdline').read_bytes().decode().split('\\0')\n"
        "    print(json.dumps([os.geteuid(), tab.evaluate('document.body.innerText'), '--no-sandbox' in args]))\n")
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(home)}
    return subprocess.run([sys.executable, "-c", script, str(target)],
                          check=False, env=env, capture_output=True, text=True, timeout=120)
