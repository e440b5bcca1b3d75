"""Work split over the cores in forked worker processes.

The items are inherited by the forked workers with the process (never
pickled on the way in); only each worker's results come back. Below
``minimum`` items, on one core, or where fork is not available, the work is
done here, in this process, the same way.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

MAX_WORKERS = 4

_TASK: tuple[Callable[[Sequence[Any]], list[Any]], Sequence[Any]] | None = None
"""The function and items handed to forked workers."""


def per_core(work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any], minimum: int,
             chunks_per_worker: int = 1) -> list[Any]:
    """``work(chunk)`` → one result per item of the chunk; the results of all items, in order.

    With a few chunks per worker, one that is slower (a busy core, longer
    files) does not hold the rest up; one chunk per worker suits work with a
    cost per chunk (a Graphviz process).
    """
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(items) < minimum or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return list(work(items))
    global _TASK
    _TASK = (work, items)
    size = -(-len(items) // (workers * chunks_per_worker))
    chunks = [(lo, min(len(items), lo + size)) for lo in range(0, len(items), size)]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context) as pool:
            parts = list(pool.map(_run_forked, chunks))
    finally:
        _TASK = None
    return [result for part in parts for result in part]


def _run_forked(bounds: tuple[int, int]) -> list[Any]:
    assert _TASK is not None
    work, items = _TASK
    return list(work(items[bounds[0]:bounds[1]]))
