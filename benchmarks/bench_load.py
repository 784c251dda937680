"""Load test: the request rate a production server holds with p95 under 300 ms and no errors.

For each database (SQLite, PostgreSQL) it prepares the demo as `scripts/start` does (migrate,
load_place, load_demo_directory, load_demo_referrals, load_demo_history; kept under var/bench
and reused), gives the demo staff authenticator apps and API tokens (a fixture for the
locustfile), starts the production server (`linkwell serve` where this tree has it, else
gunicorn as it would: gthread workers, preloaded app, DEBUG off, no LINKWELL_DEV), runs locust
headless (benchmarks/locustfile.py: 80% citizens, 15% staff, 5% referral API) through a step
ramp of users, picks the highest step with p95 under 300 ms and no errors, and runs 10 minutes
at it. It prints (and `--markdown FILE`, `--json FILE` write) throughput, p50/p95/p99, errors,
each server process's memory (RSS, sampled every 2 s), the CPU locust itself used, the load
average and a CPU reference loop before and after. Nothing here asserts a time.

    .venv/bin/python benchmarks/bench_load.py --quick                 # a smoke run: a minute or two
    .venv/bin/python benchmarks/bench_load.py --database sqlite       # ramp + 10 minutes
    .venv/bin/python benchmarks/bench_load.py --database postgres --users 40   # skip the ramp
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_directory import CACHE, PYTHON, ROOT, cpu_reference, machine, run, sample_postcodes
from bench_oruk_http import NEEDS, free_port

HOST = "127.0.0.1"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LOCUST = ROOT / ".venv" / "bin" / "locust"
# manage.py, not the `linkwell` script: the shared environment's script runs the main checkout,
# and this must run the tree it sits in.
MANAGE = [str(PYTHON), str(ROOT / "manage.py")]
PG_DIR, PG_PORT, PG_NAME = "/tmp/linkwell-pg-load", "54349", "linkwell_load"
DEMO_COMMANDS = [
    ["migrate", "--no-input"],
    ["load_place"],
    ["load_demo_directory"],
    ["load_demo_referrals"],
    ["load_demo_history"],
]
P95_LIMIT_MS = 300
# Production settings as a deployment behind a TLS-ending proxy that redirects HTTP itself:
# the bench speaks plain HTTP to the server, so cookies are not marked secure-only.
PRODUCTION_ENV = {
    "SECRET_KEY": "benchmark-only-secret-key-not-for-real-use-0123456789abcdef",
    "DEBUG": "0",
    "ALLOWED_HOSTS": HOST,
    "SECURE_COOKIES": "0",
    "LINKWELL_SSL_REDIRECT": "0",
    "LINKWELL_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    "LINKWELL_JOBS": "inline",
    # No mail server here: e-mails (new referral, decision) are made and dropped, not sent.
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
}
STAFF = ["demo-firefighter", "demo-housing", "demo-gp", "demo-connector"]

FIXTURE_SCRIPT = r"""
import hashlib, json, random, sys, django
django.setup()
from django.contrib.auth import get_user_model
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice
from linkwell.accounts.models import Membership, Role
from linkwell.accounts.tokens import create_api_token
from linkwell.directory.models import Service
from linkwell.referrals import actions, policies
from linkwell.referrals.models import (
    CapacityMode, Consent, ConsentPurpose, Encounter, Person, Programme,
)
import os
from linkwell.referrals.management.commands.load_demo_referrals import DEFAULT_PASSWORD
staff_names = json.loads(sys.argv[1])
password = os.environ.get("LINKWELL_DEMO_PASSWORD", DEFAULT_PASSWORD)
rng = random.Random(17)
users = get_user_model().objects
staff = []
for name in staff_names:
    user = users.get(username=name)
    # An authenticator app with a known key, as a person's phone holds one. Its tolerance is
    # wide so that many locust users can sign in as the same account, each taking the next
    # time step (a code is accepted once).
    key = hashlib.sha1(f"linkwell-load:{name}".encode()).hexdigest()
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True,
                              tolerance=1000)
    # What their pages let them open (as the person and contact pages look them up).
    readable = policies.readable_people(user)
    people = readable.order_by("id").values_list("id", flat=True)
    contacts = Encounter.objects.filter(person__in=readable, practitioner=user).order_by("id")
    contacts = contacts.values_list("id", flat=True)
    staff.append({
        "username": name, "totp_key": key, "home": "/staff/",
        "people": [str(p) for p in people[:60]], "contacts": [str(c) for c in contacts[:60]],
    })

