"""Helpers every benchmark script shares: silencing warnings, timing, peak memory.

Imported as ``_common`` (the scripts run with ``benchmarks/`` on the path: as scripts,
through ``run.py``, and in the child processes they spawn).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def quiet() -> Iterator[None]:
    """Warnings ignored inside (the libraries' own chatter would swamp the report)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()`` and the seconds it took."""
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def best_of(fn: Callable[[], T], repeats: int) -> tuple[T, float, list[float]]:
    """Run ``fn`` ``repeats`` times; return the last output, the fastest time and all times."""
    times: list[float] = []
    out: T | None = None
    for _ in range(repeats):
        out, t = timed(fn)
        times.append(t)
    assert out is not None
    return out, min(times), times


def peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``: unlike ``ru_maxrss``, it does not
    carry the parent's memory over ``fork`` + ``exec``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
