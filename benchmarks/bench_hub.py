"""Intelligence hub benchmark: the refresh's time and memory, and each hub page's and API
answer's time over HTTP from a production server.

Targets: at district scale (about 340 small areas, 5,000 services, 200,000 referrals) the
whole refresh under 1 s and every page under 200 ms; at national scale (33,000 small areas,
200,000 services, 10,000,000 referrals) the refresh under 60 s on a 2-core machine, its peak
memory stated. The worlds are generated beforehand (README: `generate_referrals.py` +
`generate_hub_extras.py` + `generate_outcomes.py` for the district, `generate_national.py`
for the nation); this script only measures.

`--part refresh` runs `refresh_hub` `--runs` times, each in a fresh process (production
settings), and reports the refresh's own time (min/median/max; per part as the run records
it: the parts run side by side, so they overlap), the process's wall time and its peak RSS
(from wait4), beside the peak RSS of a process that only starts Django (so the refresh's own
share shows).

`--part pages` signs in as an analyst (made if missing, password set; analysts need no second
factor), starts gunicorn (one sync worker, DEBUG off) on the database, warms up, then requests
each hub page (every `hub:` address without parameters, found at run time) and API endpoint
sequentially, `--requests` times each, and reports p50/p95/max (client-side, the answer read
in full). Addresses that do not answer 200 are skipped and listed. The database is migrated
first (the hub's tables come with the code under test) and, unless `--no-refresh`, refreshed
once, so pages have figures to show.

    .venv/bin/python benchmarks/bench_hub.py --part refresh \\
        --database-url sqlite:////work/main/var/bench/hub_district.sqlite3 --runs 5
    .venv/bin/python benchmarks/bench_hub.py --part pages \\
        --database-url sqlite:////work/main/var/bench/hub_district.sqlite3
    .venv/bin/python benchmarks/bench_hub.py --part refresh --runs 3 \\
        --database-url sqlite:////work/main/var/bench/hub_national.sqlite3

Nothing here asserts a time. Prints a Markdown table and a JSON summary as its last line
(`--json FILE` and `--markdown FILE` write them too).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_directory import LINKWELL, PYTHON, ROOT, cpu_reference, machine
from bench_oruk_http import HOST, PRODUCTION_ENV, server, summarise

ANALYST = "bench-hub-analyst"
PASSWORD = "bench hub analyst walks slowly"  # a benchmark account on generated data
PAGE_NAMES = [
    "hub:home", "hub:map", "hub:provision", "hub:spend", "hub:duplicates", "hub:flows",
    "hub:indicators",
]  # fmt: skip
API = [
    "/api/v1/hub/provision?level=ward",
    "/api/v1/hub/provision?level=lsoa",
    "/api/v1/hub/provision?level=constituency",
    "/api/v1/hub/spend",
    "/api/v1/hub/indicators?period={month}",
]
MAP = [
    "/hub/map/?level=lsoa",
    "/hub/map/?level=constituency",
    "/hub/map/?need=falls_frailty",
    "/hub/map/?level=lsoa&need=falls_frailty",
]  # the map's other levels and a need chosen (no filter is hub:map)
LOG = ROOT / "var" / "bench" / "gunicorn-hub.log"

REFRESH_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
import django
django.setup()
from linkwell.intelligence.refresh import refresh_hub
started = time.perf_counter()
run = refresh_hub(via="bench_hub")
ended = time.perf_counter()
# Each part's own seconds, as the run recorded them: the parts run side by side, so they
# overlap and add up to more than the whole.
print(json.dumps({"seconds": round(ended - started, 3), "run_seconds": run.seconds,
                  "status": run.status, "rows": sum(run.counts.values()),
                  "parts": run.timings, "startup": round(started - t0, 3)}))
"""

BASELINE_SCRIPT = r"""
import django
django.setup()
import linkwell.intelligence.refresh  # noqa: F401 (imports the parts and DuckDB)
"""

ANALYST_SCRIPT = r"""
import json, sys, django
django.setup()
from linkwell.accounts.actions import create_user, grant_role
from linkwell.accounts.models import Organisation, Role, User
username, password = sys.argv[1], sys.argv[2]
user = User.objects.filter(username=username).first() or create_user(actor=None, username=username)
user.set_password(password)
user.is_active = True
user.save()
organisation = Organisation.objects.order_by("created_at", "id").first()
grant_role(actor=None, user=user, organisation=organisation, role=Role.ANALYST, via="bench_hub")
print(json.dumps({"user": user.username, "organisation": organisation.name}))
"""

