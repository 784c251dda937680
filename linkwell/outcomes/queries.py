"""Reads of outcomes: each read of a person's answers or scores checks the policy and is
audited (who read whose scores, when, through what)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.outcomes import instruments, policies
from linkwell.outcomes.instruments.schema import Score, SubscaleScore
from linkwell.outcomes.models import Administration, AdministrationStatus, Timepoint

NOT_FOUND = "No such record, or not one you may see."


def _audit_read(actor: Any, action: str, target: Any, via: str, details: dict[str, Any]) -> None:
    with transaction.atomic():
        record_event(actor=actor, action=action, target=target, via=via, details=details)


def _check(actor: Any, person: Any) -> None:
    """The same refusal whether the person exists or not: nothing hints at a record."""
    if not policies.may_view_outcomes(actor, person):
        raise PermissionDenied(NOT_FOUND)


def scores_over_time(person: Any, *, actor: Any, via: str) -> list[Administration]:
    """The person's complete administrations, by instrument then date answered."""
    _check(actor, person)
    found = list(
        Administration.objects.filter(person=person, status=AdministrationStatus.COMPLETE).order_by(
            "instrument", "completed_at", "id"
        )
    )
    _audit_read(
        actor,
        "outcomes.scores.viewed",
        person,
        via,
        {"administrations": [str(a.pk) for a in found]},
    )
    return found


def score_of(administration: Administration) -> Score:
    """The scores stored with a complete administration, as `instruments.change` takes them."""
    return Score(
        total=administration.total,
        metric=administration.metric,
        band=administration.band,
        subscales={
            k: SubscaleScore(score=v.get("score"), band=v.get("band", ""))
            for k, v in (administration.subscales or {}).items()
        },
    )


def baseline_and_latest(
    person: Any, instrument_key: str
) -> tuple[Administration, Administration] | None:
    """The first complete baseline and the latest complete administration after it, of the
    same definition version (scores of different versions are not compared)."""
    complete = Administration.objects.filter(
        person=person, instrument=instrument_key, status=AdministrationStatus.COMPLETE
    )
    baseline = complete.filter(timepoint=Timepoint.BASELINE).order_by("completed_at", "id").first()
    if baseline is None:
        return None
    latest = (
        complete.filter(
            completed_at__gt=baseline.completed_at,
            instrument_version=baseline.instrument_version,
        )
        .order_by("-completed_at", "-id")
        .first()
    )
    return (baseline, latest) if latest is not None else None


def change_between(baseline: Administration, latest: Administration) -> dict[str, Any] | None:
    instrument = instruments.get(baseline.instrument)
    if instrument is None:
        return None
    return instruments.change(instrument, score_of(baseline), score_of(latest))


def change_since_baseline(
    person: Any, instrument_key: str, *, actor: Any, via: str
) -> dict[str, Any] | None:
    """What changed between the first complete baseline and the latest complete one after
    it (`instruments.change`), or None if there is not both."""
    _check(actor, person)
    pair = baseline_and_latest(person, instrument_key)
    _audit_read(
        actor,
        "outcomes.change.viewed",
        person,
        via,
        {"instrument": instrument_key, "found": pair is not None},
    )
    return change_between(*pair) if pair is not None else None


def administration_for(actor: Any, administration_id: Any, *, via: str) -> Administration:
    """One administration (drafts included) for someone who may see the person's outcomes;
    PermissionDenied alike for one that does not exist and one not theirs. Audited."""
    try:
        pk = uuid.UUID(str(administration_id))
    except ValueError:
        raise PermissionDenied(NOT_FOUND) from None
    found = (
        Administration.objects.select_related("person", "case", "referral").filter(pk=pk).first()
    )
    if found is None or not policies.may_view_outcomes(actor, found.person):
        raise PermissionDenied(NOT_FOUND)
    _audit_read(actor, "outcomes.administration.viewed", found, via, {})
    return found


def for_case(case: Any, *, actor: Any, via: str) -> list[Administration]:
    """A case's administrations (drafts and follow-ups scheduled too), for its connectors."""
    if not policies.may_record_for_case(actor, case) and not policies.may_view_outcomes(
        actor, case.person
    ):
        raise PermissionDenied(NOT_FOUND)
    found = list(Administration.objects.filter(case=case).order_by("started_at", "id"))
    _audit_read(
        actor, "outcomes.case.viewed", case, via, {"administrations": [str(a.pk) for a in found]}
    )
    return found


def expected_timepoint(case: Any, instrument_key: str) -> str:
    """What a connector asks now: the baseline while there is none (the first session), the
    follow-up once there is one and the next session is the last, the follow-up is due or
    the case is closed, else "in between". Reads no answers (no audit)."""
    held = Administration.objects.filter(case=case, instrument=instrument_key)
    if not held.filter(timepoint=Timepoint.BASELINE).exists():
        return Timepoint.BASELINE
    follow_ups = held.filter(timepoint=Timepoint.FOLLOW_UP)
    if follow_ups.filter(status=AdministrationStatus.COMPLETE).exists():
        return Timepoint.OTHER
    if follow_ups.filter(due_on__lte=timezone.localdate()).exists():
        return Timepoint.FOLLOW_UP
    last = case.programme.max_sessions
    if case.sessions_held + 1 >= last or case.status == "discharged":
        return Timepoint.FOLLOW_UP
    return Timepoint.OTHER


def viewable_people(actor: Any) -> QuerySet:
    return policies.people_with_viewable_outcomes(actor)
