"""Reading and checking a feed in a second process, so the database writer never waits on it.

Parsing and mapping JSON was about a third of an import's CPU time; on a machine with two
cores it now runs beside the writes. The reader is a forked child that never touches the
database: it sends finished (row, record, problems) tuples back in chunks through a bounded
queue, so memory stays flat however long the feed. An error in the reader (a feed that stops
being JSON half way) is raised again in the importing process, where it is reported.
"""

import multiprocessing
import os
import pickle
import queue as queues
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
CHUNK = 250
CHUNKS_IN_FLIGHT = 8


def can_run_in_background() -> bool:
    """A second core and a platform that can fork (the reader shares the parsed look-ups)."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def in_background(items: Iterable[T], *, chunk: int = CHUNK) -> Iterator[T]:
    """The items of `items`, produced by a forked child process and yielded here in order."""
    context = multiprocessing.get_context("fork")
    channel: Any = context.Queue(maxsize=CHUNKS_IN_FLIGHT)
    reader = context.Process(target=_produce, args=(items, channel, chunk), daemon=True)
    reader.start()
    try:
        while True:
            try:
                kind, payload = channel.get(timeout=5)
            except queues.Empty:
                if not reader.is_alive():
                    raise RuntimeError(
                        f"the feed reader stopped unexpectedly (exit code {reader.exitcode})"
                    ) from None
                continue
            if kind == "items":
                yield from payload
            elif kind == "error":
                raise payload
            else:
                return
    finally:
        if reader.is_alive():
            reader.terminate()
        reader.join()
        channel.close()


def _produce(items: Iterable[Any], channel: Any, chunk: int) -> None:
    try:
        batch = []
        for item in items:
            batch.append(item)
            if len(batch) >= chunk:
                channel.put(("items", batch))
                batch = []
        if batch:
            channel.put(("items", batch))
        channel.put(("done", None))
    except Exception as error:
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError(str(error))
        channel.put(("error", error))
