"""What the caches under ``.cache/sop/`` share: where they live, who may have made them, and what
invalidates them.

Every cache is keyed by content (a file's bytes, a drawing's source, a
sheet's inputs) and by :func:`code_fingerprint`, so a change to our own code
or templates is never answered from an older build. A cache that cannot be
read is an empty one: a damaged or foreign file only makes a build slower.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import hmac
import os
import pickle
import shutil
import stat
import subprocess
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sopcode.atomic import write_atomic

PACKAGE = os.path.dirname(os.path.abspath(__file__))

STAMP = "owner-stamp"
"""The file that says a cache folder was made here, by this user, for this path (see :func:`trusted`)."""


@functools.lru_cache(maxsize=None)
def _user_key(folder: str) -> bytes | None:
    """This user's secret for stamping cache folders, kept outside every project (created once)."""
    path = os.path.join(folder, "sopcode", "kunci-cache")
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(32).hex().encode())
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            return None
        with open(path, "rb") as fh:
            key = fh.read(200).strip()
        return key if len(key) >= 32 else None
    except OSError:
        return None


def _tracked(folder: str) -> bool:
    """Whether git keeps any file under ``folder`` (then what is in it comes with every pull)."""
    try:
        done = subprocess.run(["git", "-C", folder, "ls-files", "-z", "--", "."], capture_output=True, timeout=30,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and bool(done.stdout)


def _config_home() -> str:
    return os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")


def trusted(root: str | None) -> str | None:
    """The cache folder ``root``, when it is safe to read what is in it; ``None``: build without a cache.

    Caches hold pickles and finished drawings that are published as they are, so they must come
    from this user's own builds. A cache folder that came with the project (committed with
    ``git add -f``, unpacked from an archive) or that another user made (a shared folder) is not
    trusted: the folder carries a stamp, an HMAC of its real path under a key kept in this user's
    configuration folder, which nobody else can make. A folder without a valid stamp is emptied
    (links in it are removed, never followed) and stamped anew; one that is a link or belongs to
    another user, or that cannot be written to, is not used at all. Whatever fails here only makes
    the build slower.
    """
    if not root:
        return None
    key = _user_key(_config_home())
    if key is None:
        return None
    root = os.path.abspath(root)
    try:
        os.makedirs(root, exist_ok=True)
        for folder in (os.path.dirname(root), root):
            st = os.lstat(folder)
            if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid():
                return None
        if _tracked(root):  # a pull would write a contributor's files into it after it was stamped
            return None
        expected = hmac.new(key, os.fsencode(os.path.realpath(root)), hashlib.sha256).hexdigest()
        # A cache that cannot be written to (a read-only disk or mount) is not used: the build is
        # only slower, never stopped by it.
        probe, probe_path = tempfile.mkstemp(dir=root, prefix=".coba-")
        os.close(probe)
        os.unlink(probe_path)
        stamp = os.path.join(root, STAMP)
        try:
            with open(stamp, "rb") as fh:
                if hmac.compare_digest(fh.read(200).strip(), expected.encode()):
                    return root
        except OSError:
            pass
        for name in os.listdir(root):  # made elsewhere: none of it is read
            path = os.path.join(root, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        write_atomic(stamp, expected.encode())
        return root
    except OSError:
        return None


def project_cache(data: str) -> str:
    """``.cache/sop`` in the project, i.e. beside the data folder (git ignores it).

    ``data`` is the data folder or a file in it: never a place inside the data folder.
    """
    folder = os.path.abspath(data)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    return os.path.join(os.path.dirname(folder), ".cache", "sop")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Our code, templates, styles and the YAML library: what a cached result was made by."""
    import yaml

    digest = hashlib.sha256(yaml.__version__.encode())
    for folder, dirs, files in os.walk(PACKAGE):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".py", ".html", ".css", ".js", ".yaml")):
                with open(os.path.join(folder, name), "rb") as fh:
                    digest.update(name.encode() + b"\0" + fh.read())
    return digest.hexdigest()


def read_pickle(path: str | None) -> Any:
    """A cache file written by :func:`write_pickle`, or ``None`` (missing, damaged, another version)."""
    if not path:
        return None
    try:
        with open(path, "rb") as fh, no_gc():
            return pickle.load(fh)
    except Exception:  # any unreadable cache is a cold cache
        return None


@contextmanager
def no_gc() -> Iterator[None]:
    """The cycle collector paused while millions of small objects are made that all stay alive
    (a model cache, a folder of SOPs): it would walk them again and again for nothing
    (measured: a third of the time of reading 3,000 models back)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def keep_pickle(path: str, value: Any) -> bool:
    """:func:`write_pickle` for a cache: a project that cannot be written to is only slower."""
    try:
        write_pickle(path, value)
    except OSError:
        return False
    return True


def write_pickle(path: str, value: Any) -> None:
    with no_gc():  # pickling allocates a memo entry per object: the collector would walk them all
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomic(path, data)


class Sharded:
    """A dict kept in several pickle files, by a hash of the key: a change rewrites one of them.

    For caches of thousands of entries of which one changes at a time (one
    edited SOP): rewriting the whole of a model cache for 1,000 SOPs took
    1.5 s of a 9 s rebuild.
    """

    SHARDS = 16

    def __init__(self, folder: str | None):
        self.folder = folder
        self.parts: list[dict] = []
        for n in range(self.SHARDS):
            found = read_pickle(self._file(n)) if folder else None
            self.parts.append(found if isinstance(found, dict) else {})
        self.dirty: set[int] = set()

    def _file(self, n: int) -> str:
        return os.path.join(self.folder or "", f"{n:02d}.pickle")

    def _part(self, key: str) -> int:
        return zlib.crc32(key.encode("utf-8", "surrogateescape")) % self.SHARDS

    def get(self, key: str) -> Any:
        return self.parts[self._part(key)].get(key)

    def put(self, key: str, value: Any) -> None:
        n = self._part(key)
        self.parts[n][key] = value
        self.dirty.add(n)

    def drop_where(self, gone: Any) -> None:
        """Remove the entries whose key ``gone(key)`` says are no longer wanted."""
        for n, part in enumerate(self.parts):
            old = [k for k in part if gone(k)]
            for k in old:
                del part[k]
            if old:
                self.dirty.add(n)

    def save(self) -> None:
        """Write the changed files (a read-only project is only slower)."""
        if not self.folder:
            return
        for n in sorted(self.dirty):
            if not keep_pickle(self._file(n), self.parts[n]):
                return
        self.dirty.clear()
