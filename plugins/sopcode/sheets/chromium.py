"""Headless Chromium over the DevTools protocol, through a pipe: no driver, no port, no extra package.

Chromium started with ``--remote-debugging-pipe`` reads DevTools commands from
file descriptor 3 and writes replies and events to descriptor 4, each message
a JSON text ended by a NUL byte. That is all the printing needs: open a local
page, run a measuring script in it, print it to PDF.

The browser may reach nothing but the files it is given: every host name
resolves to nothing but 127.0.0.1 (``--host-resolver-rules``), so a sheet can never fetch
a font or a picture from the network.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sopcode.atomic import folder_sementara, gagal_tulis

TIMEOUT = 120.0
"""Seconds one command may take (printing a binder of hundreds of pages takes several)."""

PESAN_TANPA_CHROMIUM = (
    "program Chromium tidak ditemukan; lembar SOP tidak dapat diukur dan dicetak ke PDF. "
    "Pasang paket Debian `chromium`: sudo apt-get install chromium fonts-liberation2 fonts-noto-color-emoji"
)

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class CetakError(Exception):
    """Printing failed; the message is in Indonesian and meant for the user."""


class ChromiumMissing(CetakError):
    """No Chromium on PATH."""


def find_chromium() -> str:
    override = os.environ.get("SOP_CHROMIUM")
    if override:
        if shutil.which(override):
            return shutil.which(override)
        raise ChromiumMissing(f"SOP_CHROMIUM menunjuk '{override}', yang tidak dapat dijalankan")
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise ChromiumMissing(PESAN_TANPA_CHROMIUM)


SOCKET_MAX = 107
"""Bytes of a Unix socket's path (108 less the NUL): Chromium puts one in $TMPDIR at start."""
SINGLETON = "/org.chromium.Chromium.XXXXXX/SingletonSocket"


def _tmpdir_for(own: str) -> str:
    """Chromium's $TMPDIR: its own folder when the socket it makes there has a path short enough.

    A longer one (a deep TMPDIR) made Chromium stop at start ("zygote ... write: Broken pipe");
    then the first of the system's temporary folders that fits.
    """
    for folder in (own, tempfile.gettempdir(), "/tmp", "/dev/shm"):
        if len(folder.encode()) + len(SINGLETON) <= SOCKET_MAX and os.path.isdir(folder):
            return folder
    return own


class Chromium:
    """One headless browser for a batch of pages: ``with Chromium() as browser: ...``."""

    def __init__(self, executable: str | None = None, timeout: float = TIMEOUT):
        self.executable = executable or find_chromium()
        self.timeout = timeout
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._cond = threading.Condition()
        self._closed = False

    # --- process and pipe --------------------------------------------------------------

    def __enter__(self) -> "Chromium":
        # One folder for all the browser leaves on disk: its profile, and its own temporary files
        # (TMPDIR, see _tmpdir_for), removed on exit; after a run killed outright, by a later run
        # (atomic.bersihkan_basi).
        self._profile = folder_sementara("chromium")
        profile = os.path.join(self._profile, "profil")
        tmp = _tmpdir_for(self._profile)
        try:
            os.mkdir(profile)
        except OSError as exc:
            shutil.rmtree(self._profile, ignore_errors=True)
            raise gagal_tulis(exc, self._profile) from exc
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = [
            self.executable, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--mute-audio",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--allow-file-access-from-files",
            f"--user-data-dir={profile}", "about:blank",
        ]

        def wire_fds() -> None:
            # In the child: the pipe ends become fds 3 and 4 (via high numbers first, in
            # case one of them already is 3 or 4); dup2 makes them survive exec, while
            # every other descriptor Python opened is close-on-exec.
            high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        try:
            self._proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                close_fds=False, preexec_fn=wire_fds, env={**os.environ, "TMPDIR": tmp})
        except OSError as exc:
            for fd in (self._to_browser, self._from_browser):
                os.close(fd)
            shutil.rmtree(self._profile, ignore_errors=True)
            raise ChromiumMissing(PESAN_TANPA_CHROMIUM) from exc
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read_loop, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._proc.poll() is None:
                try:
                    self.send("Browser.close", timeout=10)
                except CetakError:
                    pass
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
        finally:
            self._closed = True
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self._profile, ignore_errors=True)

    def _drain_stderr(self) -> None:
        for line in self._proc.stderr:
            self._stderr.append(line)
            del self._stderr[:-20]  # the last lines are what explains a crash

    def _read_loop(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._closed = True
                    self._cond.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                with self._cond:
                    if "id" in message:
                        self._replies[message["id"]] = message
                    else:
                        self._events.append(message)
                    self._cond.notify_all()

    def _died(self) -> CetakError:
        said = b"".join(self._stderr).decode("utf-8", "replace").strip().splitlines()
        last = said[-1] if said else "tanpa pesan"
        return CetakError(f"Chromium berhenti sebelum selesai mencetak: {last}")

    # --- commands ----------------------------------------------------------------------

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        """One DevTools command; returns its result or raises :class:`CetakError`."""
        with self._cond:
            self._next_id += 1
            ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(message).encode("utf-8") + b"\0")
        except OSError as exc:
            raise self._died() from exc
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._cond:
            while ident not in self._replies:
                if self._closed:
                    raise self._died()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CetakError(f"Chromium tidak menjawab perintah {method} dalam {timeout or self.timeout:.0f} detik")
                self._cond.wait(left)
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise CetakError(f"Chromium menolak perintah {method}: {reply['error'].get('message', reply['error'])}")
        return reply.get("result", {})

    def wait_event(self, method: str, session: str, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._cond:
            while True:
                for n, event in enumerate(self._events):
                    if event.get("method") == method and event.get("sessionId") == session:
                        del self._events[n]
                        return event.get("params", {})
                if self._closed:
                    raise self._died()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CetakError(f"halaman tidak selesai dimuat dalam {timeout or self.timeout:.0f} detik")
                self._cond.wait(left)

    def open(self, where: str | Path) -> "Tab":
        """A new tab showing a local HTML file (or an http://127.0.0.1 address), loaded with its fonts."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, target, session)
        url = str(where) if str(where).startswith(("http://", "https://")) else Path(where).resolve().as_uri()
        tab.goto(url)
        return tab


class Tab:
    def __init__(self, browser: Chromium, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session
        self.send("Page.enable")

    def send(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        return self.browser.send(method, params, self.session, timeout)

    def goto(self, url: str) -> None:
        with self.browser._cond:  # forget a load event of an earlier page
            self.browser._events = [e for e in self.browser._events if e.get("sessionId") != self.session]
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CetakError(f"Chromium tidak dapat membuka {url}: {result['errorText']}")
        self.browser.wait_event("Page.loadEventFired", self.session)
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise is awaited)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            raise CetakError(f"skrip pengukur lembar gagal: {text.splitlines()[0] if text else details}")
        return result.get("result", {}).get("value")

    def pdf(self, timeout: float | None = None, **options: Any) -> bytes:
        """The page printed to PDF (options of DevTools' ``Page.printToPDF``)."""
        params = {"printBackground": True, "preferCSSPageSize": True, "transferMode": "ReturnAsBase64",
                  **options}
        return base64.b64decode(self.send("Page.printToPDF", params, timeout=timeout)["data"])

    def close(self) -> None:
        try:
            self.browser.send("Target.closeTarget", {"targetId": self.target})
        except CetakError:
            pass
