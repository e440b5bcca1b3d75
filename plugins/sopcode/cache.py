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
    Data only: JSON (:class:`Codec` for model objects, which constructs nothing but the classes
    it was given), or plain text and bytes (drawings, PDFs). Nothing in a cache can run code.
Failure
    A cache never stops a build. An entry that cannot be read or decoded is a miss; one that
    cannot be written only makes the next build slower (:func:`read_bytes`, :func:`write`); a
    root that cannot be written to is not used (:func:`trusted`).
"""

from __future__ import annotations

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
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
        return trusted(project_cache(data))
    return None


@functools.cache
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
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and bool(done.stdout)


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
        os.makedirs(folder, exist_ok=True)
        for place in (os.path.dirname(folder), folder):
            st = os.lstat(place)
            if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid():
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

def read_bytes(path: str | None) -> bytes | None:
    """A cache file's bytes; ``None`` for any failure (a miss)."""
    if not path:
        return None
    try:
        with open(path, "rb") as fh:
            return fh.read()
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
    """JSON for dataclasses, named tuples, enums, dates and the like, constructing only the
    classes it was given: decoding cannot make anything else, nor run code.

    A value is written as JSON where JSON has the type (str, int, float, bool, None, list of
    them, dict with string keys) and as a one-key object ``{"@<tag>": …}`` otherwise: ``@t``
    tuple, ``@f`` frozenset, ``@d`` date, ``@m`` other mapping (pairs), and ``@<Class>`` for a
    registered class. ``special`` gives a class its own form (a ``str`` that carries a position).
    """

    def __init__(self, classes: list[type], special: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]]
                 | None = None):
        partial = functools.partial
        self.encoders: dict[type, Callable[[Any], Any]] = {}
        self.decoders: dict[str, Callable[[Any], Any]] = {
            "@t": tuple, "@f": frozenset, "@d": dt.date.fromisoformat, "@m": dict,
        }
        for cls, (to_data, from_data) in (special or {}).items():
            tag = "@" + cls.__name__
            self.encoders[cls] = partial(self._special, tag, to_data)
            self.decoders[tag] = from_data
        for cls in classes:
            tag = "@" + cls.__name__
            if tag in self.decoders:
                raise ValueError(f"two classes named {cls.__name__}")
            if dataclasses.is_dataclass(cls):
                names = tuple(f.name for f in dataclasses.fields(cls))
                self.encoders[cls] = partial(self._dataclass, tag, names)
                self.decoders[tag] = partial(_new_dataclass, cls)
            elif issubclass(cls, Enum):
                self.encoders[cls] = partial(_enum, tag)
                self.decoders[tag] = cls
            elif issubclass(cls, tuple) and hasattr(cls, "_fields"):
                self.encoders[cls] = partial(self._items, tag)
                self.decoders[tag] = partial(_new_tuple, cls)
            elif issubclass(cls, dict):
                self.encoders[cls] = partial(self._mapping, tag)
                self.decoders[tag] = cls
            else:
                raise TypeError(f"{cls.__name__}: not a dataclass, enum, named tuple or dict (give it a special form)")

    def _special(self, tag: str, to_data: Callable[[Any], Any], value: Any) -> dict:
        return {tag: self.encode(to_data(value))}

    def _dataclass(self, tag: str, names: tuple[str, ...], value: Any) -> dict:
        return {tag: {n: self.encode(getattr(value, n)) for n in names}}

    def _items(self, tag: str, value: Any) -> dict:
        return {tag: [self.encode(x) for x in value]}

    def _mapping(self, tag: str, value: Any) -> dict:
        return {tag: self.encode(dict(value))}

    def encode(self, value: Any) -> Any:
        """``value`` as plain JSON data."""
        kind = type(value)
        if kind in (str, int, float, bool) or value is None:
            return value
        enc = self.encoders.get(kind)
        if enc is not None:
            return enc(value)
        if kind is list:
            return [self.encode(v) for v in value]
        if kind is tuple:
            return {"@t": [self.encode(v) for v in value]}
        if kind is frozenset:
            return {"@f": sorted((self.encode(v) for v in value), key=repr)}
        if kind is dt.date:
            return {"@d": value.isoformat()}
        if kind is dict:
            if all(type(k) is str and not k.startswith("@") for k in value):
                return {k: self.encode(v) for k, v in value.items()}
            return {"@m": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        raise TypeError(f"cannot keep a {kind.__name__} in the cache")

    def _hook(self, obj: dict) -> Any:
        if len(obj) == 1:
            (tag, value), = obj.items()
            if tag[:1] == "@":
                return self.decoders[tag](value)  # an unknown tag: KeyError, the entry is a miss
        return obj

    def dumps(self, value: Any) -> str:
        with no_gc():
            return json.dumps(self.encode(value), ensure_ascii=False, separators=(",", ":"))

    def loads(self, text: str | bytes) -> Any:
        """The value, or an exception of any kind for an entry not of this codec (the caller's miss)."""
        with no_gc():
            return json.loads(text, object_hook=self._hook)


def _new_dataclass(cls: type, fields: dict) -> Any:
    """An instance made as a copy is, without running ``__init__`` (frozen classes included)."""
    obj: Any = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


def _new_tuple(cls: type, items: list) -> Any:
    return cls(*items)


def _enum(tag: str, value: Enum) -> dict:
    return {tag: value.value}


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
    1.5 s of a 9 s rebuild). An entry answers only for the content key it was stored with."""

    SHARDS = 16

    def __init__(self, folder: str | None, codec: Codec | None = None):
        self.folder = folder
        self.codec = codec
        self.parts: list[dict] = []
        for n in range(self.SHARDS):
            found = read_json(self._file(n), codec) if folder else None
            self.parts.append(found if isinstance(found, dict) else {})
        self.dirty: set[int] = set()

    def _file(self, n: int) -> str:
        return os.path.join(self.folder or "", f"{n:02d}.json")

    def _part(self, path: str) -> int:
        return zlib.crc32(path.encode("utf-8", "surrogateescape")) % self.SHARDS

    def get(self, path: str, content_key: str) -> Any:
        """The value stored for ``path`` with this ``content_key``; ``None`` otherwise."""
        hit = self.parts[self._part(path)].get(path)
        if isinstance(hit, list) and len(hit) == 2 and hit[0] == content_key and content_key:
            return hit[1]
        return None

    def put(self, path: str, content_key: str, value: Any) -> None:
        if not content_key:
            return
        n = self._part(path)
        self.parts[n][path] = [content_key, value]
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
            if not write_json(self._file(n), self.parts[n], self.codec):
                return
        self.dirty.clear()
