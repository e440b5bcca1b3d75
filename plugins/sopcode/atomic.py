"""Writing a file so that no reader ever sees half of it: a temporary name beside it, then a rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """A temporary path beside ``path`` to write to; it becomes ``path`` when the block ends well.

    A failure (or a killed process) leaves ``path`` as it was, and at most a
    ``.tmp-`` file. The file gets the usual permissions (``0666`` less the
    umask), so a web server can read a PDF written into the site.
    """
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    os.close(fd)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it 0600
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_atomic(path: str, data: bytes | str) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def copy_atomic(source: str, path: str) -> None:
    """Copy a file to ``path`` whole or not at all (for files too large to hold in memory)."""
    with atomic_path(path) as tmp, open(tmp, "wb") as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
