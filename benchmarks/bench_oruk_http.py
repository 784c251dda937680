"""ORUK API over HTTP from a production server: latency per kind of query, 100,000 services.

Targets (one gunicorn worker, sync, sequential requests, 50 a page; client-side time, the
answer read in full):
  - need filter `/api/v1/services?taxonomy_term_id=...`                      p95 under 40 ms
  - need filter with postcode and 5 km (`&postcode=...&proximity=5000`)      p95 under 60 ms
  - words with postcode and 5 km (`?search=...&postcode=...&proximity=5000`) p95 under 60 ms
Words alone and postcode alone are timed too, for context.

The database is built as `bench_directory.py` builds it (migrate, load the place, import the
generated feed, about 2 minutes) and kept under var/bench, unless `--database-url` names one
already loaded. The server runs with production settings: DEBUG off, no LINKWELL_DEV, a
SECRET_KEY, HTTPS as a proxy in front would say it (X-Forwarded-Proto). `--code DIR` serves
another source tree (e.g. `git worktree add /tmp/before main`) on the same database, for
before/after figures. `--kinds` times some kinds only; `--slowest N` prints each kind's N
slowest requests (a tail is made of particular requests). Nothing here asserts a time: it
prints a Markdown table (and `--markdown FILE`, `--json FILE` write it).

    .venv/bin/python benchmarks/bench_oruk_http.py --database sqlite
    .venv/bin/python benchmarks/bench_oruk_http.py --database postgres
    .venv/bin/python benchmarks/bench_oruk_http.py --database-url sqlite:///var/bench/oruk-http-100000.sqlite3
    .venv/bin/python benchmarks/bench_oruk_http.py --kinds words_postcode_5km --slowest 8 \
        --code /tmp/before --code . --rounds 2
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from urllib.parse import unquote_plus, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_directory import (
    CACHE,
    LINKWELL,
    ROOT,
    SEARCHES,
    cpu_reference,
    feed_file,
    fresh_database,
    machine,
    place_dirs,
    run,
    sample_postcodes,
)

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
PER_PAGE = 50
# Need codes the generated feed tags services with (generate_feed.ACTIVITIES), from the most
# common (loneliness: about a quarter of the services) to the rarest.
NEEDS = [
    "loneliness",
    "food",
    "money_debt",
    "mental_wellbeing",
    "physical_activity_weight",
    "falls_frailty",
    "carers",
    "smoking",
    "bereavement",
    "digital_inclusion",
    "youth",
    "fuel_poverty",
    "fire_safety",
    "english_language",
    "parenting_early_years",
    "employment_skills",
    "housing",
]
# Production settings: what a deployment sets, not what development does.
PRODUCTION_ENV = {
    "SECRET_KEY": "benchmark-only-secret-key-not-for-real-use-0123456789abcdef",
    "DEBUG": "0",
    "ALLOWED_HOSTS": HOST,
    "LINKWELL_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "LOG_LEVEL": "WARNING",
}
HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https", "Accept": "application/json"}


def need_term_id(code: str) -> str:
    """The taxonomy term id of a need code (the same on every install)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LINKWELL_DEV", "1")
    sys.path.insert(0, str(ROOT))
    from linkwell.directory import vocabularies as vocab

    return str(vocab.stable_id("term", vocab.NEEDS.key, code))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    """One request on a new connection (a sync worker closes it after each answer)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def server(database_url: str, code: Path, log: Path, *, ready_path: str) -> Iterator[int]:
    """gunicorn with one sync worker serving `code` on the database; yields its port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"LINKWELL_DEV", "DEBUG"}}
    env |= PRODUCTION_ENV | {"DATABASE_URL": database_url, "PYTHONPATH": str(code)}
    # Production serves static files under hashed names from a manifest that collectstatic
    # writes (as `linkwell serve` does when it starts).
    env["STATIC_ROOT"] = str(ROOT / "var" / "bench" / f"static-{code.name}")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        env=env, cwd=code, check=True,
    )  # fmt: skip
    args = [str(GUNICORN), "config.wsgi", "--chdir", str(code), "--bind", f"{HOST}:{port}"]
    args += ["--workers", "1", "--worker-class", "sync", "--timeout", "120"]
    args += ["--access-logfile", "/dev/null", "--error-logfile", "-"]
    process = subprocess.Popen(
        args, env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=log.open("w")
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _body = _get(port, ready_path, timeout=10)
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def time_urls(
    port: int, kinds: dict[str, list[str]], warm_up: int = 5, slowest: int = 0
) -> dict[str, dict]:
    """Each kind's addresses in turn, one request at a time: p50/p95/max in ms (and the
    `slowest` requests of each kind, printed: the tail is made of particular requests)."""
    for urls in kinds.values():  # warm the worker's caches and the database's pages
        for url in urls[:warm_up]:
            _get(port, url)
    figures: dict[str, dict] = {}
    for name, urls in kinds.items():
        times, sizes = [], []
        for url in urls:
            started = time.perf_counter()
            status, body = _get(port, url)
            times.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{url}: HTTP {status} {body[:300]!r}")
            sizes.append(len(body))
        figures[name] = summarise(times) | {"mean_kib": round(statistics.mean(sizes) / 1024, 1)}
        f = figures[name]
        print(
            f"{name:<24} n={f['requests']:<4} p50 {f['p50_ms']:7.1f}  p95 {f['p95_ms']:7.1f}"
            f"  max {f['max_ms']:7.1f} ms  ({f['mean_kib']} KiB)",
            flush=True,
        )
        for ms, url in sorted(zip(times, urls, strict=True), reverse=True)[:slowest]:
            print(f"    {ms:7.1f} ms  {unquote_plus(url)}", flush=True)
    return figures


def summarise(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def api_urls(requests: int) -> dict[str, list[str]]:
    """The queries timed, by kind; `requests` of each, cycling through needs, words and
    postcodes (a different postcode for every request with one)."""
    postcodes = sample_postcodes(max(requests, 50), seed=14)

    def url(**params: object) -> str:
        return "/api/v1/services?" + urlencode({**params, "per_page": PER_PAGE})

    def need(i: int) -> str:
        return need_term_id(NEEDS[i % len(NEEDS)])

    return {
        "need": [url(taxonomy_term_id=need(i)) for i in range(requests)],
        "need_postcode_5km": [
            url(taxonomy_term_id=need(i), postcode=postcodes[i], proximity=5000)
            for i in range(requests)
        ],
        "words_postcode_5km": [
            url(search=SEARCHES[i % len(SEARCHES)], postcode=postcodes[-1 - i], proximity=5000)
            for i in range(requests)
        ],
        "words": [url(search=SEARCHES[i % len(SEARCHES)]) for i in range(requests)],
        "postcode_5km": [
            url(postcode=postcodes[(i * 7) % len(postcodes)], proximity=5000)
            for i in range(requests)
        ],
    }


TARGETS = {"need": 40, "need_postcode_5km": 60, "words_postcode_5km": 60}
LABELS = {
    "need": "need (`taxonomy_term_id`)",
    "need_postcode_5km": "need + postcode, 5 km",
    "words_postcode_5km": "words + postcode, 5 km",
    "words": "words (`search`)",
    "postcode_5km": "postcode, 5 km",
}


def markdown(runs: list[dict], targets: dict[str, int], labels: dict[str, str]) -> str:
    """A table: one row per kind, one column per run (database and code)."""
    head = "| query (50 a page) | target p95 | " + " | ".join(r["label"] for r in runs) + " |"
    lines = [head, "| --- | --- |" + " --- |" * len(runs)]
    for kind, label in labels.items():
        cells = []
        for r in runs:
            f = r["figures"].get(kind)
            cells.append(f"{f['p50_ms']} / {f['p95_ms']} / {f['max_ms']} ms" if f else "")
        target = f"under {targets[kind]} ms" if kind in targets else ""
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def loaded_database(kind: str, services: int) -> str:
    """A database with the place and the generated feed, built once and kept (var/bench)."""
    name = f"oruk_http_{services}"
    marker = CACHE / f"{name}.{kind}.loaded"
    if kind == "sqlite":
        url = f"sqlite:///{CACHE / (name + '.sqlite3')}"
    else:
        server_url = subprocess.run(
            [str(ROOT / "scripts" / "postgres"), "start"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        url = f"{server_url.rsplit('/', 1)[0]}/{name}"
    if marker.exists():
        return url
    CACHE.mkdir(parents=True, exist_ok=True)
    url = fresh_database(kind, name, CACHE)
    for command in (["migrate", "--no-input"], ["load_place", *map(str, place_dirs())]):
        run([str(LINKWELL), *command], url)
    seconds, _ = run([str(LINKWELL), "import_feed", str(feed_file(services))], url)
    print(f"loaded {services:,} services in {seconds:.0f} s", flush=True)
    marker.write_text(url + "\n")
    return url


def common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--database-url", help="a database already loaded (skips the build)")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per kind")
    parser.add_argument(
        "--code",
        type=Path,
        action="append",
        help="source tree(s) to serve, each timed in turn (default: this one)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="alternate the trees this often")
    parser.add_argument(
        "--slowest", type=int, default=0, help="print this many slowest requests of each kind"
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--markdown", type=Path, help="write the Markdown table here")


def measure(
    args: argparse.Namespace,
    kinds: dict[str, list],
    ready_path: str,
    title: str,
    timer: Callable[[int, dict[str, list]], dict[str, dict]] | None = None,
) -> list[dict]:
    """Serve each tree in turn (`--rounds` times, interleaved: the machine's speed drifts)
    and time the kinds; returns one run per tree (the rounds' timings pooled)."""
    url = args.database_url or loaded_database(args.database, args.services)
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    run([str(LINKWELL), "migrate", "--no-input"], url)  # bring it up to this code's tables
    codes = [c.resolve() for c in (args.code or [ROOT])]
    print(f"machine: {machine()}; {database}; {title}", flush=True)
    reference = [cpu_reference()]
    print(f"cpu reference loop: {reference[0]} s (lower is faster)", flush=True)
    pooled: dict[Path, dict[str, list[dict]]] = {c: {} for c in codes}
    for round_number in range(args.rounds):
        for code in codes:
            print(f"-- round {round_number + 1}, serving {code}", flush=True)
            log = CACHE / f"gunicorn-{code.name}.log"
            with server(url, code, log, ready_path=ready_path) as port:
                timed = timer or partial(time_urls, slowest=args.slowest)
                for kind, figures in timed(port, kinds).items():
                    pooled[code].setdefault(kind, []).append(figures)
    reference.append(cpu_reference())
    print(f"cpu reference loop after: {reference[1]} s", flush=True)
    runs = []
    for code in codes:
        label = database if len(codes) == 1 else f"{database}, {code.name}"
        figures = {kind: _pool(rounds) for kind, rounds in pooled[code].items()}
        runs.append({"label": label, "code": str(code), "figures": figures, "cpu": reference})
    return runs


def _pool(rounds: list[dict]) -> dict:
    """The rounds of one kind: the median of their p50s, p95s and maxima."""
    return {
        key: round(statistics.median(r[key] for r in rounds), 1)
        for key in ("p50_ms", "p95_ms", "max_ms", "mean_kib")
    } | {"requests": sum(r["requests"] for r in rounds)}


def report(args: argparse.Namespace, runs: list[dict], table: str) -> None:
    print("\n" + table, flush=True)
    if args.markdown:
        args.markdown.write_text(table)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "runs": runs}, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common_arguments(parser)
    parser.add_argument(
        "--kinds", help=f"comma-separated kinds to time (default all: {', '.join(LABELS)})"
    )
    args = parser.parse_args()
    kinds = api_urls(args.requests)
    if args.kinds:
        wanted = args.kinds.split(",")
        if unknown := set(wanted) - set(kinds):
            parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
        kinds = {kind: kinds[kind] for kind in wanted}
    runs = measure(args, kinds, "/api/v1/", "ORUK API over HTTP")
    labels = {kind: label for kind, label in LABELS.items() if kind in kinds}
    report(args, runs, markdown(runs, TARGETS, labels))


if __name__ == "__main__":
    main()
