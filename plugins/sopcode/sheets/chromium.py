"""Headless Chromium over the DevTools protocol, through a pipe: no driver, no port, no extra package.

Chromium started with ``--remote-debugging-pipe`` reads DevTools commands from
file descriptor 3 and writes replies and events to descriptor 4, each message
a JSON text ended by a NUL byte. The printing needs little of it: open a local
page, run a measuring script in it, print it to PDF. The browser tests (and,
later, accessibility audits) use the same client a little further: the request
log (:class:`RequestLog`, from ``Network`` events), waiting for a condition in
the page, and real mouse clicks and key presses (``Input`` events).

The client may be used from several threads at once: one lock keeps each
command whole on the pipe, replies find their caller by id, and events are kept
only for those who asked for them (:meth:`Chromium.subscribe`), so a long run
does not pile them up.

The browser may reach nothing but the files it is given: every host name
resolves to nothing but 127.0.0.1 (``--host-resolver-rules``), so a sheet can never fetch
a font or a picture from the network.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Self

from sopcode.atomic import temp_folder, write_failure

TIMEOUT = 120.0
"""Seconds one command may take (printing a binder of hundreds of pages takes several)."""

PESAN_TANPA_CHROMIUM = (
    "program Chromium tidak ditemukan; lembar SOP tidak dapat diukur dan dicetak ke PDF. "
    "Pasang paket Debian `chromium`: sudo apt-get install chromium fonts-liberation2 fonts-noto-color-emoji"
)

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


PDF_OPTIONS: dict[str, Any] = {"printBackground": True, "preferCSSPageSize": True, "generateTaggedPDF": True}
"""How every page is printed (``Page.printToPDF``): its backgrounds, the paper its CSS asks for, and
tagged (the structure of the page goes into the PDF, for screen readers and for reflowing; Chromium
has written it since version 122). A cached PDF's key holds them (:func:`sopcode.sheets.layout.document_key`)."""


class PrintError(Exception):
    """Printing failed; the message is in Indonesian and meant for the user."""


class ChromiumMissing(PrintError):
    """No Chromium on PATH."""


def find_chromium() -> str:
    override = os.environ.get("SOP_CHROMIUM")
    if override:
        found = shutil.which(override)
        if found:
            return found
        raise ChromiumMissing(f"SOP_CHROMIUM menunjuk '{override}', yang tidak dapat dijalankan")
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise ChromiumMissing(PESAN_TANPA_CHROMIUM)


LAUNCH = 'exec 3<&0 4>&1 </dev/null >/dev/null; exec "$0" "$@"'
"""Run by /bin/sh with Chromium's command line as its arguments: the pipes from stdin and stdout to fds 3 and 4."""

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


