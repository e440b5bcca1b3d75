"""Writing files safely: whole or not at all, with failures told in Indonesian; the run's temporary folders.

A file is written under a temporary name beside it, then renamed: no reader
ever sees half of it. A write that fails (a full disk, no permission) raises
:class:`WriteFailed`, an :class:`OSError` whose text names the file and the
cause in Indonesian, and leaves no temporary file behind.

Temporary folders (the browser's profile, the printer's pages) live in one
folder per user, ``<tmp>/sopcode-<uid>/``, each named with the process that
made it. A run killed outright (SIGKILL, a power cut) cannot remove its own;
the next run removes those whose process is gone and that are older than
:data:`STALE_AFTER` (see :func:`temp_folder`).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sopcode.diagnostics import display_path

_CAUSES = {
    errno.ENOSPC: "disk penuh (ENOSPC): tidak ada ruang tersisa",
    errno.EDQUOT: "kuota disk pengguna ini habis (EDQUOT)",
    errno.EFBIG: "berkas melebihi batas ukuran yang diizinkan sistem (EFBIG, lihat `ulimit -f`)",
    errno.EACCES: "tidak ada izin menulis (EACCES)",
    errno.EPERM: "tidak ada izin menulis (EPERM)",
    errno.EROFS: "disk hanya dapat dibaca (EROFS)",
    errno.EIO: "kesalahan baca-tulis perangkat disk (EIO)",
    errno.ENAMETOOLONG: "nama berkas terlalu panjang (ENAMETOOLONG)",
    errno.ENOENT: "foldernya tidak ada (ENOENT)",
    errno.ENOTDIR: "salah satu bagian jalurnya bukan folder (ENOTDIR)",
    errno.EISDIR: "sudah ada folder dengan nama itu (EISDIR)",
    errno.EMFILE: "terlalu banyak berkas terbuka (EMFILE)",
    errno.EBUSY: "berkas atau disk sedang dipakai program lain (EBUSY)",
    errno.ETXTBSY: "berkas sedang dipakai program lain (ETXTBSY)",
    errno.ENOMEM: "memori habis (ENOMEM)",
    errno.ELOOP: "tautan simbolik berputar atau terlalu panjang berantai (ELOOP)",
    errno.EXDEV: "tidak dapat dipindahkan antar-disk (EXDEV)",
}

_FIXES = {
    errno.ENOSPC: "kosongkan ruang disk (misalnya hapus folder .cache/sop dan site/ lama), lalu ulangi",
    errno.EDQUOT: "hapus berkas yang tidak perlu atau minta kuota lebih besar, lalu ulangi",
    errno.EFBIG: "naikkan batas ukuran berkas (`ulimit -f unlimited`), lalu ulangi",
    errno.EACCES: "periksa pemilik dan izin folder itu (`ls -ld`), lalu ulangi",
    errno.EPERM: "periksa pemilik dan izin folder itu (`ls -ld`), lalu ulangi",
    errno.EROFS: "tulis ke disk lain atau pasang ulang disk dengan izin tulis, lalu ulangi",
}


def os_reason(exc: OSError) -> str:
    """The cause of an operating-system error, in Indonesian."""
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    code = errno.errorcode.get(exc.errno or 0, "")
    return f"galat sistem {code or exc.errno} ({exc.strerror or exc})"


class WriteFailed(OSError):
    """A file could not be written; ``str()`` names the file, the cause and the fix, in Indonesian.

    Made by :func:`write_failure`: ``WriteFailed(errno, cause in Indonesian, path)``, the arguments
    of any OSError (so it pickles, and ``except OSError`` still catches it).
    """

    def __str__(self) -> str:
        fix = _FIXES.get(self.errno or 0, "")
        return f"tidak dapat menulis {display_path(self.filename)}: {self.strerror}" + (f"; {fix}" if fix else "")


def write_failure(exc: OSError, path: str) -> WriteFailed:
    """``exc`` as a :class:`WriteFailed` naming ``path`` (its own file when it names one)."""
    if isinstance(exc, WriteFailed):
        return exc
    named = next((n for n in (exc.filename2, exc.filename) if isinstance(n, str)), path)  # a copy: target second
    return WriteFailed(exc.errno, os_reason(exc), named)


@contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """A temporary path beside ``path`` to write to; it becomes ``path`` when the block ends well.

    A failure (or a killed process) leaves ``path`` as it was, and at most a
    ``.tmp-`` file (none after a failure the process lives through). The file
    gets the usual permissions (``0666`` less the umask), so a web server can
    read a PDF written into the site. An :class:`OSError` of the writing comes
    out as :class:`WriteFailed`, naming ``path``.
    """
    folder = os.path.dirname(path) or "."
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise write_failure(exc, path) from exc
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it 0600
        os.replace(tmp, path)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, WriteFailed):
            raise write_failure(exc, path) from exc
        raise


def write_atomic(path: str, data: bytes | str) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def copy_atomic(source: str, path: str) -> None:
    """Copy a file to ``path`` whole or not at all (for files too large to hold in memory)."""
    with open(source, "rb") as src, atomic_path(path) as tmp, open(tmp, "wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)


# --- temporary folders ---------------------------------------------------------------------

STALE_AFTER = 3600.0
"""Seconds after which a temporary folder whose process is gone is removed by the next run.

