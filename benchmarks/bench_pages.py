"""Public search page benchmark: server time and page weight with 100,000 services.

Targets (issue 3): the search page `/services/` p95 under 200 ms (server time, Django's test
Client in process, so no network or browser), over a spread of searches: words, postcode with
distance, filters, and mixes; page weight (HTML + the CSS and JavaScript it loads, before map
tiles; Leaflet is loaded only when a map is shown and is reported apart) under 300 KB.

The database is built as `bench_directory.py` builds it (migrate, load the place, import the
generated feed: 2-3 minutes), unless `--database-url` names one already loaded. Nothing here
asserts a time: it prints figures (and `--json FILE` writes them).

    .venv/bin/python benchmarks/bench_pages.py --database sqlite
    .venv/bin/python benchmarks/bench_pages.py --database postgres
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_directory import (
    PYTHON,
    ROOT,
    SEARCHES,
    machine,
    sample_postcodes,
    time_import,
)

NEEDS = ["food", "loneliness", "money_debt", "mental_wellbeing", "carers", "falls_frailty"]
DAYS = ["MO", "TU", "WE", "TH", "FR"]


def page_urls(repeats: int) -> dict[str, list[str]]:
    """The searches timed, by kind: each a list of page addresses."""
    postcodes = sample_postcodes(40)

    def url(**params: object) -> str:
        return "/services/?" + urlencode({k: v for k, v in params.items() if v != ""})

    kinds: dict[str, list[str]] = {
        "words": [url(q=term) for term in SEARCHES],
        "postcode_1km": [url(postcode=pc, distance=1) for pc in postcodes[:15]],
        "postcode_5km": [url(postcode=pc, distance=5) for pc in postcodes[15:30]],
        "words_postcode_2km": [
            url(q=SEARCHES[i % len(SEARCHES)], postcode=pc, distance=2)
            for i, pc in enumerate(postcodes[30:40])
        ],
        "filters": [
            url(need=NEEDS[i % len(NEEDS)], age=20 + 7 * i, day=DAYS[i % len(DAYS)])
            for i in range(10)
        ]
        + [url(free="on", language="ur"), url(start_time="09:00", end_time="12:00")]
        + [url(mode="in_person", accessible="on"), url(life_stage="ageing_well", free="on")],
        "postcode_filters": [
            url(postcode=pc, distance=5, need=NEEDS[i % len(NEEDS)], free="on")
            for i, pc in enumerate(postcodes[:10])
        ],
        "browse": [url(), url(page=2), url(page=50), url(include_stale="on")],
        "no_results": [url(q="zzqxv"), url(postcode=postcodes[0], distance=1, language="ku")],
    }
    return {name: urls * repeats for name, urls in kinds.items()}


QUERY_SCRIPT = r"""
import json, re, sys, time, django
django.setup()
from django.contrib.staticfiles import finders
from django.test import Client
client = Client()
out = {"timings": {}}
for name, urls in json.loads(sys.argv[1]).items():
    for url in urls[:2]:  # warm up caches and connections
        client.get(url)
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code} {response.content[:300]!r}")
    out["timings"][name] = times

def static_size(path):
    found = finders.find(path.split("/static/", 1)[1].split("?")[0])
    return len(open(found, "rb").read()) if found else 0

html = client.get(sys.argv[2]).content
assets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
assets += re.findall(rb'<script src="([^"]+)"', html)
sizes = {a.decode(): static_size(a.decode()) for a in assets}
lazy = re.findall(rb'data-leaflet-(?:js|css)="([^"]+)"', html)
out["weight"] = {
    "url": sys.argv[2],
    "html_bytes": len(html),
    "assets": sizes,
    "total_bytes": len(html) + sum(sizes.values()),
    "map_on_demand_bytes": sum(static_size(a.decode()) for a in set(lazy)),
}
print(json.dumps(out))
"""


def time_pages(database_url: str, repeats: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LINKWELL_DEV": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    heaviest = "/services/?" + urlencode({"postcode": sample_postcodes(1)[0], "distance": 10})
    result = subprocess.run(
        [str(PYTHON), "-c", QUERY_SCRIPT, json.dumps(page_urls(repeats)), heaviest],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    figures: dict = {"pages": {}}
    everything: list[float] = []
    for name, times in measured["timings"].items():
        everything += times
        figures["pages"][name] = summary(times)
        report(name, figures["pages"][name])
    figures["pages"]["all"] = summary(everything)
    report("all", figures["pages"]["all"])
    weight = measured["weight"]
    figures["weight"] = weight
    assets = ", ".join(
        f"{k.rsplit('/', 1)[-1]} {v / 1024:.1f} KB" for k, v in weight["assets"].items()
    )
    print(
        f"page weight {weight['url']}: {weight['total_bytes'] / 1024:.1f} KB "
        f"(HTML {weight['html_bytes'] / 1024:.1f} KB + {assets}); "
        f"map on demand: +{weight['map_on_demand_bytes'] / 1024:.1f} KB (Leaflet)",
        flush=True,
    )
    return figures


def summary(times: list[float]) -> dict:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return {
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(times[-1], 1),
    }


def report(name: str, figures: dict) -> None:
    print(
        f"{name:<20} n={figures['requests']:<5} p50 {figures['p50_ms']:7.1f} ms"
        f"  p95 {figures['p95_ms']:7.1f} ms  max {figures['max_ms']:7.1f} ms",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3, help="rounds of the page searches")
    parser.add_argument("--database-url", help="an already loaded database (skips the import)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    print(f"machine: {machine()}; database: {args.database}", flush=True)
    figures: dict = {"machine": machine(), "database": args.database}
    with tempfile.TemporaryDirectory(prefix="linkwell-bench-pages-") as tmp:
        url = args.database_url
        if not url:
            url, figures["import"] = time_import(args.database, args.services, Path(tmp))
        figures.update(time_pages(url, args.repeats))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