services = [str(s) for s in Service.objects.filter(status="active").order_by("id")
            .values_list("id", flat=True)[:400]]

closed = Q(capacity__mode__in=[CapacityMode.PLACES, CapacityMode.WAITING_LIST, CapacityMode.CLOSED])
programmes = Programme.objects.values_list("service_id", flat=True)
editors = {}
for m in Membership.objects.filter(role=Role.PROVIDER_EDITOR).select_related("user"):
    editors.setdefault(m.organisation_id, []).append(m.user)
answered = [s for s in Service.objects.filter(partner__isnull=False, status="active")
            .exclude(closed).exclude(pk__in=programmes).order_by("id") if editors.get(s.partner_id)]
referrers = [users.get(username=n) for n in ("demo-gp", "demo-firefighter", "demo-housing")]
tokens = {}
def token(user):
    if user.pk not in tokens:
        tokens[user.pk] = create_api_token(user, actor=None, via="bench_load", name="load test")[1]
    return tokens[user.pk]
pairs = []
for n in range(120):
    referrer = referrers[n % len(referrers)]
    people = list(Person.objects.filter(created_by=referrer).order_by("id")[:100])
    if not people or not answered:
        continue
    person, service = rng.choice(people), rng.choice(answered)
    if not Consent.objects.filter(person=person, purpose=ConsentPurpose.SHARE_WITH_SERVICE,
                                  service=service, withdrawn_at=None).exists():
        actions.record_consent(person, ConsentPurpose.SHARE_WITH_SERVICE, actor=referrer,
                               via="bench_load", service=service)
    pairs.append({"person": str(person.pk), "service": str(service.pk),
                  "referrer_token": token(referrer),
                  "editor_token": token(rng.choice(editors[service.partner_id]))})
