"""The refresh's parts run side by side, each on its own thread and DuckDB connection, a part
started once the parts it reads from are done. DuckDB works outside Python's interpreter lock
and most of a part's statements are too small to keep two cores busy, so two parts at once
use the machine where one at a time left a core idle."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass

from linkwell.intelligence.steps import Context, Output


@dataclass(frozen=True)
class Part:
    name: str
    build: Callable[[Context], Output]
    after: tuple[str, ...] = ()  # parts whose DuckDB tables this one reads


def run_parts(
    parts: Sequence[Part],
    start: Callable[[Part], Context],
    *,
    workers: int,
    finished: Callable[[str, float], None] | None = None,
) -> dict[str, Output]:
    """Every part's output by name, in the order of `parts`. `start(part)` gives a part its
    context (its own connection, closed when it ends); a part waiting to start is taken in
    the order of `parts`, so list the longest chain first. The first part to fail stops the
    others (their statements interrupted) and its error is raised."""
    names = [part.name for part in parts]
    unknown = {name for part in parts for name in part.after} - set(names)
    if unknown or len(set(names)) != len(names):
        raise ValueError(f"parts named twice or waiting on no part: {sorted(unknown)}")
    outputs: dict[str, Output] = {}
    waiting = list(parts)
    running: dict[Future[tuple[Output, float]], tuple[str, Context]] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="hub-part") as pool:
        try:
            while waiting or running:
                for part in [p for p in waiting if all(a in outputs for a in p.after)]:
                    if len(running) >= max(1, workers):
                        break
                    waiting.remove(part)
                    context = start(part)
                    running[pool.submit(_run, part, context)] = (part.name, context)
                if not running:
                    raise ValueError(f"parts waiting on each other: {[p.name for p in waiting]}")
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    name, _context = running.pop(future)
                    output, seconds = future.result()  # the part's error, if it failed
                    outputs[name] = output
                    if finished:
                        finished(name, seconds)
        except BaseException:
            for _name, context in running.values():
                with suppress(Exception):  # it may have ended (and closed) meanwhile
                    context.con.interrupt()
            raise
    return {name: outputs[name] for name in names}


def _run(part: Part, context: Context) -> tuple[Output, float]:
    started = time.perf_counter()
    try:
        return part.build(context), time.perf_counter() - started
    finally:
        context.con.close()