Both conditions: a folder of a live run is never touched, whatever its age;
and the hour keeps a folder made by a process this one cannot see (another
container sharing the same /tmp, whose process ids are not ours)."""

OLD_PREFIXES = ("sop-cetak-", "sop-chromium-")
"""Prefixes of the folders earlier versions made directly in the system's temporary folder."""


def temp_root() -> str:
    """This user's folder for temporary folders, ``<tmp>/sopcode-<uid>`` (made private on first use).

    When that name is taken by something this user does not own, or is not a
    private folder (another user's trap in a shared /tmp), the system's
    temporary folder itself is used, as before.
    """
    base = tempfile.gettempdir()
    root = os.path.join(base, f"sopcode-{os.getuid()}")
    try:
        os.mkdir(root, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return base
    try:
        st = os.lstat(root)
    except OSError:
        return base
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return base
    return root


def temp_folder(kind: str) -> str:
    """A new private temporary folder for this process, ``<root>/<kind>-<pid>-<random>``.

    Before making it, folders of earlier runs that were killed are removed
    (:func:`remove_stale`). The caller removes its own folder when done.
    """
    root = temp_root()
    remove_stale(root)
    try:
        return tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=root)
    except OSError as exc:
        raise write_failure(exc, root) from exc


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, someone else's
        return True
    return True


def remove_stale(root: str, now: float | None = None) -> list[str]:
    """Remove the temporary folders in ``root`` left by runs that were killed; returns their paths.

    In our own root: a folder whose process (the number in its name) is gone
    and that has not changed for :data:`STALE_AFTER` seconds. In the system's
    temporary folder, folders of earlier versions (:data:`OLD_PREFIXES`), which carry no
    process number: those of this user untouched for a day.
    """
    now = time.time() if now is None else now
    removed: list[str] = []
    own = os.path.basename(root).startswith("sopcode-")
    try:
        names = os.listdir(root)
    except OSError:
        return removed
    for name in names:
        full = os.path.join(root, name)
        if own:
            parts = name.split("-")
            if len(parts) < 3 or not parts[1].isdigit() or _alive(int(parts[1])):
                continue
            limit = STALE_AFTER
        elif name.startswith(OLD_PREFIXES):
            limit = 24 * STALE_AFTER
        else:
            continue
        try:
            st = os.lstat(full)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or now - st.st_mtime < limit:
            continue
        shutil.rmtree(full, ignore_errors=True)
        removed.append(full)
    if own:  # the folders earlier versions left beside it
        removed += remove_stale(os.path.dirname(root), now)
    return removed