URLS_SCRIPT = r"""
import json, sys, django
django.setup()
from django.urls import NoReverseMatch, get_resolver, reverse
wanted = json.loads(sys.argv[1])
found, missing, with_parameters = {}, [], []
names = list(wanted)
namespace = get_resolver().namespace_dict.get("hub")
if namespace:
    for key, value in namespace[1].reverse_dict.items():
        if isinstance(key, str) and "hub:" + key not in names:
            names.append("hub:" + key)
for name in names:
    try:
        found[name] = reverse(name)
    except NoReverseMatch:
        (missing if name in wanted else with_parameters).append(name)
print(json.dumps({"found": found, "missing": missing, "with_parameters": with_parameters}))
"""


def env_for(database_url: str) -> dict[str, str]:
    """Production settings (DEBUG off: no query log growing in memory) on the database."""
    env = {k: v for k, v in os.environ.items() if k not in {"LINKWELL_DEV", "DEBUG"}}
    return (
        env
        | PRODUCTION_ENV
        | {
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )


def python(script: str, database_url: str, *args: str) -> tuple[dict, float, int]:
    """Run a script in a fresh process; return (its last JSON line, wall s, peak RSS MiB).
    Output goes to files so the child can be reaped with wait4 (its own peak RSS)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(PYTHON), "-c", script, *args],
            env=env_for(database_url),
            cwd=ROOT,
            stdout=out,
            stderr=err,
            text=True,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise SystemExit(f"script failed ({process.returncode}):\n{stderr[-4000:]}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else {}), elapsed, usage.ru_maxrss // 1024


def migrate(database_url: str) -> None:
    subprocess.run(
        [str(LINKWELL), "migrate", "--no-input", "-v0"],
        env=env_for(database_url),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def bench_refresh(database_url: str, runs: int) -> dict:
    _info, base_wall, base_rss = python(BASELINE_SCRIPT, database_url)
    print(f"django start-up alone: {base_wall:.2f} s, peak RSS {base_rss} MiB", flush=True)
    results = []
    for number in range(runs):
        figures, wall, rss = python(REFRESH_SCRIPT, database_url)
        figures |= {"wall_seconds": round(wall, 2), "peak_rss_mib": rss}
        results.append(figures)
        print(
            f"run {number + 1}: refresh {figures['seconds']:.3f} s ({figures['status']}, "
            f"{figures['rows']} rows), process {wall:.2f} s, peak RSS {rss} MiB; "
            f"parts {figures['parts']}",
            flush=True,
        )
    seconds = [r["seconds"] for r in results]
    return {
        "runs": len(results),
        "min_s": min(seconds),
        "median_s": round(statistics.median(seconds), 3),
        "max_s": max(seconds),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in results),
        "startup_only_rss_mib": base_rss,
        "parts_median_s": {
            part: round(statistics.median(r["parts"].get(part) or 0 for r in results), 3)
            for part in results[0]["parts"]
        },
        "status": sorted({r["status"] for r in results}),
        "rows": results[-1]["rows"],
        "each": results,
    }


class Session:
    """A signed-in browser, by hand: cookies kept, CSRF token sent (HTTPS as a proxy says)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, dict]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            sent = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, data, dict(response.getheaders())
        finally:
            connection.close()

    def sign_in(self, username: str, password: str) -> None:
        status, _body, _headers = self.request("GET", "/accounts/login/")
        token = self.cookies.get("csrftoken", "")
        form = urlencode({"csrfmiddlewaretoken": token, "username": username,
                          "password": password})  # fmt: skip
        status, body, headers = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Origin": f"https://{HOST}", "Referer": f"https://{HOST}/accounts/login/"},
        )  # fmt: skip
        if status != 302 or "verify" in headers.get("Location", ""):
            where = headers.get("Location")
            raise SystemExit(f"sign-in failed: HTTP {status} {where} {body[:300]!r}")


