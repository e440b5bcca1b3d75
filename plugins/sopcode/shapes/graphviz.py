"""Graphviz: escaping text for DOT, running ``dot`` in batches, caching its output.

Every text that reaches a DOT file comes from a user's YAML and is treated as
hostile: it must come out of Graphviz exactly as written, never as DOT syntax,
an escape sequence (``\\N``, ``\\G``, ``\\L`` …), an HTML entity or markup.

Starting a ``dot`` process costs more than laying out one SOP, so
:func:`run_graphviz` renders many graphs per process: ``dot`` accepts a stream
of graphs and writes one document per graph, one after another.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

from sopcode import cache

TIMEOUT = 300
"""Seconds one ``dot`` process may take (a batch of hundreds of SOPs takes a few)."""

BATCH_MIN = 8
"""Below this many graphs one process is used; above, the work is split over the cores."""

MAX_PROCESSES = 4

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Characters XML 1.0 cannot carry: dropped, or ``dot`` would write an invalid SVG."""

PESAN_TANPA_GRAPHVIZ = (
    "program Graphviz `{engine}` tidak ditemukan; bagan alir tidak dapat digambar. "
    "Pasang paket Debian `graphviz`: sudo apt-get install graphviz"
)


class DrawError(Exception):
    """Drawing failed; the message is in Indonesian and meant for the user."""


class GraphvizMissing(DrawError):
    """The Graphviz program is not installed (or not on PATH)."""


class GraphvizError(DrawError):
    """Graphviz ran and failed; ``stderr`` holds what it said."""

    def __init__(self, message: str, stderr: str = "", index: int | None = None):
        super().__init__(message)
        self.stderr = stderr
        self.index = index  # which graph of a batch failed, when known

    def __reduce__(self):  # whole across processes (drawings are made in worker processes)
        return (GraphvizError, (str(self), self.stderr, self.index))


# --- escaping ----------------------------------------------------------------------------

