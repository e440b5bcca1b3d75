"""The one cache of every build: where it lives, who may have made it, what invalidates it, and how
an entry is read and written.

Root
    :func:`root` decides it, once per run: ``$SOPCODE_CACHE_DIR`` when set (an empty value: no
    cache at all; tests point it at a temporary folder), else the folder a caller configured
    (the site's ``cache_dir``), else ``.cache/sop`` beside the data folder, else (a single SOP
    file checked) this user's own cache folder, ``$XDG_CACHE_HOME/sopcode``. Never a folder
    derived from the parent of a single file: that may be a folder anybody can write to.
    Whatever the root, :func:`trusted` must accept it before anything in it is read.
Keys
    An entry is named by a hash of everything that made it (a file's bytes and the settings, a
    drawing's exact DOT source, a sheet's HTML) and of :func:`code_fingerprint`: our code,
    templates, styles and scripts, and the versions of the libraries that shape the output. A
    change to any of them is never answered from an older build.
Entries
    Data only: JSON (read back by :class:`Codec` as the types our annotations declare, never as
    anything the data names), or plain text and bytes (drawings, PDFs). Nothing in a cache can
    run code.
Failure
    A cache never stops a build. An entry that cannot be read or decoded is a miss; one that
    cannot be written only makes the next build slower (:func:`read_bytes`, :func:`write`); a
    root that cannot be written to is not used (:func:`trusted`).

This module is over 500 lines on purpose: the root, the trust check, the fingerprint, the codec
and the tolerant reads and writes are one promise (an entry is used only if this user made it,
with this code, from these inputs); split apart, no part could be judged without reading the others.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import hmac
import json
import os
import shutil
import stat
import subprocess
import tempfile
import time
import types
import typing
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from enum import Enum
from typing import Any

from sopcode.atomic import write_atomic

PACKAGE = os.path.dirname(os.path.abspath(__file__))

ENV = "SOPCODE_CACHE_DIR"
"""The cache root for every run when set; set but empty: build without a cache."""

STAMP = "owner-stamp"
"""The file that says a cache folder was made here, by this user, for this path (see :func:`trusted`)."""

LIBRARIES = ("PyYAML", "Jinja2", "MarkupSafe", "pikepdf")
"""Libraries whose version shapes what is cached (parsing, sheet HTML, cutting PDFs)."""


# --- the root ------------------------------------------------------------------------------

def user_cache() -> str:
    """This user's own cache folder for sopcode (``$XDG_CACHE_HOME/sopcode`` or ``~/.cache/sopcode``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sopcode")


def project_cache(data: str) -> str:
    """``.cache/sop`` of the project whose data folder is ``data`` (beside it; git ignores it).

    ``data`` given as a single file has no project known to be this user's: its folder may be
    one anybody can write to (the system's temporary folder). Then this user's own cache folder.
    """
    folder = os.path.abspath(data)
    if not os.path.isdir(folder):
        return user_cache()
    return os.path.join(os.path.dirname(folder), ".cache", "sop")


def root(data: str | None = None, configured: str | None = None) -> str | None:
    """The cache root of a run, trusted (see the module's words), or ``None``: build without one.

    ``configured``: a folder the caller was told to use (the site's ``cache_dir``); ``data``: the
    data folder (or the first path) of the run. ``$SOPCODE_CACHE_DIR`` beats both.
    """
    env = os.environ.get(ENV)
    if env is not None:
        return trusted(env) if env.strip() else None
    if configured:
        return trusted(configured)
    if data:
        # A project whose cache cannot be trusted (a shared or read-only folder) still gets this
        # user's own: entries are keyed by their content, so sharing that folder costs nothing.
        return trusted(project_cache(data)) or trusted(user_cache())
    return None


@functools.cache
def _user_key(folder: str) -> bytes | None:
    """This user's secret for stamping cache folders, kept outside every project (created once)."""
    path = os.path.join(folder, "sopcode", "cache-secret")
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        earlier = os.path.join(folder, "sopcode", "kunci-cache")  # its name before: kept, so caches stay trusted
        if not os.path.lexists(path) and os.path.lexists(earlier):
            with suppress(OSError):
                os.rename(earlier, path)
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
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and bool(done.stdout)


def _nobody_else_can_replace(path: str) -> bool:
    """Whether ``path`` and every folder above it are safe from other users: owned by this user or
    root, and writable by nobody else unless sticky (like /tmp, where others cannot rename what is
    ours). Otherwise another user could swap a folder on the way for a link between our check
    and our use, and have us read their entries or empty a folder of their choosing."""
    me = os.geteuid()
    for chain in (path, os.path.realpath(path)):
        place = chain
        while True:
            st = os.lstat(place)
            if st.st_uid not in (me, 0):
                return False
            if not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o022 and not st.st_mode & stat.S_ISVTX:
                return False
            above = os.path.dirname(place)
            if above == place:
                break
            place = above
    return True


