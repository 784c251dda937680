"""Staff waits during a big directory import: what a user waits over HTTP while 100,000
services are imported, on SQLite and on PostgreSQL.

Target: p95 under 1 s for each kind of request during the import (docs/adr/0019), and the
import itself still under 120 s.

A fresh database (the place loaded, one member of staff with a password, a practitioner role
and an API token) is served by a real server in its own process (gunicorn if installed in
.venv, otherwise `linkwell runserver --noreload`). Three clients, one per kind, each send a
request every `--pause` seconds, first for `--before` requests with nothing else going on,
then for as long as `linkwell import_feed` (its own process) imports the generated feed:

  - sign-in: the password step, `POST /accounts/login/` (see `sign_in`)
  - registration: `POST /api/v1/people/` with a bearer token
  - audited read: `GET /api/v1/people/{id}` (writes an audit event)

It prints p50 / p95 / max and the failures of each kind in each phase, the import's wall time
and its transactions, and a CPU reference loop before and after (this machine's speed
drifts: compare figures only beside it). Nothing here asserts a time.

    .venv/bin/python benchmarks/bench_import_contention.py --database sqlite
    .venv/bin/python benchmarks/bench_import_contention.py --database postgres --services 100000
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_directory import (
    LINKWELL,
    ROOT,
    cpu_reference,
    feed_file,
    fresh_database,
    machine,
    place_dirs,
    run,
)

USERNAME = "bench-staff"
PASSWORD = "bench-only-Passw0rd-long-enough"
ORGANISATION = "Bench Practice"
TIMEOUT = 60  # seconds a client waits for an answer before counting a failure


def linkwell(code: Path) -> list[str]:
    """How to run `linkwell` from a source tree: this one, or an earlier version's (made with
    `git archive COMMIT | tar -x -C DIR`) to compare with."""
    return (
        [str(LINKWELL)]
        if code == ROOT
        else [str(ROOT / ".venv" / "bin" / "python"), str(code / "manage.py")]
    )


def _opener(jar: http.cookiejar.CookieJar) -> urllib.request.OpenerDirector:
    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # a redirect is the answer we time, not a second request

    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)


def _send(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> int:
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code


def sign_in(base: str) -> tuple[float, bool, str]:
    """One staff sign-in: the password step only. (seconds, succeeded, what came back)

    The sign-in form is fetched first (for its CSRF token and cookie) and not timed; the
    POST of username and password is. Success is the redirect onward (to the page asked for,
    or to the one-time-code step): the form shown again means the password was refused.
    Adapt this function if the sign-in flow changes.
    """
    jar = http.cookiejar.CookieJar()
    opener = _opener(jar)
    try:
        with opener.open(f"{base}/accounts/login/", timeout=TIMEOUT) as response:
            page = response.read().decode()
    except OSError as error:
        return 0.0, False, f"the sign-in page: {type(error).__name__}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        return 0.0, False, "no CSRF token on the sign-in page"
    body = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=body, headers={"Referer": f"{base}/accounts/login/"}
    )
    started = time.perf_counter()
    status = _send(opener, request)
    return time.perf_counter() - started, status == 302, f"HTTP {status}"


def register_person(base: str, token: str, n: int) -> tuple[float, bool, str, str]:
    """`POST /api/v1/people/`: (seconds, succeeded, what came back, the person's id)."""
    body = json.dumps(
        {
            "given_name": f"Bench{n}",
            "family_name": "Waiting",
            "birth_date": f"19{40 + n % 50}-0{1 + n % 9}-1{n % 9}",
            "confirm_new": True,
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/people/",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            person = json.loads(response.read())
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        return time.perf_counter() - started, False, f"HTTP {error.code}", ""
    return time.perf_counter() - started, status == 201, f"HTTP {status}", str(person["id"])


def read_person(base: str, token: str, person_id: str) -> tuple[float, bool, str]:
    """`GET /api/v1/people/{id}` (an audited read): (seconds, succeeded, what came back)."""
    request = urllib.request.Request(
        f"{base}/api/v1/people/{person_id}", headers={"Authorization": f"Bearer {token}"}
    )
    started = time.perf_counter()
    status = _send(urllib.request.build_opener(), request)
    return time.perf_counter() - started, status == 200, f"HTTP {status}"


class Load:
    """Three clients, one per kind of request, each sending one every `pause` seconds."""

    def __init__(self, base: str, token: str, person_id: str, pause: float) -> None:
        self.base, self.token, self.person_id, self.pause = base, token, person_id, pause
        self.phase = "before"
        self.results: dict[tuple[str, str], list[tuple[float, bool, str]]] = {}
        self.stop = threading.Event()
        self._lock = threading.Lock()

    def _note(self, kind: str, phase: str, outcome: tuple[float, bool, str]) -> None:
        with self._lock:
            self.results.setdefault((phase, kind), []).append(outcome)

    def _client(self, kind: str, limit: int | None) -> None:
        n = 0
        while not self.stop.is_set() and (limit is None or n < limit):
            n += 1
            phase = self.phase
            try:
                if kind == "sign-in":
                    outcome = sign_in(self.base)
                elif kind == "registration":
                    outcome = register_person(self.base, self.token, n)[:3]
                else:
                    outcome = read_person(self.base, self.token, self.person_id)
            except (OSError, ValueError) as error:  # timeouts, refused connections
                outcome = (TIMEOUT, False, type(error).__name__)
            self._note(kind, phase, outcome)
            time.sleep(self.pause)

    def run(self, limit: int | None = None) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self._client, args=(kind, limit), daemon=True)
            for kind in ("sign-in", "registration", "audited read")
        ]
        for thread in threads:
            thread.start()
        return threads


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, port: int, workers: int, log: Path, code: Path) -> subprocess.Popen:
    """The server, its output to `log` (a pipe nobody reads would fill and stall it)."""
    env = {**os.environ, "DATABASE_URL": url, "LINKWELL_DEV": "1"}
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    if gunicorn.exists():
        args = [str(gunicorn), "config.wsgi", "--chdir", str(code), "--bind", f"127.0.0.1:{port}"]
        args += ["--workers", str(workers), "--threads", "4", "--timeout", "120"]
        args += ["--access-logfile", "/dev/null", "--error-logfile", "-"]
    else:
        args = [*linkwell(code), "runserver", "--noreload", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        args, env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=log.open("w")
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):
                return server
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.5)
    server.kill()
    raise SystemExit(f"the server did not start: {log.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:  # gunicorn waits for its workers' open connections
        server.kill()
        server.wait()


def prepare(kind: str, name: str, workdir: Path, code: Path) -> tuple[str, str]:
    """A fresh database with the place loaded and a member of staff who signs in with a
    password, records people, and has an API token: (its URL, the token)."""
    url = fresh_database(kind, name, workdir)
    command = linkwell(code)
    run([*command, "migrate", "--no-input"], url)
    run([*command, "load_place", *map(str, place_dirs())], url)
    os.environ["LINKWELL_ADMIN_PASSWORD"] = PASSWORD  # read by create_partner_admin
    admin = ["create_partner_admin", USERNAME, "--organisation", ORGANISATION]
    run([*command, *admin, "--kind", "gp_practice", "--no-input"], url)
    run([*command, "grant_role", USERNAME, "practitioner", ORGANISATION], url)
    made = subprocess.run(
        [*command, "create_api_token", USERNAME, "--name", "benchmark"],
        env={**os.environ, "DATABASE_URL": url, "LINKWELL_DEV": "1"},
        cwd=code,
        check=True,
        capture_output=True,
        text=True,
    )
    return url, made.stdout.strip().splitlines()[-1]


def import_feed(url: str, feed: Path, code: Path) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": url, "LINKWELL_DEV": "1"}
    started = time.perf_counter()
    done = subprocess.run(
        [*linkwell(code), "import_feed", str(feed), "--no-progress"],
        env=env,
        cwd=code,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(f"the import failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}", flush=True)
    return seconds, done.stdout.strip()


def figures_of(results: dict) -> dict:
    out: dict = {}
    for (phase, kind), outcomes in sorted(results.items()):
        times = sorted(seconds for seconds, ok, _ in outcomes if ok)
        failures = [what for _, ok, what in outcomes if not ok]
        row = {"requests": len(outcomes), "failures": len(failures)}
        if failures:
            row["failed_with"] = sorted(set(failures))
        if times:
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            row |= {
                "p50_s": round(statistics.median(times), 3),
                "p95_s": round(p95, 3),
                "max_s": round(times[-1], 3),
            }
        out.setdefault(phase, {})[kind] = row
        print(
            f"{phase:<7} {kind:<13} n={len(outcomes):<5} failures {len(failures):<3}"
            + (
                f" p50 {row['p50_s']:6.3f} s  p95 {row['p95_s']:6.3f} s  max {row['max_s']:6.3f} s"
                if times
                else ""
            )
            + (f"  ({', '.join(row['failed_with'])})" if failures else ""),
            flush=True,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--pause", type=float, default=0.25, help="seconds between requests")
    parser.add_argument("--before", type=int, default=20, help="requests per kind, no import")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="source tree to serve and import with (default: this)",
    )
    args = parser.parse_args()
    code = args.code.resolve()

    print(f"machine: {machine()}; database: {args.database}", flush=True)
    figures: dict = {"machine": machine(), "database": args.database, "services": args.services}
    figures["code"] = str(code)
    figures["cpu_reference_s"] = [cpu_reference()]
    print(f"cpu reference loop: {figures['cpu_reference_s'][0]} s (lower is faster)", flush=True)
    feed = feed_file(args.services)
    with tempfile.TemporaryDirectory(prefix="linkwell-bench-") as tmp:
        name = "lw_imports_bench"
        url, token = prepare(args.database, name, Path(tmp), code)
        port = _free_port()
        server = start_server(url, port, args.workers, Path(tmp) / "server.log", code)
        try:
            base = f"http://127.0.0.1:{port}"
            _s, ok, what, person_id = register_person(base, token, 0)
            if not ok:
                raise SystemExit(f"could not register a person to read: {what}")
            load = Load(base, token, person_id, args.pause)
            for thread in load.run(limit=args.before):
                thread.join()
            load.phase = "during"
            threads = load.run()
            seconds, output = import_feed(url, feed, code)
            print(f"import {args.services:,} services: {seconds:.1f} s\n{output}", flush=True)
            load.stop.set()
            for thread in threads:
                thread.join(timeout=TIMEOUT + 5)
        finally:
            stop_server(server)
        log = (Path(tmp) / "server.log").read_text()
        figures["server_log"] = {
            "tracebacks": log.count("Traceback"),
            "database_is_locked": log.count("database is locked"),
        }
        if args.database == "postgres":
            fresh_database("postgres", name, Path(tmp))  # empty it again: 100,000 services
    figures["import_seconds"] = round(seconds, 1)
    figures["import_output"] = output
    figures["requests"] = figures_of(load.results)
    print(f"server log: {figures['server_log']}", flush=True)
    figures["cpu_reference_s"].append(cpu_reference())
    print(f"cpu reference loop after: {figures['cpu_reference_s'][1]} s", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
