"""Git, run for the history: one command at a time, its failures said in Indonesian with their fix.

Reading git's output
--------------------
Nothing a commit or a file name may contain can be mistaken for structure.
The log is read with ``-z``: fields and paths end at NUL, which neither a
path, nor an author's name, nor a commit message can hold (git refuses NUL in
a message; in a forged commit object it ends the field). Old versions are asked
of ``cat-file --batch`` by blob id (from ``--raw``), never by ``commit:path``,
so a newline in a file name cannot split a request. Git's words are read in
the C locale (a translated git says "dubious ownership" otherwise), and
pathspecs are literal (a folder named ``:(exclude)x`` or ``a*`` is that folder).

Everything written by people (authors' names, commit messages) passes through
:func:`~sopcode.diagnostics.safe_text` before it is kept: control characters (an ``ESC [2K`` erases the
reader's terminal line) and invisible formatting characters (line separators,
bidirectional overrides) are shown as escapes, never passed on.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess

from sopcode.diagnostics import safe_text
from sopcode.model.yaml_reading import MAX_BYTES

TIMEOUT = 300
"""Seconds one git command may take before the history is given up (a hung network drive, a lock)."""

FROM_FILES = "riwayat revisi diambil dari tanggal di berkas SOP"


class GitError(Exception):
    """Git could not give the history. The message, in Indonesian, says why and how to fix it."""


def run_git(root: str, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``root``; a git that cannot be run or does not answer raises :class:`GitError`.

    Git speaks English here (its words are matched below), pathspecs are
    literal, it never prompts (a partial clone fetching from a remote would
    wait for a password), and it takes no lock.
    """
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    stdin = None if data is not None else subprocess.DEVNULL  # with input, run() makes the pipe
    try:
        return subprocess.run(["git", "--literal-pathspecs", "-C", root, *args], input=data, capture_output=True,
                              check=False, timeout=TIMEOUT, env=env, stdin=stdin)
    except FileNotFoundError:
        raise GitError(f"program git tidak ditemukan (belum terpasang atau tidak ada di PATH); {FROM_FILES} "
                       "(perbaikan: pasang git, misalnya `sudo apt-get install git`, lalu jalankan ulang)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git tidak menjawab dalam {TIMEOUT} detik; {FROM_FILES} (perbaikan: pastikan "
                       "`git status` berjalan normal di folder ini, misalnya tidak ada proses git lain yang "
                       "macet atau drive jaringan yang terputus, lalu jalankan ulang)") from None
    except OSError as exc:
        raise GitError(f"program git tidak dapat dijalankan ({safe_text(exc.strerror or str(exc))}); {FROM_FILES} "
                       "(perbaikan: periksa pemasangan git, misalnya `git --version`)") from None


def failure(done: subprocess.CompletedProcess, root: str) -> GitError:
    """What a git command that failed (``done``) means for the history, and how to fix it."""
    err = done.stderr.decode("utf-8", "replace")
    if "dubious ownership" in err or "owned by someone else" in err:
        path = _unsafe_path(err) or os.path.abspath(root)
        return GitError(
            f"git menolak membaca repositori {safe_text(path)} karena pemiliknya pengguna lain, bukan pengguna "
            f"yang menjalankan perintah ini (\"dubious ownership\"); {FROM_FILES} (perbaikan: bila "
            f"repositori ini tepercaya, jalankan `git config --global --add safe.directory "
            f"{safe_text(shlex.quote(path))}`, atau jalankan perintah ini sebagai pemilik folder itu)")
    if "not a git repository" in err:
        return GitError(f"folder data SOP tidak berada di dalam repositori git; {FROM_FILES}")
    lines = [line for line in err.splitlines() if line.strip()]
    cause = next((line for line in lines if line.startswith(("fatal:", "error:"))), lines[0] if lines else "")
    cause = safe_text(cause[:300]) or f"kode keluar {done.returncode}"
    return GitError(f"git gagal membaca riwayat ({cause}); {FROM_FILES} (perbaikan: periksa repositori "
                    "dengan `git fsck`; objek yang rusak dapat dipulihkan dengan mengklon ulang repositori)")


