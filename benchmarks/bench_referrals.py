"""Referrals benchmark (issue 4): a link worker's caseload page and referrals through the API,
with 100,000 people and 1,000,000 referrals.

Targets, on PostgreSQL on the 2-core machine:
  - the caseload page `/caseload/`                    under 50 ms server time
  - POST /api/v1/referrals/ then POST .../{id}/accept  200 referrals a second or more

Makes a fresh database (migrate, load the default place), fills it with
`generate_referrals.py` (fixed seed; its loading time is reported), then, each in its own
process: times the caseload page for every connector (Django's test Client in process: server
time, no network; p50/p95/max), and the API making and accepting referrals, one process then
two in parallel (consent recorded beforehand, untimed). Nothing here asserts a time: it prints
figures (and `--json FILE` writes them) for `benchmarks/RESULTS.md`.

    .venv/bin/python benchmarks/bench_referrals.py --database postgres
    .venv/bin/python benchmarks/bench_referrals.py --database sqlite            # 10k / 100k
    .venv/bin/python benchmarks/bench_referrals.py --database sqlite --full     # 100k / 1M
    .venv/bin/python benchmarks/bench_referrals.py --database-url postgres://.../bench_referrals_1000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_directory import PYTHON, ROOT, cpu_reference, fresh_database, machine, place_dirs, run
from bench_pages import report, summary

LINKWELL = ROOT / ".venv" / "bin" / "linkwell"
FULL = {"people": 100_000, "referrals": 1_000_000}
SMALL = {"people": 10_000, "referrals": 100_000}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def django_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "LINKWELL_DEV": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # E-mails kept in memory: their delivery (after commit) is not what is measured.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def python(script: str, database_url: str, *args: str, show_stderr: bool = False) -> dict:
    """Run a script in a fresh process against the database; its last stdout line is JSON."""
    result = subprocess.run(
        [str(PYTHON), "-c", script, *args],
        env=django_env(database_url),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=None if show_stderr else subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{(result.stderr or '')[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def build(kind: str, people: int, referrals: int, workdir: Path, seed: int) -> tuple[str, dict]:
    """A fresh database with the place and the generated referrals; the seconds it took."""
    url = fresh_database(kind, f"bench_referrals_{referrals}", workdir)
    figures: dict = {"people": people, "referrals": referrals, "seed": seed}
    figures["migrate_seconds"] = round(run([str(LINKWELL), "migrate", "--no-input"], url)[0], 1)
    figures["load_place_seconds"] = round(
        run([str(LINKWELL), "load_place", *map(str, place_dirs())], url)[0], 1
    )
    print(
        f"migrate {figures['migrate_seconds']} s, load_place {figures['load_place_seconds']} s;"
        f" generating {people:,} people and {referrals:,} referrals (load {load_average()})...",
        flush=True,
    )
    started = time.perf_counter()
    result = subprocess.run(
        [
            str(PYTHON),
            str(ROOT / "benchmarks" / "generate_referrals.py"),
            f"--people={people}",
            f"--referrals={referrals}",
            f"--seed={seed}",
        ],
        env=django_env(url),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit("generate_referrals.py failed")
    generated = json.loads(result.stdout.strip().splitlines()[-1])
    figures["generate_seconds"] = round(time.perf_counter() - started, 1)
    figures["phases"] = generated["seconds"]
    figures["rows"] = generated["counts"]
    figures["load_average_after"] = load_average()
    rows = sum(generated["counts"].values())
    print(
        f"loaded {rows:,} rows in {figures['generate_seconds']} s "
        f"({rows / figures['generate_seconds']:,.0f} rows/s; load {load_average()})",
        flush=True,
    )
    return url, figures


CASELOAD_SCRIPT = r"""
import json, sys, time, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from linkwell.accounts.models import Membership, Role
from linkwell.referrals import queries as rq

repeats = int(sys.argv[1])
users = [
    m.user
    for m in Membership.objects.filter(role=Role.CONNECTOR, user__is_active=True)
    .select_related("user").order_by("user__username")
]
if not users:
    raise SystemExit("no connectors in this database")
