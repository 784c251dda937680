"""A hub refresh asked for on the web ("refresh now"): queued for the worker, so the person
asking (and everyone else) goes on using the site while the figures are worked out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.audit.models import AuditEvent
from linkwell.core.jobs import enqueue
from linkwell.intelligence.models import HubRefresh
from linkwell.intelligence.models.refresh import RefreshStatus
from linkwell.intelligence.policies import may_view_hub
from linkwell.intelligence.refresh import latest_refresh, refresh_hub

REQUESTED = "hub.refresh_requested"
VIA = "hub: refresh now"


@dataclass(frozen=True)
class RefreshState:
    """What the hub's home page says about refreshing."""

    last_done: HubRefresh | None  # the figures shown come from this run
    last_failed: HubRefresh | None  # the newest run, if it failed after the last done one
    running_since: dt.datetime | None
    queued_at: dt.datetime | None

    @property
    def busy(self) -> bool:
        return self.running_since is not None or self.queued_at is not None


def refresh_state() -> RefreshState:
    newest = HubRefresh.objects.order_by("-started_at").first()
    # A run "running" for longer than a job may run died with its worker: not running.
    cutoff = timezone.now() - dt.timedelta(seconds=getattr(settings, "LINKWELL_JOB_TIMEOUT", 600))
    running = newest if newest and newest.status == RefreshStatus.RUNNING else None
    if running and running.started_at < cutoff:
        running = None
    asked = (
        AuditEvent.objects.filter(action=REQUESTED, at__gte=cutoff)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    queued = asked if asked and (newest is None or asked > newest.started_at) else None
    return RefreshState(
        last_done=latest_refresh(),
        last_failed=newest if newest and newest.status == RefreshStatus.FAILED else None,
        running_since=running.started_at if running else None,
        queued_at=queued,
    )


def request_refresh(*, actor: Any) -> bool:
    """Queue a refresh of the hub for the worker, unless one is already waiting or running.
    Audited. Returns whether a refresh was queued now; PermissionDenied for anyone who may
    not see the hub."""
    if not may_view_hub(actor):
        raise PermissionDenied("Only analysts and partnership admins may refresh the hub.")
    with transaction.atomic():
        if refresh_state().busy:
            return False
        record_event(
            actor=actor,
            action=REQUESTED,
            target_type="intelligence.hubrefresh",
            target_label="Hub refresh",
            via=VIA,
        )
        enqueue(f"{__name__}.run_requested_refresh", actor_id=getattr(actor, "pk", None))
    return True


def run_requested_refresh(*, actor_id: int | None = None) -> None:
    """The job: the refresh, audited as the person who asked for it."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    refresh_hub(actor=actor, via=VIA)
