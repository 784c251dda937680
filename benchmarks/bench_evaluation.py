"""Evaluation report benchmark: five years of the Connector programme (about 6,500 cases,
most with a SWEMWBS baseline, about 30% of those lost to follow-up), the report for all five
years with every breakdown.

Target (issue 15): the report page renders in under 1 s.

Makes a SQLite database under var/bench (migrate, load the default place, the referrals world
of `generate_referrals.py` with five whole grant years up to 31 March 2026, then the scores of
`generate_outcomes.py`), unless `--database-url` names one already made. Then, alternately:
  - in process (a fresh Python with the development settings): `queries.programme_report`
    (reading, counting, statistics, suppression, the audit row) and `report.build` alone;
  - over HTTP from gunicorn (one sync worker, production settings: DEBUG off, a SECRET_KEY,
    HTTPS as a proxy would say; sequential requests, a new connection each, the answer read in
    full) as the analyst, signed in: the page, the CSV and the PDF.
Prints p50 / p95 / max in ms as a Markdown table; nothing here asserts a time.

    /work/main/.venv/bin/python benchmarks/bench_evaluation.py
    /work/main/.venv/bin/python benchmarks/bench_evaluation.py --database-url sqlite:///var/bench/bench_evaluation.sqlite3
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_oruk_http as oruk
from bench_directory import CACHE, ROOT, fresh_database, place_dirs, run

PYTHON = Path(sys.executable)
oruk.GUNICORN = PYTHON.parent / "gunicorn"  # the running virtualenv's, wherever it is
AS_OF = "2026-03-31"  # the last day of a grant year: five whole years of cases before it
PERIOD = ("2021-04-01", "2026-03-31")
MEASURE = "swemwbs"
ANALYST = "analyst1"


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "LINKWELL_DEV": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def script(code: str, env: dict[str, str], *args: str) -> dict:
    """Run Python in a fresh process; its last stdout line is JSON."""
    result = subprocess.run(
        [str(PYTHON), "-c", code, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def build(workdir: Path, people: int, referrals: int, seed: int) -> tuple[str, dict]:
    url = fresh_database("sqlite", "bench_evaluation", workdir)
    figures: dict = {}
    manage = [str(PYTHON), str(ROOT / "manage.py")]
    os.environ["PYTHONPATH"] = str(ROOT)
    figures["migrate_s"] = round(run([*manage, "migrate", "--no-input"], url)[0], 1)
    figures["load_place_s"] = round(
        run([*manage, "load_place", *map(str, place_dirs())], url)[0], 1
    )
    print(f"migrated and loaded the place; generating referrals (as of {AS_OF})...", flush=True)
    for name, args in (
        (
            "generate_referrals",
            [f"--people={people}", f"--referrals={referrals}", f"--as-of={AS_OF}",
             f"--seed={seed}", "--no-audit"],
        ),
        ("generate_outcomes", [f"--seed={seed}"]),
    ):  # fmt: skip
        started = time.perf_counter()
        result = subprocess.run(
            [str(PYTHON), str(ROOT / "benchmarks" / f"{name}.py"), *args],
            env=django_env(url),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        if result.returncode != 0:
            raise SystemExit(f"{name}.py failed")
        figures[name] = json.loads(result.stdout.strip().splitlines()[-1])
        figures[f"{name}_s"] = round(time.perf_counter() - started, 1)
        print(f"{name}: {figures[f'{name}_s']} s", flush=True)
    return url, figures


IN_PROCESS = r"""
import datetime as dt, json, statistics, sys, time, django
django.setup()
from linkwell.accounts.models import User
from linkwell.outcomes.evaluation import queries, report
from linkwell.referrals.models import Programme

repeats = int(sys.argv[1])
start, end = (dt.date.fromisoformat(d) for d in sys.argv[2:4])
measure = sys.argv[4]
analyst = User.objects.get(username=sys.argv[5])
programme = Programme.objects.select_related("service").get()
chosen = report.measure(measure)

def timed(fn):
    fn()  # warm: the instrument catalogue, the database's pages
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    return times