def bench_pages(database_url: str, requests: int, warm_up: int) -> dict:
    who = python(ANALYST_SCRIPT, database_url, ANALYST, PASSWORD)[0]
    urls = python(URLS_SCRIPT, database_url, json.dumps(PAGE_NAMES))[0]
    month = time.strftime("%Y-%m")
    addresses = dict(urls["found"])
    addresses |= {api.format(month=month): api.format(month=month) for api in API}
    addresses |= {path: path for path in MAP}
    skipped = {name: "no such address yet" for name in urls["missing"]}
    skipped |= {name: "takes path parameters" for name in urls["with_parameters"]}
    LOG.parent.mkdir(parents=True, exist_ok=True)
    print(f"signed in as {who['user']} (analyst at {who['organisation']})", flush=True)
    figures: dict[str, dict] = {}
    with server(database_url, ROOT, LOG, ready_path="/accounts/login/") as port:
        browser = Session(port)
        browser.sign_in(ANALYST, PASSWORD)
        live = {}
        for name, path in addresses.items():
            status, body, _ = browser.request("GET", path, headers={"Accept": "*/*"})
            if status == 200:
                live[name] = path
            else:
                skipped[name] = f"HTTP {status}"
                print(f"skipped {name} ({path}): HTTP {status} {body[:120]!r}", flush=True)
        for path in live.values():
            for _ in range(warm_up):
                browser.request("GET", path)
        for name, path in live.items():
            times, sizes = [], []
            for _ in range(requests):
                started = time.perf_counter()
                status, body, _ = browser.request("GET", path)
                times.append((time.perf_counter() - started) * 1000)
                sizes.append(len(body))
                if status != 200:
                    raise SystemExit(f"{path}: HTTP {status} {body[:300]!r}")
            f = summarise(times) | {"path": path, "kib": round(statistics.mean(sizes) / 1024, 1)}
            figures[name] = f
            print(
                f"{name:<44} p50 {f['p50_ms']:7.1f}  p95 {f['p95_ms']:7.1f}  "
                f"max {f['max_ms']:7.1f} ms  ({f['kib']} KiB)",
                flush=True,
            )
    return {"addresses": figures, "skipped": skipped}


def markdown(summary: dict) -> str:
    lines = [f"Machine: {summary['machine']}; CPU reference loop {summary['cpu_reference_s']} s.",
             f"Database: `{summary['database_url']}`.", ""]  # fmt: skip
    refresh = summary.get("refresh")
    if refresh:
        lines += [
            "| Refresh | runs | min s | median s | max s | peak RSS MiB | Django alone MiB |",
            "|---|---:|---:|---:|---:|---:|---:|",
            f"| refresh_hub | {refresh['runs']} | {refresh['min_s']} | {refresh['median_s']} | "
            f"{refresh['max_s']} | {refresh['peak_rss_mib']} | {refresh['startup_only_rss_mib']} |",
            "",
            "Median seconds by part (side by side, so they overlap): "
            + ", ".join(f"{k} {v}" for k, v in refresh["parts_median_s"].items()),
            "",
        ]
    pages = summary.get("pages")
    if pages:
        lines += ["| Address | path | p50 ms | p95 ms | max ms | KiB |",
                  "|---|---|---:|---:|---:|---:|"]  # fmt: skip
        for name, f in pages["addresses"].items():
            lines.append(
                f"| {name} | `{f['path']}` | {f['p50_ms']} | {f['p95_ms']} | {f['max_ms']} "
                f"| {f['kib']} |"
            )
        if pages["skipped"]:
            skipped = "; ".join(f"{k} ({v})" for k, v in pages["skipped"].items())
            lines += ["", f"Skipped: {skipped}."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["refresh", "pages", "all"], default="all")
    parser.add_argument(
        "--database-url", default="sqlite:////work/main/var/bench/hub_district.sqlite3"
    )
    parser.add_argument("--runs", type=int, default=5, help="refreshes timed")
    parser.add_argument("--requests", type=int, default=30, help="requests per address")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed requests per address")
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--no-refresh", action="store_true", help="pages: no refresh first")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args()
    summary: dict = {
        "machine": machine(),
        "cpu_reference_s": cpu_reference(),
        "database_url": args.database_url,
    }
    print(f"machine: {summary['machine']}; cpu reference {summary['cpu_reference_s']} s")
    if not args.no_migrate:
        migrate(args.database_url)
    if args.part in ("refresh", "all"):
        summary["refresh"] = bench_refresh(args.database_url, args.runs)
    if args.part in ("pages", "all"):
        if args.part == "pages" and not args.no_refresh:
            python(REFRESH_SCRIPT, args.database_url)
        summary["pages"] = bench_pages(args.database_url, args.requests, args.warm_up)
    summary["cpu_reference_after_s"] = cpu_reference()
    text = markdown(summary)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
