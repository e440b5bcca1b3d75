"""What the caches under ``.cache/sop/`` share: where they live and what invalidates them.

Every cache is keyed by content (a file's bytes, a drawing's source, a
sheet's inputs) and by :func:`code_fingerprint`, so a change to our own code
or templates is never answered from an older build. A cache that cannot be
read is an empty one: a damaged or foreign file only makes a build slower.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .atomic import write_atomic

PACKAGE = os.path.dirname(os.path.abspath(__file__))


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


def write_pickle(path: str, value: Any) -> None:
    write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