out = {
    "programme_report": timed(lambda: queries.programme_report(
        programme, measure=measure, start=start, end=end, actor=analyst, via="bench")),
    "report.build": timed(lambda: report.build(programme, chosen, start, end)),
}
data = report.build(programme, chosen, start, end)
out["sizes"] = {
    "started": data["attrition"]["started"], "paired": data["attrition"]["paired"],
    "lost": data["attrition"]["lost"], "awaiting": data["attrition"]["awaiting"],
    "no_baseline": data["attrition"]["no_baseline"],
    "groups": sum(len(b["rows"]) for b in data["breakdowns"]),
    "mean_change": round(data["overall"]["figures"]["mean_change"], 2),
}
out["programme"] = str(programme.pk)
print(json.dumps(out))
"""

SESSION = r"""
import json, sys, django
django.setup()
from django.conf import settings
from django.test import Client
from linkwell.accounts.models import User
client = Client()
client.force_login(User.objects.get(username=sys.argv[1]))
name = settings.SESSION_COOKIE_NAME
print(json.dumps({"cookie": f"{name}={client.cookies[name].value}"}))
"""


def _get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(oruk.HOST, port, timeout=60)
    try:
        headers = {"Host": oruk.HOST, "X-Forwarded-Proto": "https", "Cookie": cookie}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def time_http(port: int, paths: dict[str, str], cookie: str, repeats: int) -> dict[str, dict]:
    times: dict[str, list[float]] = {name: [] for name in paths}
    sizes: dict[str, int] = {}
    for name, path in paths.items():  # warm up
        status, body = _get(port, path, cookie)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status} {body[:300]!r}")
        sizes[name] = len(body)
    for _ in range(repeats):
        for name, path in paths.items():
            started = time.perf_counter()
            status, _body = _get(port, path, cookie)
            times[name].append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}")
    return {
        name: oruk.summarise(t) | {"kib": round(sizes[name] / 1024, 1)} for name, t in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="an evaluation database made before")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--referrals", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    figures: dict = {}
    if args.database_url:
        url = args.database_url
    else:
        url, figures["build"] = build(CACHE, args.people, args.referrals, args.seed)
    env = django_env(url)
    # DEBUG off, as in production (development settings keep every query in memory).
    inner = script(IN_PROCESS, env | {"DEBUG": "0"}, str(args.repeats), *PERIOD, MEASURE, ANALYST)
    figures["sizes"] = inner["sizes"]
    print(f"report of {json.dumps(inner['sizes'])}", flush=True)
    production = {k: v for k, v in env.items() if k not in {"LINKWELL_DEV", "DEBUG"}}
    cookie = script(SESSION, production | oruk.PRODUCTION_ENV, ANALYST)["cookie"]
    start, end = (p.split("-") for p in PERIOD)
    query = urlencode(
        {"programme": inner["programme"], "measure": MEASURE}
        | {f"start-{k}": v for k, v in zip(("year", "month", "day"), start, strict=True)}
        | {f"end-{k}": v for k, v in zip(("year", "month", "day"), end, strict=True)}
    )
    paths = {
        "page /staff/evaluation/": f"/staff/evaluation/?{query}",
        "CSV": f"/staff/evaluation/report.csv?{query}",
        "PDF": f"/staff/evaluation/report.pdf?{query}",
    }
    log = CACHE / "gunicorn-evaluation.log"
    with oruk.server(url, ROOT, log, ready_path="/") as port:
        http_figures = time_http(port, paths, cookie, args.repeats)
    figures["in_process"] = {name: oruk.summarise(t) for name, t in inner.items()
                             if name in ("programme_report", "report.build")}  # fmt: skip
    figures["http"] = http_figures
    rows = ["| What | n | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for where, group in (("in process", figures["in_process"]), ("HTTP", http_figures)):
        for name, f in group.items():
            rows.append(
                f"| {where}: {name} | {f['requests']} | {f['p50_ms']} | {f['p95_ms']}"
                f" | {f['max_ms']} |"
            )
    print("\n".join(rows))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
