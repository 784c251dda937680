"""Load test: the mix of a working day against a running Linkwell (locust, headless).

Requests, roughly: 80% citizens (the public search page with words, needs and places people
type, and service pages), 15% signed-in staff (their home, their referrals, a person's page, a
contact's matching services), 5% the referral API (a referrer's system makes a referral, the
service's system accepts, declines or completes it). Every locust user sends one request per
task at a constant rate (LOAD_USER_RATE requests a second), so users x rate is the offered load.

It reads a fixture written by `bench_load.py` (LOAD_FIXTURE: staff accounts with their
authenticator keys, API tokens, people and services to use), and writes every request it timed
to LOAD_OUTPUT (JSON lines) for `bench_load.py` to summarise by step. LOAD_STEPS ("users:seconds,
users:seconds") holds each number of users for that long; without it, locust's -u/-t apply.

    LOAD_FIXTURE=var/bench/load-sqlite.json .venv/bin/locust -f benchmarks/locustfile.py \\
        --headless --host http://127.0.0.1:8000 -u 20 -r 5 -t 60s
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import uuid
from pathlib import Path
from typing import Any

import gevent.lock
from django_otp.oath import totp
from locust import FastHttpUser, LoadTestShape, constant_throughput, events, task

FIXTURE: dict[str, Any] = json.loads(Path(os.environ["LOAD_FIXTURE"]).read_text())
RATE = float(os.environ.get("LOAD_USER_RATE", "0.5"))
OUTPUT = os.environ.get("LOAD_OUTPUT", "")
TOTP_STEP = 30
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_timed: list[tuple[float, str, float, int, int]] = []  # (start, name, ms, status, failed)


@events.request.add_listener
def _record(name: str, response_time: float, response: Any, exception: Any, **_: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    _timed.append(
        (time.time() - response_time / 1000, name, response_time, status, int(bool(exception)))
    )


@events.quitting.add_listener
def _write(**_: Any) -> None:
    if OUTPUT:
        with open(OUTPUT, "w", encoding="utf-8") as handle:
            for row in _timed:
                handle.write(json.dumps(row) + "\n")


class _Authenticator:
    """The codes an authenticator app shows for one account, handed out in order.

    Several locust users sign in as the same demo account: each sign-in takes the next time
    step (a code is accepted once), which the bench's devices accept (their tolerance is wide,
    set by bench_load.py); one sign-in at a time per account, so the steps arrive in order."""

    def __init__(self, key_hex: str) -> None:
        self.key = bytes.fromhex(key_hex)
        self.lock = gevent.lock.Semaphore()
        self.last_step: int | None = None

    def next_code(self) -> str:
        now = int(time.time()) // TOTP_STEP
        step = now if self.last_step is None else self.last_step + 1
        self.last_step = step
        return f"{totp(self.key, TOTP_STEP, 0, 6, step - now):06d}"


AUTHENTICATORS = {s["username"]: _Authenticator(s["totp_key"]) for s in FIXTURE["staff"]}


class Citizen(FastHttpUser):
    """Someone looking for help: searches in their own words, by need and place, and opens
    services."""

    weight = 80
    wait_time = constant_throughput(RATE)

    @task(7)
    def search(self) -> None:
        searches = FIXTURE["searches"]
        params = random.choice(searches)
        with self.client.get(
            "/services/", params=params, name=_search_name(params), catch_response=True
        ) as response:
            # A place the page does not know: 400 and what to type instead (bench_load counts
            # these apart); anything else but 200 is a failure.
            if response.status_code == 400 and b"We could not find" in (response.content or b""):
                response.success()
            elif response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    @task(3)
    def service_page(self) -> None:
        service = random.choice(FIXTURE["services"])
        self.client.get(f"/services/{service}/", name="/services/[id]/")


def _search_name(params: dict[str, str]) -> str:
    kind = "+".join(k for k in ("q", "need", "postcode") if params.get(k))
    return f"/services/?{kind or 'browse'}"


class Staff(FastHttpUser):
    """A practitioner or connector through a working session: signs in once (password and
    the code from their app), then moves between their pages."""

    weight = 15
    wait_time = constant_throughput(RATE)

    def on_start(self) -> None:
        self.account = random.choice(FIXTURE["staff"])
        self.sign_in()

    def sign_in(self) -> None:
        page = self.client.get("/accounts/login/", name="sign-in: page")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.account["username"],
                "password": FIXTURE["password"],
                "csrfmiddlewaretoken": _csrf(page.text or ""),
            },
            name="sign-in: password",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if "/accounts/verify/" not in _location(response):
                response.failure(f"HTTP {response.status_code}, not sent on to the code")
                return
        authenticator = AUTHENTICATORS[self.account["username"]]
        with authenticator.lock:
            form = self.client.get("/accounts/verify/", name="sign-in: code page")
            with self.client.post(
                "/accounts/verify/",
                data={"code": authenticator.next_code(), "csrfmiddlewaretoken": _csrf(form.text)},
                name="sign-in: code",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302 or "/accounts/" in _location(response):
                    response.failure(f"HTTP {response.status_code}: the code was refused")

    @task(3)
    def home(self) -> None:
        self._page(self.account["home"], "staff home")

    @task(2)
    def referrals(self) -> None:
        self._page("/referrals/", "/referrals/")

    @task(3)
    def person(self) -> None:
        if self.account["people"]:
            self._page(f"/people/{random.choice(self.account['people'])}/", "/people/[id]/")

    @task(2)
    def contact(self) -> None:
        if self.account["contacts"]:
            self._page(f"/contacts/{random.choice(self.account['contacts'])}/", "/contacts/[id]/")

    def _page(self, path: str, name: str) -> None:
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {_location(response)}")


def _location(response: Any) -> str:
    return (response.headers or {}).get("Location", "") or ""


def _csrf(html: str) -> str:
    found = CSRF_FIELD.search(html or "")
    return found.group(1) if found else ""


class ReferralApi(FastHttpUser):
    """A GP system and a service's system on the JSON API: a referral made, then answered
    (accepted, started and completed, or declined with a coded reason). One request a task."""

    weight = 5
    wait_time = constant_throughput(RATE)

    def on_start(self) -> None:
        self.pending: list[tuple[str, str, str]] = []  # (referral id, editor token, next move)

    @task
    def next_step(self) -> None:
        if self.pending:
            referral, token, move = self.pending.pop(0)
            self._move(referral, token, move)
        else:
            self._make()

    def _make(self) -> None:
        pair = random.choice(FIXTURE["api_pairs"])
        body = {
            "person_id": pair["person"],
            "service_id": pair["service"],
            "reason": "Lives alone since a fall; would like company and help getting out.",
        }
        with self.client.post(
            "/api/v1/referrals/",
            json=body,
            headers=_bearer(pair["referrer_token"]) | {"Idempotency-Key": uuid.uuid4().hex},
            name="API: make referral",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")
                return
            referral = response.json()["id"]
        moves = ["accept", "start", "complete"] if random.random() < 0.6 else ["decline"]
        self.pending += [(referral, pair["editor_token"], move) for move in moves]

    def _move(self, referral: str, token: str, move: str) -> None:
        body: dict[str, Any] = {
            "accept": {"note": "We will call this week."},
            "start": {"note": "First session booked."},
            "decline": {"reason_code": "not_eligible", "reason": "Outside the age range."},
            "complete": {"outcome": "Joined the Tuesday group.", "outcome_code": "achieved"},
        }[move]
        with self.client.post(
            f"/api/v1/referrals/{referral}/{move}",
            json=body,
            headers=_bearer(token),
            name=f"API: {move}",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def _steps() -> list[tuple[int, float]]:
    text = os.environ.get("LOAD_STEPS", "")
    return [(int(u), float(s)) for u, s in (part.split(":") for part in text.split(",") if part)]


if _steps():

    class Steps(LoadTestShape):
        """Each number of users for its time, in turn; users start at 10 a second."""

        def tick(self) -> tuple[int, float] | None:
            elapsed = self.get_run_time()
            for users, seconds in _steps():
                if elapsed < seconds:
                    return users, 10
                elapsed -= seconds
            return None
