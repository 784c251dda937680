"""One match over HTTP from a production server, over 100,000 services.

Target: `POST /api/v1/match` p95 under 100 ms on the lexical path (one gunicorn worker, sync,
sequential requests, client side). Three kinds: free text alone (needs read from it), given
need codes with a postcode, and free text with a place named as people say it (a town or an
outward code). The texts are the tune circumstances of `benchmarks/matching/` (never the
held-out ones: those are for quality, not speed). Same database, server and options as
`bench_oruk_http.py` (see there: `--database-url`, `--code`, `--rounds`).

    .venv/bin/python benchmarks/bench_match.py --database sqlite
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_oruk_http as oruk
from bench_directory import sample_postcodes

TARGETS = {"text": 100, "needs_postcode": 100, "text_place": 100}
LABELS = {
    "text": "free text (needs read from it)",
    "needs_postcode": "need codes + postcode, 10 km",
    "text_place": "free text + town or outward code",
}
PLACES = ["Skipton", "Keighley", "BD1", "Shipley", "BD23", "Bingley", "Settle", "BD5", "Ilkley"]
NEED_SETS = [
    ["loneliness"],
    ["falls_frailty", "loneliness"],
    ["money_debt", "fuel_poverty", "food"],
    ["mental_wellbeing"],
    ["carers", "bereavement"],
]
TUNE = Path(__file__).resolve().parent / "matching" / "circumstances_tune.jsonl"


def bodies(requests: int) -> dict[str, list[dict]]:
    texts = [json.loads(line)["text"] for line in TUNE.read_text(encoding="utf-8").splitlines()]
    postcodes = sample_postcodes(max(requests, 50), seed=21)
    return {
        "text": [{"text": texts[i % len(texts)]} for i in range(requests)],
        "needs_postcode": [
            {"needs": NEED_SETS[i % len(NEED_SETS)], "postcode": postcodes[i]}
            for i in range(requests)
        ],
        "text_place": [
            {"text": texts[-1 - i % len(texts)], "postcode": PLACES[i % len(PLACES)]}
            for i in range(requests)
        ],
    }


def _post(port: int, body: dict, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(oruk.HOST, port, timeout=timeout)
    try:
        headers = oruk.HEADERS | {"Content-Type": "application/json"}
        connection.request("POST", "/api/v1/match", body=json.dumps(body), headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def time_bodies(port: int, kinds: dict[str, list[dict]], warm_up: int = 5) -> dict[str, dict]:
    """Each kind's requests in turn, one at a time: p50/p95/max in ms."""
    for items in kinds.values():  # the first request also builds the need lexicon's matcher
        for body in items[:warm_up]:
            _post(port, body)
    figures: dict[str, dict] = {}
    for name, items in kinds.items():
        times, sizes = [], []
        for body in items:
            started = time.perf_counter()
            status, answer = _post(port, body)
            times.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{body}: HTTP {status} {answer[:300]!r}")
            sizes.append(len(answer))
        kib = round(sum(sizes) / len(sizes) / 1024, 1)
        figures[name] = oruk.summarise(times) | {"mean_kib": kib}
        f = figures[name]
        print(
            f"{name:<16} n={f['requests']:<4} p50 {f['p50_ms']:7.1f}  p95 {f['p95_ms']:7.1f}"
            f"  max {f['max_ms']:7.1f} ms",
            flush=True,
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    oruk.common_arguments(parser)
    args = parser.parse_args()
    kinds = bodies(args.requests)
    # The server answers many requests from one address: no rate limit (0), as behind a proxy
    # that limits; the limit itself costs one cache read of its slots per request.
    oruk.PRODUCTION_ENV["LINKWELL_MATCH_RATE_LIMIT_PER_IP"] = "0"
    runs = oruk.measure(args, kinds, "/api/v1/", "match API over HTTP", timer=time_bodies)
    table = oruk.markdown(runs, TARGETS, LABELS).replace("(50 a page)", "(one match)")
    oruk.report(args, runs, table)


if __name__ == "__main__":
    main()