def clean_text(text: str) -> str:
    """Text without the control characters XML cannot carry; line ends as ``\n``."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def dot_string(text: str) -> str:
    """``text`` as a quoted DOT string (label, xlabel, id …) that Graphviz shows literally.

    Backslashes are doubled (so ``\\N``, ``\\G``, ``\\L``, ``\\n`` stay text and a
    trailing backslash cannot swallow the closing quote), quotes are escaped,
    ``&`` is written as an entity (Graphviz decodes entities in labels), and a
    newline becomes a centred line break.
    """
    text = clean_text(text)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return '"' + text.replace("\n", "\\n") + '"'


def dot_tooltip(text: str) -> str:
    """``text`` as a quoted DOT string for ``tooltip``, which Graphviz unescapes twice."""
    text = clean_text(text)
    text = text.replace("\\", "\\\\\\\\").replace('"', '\\"').replace("&", "&amp;")
    return '"' + text.replace("\n", "\\n") + '"'


def html_label_text(text: str) -> str:
    """``text`` as character data inside an HTML-like label (``<...>``).

    Graphviz substitutes ``\\N``, ``\\G`` … in HTML-like labels too (after
    decoding entities, so ``&#92;`` does not help): backslashes are doubled.
    Line breaks are the caller's business (``<BR/>``); a newline in ``text``
    becomes a space.
    """
    text = clean_text(text).replace("\n", " ").replace("\\", "\\\\")
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


# --- running -----------------------------------------------------------------------------

def find_engine(engine: str = "dot") -> str:
    """The path of a Graphviz program, or :class:`GraphvizMissing`."""
    if engine not in ("dot", "neato", "fdp", "sfdp", "twopi", "circo", "osage", "patchwork"):
        raise DrawError(f"program tata letak Graphviz tidak dikenal: {engine!r}")
    path = shutil.which(engine)
    if path is None:
        raise GraphvizMissing(PESAN_TANPA_GRAPHVIZ.format(engine=engine))
    return path


@functools.lru_cache(maxsize=8)
def _version_of(path: str, mtime_ns: int) -> str:
    try:
        done = subprocess.run([path, "-V"], capture_output=True, text=True, timeout=60)
    except OSError as exc:
        raise GraphvizMissing(PESAN_TANPA_GRAPHVIZ.format(engine=os.path.basename(path))) from exc
    return (done.stderr or done.stdout).strip()


def graphviz_version(engine: str = "dot") -> str:
    """``dot -V`` (e.g. ``dot - graphviz version 2.43.0 (0)``), asked once per installed program."""
    path = find_engine(engine)
    return _version_of(path, os.stat(path).st_mtime_ns)


TEXT_FORMATS = ("svg", "json", "json0", "dot_json", "xdot_json")


def _split(output: str, fmt: str) -> list[str]:
    """One ``dot`` output holding several documents → the documents."""
    if fmt == "svg":
        # Graphviz escapes '<' in all text and comments, so the XML
        # declaration only ever starts a document.
        parts = output.split("<?xml ")
        return ["<?xml " + p for p in parts[1:]]
    # The JSON formats: one document after another.
    docs: list[str] = []
    pos, decoder = 0, json.JSONDecoder()
    while True:
        while pos < len(output) and output[pos].isspace():
            pos += 1
        if pos >= len(output):
            return docs
        _, end = decoder.raw_decode(output, pos)
        docs.append(output[pos:end])
        pos = end


def _run_one(path: str, sources: list[str], fmt: str, args: tuple[str, ...] = ()) -> tuple[int, str, str]:
    data = "\n".join(sources).encode("utf-8")
    try:
        done = subprocess.run([path, *args, f"-T{fmt}"], input=data, capture_output=True, timeout=TIMEOUT)
    except FileNotFoundError as exc:  # removed between which() and now
        raise GraphvizMissing(PESAN_TANPA_GRAPHVIZ.format(engine=os.path.basename(path))) from exc
    except subprocess.TimeoutExpired as exc:
        raise GraphvizError(f"Graphviz tidak selesai dalam {TIMEOUT} detik", "") from exc
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def _fail(stderr: str, index: int | None) -> GraphvizError:
    which = f" (gambar ke-{index + 1})" if index is not None else ""
    first = next((line for line in stderr.splitlines() if line.strip()), "tanpa pesan")
    return GraphvizError(f"Graphviz gagal menggambar{which}: {first}", stderr, index)


def _render_chunk(path: str, sources: list[str], fmt: str, offset: int,
                  args: tuple[str, ...] = ()) -> list[str]:
    code, out, err = _run_one(path, sources, fmt, args)
    docs = _split(out, fmt) if code == 0 else []
    if code == 0 and len(docs) == len(sources):
        return docs
    if len(sources) == 1:
        raise _fail(err or f"keluaran tidak lengkap (kode {code})", offset)
    # Find the culprit: one graph at a time (rare: our DOT is generated).
    return [_render_chunk(path, [s], fmt, offset + i, args)[0] for i, s in enumerate(sources)]


def _chunks(n: int) -> list[range]:
    if n < BATCH_MIN:
        return [range(n)]
    workers = max(1, min(MAX_PROCESSES, os.cpu_count() or 1))
    size = -(-n // workers)
    return [range(i, min(n, i + size)) for i in range(0, n, size)]


def run_graphviz(sources: list[str], engine: str = "dot", fmt: str = "svg",
                 args: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Render many graphs with as few Graphviz processes as the cores allow.

    ``args`` are extra command-line options (``-n2`` for ``neato`` with fixed positions).

    Returns one document per source, in order. A missing program raises
    :class:`GraphvizMissing`; a failing one :class:`GraphvizError` with its stderr.
    """
    if fmt not in TEXT_FORMATS:
        raise DrawError(f"format keluaran teks tidak dikenal: {fmt!r} (gunakan render_bytes untuk {fmt})")
    if not sources:
        return []
    path = find_engine(engine)
    args = tuple(args)
    chunks = _chunks(len(sources))
    if len(chunks) == 1:
        return _render_chunk(path, list(sources), fmt, 0, args)
    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        futures = [pool.submit(_render_chunk, path, [sources[i] for i in c], fmt, c.start, args)
                   for c in chunks]
        return [doc for f in futures for doc in f.result()]


def render_bytes(source: str, engine: str = "dot", fmt: str = "png",
                 args: list[str] | tuple[str, ...] = ()) -> bytes:
    """One graph to a binary format (``png``, ``pdf``)."""
    path = find_engine(engine)
    try:
        done = subprocess.run([path, *args, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT)
    except FileNotFoundError as exc:
        raise GraphvizMissing(PESAN_TANPA_GRAPHVIZ.format(engine=engine)) from exc
    except subprocess.TimeoutExpired as exc:
        raise GraphvizError(f"Graphviz tidak selesai dalam {TIMEOUT} detik", "") from exc
    if done.returncode != 0 or not done.stdout:
        raise _fail(done.stderr.decode("utf-8", "replace") or f"kode keluar {done.returncode}", None)
    return done.stdout


# --- cache -------------------------------------------------------------------------------

def cache_key(source: str, engine: str, fmt: str, args: tuple[str, ...] = ()) -> str:
    """Graphviz's output is a function of exactly this: the source, the program, its version and
    options (our code plays no part, so a change to it does not draw everything again)."""
    h = hashlib.sha256()
    for part in (source, engine, fmt, graphviz_version(engine), *args):
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))  # length-prefixed: no two inputs collide by concatenation
        h.update(data)
    return h.hexdigest()


def cached_render_many(sources: list[str], engine: str = "dot", fmt: str = "svg",
                       cache_dir: str | None = None, args: list[str] | tuple[str, ...] = ()) -> list[str]:
    """:func:`run_graphviz` that draws only the sources not drawn before (one batch for all misses).

    ``cache_dir``: a folder of a trusted cache (:mod:`sopcode.cache`); what cannot be read there
    is drawn, what cannot be written there is only drawn again next time.
    """
    args = tuple(args)
    if cache_dir is None:
        return run_graphviz(sources, engine, fmt, args)
    paths = [os.path.join(cache_dir, f"{cache_key(s, engine, fmt, args)}.{fmt}") for s in sources]
    results: list[str | None] = [cache.read_text(p) for p in paths]
    todo: dict[str, list[int]] = {}
    for i, r in enumerate(results):
        if r is None:
            todo.setdefault(paths[i], []).append(i)  # the same graph twice is drawn once
    firsts = [idxs[0] for idxs in todo.values()]
    for i, doc in zip(firsts, run_graphviz([sources[i] for i in firsts], engine, fmt, args)):
        cache.write(paths[i], doc)
        for j in todo[paths[i]]:
            results[j] = doc
    return [r for r in results if r is not None]


def cached_render(source: str, engine: str = "dot", fmt: str = "svg", cache_dir: str | None = None,
                  args: list[str] | tuple[str, ...] = ()) -> str:
    """One graph, from ``cache_dir`` when this exact source was drawn before by this Graphviz."""
    return cached_render_many([source], engine, fmt, cache_dir, args)[0]