def _unsafe_path(err: str) -> str | None:
    """The repository git refused as someone else's, as git names it (the path may hold anything)."""
    found = re.search(r"dubious ownership in repository at '(.*)'\nTo add an exception", err, re.DOTALL)
    if found:
        return found.group(1)
    found = re.search(r"safe\.directory (.+?)\n?\Z", err, re.DOTALL)  # git 2.35.2's words: the command last
    try:
        words = shlex.split(found.group(1)) if found else []
    except ValueError:
        words = []
    return words[0] if len(words) == 1 else None


def _unreadable(what: str) -> GitError:
    return GitError(f"keluaran git tidak dapat dibaca ({what}); {FROM_FILES} (perbaikan: periksa repositori "
                    "dengan `git fsck`; objek yang rusak dapat dipulihkan dengan mengklon ulang repositori)")


def has_history(folder: str) -> bool:
    """Whether ``folder`` has a git history to read."""
    return _toplevel(folder)[0] is not None


def _toplevel(folder: str) -> tuple[str | None, str | None]:
    """The repository holding ``folder``, or why there is none to use."""
    try:
        return toplevel(folder), None
    except GitError as exc:
        return None, str(exc)


def toplevel(folder: str) -> str:
    done = run_git(folder, "rev-parse", "--is-shallow-repository", "--show-toplevel")
    if done.returncode != 0:
        raise failure(done, folder)
    shallow, _, top = os.fsdecode(done.stdout).partition("\n")  # the path last: it may hold a newline
    top = top.removesuffix("\n")
    if shallow.strip() == "true":
        raise GitError("repositori git ini salinan dangkal (shallow clone), riwayatnya tidak lengkap; "
                       f"{FROM_FILES} (perbaikan: ambil riwayat lengkap dengan `git fetch --unshallow`)")
    if not top:
        raise GitError(f"folder data SOP berada di dalam folder .git, bukan di folder kerja repositori; {FROM_FILES}")
    if run_git(top, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        raise GitError(f"repositori git belum punya commit; {FROM_FILES}")
    return top


_SHA = re.compile(rb"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
Entry = tuple[str, str, str | None, str]
"""One file a commit touched: (status letter, blob id after the commit, old path of a rename or None, path)."""


def log(top: str, folder_rel: str) -> list[tuple[str, dt.datetime, str, str, list[Entry]]]:
    """Every commit touching the folder, newest first, with the files it touched.

    ``-z`` output is a run of NUL-terminated tokens: four per commit (id, date,
    author, subject; none can hold a NUL), then per file touched one ``:``
    token (modes, blob ids, status; the first one after a newline) and one path,
    or two for a rename or a copy. The count of paths is known from the status,
    so a path, whatever it holds, is never read as anything else.
    """
    done = run_git(top, "log", "-M", "--raw", "--no-abbrev", "-z", "--root", "--no-follow", "--no-relative",
                        "--no-color", "--no-show-signature", "--encoding=UTF-8",
                        "--format=%H%x00%aI%x00%an%x00%s", "--", folder_rel or ".")
    if done.returncode != 0:
        raise failure(done, top)
    tokens = done.stdout.split(b"\0")
    commits: list = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        if not token:
            i += 1
        elif token.startswith(b":"):
            fields = token[1:].split(b" ")
            status = fields[-1].decode("ascii", "replace")
            n = 2 if status[:1] in ("R", "C") else 1
            paths = [os.fsdecode(p) for p in tokens[i + 1:i + 1 + n]]
            if not commits or len(fields) != 5 or len(paths) != n or not all(paths):
                raise _unreadable("daftar berkas pada commit tidak lengkap")
            blob = fields[3].decode("ascii", "replace") if fields[1] != b"160000" else ""  # not a submodule's commit
            commits[-1][4].append((status[:1], blob, paths[0] if n == 2 else None, paths[-1]))
            i += 1 + n
        elif _SHA.fullmatch(token) and i + 3 < len(tokens):
            when, author, subject = (t.decode("utf-8", "replace") for t in tokens[i + 1:i + 4])
            commits.append((token.decode("ascii"), _when(when), safe_text(author), safe_text(subject), []))
            i += 4
        else:
            raise _unreadable("baris commit tidak dikenal")
    return commits


def _when(text: str) -> dt.datetime:
    """An author's date; a date git could not read from a damaged or forged commit is the epoch, not a crash."""
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return _EPOCH
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _missing(done) -> set[str]:
    """The ids ``cat-file --batch-check`` says are missing (their own answer, handled by the full read)."""
    return {line.split(b" ")[0].decode("ascii", "replace") for line in done.stdout.split(b"\n")
            if line.endswith(b" missing")}


def blobs(top: str, ids: list[str]) -> dict[str, bytes]:
    """The bytes of each blob, from one ``git cat-file --batch`` process, asked by id (one hex word a line)."""
    wanted = list(dict.fromkeys(b for b in ids if b and b.strip("0")))
    if not wanted:
        return {}
    # Sizes first: a version larger than an SOP file may be (a "blob bomb" in the history) is not
    # read at all; that version is then one that cannot be read, like a broken one.
    sizes = run_git(top, "cat-file", "--batch-check=%(objectname) %(objectsize)",
                         data="".join(f"{b}\n" for b in wanted).encode("ascii"))
    if sizes.returncode != 0:
        raise failure(sizes, top)
    small = set()
    for line in sizes.stdout.split(b"\n"):
        parts = line.split(b" ")
        if len(parts) == 2 and parts[1].isdigit() and int(parts[1]) <= MAX_BYTES:
            small.add(parts[0].decode("ascii"))
    big = [b for b in wanted if b not in small and b not in _missing(sizes)]
    wanted = [b for b in wanted if b not in big]
    if not wanted:
        return {}
    done = run_git(top, "cat-file", "--batch", data="".join(f"{b}\n" for b in wanted).encode("ascii"))
    if done.returncode != 0:
        raise failure(done, top)
    out, pos, found = done.stdout, 0, {}
    for blob in wanted:
        end = out.find(b"\n", pos)
        if end < 0:
            raise _unreadable("jawaban cat-file terpotong")
        header = out[pos:end].split(b" ")
        pos = end + 1
        if header[:1] != [blob.encode("ascii")]:
            raise _unreadable("jawaban cat-file tidak urut")
        if header[1:] == [b"missing"]:  # absent, or unreadable: then git says why on stderr
            raise failure(done, top) if done.stderr.strip() else _unreadable(f"objek {blob} tidak ada di repositori")
        if len(header) != 3 or not header[2].isdigit() or out[pos + int(header[2]):pos + int(header[2]) + 1] != b"\n":
            raise _unreadable(f"objek {blob} terpotong")
        size = int(header[2])
        if header[1] == b"blob":
            found[blob] = out[pos:pos + size]
        pos += size + 1
    return found


def user_name(top: str) -> str:
    done = run_git(top, "config", "user.name")
    return safe_text(done.stdout.decode("utf-8", "replace").strip()) or "(penulis belum diatur)"


def ancestors(folder: str, name: str) -> set[str]:
    """The commits ``name`` (a hash, ``HEAD~1``, a tag) descends from, itself included, from one
    process; raises LookupError, in Indonesian, when git does not know the name or cannot answer."""
    try:
        done = run_git(folder, "rev-parse", "--verify", "-q", "--end-of-options", name + "^{commit}")
        if done.returncode != 0:
            raise LookupError(f"revisi '{safe_text(name)}' tidak dikenal git")
        sha = done.stdout.decode("ascii", "replace").strip()
        listed = run_git(folder, "rev-list", sha)
    except GitError as exc:
        raise LookupError(str(exc)) from None
    if listed.returncode != 0:
        raise LookupError(str(failure(listed, folder)))
    return set(listed.stdout.decode("ascii", "replace").split())
