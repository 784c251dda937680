"""Probes for whatever runs the server (docs/adr/0036): `/healthz` says the process answers
(and touches nothing else, so a slow database never gets a healthy process restarted);
`/readyz` says whether it can serve: the database answers, its migrations are all applied,
a worker has been seen lately (unless none is needed), and the place's data is loaded. An
unready answer is a 503 naming each failing check and what to do about it.

A database that went away leaves a broken connection behind: the check closes it, so the next
probe connects afresh and the server turns ready again without a restart.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from linkwell.operations import heartbeat

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str = ""  # what was found
    fix: str = ""  # what to do, when not ok

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"ok": self.ok}
        if self.detail:
            found["detail"] = self.detail
        if self.fix:
            found["fix"] = self.fix
        return found


def _headers(response: JsonResponse) -> JsonResponse:
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """GET /healthz: the process is alive. No database, no cache, nothing that can hang."""
    return _headers(JsonResponse({"status": "alive"}))


def _close_broken_connection() -> None:
    """Drop the connection after a failure, so the next use connects again (a connection the
    server closed stays broken however often it is retried)."""
    try:
        connections[DEFAULT_DB_ALIAS].close()
    except Exception:  # closing a broken connection may itself fail
        logger.debug("readyz: closing the broken connection failed", exc_info=True)


def check_database() -> Check:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to answer is "unreachable"
        logger.warning("readyz: the database did not answer", exc_info=True)
        _close_broken_connection()
        return Check(
            False,
            f"The database did not answer ({type(exc).__name__}; the server log has the error).",
            "Check that the database server is running and accepts connections with "
            "DATABASE_URL's address, user and password; this server reconnects by itself.",
        )
    return Check(True)


# Migrations on disk do not change while the process runs, and applied ones stay applied:
# once all are, later probes need not load the migration graph again.
_migrations_known_applied = False


def check_migrations() -> Check:
    global _migrations_known_applied
    if _migrations_known_applied:
        return Check(True)
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return Check(
            False,
            f"{len(plan)} migration(s) not applied, the first {plan[0][0].app_label}."
            f"{plan[0][0].name}.",
            "Run `linkwell migrate` (after a backup: `linkwell backup FILE`).",
        )
    _migrations_known_applied = True
    return Check(True)


def worker_required() -> bool:
    """Whether this server needs a worker: yes when jobs are queued for one, unless
    LINKWELL_READY_REQUIRE_WORKER says otherwise."""
    required = settings.READY_REQUIRE_WORKER
    if required is None:
        return getattr(settings, "LINKWELL_JOBS", "inline") != "inline"
    return bool(required)


def check_worker() -> Check:
    if not worker_required():
        return Check(
            True, "Not required here (jobs run in the web process, or it is switched off)."
        )
    seen = heartbeat.last_seen()
    limit = dt.timedelta(minutes=settings.READY_WORKER_MINUTES)
    if seen is None:
        return Check(
            False,
            "No worker has reported in.",
            "Start the worker: `linkwell worker` (its service or container). If this server "
            "is meant to run without one, set LINKWELL_READY_REQUIRE_WORKER=0.",
        )
    age = timezone.now() - seen
    if age > limit:
        return Check(
            False,
            f"The worker was last seen {int(age.total_seconds() // 60)} minutes ago "
            f"({seen.isoformat(timespec='seconds')}); more than {settings.READY_WORKER_MINUTES}.",
            "Check that `linkwell worker` is running and read its log; restart it if it hangs.",
        )
    return Check(True)


def check_places() -> Check:
    from linkwell.places.models import Place

    if Place.objects.exists():
        return Check(True)
    return Check(
        False,
        "No place's data is loaded, so searches near a postcode find nothing.",
        "Load the partnership's open data: `linkwell load_place DIR` (see "
        "docs/how-to/load-a-place.md).",
    )


# Each check, in order, with the check it needs to have passed first.
CHECKS: dict[str, tuple[Callable[[], Check], str | None]] = {
    "database": (check_database, None),
    "migrations": (check_migrations, "database"),
    "worker": (check_worker, "migrations"),
    "places": (check_places, "migrations"),
}


def readiness() -> dict[str, Check]:
    """Every check by name. A check whose prerequisite failed is not run (a missing database
    or table would only fail it again): it says which, and the first failure says what to do."""
    found: dict[str, Check] = {}
    for name, (check, needs) in CHECKS.items():
        if needs and not found[needs].ok:
            found[name] = Check(False, f"Not checked: the {needs} check failed.")
            continue
        try:
            found[name] = check()
        except Exception as exc:  # a probe answers; it never fails with a 500
            logger.warning("readyz: the %s check failed", name, exc_info=True)
            _close_broken_connection()
            found[name] = Check(
                False,
                f"The check could not be made ({type(exc).__name__}; the server log has it).",
                "Read the server log for this request id; check the database.",
            )
    return found


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """GET /readyz: 200 when ready to serve, else 503 with the failing checks."""
    checks = readiness()
    failing = [name for name, check in checks.items() if not check.ok]
    body: dict[str, Any] = {
        "status": "unready" if failing else "ready",
        "checks": {name: check.as_json() for name, check in checks.items()},
    }
    if failing:
        body["failing"] = failing
        logger.warning("readyz: not ready: %s", ", ".join(failing))
    return _headers(JsonResponse(body, status=503 if failing else 200))