def command_line(executable: str, profile: str, extra: Sequence[str] = ()) -> list[str]:
    """The browser's command line.

    Chromium's sandbox cannot run as root and refuses to start there, so only
    root gets ``--no-sandbox``; any other user keeps the sandbox.
    """
    args = [executable, "--headless=new", "--remote-debugging-pipe"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    return [
        *args, "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
        "--disable-background-networking", "--disable-component-update", "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--allow-file-access-from-files",
        f"--user-data-dir={profile}", *extra, "about:blank",
    ]


class Subscription:
    """The events of some methods from some sessions, kept from subscribing until :meth:`close`.

    ``with browser.subscribe(tab.session, {"Page.loadEventFired"}) as loads: ...``;
    the browser keeps no event that no open subscription asked for.
    """

    def __init__(self, browser: Chromium, sessions: Iterable[str | None], methods: Iterable[str]):
        self.browser = browser
        self.sessions = set(sessions)
        self.methods = set(methods)
        self._queue: collections.deque[dict] = collections.deque()

    def wants(self, event: dict) -> bool:
        return event.get("method") in self.methods and event.get("sessionId") in self.sessions

    def next(self, timeout: float | None = None, failure: str = "peristiwa yang ditunggu tidak terjadi") -> dict:
        """The next event (``method``, ``params``, ``sessionId``), waiting up to ``timeout`` seconds."""
        with self.browser._cond:
            self.browser._wait(lambda: bool(self._queue), timeout, failure)
            return self._queue.popleft()

    def drain(self) -> list[dict]:
        """The events received since the last call, without waiting."""
        with self.browser._cond:
            events = list(self._queue)
            self._queue.clear()
        return events

    def close(self) -> None:
        with self.browser._cond:
            if self in self.browser._subscriptions:
                self.browser._subscriptions.remove(self)
            self._queue.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Chromium:
    """One headless browser for a batch of pages: ``with Chromium() as browser: ...``.

    ``arguments`` adds to the command line (``--window-size=1280,900``, say).
    """

    def __init__(self, executable: str | None = None, timeout: float = TIMEOUT, arguments: Sequence[str] = ()):
        self.executable = executable or find_chromium()
        self.timeout = timeout
        self.arguments = tuple(arguments)
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self._waiting: set[int] = set()  # ids of commands whose caller still waits for the reply
        self._subscriptions: list[Subscription] = []
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()
        self._closed = False

    # --- process and pipe --------------------------------------------------------------

    def __enter__(self) -> Self:
        # One folder for all the browser leaves on disk: its profile, and its own temporary files
        # (TMPDIR, see _tmpdir_for), removed on exit; after a run killed outright, by a later run
        # (atomic.remove_stale).
        self._profile = temp_folder("chromium")
        profile = os.path.join(self._profile, "profile")
        tmp = _tmpdir_for(self._profile)
        try:
            os.mkdir(profile)
        except OSError as exc:
            shutil.rmtree(self._profile, ignore_errors=True)
            raise write_failure(exc, self._profile) from exc
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = command_line(self.executable, profile, self.arguments)

        # The pipe ends go to the child as its stdin and stdout; a shell moves them to fds 3 and 4,
        # puts /dev/null in their place and becomes Chromium. (Moving them in Python between fork
        # and exec, with preexec_fn, can deadlock a program that runs threads.)
        try:
            self._proc = subprocess.Popen(
                ["/bin/sh", "-c", LAUNCH, *args], stdin=to_browser_r, stdout=from_browser_w,
                stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": tmp})
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
                with contextlib.suppress(PrintError):
                    self.send("Browser.close", timeout=10)
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
        finally:
            with self._cond:
                self._closed = True
                self._subscriptions.clear()
                self._cond.notify_all()
            with self._write_lock:
                for fd in (self._to_browser, self._from_browser):
                    with contextlib.suppress(OSError):
                        os.close(fd)
            shutil.rmtree(self._profile, ignore_errors=True)

    @property
    def pid(self) -> int:
        """The browser process (its command line is in /proc/PID/cmdline)."""
        return self._proc.pid

    def _drain_stderr(self) -> None:
        assert self._proc.stderr is not None
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
                        if message["id"] in self._waiting:  # not one whose caller gave up
                            self._replies[message["id"]] = message
                    else:  # an event: kept only by the subscriptions that want it
                        for subscription in self._subscriptions:
                            if subscription.wants(message):
                                subscription._queue.append(message)
                    self._cond.notify_all()

    def _died(self) -> PrintError:
        said = b"".join(self._stderr).decode("utf-8", "replace").strip().splitlines()
        last = said[-1] if said else "tanpa pesan"
        return PrintError(f"Chromium berhenti sebelum selesai mencetak: {last}")

    def held_messages(self) -> int:
        """Messages received and not yet taken: events waiting in subscriptions, replies for waiting callers.

        An event no subscription wants, and a late reply whose caller gave up, are not kept.
        """
        with self._cond:
            return sum(len(s._queue) for s in self._subscriptions) + len(self._replies)

    # --- commands ----------------------------------------------------------------------

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        """One DevTools command; returns its result or raises :class:`PrintError`."""
        with self._cond:
            self._next_id += 1
            ident = self._next_id
            self._waiting.add(ident)
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        try:
            # A long message goes into the pipe in several pieces: the lock keeps another
            # thread's message from landing between them.
            with self._write_lock:
                while data:
                    data = data[os.write(self._to_browser, data):]
            with self._cond:
                self._wait(lambda: ident in self._replies, timeout, f"Chromium tidak menjawab perintah {method}")
                reply = self._replies.pop(ident)
        except OSError as exc:
            raise self._died() from exc
        finally:
            with self._cond:
                self._waiting.discard(ident)
        if "error" in reply:
            raise PrintError(f"Chromium menolak perintah {method}: {reply['error'].get('message', reply['error'])}")
        return reply.get("result", {})

    def _wait(self, ready: Callable[[], bool], timeout: float | None, failure: str) -> None:
        """Wait, holding ``_cond``, until ``ready()``; raise when the browser stops or the time runs out."""
        limit = timeout or self.timeout
        deadline = time.monotonic() + limit
        while not ready():
            if self._closed:
                raise self._died()
            left = deadline - time.monotonic()
            if left <= 0:
                raise PrintError(f"{failure} dalam {limit:.0f} detik")
            self._cond.wait(left)

    def subscribe(self, sessions: str | Iterable[str | None] | None, methods: Iterable[str]) -> Subscription:
        """Keep the events of ``methods`` from a session (or several) from now until the subscription closes."""
        if sessions is None or isinstance(sessions, str):
            sessions = [sessions]
        subscription = Subscription(self, sessions, methods)
        with self._cond:
            self._subscriptions.append(subscription)
        return subscription

    def wait_event(self, method: str, session: str, timeout: float | None = None) -> dict:
        """The parameters of the next ``method`` event of a session from now on."""
        with self.subscribe(session, {method}) as events:
            return events.next(timeout, f"peristiwa {method} tidak terjadi").get("params", {})

    def new_tab(self) -> Tab:
        """A new blank tab."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Tab(self, target, session)

    def open(self, where: str | Path) -> Tab:
        """A new tab showing a local HTML file (or an http://127.0.0.1 address), loaded with its fonts."""
        tab = self.new_tab()
        tab.goto(str(where) if str(where).startswith(("http://", "https://")) else Path(where).resolve().as_uri())
        return tab


class Tab:
    def __init__(self, browser: Chromium, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session
        self.send("Page.enable")

    def send(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        return self.browser.send(method, params, self.session, timeout)

    def goto(self, url: str) -> None:
        """Show ``url`` and wait until it has loaded, its fonts included."""
        with self.browser.subscribe(self.session, {"Page.loadEventFired"}) as loads:
            result = self.send("Page.navigate", {"url": url})
            if result.get("errorText"):
                raise PrintError(f"Chromium tidak dapat membuka {url}: {result['errorText']}")
            loads.next(failure="halaman tidak selesai dimuat")
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise is awaited)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            raise PrintError(f"skrip pengukur lembar gagal: {text.splitlines()[0] if text else details}")
        return result.get("result", {}).get("value")

    @property
    def url(self) -> str:
        return self.evaluate("location.href")

    def wait_for(self, expression: str, timeout: float = 10.0, what: str | None = None) -> Any:
        """The first truthy value of ``expression``, evaluated every 50 ms for up to ``timeout`` seconds.

        A failure while a new page replaces the old one (no document to evaluate in yet)
        only means "not yet"; the last one is told if the time runs out.
        """
        deadline = time.monotonic() + timeout
        last_error = ""
        while True:
            try:
                value = self.evaluate(expression)
                if value:
                    return value
            except PrintError as exc:
                last_error = f" ({exc})"
            if time.monotonic() > deadline:
                raise PrintError(f"{timeout:.0f} detik menunggu {what or expression}, tidak terjadi{last_error}")
            time.sleep(0.05)

    def click(self, selector: str, timeout: float = 10.0) -> None:
        """Click the first element matching ``selector`` with the mouse, as a user would.

        The element is scrolled into view and clicked at its centre once it is
        shown and nothing else covers that point.
        """
        find = (f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
                " if (!el || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return null;"
                " el.scrollIntoView({block: 'center', inline: 'center'});"
                " const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;"
                " const hit = document.elementFromPoint(x, y);"
                " return r.width > 0 && r.height > 0 && hit && (hit === el || el.contains(hit)) ? {x, y} : null; })()")
        point = self.wait_for(find, timeout, f"{selector} dapat diklik")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": point["x"], "y": point["y"],
                                                   "button": "left" if kind != "mouseMoved" else "none",
                                                   "buttons": 1 if kind == "mousePressed" else 0,
                                                   "clickCount": 0 if kind == "mouseMoved" else 1})

    def type(self, text: str) -> None:
        """Key presses for ``text`` into the focused element (keydown, input, keyup per character)."""
        for char in text:
            key: dict[str, Any] = {"key": char, "text": char, "unmodifiedText": char}
            if char.isascii() and char.isalnum():
                key.update(code=("Key" + char.upper()) if char.isalpha() else "Digit" + char,
                           windowsVirtualKeyCode=ord(char.upper()))
            self.send("Input.dispatchKeyEvent", {"type": "keyDown", **key})
            self.send("Input.dispatchKeyEvent", {"type": "keyUp", **{k: v for k, v in key.items()
                                                                    if k not in ("text", "unmodifiedText")}})

    def request_log(self) -> RequestLog:
        """From now on, every address this tab asks for (see :class:`RequestLog`)."""
        return RequestLog(self)

    def pdf(self, timeout: float | None = None, **options: Any) -> bytes:
        """The page printed to PDF (:data:`PDF_OPTIONS`, and options of DevTools' ``Page.printToPDF``)."""
        params = {**PDF_OPTIONS, "transferMode": "ReturnAsBase64", **options}
        return base64.b64decode(self.send("Page.printToPDF", params, timeout=timeout)["data"])

    def close(self) -> None:
        with contextlib.suppress(PrintError):
            self.browser.send("Target.closeTarget", {"targetId": self.target})


class RequestLog:
    """The addresses a tab asks for, read from DevTools ``Network`` events until :meth:`close`.

    Every request the page makes (``Network.requestWillBeSent``) and every
    WebSocket it opens (``Network.webSocketCreated``). A dedicated worker's
    requests come in the page's own events (Material's search worker fetching
    ``search_index.json`` does, measured on Chromium 156).
    """

    METHODS = frozenset({"Network.requestWillBeSent", "Network.webSocketCreated"})

    def __init__(self, tab: Tab):
        self.tab = tab
        self._events = tab.browser.subscribe(tab.session, self.METHODS)
        tab.send("Network.enable")

    def urls(self) -> list[str]:
        """The addresses asked for since the last call, in order."""
        return [event["params"]["request"]["url"] if event["method"] == "Network.requestWillBeSent"
                else event["params"]["url"] for event in self._events.drain()]

    def close(self) -> None:
        self._events.close()
        with contextlib.suppress(PrintError):
            self.tab.send("Network.disable")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