def _config_home() -> str:
    return os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")


def trusted(folder: str | None) -> str | None:
    """The cache folder ``folder``, when it is safe to read what is in it; ``None``: build without a cache.

    Caches hold finished drawings that are published as they are, so they must come from this
    user's own builds. A cache folder that came with the project (committed with ``git add -f``,
    unpacked from an archive) or that another user made (a shared folder) is not trusted: the
    folder carries a stamp, an HMAC of its real path under a key kept in this user's
    configuration folder, which nobody else can make. A folder without a valid stamp is emptied
    (links in it are removed, never followed) and stamped anew; one that is a link or belongs to
    another user, or that cannot be written to, is not used at all. Whatever fails here only makes
    the build slower.
    """
    if not folder:
        return None
    key = _user_key(_config_home())
    if key is None:
        return None
    folder = os.path.abspath(folder)
    try:
        existing = folder
        while not os.path.lexists(existing):
            existing = os.path.dirname(existing)
        if not _nobody_else_can_replace(existing):  # checked before anything is made in it
            return None
        os.makedirs(folder, mode=0o700, exist_ok=True)
        for place in (os.path.dirname(folder), folder):
            st = os.lstat(place)
            if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid():
                return None
            if st.st_mode & 0o022:  # made under a loose umask: only this user may change it
                os.chmod(place, stat.S_IMODE(st.st_mode) & ~0o022)
        os.chmod(folder, 0o700)  # nobody else reads what was built from the SOPs, or reaches into it
        if not _nobody_else_can_replace(folder):
            return None
        if _tracked(folder):  # a pull would write a contributor's files into it after it was stamped
            return None
        expected = hmac.new(key, os.fsencode(os.path.realpath(folder)), hashlib.sha256).hexdigest()
        # A cache that cannot be written to (a read-only disk or mount) is not used: the build is
        # only slower, never stopped by it.
        probe, probe_path = tempfile.mkstemp(dir=folder, prefix=".coba-")
        os.close(probe)
        os.unlink(probe_path)
        stamp = os.path.join(folder, STAMP)
        try:
            with open(stamp, "rb") as fh:
                if hmac.compare_digest(fh.read(200).strip(), expected.encode()):
                    return folder
        except OSError:
            pass
        for name in os.listdir(folder):  # made elsewhere: none of it is read
            path = os.path.join(folder, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        write_atomic(stamp, expected.encode())
        return folder
    except OSError:
        return None


STALE_DAYS = 30
"""Folders of a cache part not used for this long are removed (see :func:`keep_recent`)."""


def keep_recent(folder: str | None, used: set[str]) -> None:
    """Mark the entries ``used`` under ``folder`` as used now, and remove those nobody used for
    :data:`STALE_DAYS`: one folder per data folder ever checked (every temporary folder a file was
    checked in, say) would otherwise pile up in this user's cache for ever. Failures are ignored."""
    if not folder:
        return
    now = time.time()
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        try:
            if name in used:
                os.utime(path, (now, now))
            elif now - os.lstat(path).st_mtime > STALE_DAYS * 86400:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                else:
                    os.unlink(path)
        except OSError:
            continue


def part(cache_root: str | None, name: str) -> str | None:
    """The folder of one kind of entry under the root (``None`` without a cache)."""
    return os.path.join(cache_root, name) if cache_root else None


# --- keys ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """What every cached result was made by: our code, templates, styles and scripts, and the
    versions of the libraries that shape the output (:data:`LIBRARIES`)."""
    from importlib import metadata

    digest = hashlib.sha256()
    for lib in LIBRARIES:
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{lib}={version}\0".encode())
    for folder, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".html", ".css", ".js", ".yaml", ".json")):
                with open(os.path.join(folder, name), "rb") as fh:
                    rel = os.path.relpath(os.path.join(folder, name), PACKAGE)
                    digest.update(rel.encode() + b"\0" + fh.read() + b"\0")
    return digest.hexdigest()


def key(*parts: str | bytes) -> str:
    """A hash of ``parts`` (length-prefixed: no two inputs collide by concatenation) and of our code."""
    h = hashlib.sha256(code_fingerprint().encode())
    for p in parts:
        data = p.encode("utf-8", "surrogateescape") if isinstance(p, str) else p
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


# --- reading and writing -------------------------------------------------------------------

MAX_ENTRY = 256 * 1024 * 1024
"""The largest entry read back (a shard of 5,000 SOPs' models is a few MB, a binder's PDF tens):
anything larger was not written by us and is a miss, not a build held up reading it."""


def read_bytes(path: str | None) -> bytes | None:
    """A cache file's bytes; ``None`` for any failure (a miss)."""
    if not path:
        return None
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > MAX_ENTRY:  # not ours to read whole into memory
                return None
            return fh.read(MAX_ENTRY + 1)
    except OSError:
        return None


def read_text(path: str | None) -> str | None:
    data = read_bytes(path)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def write(path: str | None, data: bytes | str) -> bool:
    """Keep ``data`` at ``path`` whole or not at all; ``False`` when it could not be written
    (a full or read-only disk, a folder removed meanwhile): the next build is only slower."""
    if not path:
        return False
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, data)
    except OSError:
        return False
    return True