out = {"connectors": len(users), "timings": {}, "queries": {}, "sizes": {}}
try:
    url = reverse("referrals:caseload")
except NoReverseMatch:
    url = None
out["page"] = url is not None

def page(address):
    def get(client, user):
        response = client.get(address)
        if response.status_code != 200:
            raise SystemExit(f"{address}: HTTP {response.status_code}")
    return get

def query(mine):
    def get(client, user):
        load = rq.caseload(user, mine_only=mine)
        [len(x) for x in (load.new, load.waiting, load.active, load.overdue)]
    return get

variants = {"query_all": query(False), "query_mine": query(True)}
if url:
    variants = {"page_all": page(url), "page_mine": page(url + "?mine=1"), **variants}
clients = {}
for user in users:
    clients[user.pk] = Client()
    clients[user.pk].force_login(user)
for name, call in variants.items():
    for user in users:  # warm up: connections, templates, caches
        call(clients[user.pk], user)
    with CaptureQueriesContext(connection) as captured:
        call(clients[users[0].pk], users[0])
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    out["queries"][name] = {
        "count": len(queries),
        "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
        "slowest": [
            {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"]} for q in queries[:3]
        ],
    }
    times = []
    for _ in range(repeats):
        for user in users:
            started = time.perf_counter()
            call(clients[user.pk], user)
            times.append((time.perf_counter() - started) * 1000)
    out["timings"][name] = times
for user in users:
    load = rq.caseload(user, mine_only=True)
    out["sizes"][user.username] = load.counts
print(json.dumps(out))
"""

PROFILE_SCRIPT = r"""
import cProfile, io, pstats, sys, django
django.setup()
from django.test import Client
from linkwell.accounts.models import Membership, Role
user = Membership.objects.filter(role=Role.CONNECTOR).order_by("user__username").first().user
client = Client()
client.force_login(user)
client.get(sys.argv[1])
profile = cProfile.Profile()
profile.enable()
for _ in range(5):
    client.get(sys.argv[1])
profile.disable()
text = io.StringIO()
pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(35)
print(text.getvalue(), file=sys.stderr)
print("{}")
"""

EXPLAIN_SCRIPT = r"""
import json, sys, django
django.setup()
from django.db import connection
for sql in json.loads(sys.argv[1]):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        print("\n".join(row[0] for row in cursor.fetchall()), file=sys.stderr)
        print("-" * 60, file=sys.stderr)
print("{}")
"""


def time_caseload(url: str, repeats: int) -> dict:
    measured = python(CASELOAD_SCRIPT, url, str(repeats))
    figures: dict = {
        "page_exists": measured["page"],
        "connectors": measured["connectors"],
        "caseload_sizes": measured["sizes"],
        "timings": {},
        "queries": measured["queries"],
        "load_average_after": load_average(),
    }
    if not measured["page"]:
        print("(no /caseload/ page yet: timing queries.caseload only)", flush=True)
    for name, times in measured["timings"].items():
        figures["timings"][name] = summary(times)
        report(name, figures["timings"][name])
        q = measured["queries"][name]
        print(f"{'':<20} {q['count']} queries, {q['sql_ms']} ms in SQL", flush=True)
    sizes = ", ".join(
        f"{name}: {c.get('active', 0)} active, {c.get('overdue', 0)} overdue"
        for name, c in measured["sizes"].items()
    )
    print(f"caseloads (mine): {sizes}; load {load_average()}", flush=True)
    return figures


PREPARE_SCRIPT = r"""
import json, random, sys, django
django.setup()
from django.db.models import Q
from linkwell.accounts.models import Membership, OrganisationKind, Role
from linkwell.accounts.tokens import create_api_token
from linkwell.directory.models import Service
from linkwell.referrals import actions
from linkwell.referrals.models import CapacityMode, Consent, ConsentPurpose, Person, Programme

count, seed, group = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
closed = Q(capacity__mode__in=[CapacityMode.PLACES, CapacityMode.WAITING_LIST, CapacityMode.CLOSED])
programmes = Programme.objects.values_list("service_id", flat=True)
services = list(
    Service.objects.filter(partner__isnull=False, status="active").exclude(closed)
    .exclude(pk__in=programmes).order_by("id")
)
editors = {}
for m in Membership.objects.filter(role=Role.PROVIDER_EDITOR).select_related("user"):
    editors.setdefault(m.organisation_id, []).append(m.user)
services = [s for s in services if editors.get(s.partner_id)]
referrers = [
    m.user for m in Membership.objects.filter(
        role=Role.PRACTITIONER, organisation__kind=OrganisationKind.GP_PRACTICE
    ).select_related("user").order_by("user__username")
]
referrers = rng.sample(referrers, min(12, len(referrers)))
tokens = {}
def token(user):
    if user.pk not in tokens:
        tokens[user.pk] = create_api_token(user, actor=None, via="bench", name="bench")[1]
    return tokens[user.pk]
people = {r.pk: list(Person.objects.filter(created_by=r).order_by("id")[:400]) for r in referrers}
by_partner = {}
for s in services:
    by_partner.setdefault(s.partner_id, []).append(s)
pairs = []
for n in range(count):
    if group > 1:  # a batch: one referrer (a GP system) and one provider answering them all
        referrer = referrers[(n // group) % len(referrers)]
        if n % group == 0:
            partner = rng.choice(sorted(by_partner))
            editor = rng.choice(editors[partner])
        service = rng.choice(by_partner[partner])
    else:
        referrer = referrers[n % len(referrers)]
        service = rng.choice(services)
        editor = rng.choice(editors[service.partner_id])
    person = rng.choice(people[referrer.pk])
    shared = Consent.objects.filter(
        person=person, purpose=ConsentPurpose.SHARE_WITH_SERVICE, service=service, withdrawn_at=None
    ).exists()
    if not shared:
        actions.record_consent(
            person, ConsentPurpose.SHARE_WITH_SERVICE, actor=referrer, via="bench", service=service
        )
    pairs.append({
        "referrer": referrer.pk, "editor": editor.pk, "person": str(person.pk),
        "service": str(service.pk), "need": "", "referrer_token": token(referrer),
        "editor_token": token(editor),
    })
print(json.dumps(pairs))
"""

WORKER_SCRIPT = r"""
import json, sys, time, uuid, django
django.setup()
pairs, start_at = json.loads(open(sys.argv[1]).read()), float(sys.argv[2])
through, warm, group = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
make_ms, accept_ms = [], []

if through == "batch":
    from django.test import Client
    client = Client()

    def run(chunk, timed):
        items = [{"person_id": p["person"], "service_id": p["service"],
                  "reason": "Lives alone; would like company.",
                  "idempotency_key": uuid.uuid4().hex} for p in chunk]
        started = time.perf_counter()
        made = client.post(
            "/api/v1/referrals/batch", json.dumps({"referrals": items}),
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer " + chunk[0]["referrer_token"],
        )
        middle = time.perf_counter()
        results = made.json().get("results", []) if made.status_code == 200 else []
        if len(results) != len(chunk) or any(r["status"] != 201 for r in results):
            raise SystemExit(f"POST /referrals/batch: {made.status_code} {made.content[:300]!r}")
        accepted = client.post(
            "/api/v1/referrals/batch/accept",
            json.dumps({"referral_ids": [r["referral"]["id"] for r in results]}),
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer " + chunk[0]["editor_token"],
        )
        ended = time.perf_counter()
        answers = accepted.json().get("results", []) if accepted.status_code == 200 else []
        if len(answers) != len(chunk) or any(r["status"] != 200 for r in answers):
            raise SystemExit(f"batch/accept: {accepted.status_code} {accepted.content[:300]!r}")
        if timed:
            make_ms.append((middle - started) * 1000)
            accept_ms.append((ended - middle) * 1000)

    def everything(chosen, timed):
        for start in range(0, len(chosen), group):
            run(chosen[start : start + group], timed)
elif through == "api":
    from django.test import Client
    client = Client()

    def one(pair, timed):
        body = {"person_id": pair["person"], "service_id": pair["service"],
                "reason": "Lives alone; would like company."}
        started = time.perf_counter()
        made = client.post(
            "/api/v1/referrals/", json.dumps(body), content_type="application/json",
            HTTP_AUTHORIZATION="Bearer " + pair["referrer_token"],
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )
        middle = time.perf_counter()
        if made.status_code != 201:
            raise SystemExit(f"POST /referrals: {made.status_code} {made.content[:300]!r}")
        accepted = client.post(
            f"/api/v1/referrals/{made.json()['id']}/accept", "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer " + pair["editor_token"],
        )
        ended = time.perf_counter()
        if accepted.status_code != 200 or accepted.json()["status"] != "accepted":
            raise SystemExit(f"POST accept: {accepted.status_code} {accepted.content[:300]!r}")
        if timed:
            make_ms.append((middle - started) * 1000)
            accept_ms.append((ended - middle) * 1000)
else:
    from django.contrib.auth import get_user_model
    from linkwell.directory.models import Service
    from linkwell.referrals import actions
    from linkwell.referrals.models import Person
    users = get_user_model().objects.in_bulk(
        {p["referrer"] for p in pairs} | {p["editor"] for p in pairs}
    )

    def one(pair, timed):
        started = time.perf_counter()
        made = actions.make_referral(
            actor=users[pair["referrer"]], via="bench",
            person=Person.objects.get(pk=pair["person"]),
            service=Service.objects.get(pk=pair["service"]),
            reason="Lives alone; would like company.", idempotency_key=uuid.uuid4().hex,
        )
        middle = time.perf_counter()
        actions.accept_referral(made.referral, actor=users[pair["editor"]], via="bench")
        ended = time.perf_counter()
        if timed:
            make_ms.append((middle - started) * 1000)
            accept_ms.append((ended - middle) * 1000)

if through != "batch":
    def everything(chosen, timed):
        for pair in chosen:
            one(pair, timed)
everything(pairs[:warm], False)
time.sleep(max(0.0, start_at - time.time()))
began = time.time()
everything(pairs[warm:], True)
print(json.dumps({"began": began, "ended": time.time(), "pairs": len(pairs) - warm,
                  "make_ms": make_ms, "accept_ms": accept_ms}))
"""


def time_api(
    url: str, pairs_each: int, through: str, seed: int, workdir: Path, batch_size: int = 100
) -> dict:
    """Referrals made and accepted per second: one process, then two at once."""
    group = batch_size if through == "batch" else 1
    warm = group if through == "batch" else 20
    pairs_each = -(-pairs_each // group) * group  # whole batches
    prepared = python(PREPARE_SCRIPT, url, str(3 * (pairs_each + warm)), str(seed), str(group))
    figures: dict = {
        "through": through,
        "pairs_per_process": pairs_each,
        "batch_size": group,
        "runs": {},
    }
    for processes in (1, 2):
        chunks = [
            prepared[(i + processes - 1) * (pairs_each + warm) :][: pairs_each + warm]
            for i in range(processes)
        ]
        files = []
        for number, chunk in enumerate(chunks):
            files.append(workdir / f"pairs-{processes}-{number}.json")
            files[-1].write_text(json.dumps(chunk))
        start_at = time.time() + 15  # after every process has set up and warmed up
        workers = [
            subprocess.Popen(
                [
                    str(PYTHON),
                    "-c",
                    WORKER_SCRIPT,
                    str(path),
                    str(start_at),
                    through,
                    str(warm),
                    str(group),
                ],
                env=django_env(url),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for path in files
        ]
        results = []
        for worker in workers:
            stdout, stderr = worker.communicate()
            if worker.returncode != 0:
                raise SystemExit(f"API worker failed:\n{stderr[-4000:]}")
            results.append(json.loads(stdout.strip().splitlines()[-1]))
        if min(r["began"] for r in results) < start_at - 0.5:
            print("(a worker started late: set-up took longer than 15 s)", flush=True)
        wall = max(r["ended"] for r in results) - min(r["began"] for r in results)
        made = sum(r["pairs"] for r in results)
        run_figures = {
            "processes": processes,
            "pairs": made,
            "seconds": round(wall, 2),
            "referrals_per_second": round(made / wall, 1),
            "make": summary([t for r in results for t in r["make_ms"]]),
            "accept": summary([t for r in results for t in r["accept_ms"]]),
            "load_average_after": load_average(),
        }
        figures["runs"][str(processes)] = run_figures
        print(
            f"{through}, {processes} process{'es' if processes > 1 else ''}: {made} referrals "
            f"made and accepted in {wall:.1f} s = {made / wall:.0f}/s "
            f"(load {load_average()})",
            flush=True,
        )
        how = {"api": "POST", "batch": f"POST of {group}"}.get(through, "action")
        report(f"  make ({how})", run_figures["make"])
        report(f"  accept ({how})", run_figures["accept"])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--full", action="store_true", help="SQLite at the full size too")
    parser.add_argument("--people", type=int, help="default 100,000 (SQLite: 10,000)")
    parser.add_argument("--referrals", type=int, help="default 1,000,000 (SQLite: 100,000)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=25, help="caseload rounds per connector")
    parser.add_argument("--api-pairs", type=int, default=500, help="referrals per API process")
    parser.add_argument(
        "--through",
        choices=["batch", "api", "actions", "all"],
        default="batch",
        help="make and accept through the API's batch endpoints (default), one referral per "
        "request, or by calling the actions directly",
    )
    parser.add_argument("--batch-size", type=int, default=100, help="referrals per batch")
    parser.add_argument("--skip-caseload", action="store_true", help="time the API only")
    parser.add_argument("--profile", action="store_true", help="cProfile + EXPLAIN ANALYZE")
    parser.add_argument("--database-url", help="an already generated database (no loading)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    if args.database_url:
        args.database = "postgres" if args.database_url.startswith("postgres") else "sqlite"
    sizes = FULL if args.database == "postgres" or args.full else SMALL
    people = args.people or sizes["people"]
    referrals = args.referrals or sizes["referrals"]
    print(
        f"machine: {machine()}; database: {args.database}; load {load_average()} "
        "(the machine may be shared: see the load averages)",
        flush=True,
    )
    figures: dict = {"machine": machine(), "database": args.database, "nproc": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="linkwell-bench-referrals-") as tmp:
        url = args.database_url
        if url:  # generated by an earlier version: bring its tables up to this code's
            run([str(LINKWELL), "migrate", "--no-input"], url)
        else:
            workdir = Path(tmp) if args.database == "postgres" else ROOT / "var" / "bench"
            workdir.mkdir(parents=True, exist_ok=True)
            url, figures["load"] = build(args.database, people, referrals, workdir, args.seed)
        figures["cpu_reference_s"] = [cpu_reference()]
        print(f"cpu reference loop: {figures['cpu_reference_s'][0]} s (lower is faster)")
        if not args.skip_caseload:
            figures["caseload"] = time_caseload(url, args.repeats)
        if args.profile and not args.skip_caseload:
            profile(url, figures["caseload"])
        ways = ["batch", "api", "actions"] if args.through == "all" else [args.through]
        ways = ways if args.api_pairs > 0 else []  # --api-pairs 0: the caseload only
        figures["api"] = {
            way: time_api(url, args.api_pairs, way, args.seed, Path(tmp), args.batch_size)
            for way in ways
        }
        figures["cpu_reference_s"].append(cpu_reference())
        print(f"cpu reference loop after: {figures['cpu_reference_s'][1]} s", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    sys.stdout.flush()


def profile(url: str, caseload: dict) -> None:
    """Where a caseload page's time goes: the Python profile, then the slowest queries' plans
    (PostgreSQL). Printed to stderr."""
    address = "/caseload/" if caseload["page_exists"] else ""
    if address:
        python(PROFILE_SCRIPT, url, address, show_stderr=True)
    if url.startswith("postgres"):
        slowest = []
        for name in ("page_all", "query_all"):
            for q in caseload["queries"].get(name, {}).get("slowest", []):
                if q["sql"].lstrip().upper().startswith("SELECT"):
                    slowest.append(q["sql"])
        python(EXPLAIN_SCRIPT, url, json.dumps(slowest[:3]), show_stderr=True)


if __name__ == "__main__":
    main()
