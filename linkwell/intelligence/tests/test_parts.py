"""The refresh's parts side by side: a part starts only once the parts it reads from are done,
two run at once, the outputs come back in the parts' order whatever order they finished in,
and the first failure stops the others and is raised."""

import datetime as dt
import threading
import time

import pytest

from linkwell.intelligence.parts import Part, run_parts
from linkwell.intelligence.steps import Context, Output


class FakeConnection:
    def __init__(self) -> None:
        self.interrupted = threading.Event()
        self.closed = False

    def interrupt(self) -> None:
        self.interrupted.set()

    def close(self) -> None:
        self.closed = True


def context() -> Context:
    return Context(FakeConnection(), dt.datetime.now(dt.UTC), "2026-06", None, None)  # type: ignore[arg-type]


def test_a_part_waits_for_the_parts_it_reads_from_and_others_run_beside_it():
    log: list[tuple[str, str]] = []
    lock = threading.Lock()
    both_started = threading.Barrier(2, timeout=5)

    def part(name: str, *, meet: bool = False):
        def build(ctx: Context) -> Output:
            with lock:
                log.append(("start", name))
            if meet:  # only returns once the other part has started too: they overlap
                both_started.wait()
            with lock:
                log.append(("end", name))
            return Output(snapshot={"name": name})

        return build

    parts = [
        Part("tables", part("tables", meet=True)),
        Part("figures", part("figures"), after=("tables",)),
        Part("spend", part("spend", meet=True)),
    ]
    contexts: list[Context] = []

    def start(p: Part) -> Context:
        contexts.append(context())
        return contexts[-1]

    finished: list[str] = []
    outputs = run_parts(parts, start, workers=2, finished=lambda name, s: finished.append(name))

    assert list(outputs) == ["tables", "figures", "spend"]
    assert [o.snapshot["name"] for o in outputs.values()] == ["tables", "figures", "spend"]
    assert log.index(("start", "figures")) > log.index(("end", "tables"))
    assert sorted(finished) == ["figures", "spend", "tables"]
    assert all(c.con.closed for c in contexts)


def test_one_at_a_time_when_there_is_one_worker():
    running = []
    most = []

    def build(ctx: Context) -> Output:
        running.append(1)
        most.append(len(running))
        time.sleep(0.01)
        running.pop()
        return Output()

    run_parts([Part(n, build) for n in "abc"], lambda p: context(), workers=1)
    assert max(most) == 1


def test_the_first_failure_stops_the_others_and_is_raised():
    started = threading.Event()
    contexts: dict[str, Context] = {}

    def slow(ctx: Context) -> Output:
        started.set()
        assert ctx.con.interrupted.wait(5), "the slow part was never interrupted"
        raise RuntimeError("interrupted")

    def broken(ctx: Context) -> Output:
        assert started.wait(5)
        raise ValueError("the spend part broke")

    def never(ctx: Context) -> Output:  # waits on the broken part: must not start
        raise AssertionError("started after a failure")

    def start(p: Part) -> Context:
        contexts[p.name] = context()
        return contexts[p.name]

    parts = [
        Part("slow", slow),
        Part("spend", broken),
        Part("after", never, after=("spend",)),
    ]
    with pytest.raises(ValueError, match="the spend part broke"):
        run_parts(parts, start, workers=2)
    assert "after" not in contexts
    assert contexts["slow"].con.interrupted.is_set()


def test_parts_waiting_on_a_part_that_is_not_there_or_on_each_other_are_refused():
    def build(ctx: Context) -> Output:
        return Output()

    with pytest.raises(ValueError, match="missing"):
        run_parts([Part("a", build, after=("missing",))], lambda p: context(), workers=2)
    with pytest.raises(ValueError, match="each other"):
        run_parts(
            [Part("a", build, after=("b",)), Part("b", build, after=("a",))],
            lambda p: context(),
            workers=2,
        )