def remove_except(folder: str | None, keep: Callable[[str], bool]) -> int:
    """Remove the files in ``folder`` whose name ``keep`` refuses; returns how many (failures ignored)."""
    removed = 0
    try:
        names = os.listdir(folder) if folder else []
    except OSError:
        return 0
    for name in names:
        if keep(name):
            continue
        try:
            os.unlink(os.path.join(folder, name))  # type: ignore[arg-type]
            removed += 1
        except OSError:
            pass
    return removed


@contextmanager
def no_gc() -> Iterator[None]:
    """The cycle collector paused while millions of small objects are made that all stay alive
    (a model cache, a folder of SOPs): it would walk them again and again for nothing."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --- data-only JSON for model objects ------------------------------------------------------

class Codec:
    """A value of one declared type as JSON and back, constructing only the types it declares.

    Written by the value's own types: a dataclass as the list of its fields, a tuple, list or
    frozenset as a list, an enum as its value, a date as ISO text, a mapping as an object, a
    ``special`` type (a ``str`` that carries a position) as its own form. Read back by the
    *declared* types (the dataclasses' annotations, from ``kind`` down): plain ``json.loads``
    first, then each value is made the type its place declares. Nothing else can be made, and
    no tag in the data chooses what is made. Built once per kind (the annotations are read then).
    """

    def __init__(self, kind: Any, special: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]]
                 | None = None, mapping: type = dict):
        self.special = dict(special or {})
        self.mapping = mapping  # what a field declared ``Mapping[...]`` is made as
        self._fields: dict[type, tuple[str, ...]] = {}
        self._made: dict[Any, Callable[[Any], Any] | None] = {}
        self.decode: Callable[[Any], Any] = self._decoder(kind) or _same

    # writing: by the value's own type

    def encode(self, value: Any) -> Any:
        """``value`` as plain JSON data."""
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool or value is None:
            return value
        special = self.special.get(kind)
        if special is not None:
            return special[0](value)
        if kind is list or kind is tuple:
            return [self.encode(v) for v in value]
        names = self._fields.get(kind)
        if names is None and dataclasses.is_dataclass(value):
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(value))
        if names is not None:
            return [self.encode(getattr(value, n)) for n in names]
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, tuple):  # a named tuple
            return [self.encode(v) for v in value]
        if isinstance(value, dict):
            return {str(k): self.encode(v) for k, v in value.items()}
        if isinstance(value, (set, frozenset)):
            return sorted(self.encode(v) for v in value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            return str(value)
        raise TypeError(f"cannot keep a {kind.__name__} in the cache")

    def dumps(self, value: Any) -> str:
        return json.dumps(self.encode(value), ensure_ascii=False, separators=(",", ":"))

    # reading: by the declared type

    def loads(self, text: str | bytes) -> Any:
        """The value, or an exception of any kind for data not of this kind (the caller's miss)."""
        with no_gc():
            return self.decode(json.loads(text))

    def _decoder(self, kind: Any) -> Callable[[Any], Any] | None:
        """A function making ``kind`` from its JSON data; ``None`` where the JSON value is it already."""
        if kind not in self._made:
            self._made[kind] = self._make(kind)
        return self._made[kind]

    def _make(self, kind: Any) -> Callable[[Any], Any] | None:
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if kind in self.special:
            return self.special[kind][1]
        if kind is str:
            return self._str
        if kind in (int, float, bool, dict, Any, type(None)) or origin is dict:
            return None
        if origin in (types.UnionType, typing.Union):
            real = [a for a in args if a is not type(None)]
            if len(real) != 1:
                raise TypeError(f"cannot read {kind} from the cache")
            return self._decoder(real[0])
        if kind is dt.date:
            return dt.date.fromisoformat
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            item = self._decoder(args[0])
            return tuple if item is None else functools.partial(_many, tuple, item)
        if origin is tuple:
            items = tuple(self._decoder(a) for a in args)
            return functools.partial(_fixed, items)
        if origin in (list, frozenset, set):
            item = self._decoder(args[0]) if args else None
            return origin if item is None else functools.partial(_many, origin, item)
        if origin is collections.abc.Mapping:
            value = self._decoder(args[1]) if args else None
            return functools.partial(_mapping, self.mapping, value)
        if isinstance(kind, type) and issubclass(kind, Enum):
            return kind
        if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_make"):
            return kind._make
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            hints = typing.get_type_hints(kind)
            fields = [(f.name, self._decoder(hints[f.name]) or _same) for f in dataclasses.fields(kind)]
            return functools.partial(_new_dataclass, kind, fields)
        raise TypeError(f"cannot read {kind} from the cache")

    def _str(self, value: Any) -> Any:
        """A field declared ``str`` may hold a special ``str`` (a text with its position)."""
        if type(value) is list:
            for cls, (_, from_data) in self.special.items():
                if issubclass(cls, str):
                    return from_data(value)
            raise TypeError("a list where a text was expected")
        return value


def _same(value: Any) -> Any:
    return value


def _many(kind: type, item: Callable[[Any], Any], values: list) -> Any:
    return kind(map(item, values))


def _fixed(items: tuple, values: list) -> tuple:
    if len(values) != len(items):
        raise ValueError("wrong number of values")
    return tuple(v if f is None or v is None else f(v) for f, v in zip(items, values))


def _mapping(kind: type, value: Callable[[Any], Any] | None, data: dict) -> Any:
    if not isinstance(data, dict):
        raise TypeError("an object was expected")
    return kind(data if value is None else {k: value(v) for k, v in data.items()})


def _new_dataclass(cls: type, fields: list, values: list) -> Any:
    """An instance made as a copy is, without running ``__init__`` (frozen classes included)."""
    if type(values) is not list or len(values) != len(fields):
        raise ValueError(f"{cls.__name__}: wrong number of fields")
    obj: Any = object.__new__(cls)
    obj.__dict__.update((name, v if v is None else decode(v)) for (name, decode), v in zip(fields, values))
    return obj


def read_json(path: str | None, codec: Codec | None = None) -> Any:
    """A JSON entry (through ``codec`` when given); ``None`` for a miss or anything unreadable."""
    data = read_bytes(path)
    if data is None:
        return None
    try:
        return codec.loads(data) if codec else json.loads(data)
    except Exception:  # noqa: BLE001 - any entry that does not decode is a miss
        return None


def write_json(path: str | None, value: Any, codec: Codec | None = None) -> bool:
    if not path:
        return False
    try:
        text = codec.dumps(value) if codec else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return False
    return write(path, text)


class Sharded:
    """A dict of ``path → (content key, value)`` kept in a few JSON files, by a hash of the path:
    one changed SOP rewrites one of them (rewriting the whole of a model cache for 1,000 SOPs took
    1.5 s of a 9 s rebuild). An entry answers only for the content key it was stored with.

    The files are read as plain JSON; an entry is made into its ``codec``'s kind only when asked
    for, and what is not asked for is written back as it was read."""

    SHARDS = 16

    def __init__(self, folder: str | None, codec: Codec | None = None):
        self.folder = folder
        self.codec = codec
        self.parts: list[dict] = []
        self.dirty: set[int] = set()
        for n in range(self.SHARDS):
            found = read_json(self._file(n)) if folder else None
            self.parts.append(found if isinstance(found, dict) else {})
            if folder and found is None and os.path.lexists(self._file(n)):
                self.dirty.add(n)  # unreadable or not ours: written anew, not read again every build
            elif found is not None and not isinstance(found, dict):
                self.dirty.add(n)

    def _file(self, n: int) -> str:
        return os.path.join(self.folder or "", f"{n:02d}.json")

    def _part(self, path: str) -> int:
        return zlib.crc32(path.encode("utf-8", "surrogateescape")) % self.SHARDS

    def get(self, path: str, content_key: str) -> Any:
        """The value stored for ``path`` with this ``content_key``; ``None`` otherwise (or unreadable)."""
        hit = self.parts[self._part(path)].get(path)
        if not (isinstance(hit, list) and len(hit) == 2 and hit[0] == content_key and content_key):
            return None
        try:
            return self.codec.decode(hit[1]) if self.codec else hit[1]
        except Exception:  # noqa: BLE001 - an entry that does not decode is a miss
            return None

    def put(self, path: str, content_key: str, value: Any) -> None:
        if not content_key:
            return
        try:
            data = self.codec.encode(value) if self.codec else value
        except (TypeError, ValueError):
            return  # not kept: made again next time
        n = self._part(path)
        self.parts[n][path] = [content_key, data]
        self.dirty.add(n)

    def drop_missing(self) -> None:
        """Forget the files that are gone."""
        for n, entries in enumerate(self.parts):
            old = [p for p in entries if not os.path.exists(p)]
            for p in old:
                del entries[p]
            if old:
                self.dirty.add(n)

    def save(self) -> None:
        """Write the changed files (a cache that cannot be written to only makes the next build slower)."""
        if not self.folder:
            return
        for n in sorted(self.dirty):
            if not write_json(self._file(n), self.parts[n]):
                return
        self.dirty.clear()