print(json.dumps({"staff": staff, "services": services, "api_pairs": pairs, "password": password}))
"""


def citizen_searches() -> list[dict[str, str]]:
    """What citizens type: the labelled searches' words and places (benchmarks/matching), the
    benchmarks' service words, needs near a postcode, and postcodes alone."""
    searches: list[dict[str, str]] = []
    for path in sorted((ROOT / "benchmarks" / "matching").glob("searches_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            searches.append({"q": row["words"], "postcode": row.get("place", "")})
            searches.append({"q": row["words"]})
    postcodes = sample_postcodes(60, seed=17)
    for i, postcode in enumerate(postcodes[:30]):
        searches.append({"need": NEEDS[i % len(NEEDS)], "postcode": postcode, "distance": "5"})
    for postcode in postcodes[30:]:
        searches.append({"postcode": postcode})
    return [{k: v for k, v in s.items() if v} for s in searches]


def prepared_database(kind: str, fresh: bool) -> str:
    """The demo database of that kind, loaded once and kept (a marker file says it is)."""
    marker = CACHE / f"load.{kind}.loaded"
    CACHE.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = CACHE / "load.sqlite3"
        url = f"sqlite:///{path}"
        if fresh or not marker.exists():
            for stale in CACHE.glob("load.sqlite3*"):
                stale.unlink()
    else:
        env = {**os.environ, "PGTMP": PG_DIR, "PGPORT": PG_PORT}
        server = subprocess.run(
            [str(ROOT / "scripts" / "postgres"), "start"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        base = server.rsplit("/", 1)[0]
        url = f"{base}/{PG_NAME}"
        if fresh or not marker.exists():
            for statement in (f"DROP DATABASE IF EXISTS {PG_NAME}", f"CREATE DATABASE {PG_NAME}"):
                subprocess.run(
                    ["psql", f"{base}/postgres", "-q", "-c", statement],
                    check=True,
                    capture_output=True,
                )
    if fresh or not marker.exists():
        marker.unlink(missing_ok=True)
        for command in DEMO_COMMANDS:
            seconds, _ = run([*MANAGE, *command], url)
            print(f"  {' '.join(command)}: {seconds:.0f} s", flush=True)
        marker.write_text(url + "\n")
    run([*MANAGE, "migrate", "--no-input"], url)  # up to this tree's tables
    return url


def write_fixture(url: str, kind: str) -> Path:
    env = {**os.environ, "DATABASE_URL": url, "LINKWELL_DEV": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", FIXTURE_SCRIPT, json.dumps(STAFF)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    fixture = json.loads(result.stdout.strip().splitlines()[-1])
    fixture["searches"] = citizen_searches()
    path = CACHE / f"load-{kind}.json"
    path.write_text(json.dumps(fixture, indent=1))
    print(
        f"fixture: {len(fixture['staff'])} staff, {len(fixture['services'])} services, "
        f"{len(fixture['searches'])} searches, {len(fixture['api_pairs'])} API pairs",
        flush=True,
    )
    return path


RESET_SCRIPT = r"""
import json, sys, django
django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.filter(user__username__in=json.loads(sys.argv[1])).update(last_t=-1, drift=0)
"""


def reset_authenticators(url: str) -> None:
    """The apps' last accepted step forgotten: a new locust process starts its codes at now."""
    env = {**os.environ, "DATABASE_URL": url, "LINKWELL_DEV": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    subprocess.run(
        [str(PYTHON), "-c", RESET_SCRIPT, json.dumps(STAFF)], env=env, cwd=ROOT, check=True
    )


def has_serve_command() -> bool:
    return (ROOT / "linkwell" / "operations" / "management" / "commands" / "serve.py").exists()


def server_command(port: int, workers: int, threads: int) -> list[str]:
    """`linkwell serve` where it exists; otherwise gunicorn with the settings it uses."""
    if has_serve_command():
        return [
            *MANAGE,
            "serve",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--no-collectstatic",
        ]
    return [
        str(GUNICORN),
        "config.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--preload",
        "--timeout",
        "30",
        "--access-logfile",
        "/dev/null",
        "--no-control-socket",
        "--error-logfile",
        "-",
    ]


@contextlib.contextmanager
def server(url: str, workers: int, threads: int, log: Path) -> Iterator[tuple[int, int]]:
    """The production server on the database; yields (port, its process id)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"LINKWELL_DEV", "DEBUG"}}
    static = CACHE / "load-static"
    env |= PRODUCTION_ENV | {"DATABASE_URL": url, "STATIC_ROOT": str(static)}
    subprocess.run(
        [*MANAGE, "collectstatic", "--no-input", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    process = subprocess.Popen(
        server_command(port, workers, threads),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urlopen(f"http://{HOST}:{port}/services/?q=lunch", timeout=30) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {log.read_text()[-3000:]}")
            time.sleep(0.5)
        warm_up(port)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def warm_up(port: int) -> None:
    """Some searches and service lists from several connections at once, so every worker has
    answered before anything is timed (its first requests fill its caches)."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [f"/services/?q={word}" for word in ("lunch club", "debt", "lonely", "walking")]
    paths += [f"/services/?postcode={postcode}" for postcode in sample_postcodes(8, seed=3)]

    def fetch(path: str) -> None:
        with contextlib.suppress(OSError), urlopen(f"http://{HOST}:{port}{path}", timeout=60):
            pass

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(fetch, [p.replace(" ", "+") for p in paths] * 4))


class MemorySampler(threading.Thread):
    """Every 2 s, the resident memory (RSS) of the server's master and each worker; every
    10 s also their proportional (PSS: shared pages split between the processes sharing them)
    and unique (USS) memory, which RSS overstates after the preloaded master forks."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.master = psutil.Process(pid)
        self.samples: dict[int, list[int]] = {}
        self.full: dict[int, list[tuple[int, int]]] = {}
        self.cpu_seconds: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        tick = 0
        while not self.stop.is_set():
            with contextlib.suppress(psutil.Error):
                for process in [self.master, *self.master.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        self.samples.setdefault(process.pid, []).append(process.memory_info().rss)
                        times = process.cpu_times()
                        self.cpu_seconds[process.pid] = times.user + times.system
                        if tick % 5 == 0:
                            full = process.memory_full_info()
                            self.full.setdefault(process.pid, []).append((full.pss, full.uss))
            tick += 1
            self.stop.wait(2)

    def figures(self) -> list[dict]:
        mib = 2**20
        rows = []
        for pid, samples in self.samples.items():
            full = self.full.get(pid) or [(0, 0)]
            rows.append(
                {
                    "pid": pid,
                    "role": "master" if pid == self.master.pid else "worker",
                    "rss_start_mib": round(samples[0] / mib),
                    "rss_end_mib": round(samples[-1] / mib),
                    "rss_max_mib": round(max(samples) / mib),
                    "pss_end_mib": round(full[-1][0] / mib),
                    "uss_end_mib": round(full[-1][1] / mib),
                    "cpu_s": round(self.cpu_seconds.get(pid, 0.0), 1),
                }
            )
        return rows


def run_locust(
    url: str, port: int, fixture: Path, steps: list[tuple[int, float]], rate: float, output: Path
) -> dict:
    """locust headless through the steps; returns the CPU it used and when it started."""
    reset_authenticators(url)
    env = {
        **os.environ,
        "LOAD_FIXTURE": str(fixture),
        "LOAD_OUTPUT": str(output),
        "LOAD_USER_RATE": str(rate),
        "LOAD_STEPS": ",".join(f"{u}:{s:g}" for u, s in steps),
    }
    args = [str(LOCUST), "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless"]
    args += ["--host", f"http://{HOST}:{port}", "--only-summary", "--loglevel", "WARNING"]
    started = time.time()
    process = subprocess.Popen(
        args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _pid, _status, usage = os.wait4(process.pid, 0)
    wall = time.time() - started
    stderr = process.stderr.read() if process.stderr else ""
    cpu = usage.ru_utime + usage.ru_stime
    if not output.exists():
        raise SystemExit(f"locust wrote nothing: {stderr[-3000:]}")
    return {
        "started": started,
        "wall_s": round(wall),
        "cpu_s": round(cpu, 1),
        "cores": round(cpu / wall, 2),
        "stderr": stderr[-2000:],
    }


def summarise(rows: list[list], since: float, until: float) -> dict:
    """Requests that started in [since, until): the mix's figures (sign-ins apart)."""
    chosen = [r for r in rows if since <= r[0] < until and not r[1].startswith("sign-in")]
    if not chosen:
        return {"requests": 0}
    times = sorted(r[2] for r in chosen)

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(len(times) * p))], 1)

    kinds = Counter(
        "citizen" if r[1].startswith("/services") else "api" if r[1].startswith("API") else "staff"
        for r in chosen
    )
    # A search for a place the page does not know is answered 400 with what to type instead
    # (one labelled search names a village the place data lacks): the page's answer, not a fault.
    unknown_place = [r for r in chosen if r[1].startswith("/services/?") and r[3] == 400]
    errors = [r for r in chosen if r[4] and r not in unknown_place]
    return {
        "requests": len(chosen),
        "rps": round(len(chosen) / (until - since), 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(times[-1], 1),
        "errors": len(errors),
        "unknown_place_400": len(unknown_place),
        "error_kinds": dict(Counter(f"{r[1]} {r[3]}" for r in errors).most_common(5)),
        "mix": {k: round(100 * v / len(chosen), 1) for k, v in sorted(kinds.items())},
        "sign_ins": sum(1 for r in rows if since <= r[0] < until and r[1] == "sign-in: code"),
    }


def read_rows(path: Path) -> list[list]:
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def by_step(
    rows: list[list], started: float, steps: list[tuple[int, float]], settle: float, rate: float
) -> list[dict]:
    """Each step's figures, leaving out its first `settle` seconds (users starting)."""
    found, offset = [], started
    for users, seconds in steps:
        figures = summarise(rows, offset + settle, offset + seconds)
        found.append({"users": users, "offered_rps": round(users * rate, 1)} | figures)
        offset += seconds
    return found


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def conditions(label: str) -> dict:
    figures = {"load_average": load_average(), "cpu_reference_s": cpu_reference()}
    print(
        f"{label}: load average {figures['load_average']}, cpu reference loop "
        f"{figures['cpu_reference_s']} s (lower is faster)",
        flush=True,
    )
    return figures


def passes(step: dict) -> bool:
    return step.get("requests", 0) > 0 and step["errors"] == 0 and step["p95_ms"] < P95_LIMIT_MS


def measure(kind: str, args: argparse.Namespace) -> dict:
    print(f"== {kind}", flush=True)
    url = prepared_database(kind, args.fresh)
    fixture = write_fixture(url, kind)
    log = CACHE / f"load-server-{kind}.log"
    result: dict = {
        "database": kind,
        "workers": args.workers,
        "threads": args.threads,
        "server": "linkwell serve" if has_serve_command() else "gunicorn (gthread)",
    }
    with server(url, args.workers, args.threads, log) as (port, pid):
        if args.users:
            users = args.users
        else:
            result["ramp_before"] = conditions("before the ramp")
            steps = [(u, args.step_seconds) for u in args.steps]
            output = CACHE / f"load-ramp-{kind}.jsonl"
            locust = run_locust(url, port, fixture, steps, args.rate, output)
            result["ramp"] = by_step(
                read_rows(output), locust["started"], steps, args.settle, args.rate
            )
            result["ramp_locust"] = {k: v for k, v in locust.items() if k != "stderr"}
            result["ramp_after"] = conditions("after the ramp")
            for step in result["ramp"]:
                print(ramp_line(step), flush=True)
            passing = [s["users"] for s in result["ramp"] if passes(s)]
            users = max(passing) if passing else args.steps[0]
            print(f"chosen: {users} users ({users * args.rate:g} requests/s offered)", flush=True)
        result["users"] = users
        result["steady_before"] = conditions("before the steady run")
        sampler = MemorySampler(pid)
        sampler.start()
        output = CACHE / f"load-steady-{kind}.jsonl"
        locust = run_locust(url, port, fixture, [(users, args.duration)], args.rate, output)
        sampler.stop.set()
        sampler.join()
        rows = read_rows(output)
        result["steady"] = summarise(
            rows, locust["started"] + args.settle, locust["started"] + args.duration
        )
        result["steady"]["users"] = users
        result["steady"]["offered_rps"] = round(users * args.rate, 1)
        result["steady"]["whole_run"] = summarise(rows, 0, float("inf"))
        result["steady_locust"] = {k: v for k, v in locust.items() if k != "stderr"}
        result["memory"] = sampler.figures()
        result["steady_after"] = conditions("after the steady run")
        if locust["stderr"].strip():
            print(f"locust said: {locust['stderr'][-800:]}", flush=True)
    print(steady_line(result), flush=True)
    for row in result["memory"]:
        print(
            f"  {row['role']:<6} pid {row['pid']}: RSS {row['rss_start_mib']} -> "
            f"{row['rss_end_mib']} MiB (max {row['rss_max_mib']}), PSS {row['pss_end_mib']}, "
            f"USS {row['uss_end_mib']} MiB at the end, CPU {row['cpu_s']} s",
            flush=True,
        )
    return result


def ramp_line(step: dict) -> str:
    if not step.get("requests"):
        return f"  {step['users']:>4} users: no requests"
    return (
        f"  {step['users']:>4} users ({step['offered_rps']:>5} offered): {step['rps']:>6} req/s"
        f"  p50 {step['p50_ms']:>7}  p95 {step['p95_ms']:>7}  p99 {step['p99_ms']:>7} ms"
        f"  errors {step['errors']}  {'ok' if passes(step) else 'over'}"
    )


def steady_line(result: dict) -> str:
    s, locust = result["steady"], result["steady_locust"]
    return (
        f"steady {result['database']}: {s['users']} users, {s['rps']} req/s, p50 {s['p50_ms']}"
        f" p95 {s['p95_ms']} p99 {s['p99_ms']} max {s['max_ms']} ms, errors {s['errors']}"
        f" {s['error_kinds'] or ''}, mix {s['mix']}; locust used {locust['cores']} cores"
    )


def markdown(results: list[dict]) -> str:
    lines = [
        "| database | users | offered req/s | served req/s | p50 | p95 | p99 | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        for step in r.get("ramp", []):
            if step.get("requests"):
                lines.append(
                    f"| {r['database']} ramp | {step['users']} | {step['offered_rps']} | "
                    f"{step['rps']} | {step['p50_ms']} | {step['p95_ms']} | {step['p99_ms']} | "
                    f"{step['errors']} |"
                )
        s = r["steady"]
        lines.append(
            f"| **{r['database']} steady** | {s['users']} | {s['offered_rps']} | {s['rps']} | "
            f"{s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | {s['errors']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="a smoke run of seconds a step")
    parser.add_argument("--fresh", action="store_true", help="load the demo database again")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rate", type=float, default=0.5, help="requests a second per user")
    parser.add_argument(
        "--steps",
        type=lambda t: [int(x) for x in t.split(",")],
        default=[10, 20, 30, 40, 50, 60, 80],
    )
    parser.add_argument("--step-seconds", type=float, default=45)
    parser.add_argument("--settle", type=float, default=10, help="seconds left out a step")
    parser.add_argument("--duration", type=float, default=600, help="the steady run, seconds")
    parser.add_argument("--users", type=int, help="skip the ramp: the steady run's users")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--markdown", type=Path, help="write the table here")
    args = parser.parse_args()
    if args.quick:
        args.steps, args.step_seconds, args.settle, args.duration = [10, 20], 15, 5, 20
    print(f"machine: {machine()}", flush=True)
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = [measure(kind, args) for kind in kinds]
    table = markdown(results)
    print("\n" + table, flush=True)
    if args.markdown:
        args.markdown.write_text(table)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "runs": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
