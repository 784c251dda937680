"""Asking an instrument of a person: starting an administration, saving answers (a draft
keeps whatever was answered, even when completing is refused), completing it with its scores,
and, when a baseline completes, scheduling its follow-up.

A complete administration never changes: scores are worked out once, by the instrument's
definition of that version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from linkwell.audit.actions import record_event
from linkwell.outcomes import instruments, policies
from linkwell.outcomes.instruments.schema import Instrument
from linkwell.outcomes.models import (
    Administration,
    AdministrationStatus,
    Mode,
    SelfCompletionLink,
    Timepoint,
)
from linkwell.referrals.errors import Refused

MAX_ANSWERS = 200  # more items than any instrument has: a body past it is not answers


def follow_up_weeks() -> int:
    return int(getattr(settings, "OUTCOME_FOLLOW_UP_WEEKS", 12))


def instrument_of(key: str) -> Instrument:
    found = instruments.get(key or "")
    if found is None:
        raise Refused("No questionnaire has this name.", field="instrument")
    return found


def may_record(actor: Any, administration: Administration) -> bool:
    """Staff who may record for its case, or for its referral."""
    if administration.case_id is not None and policies.may_record_for_case(
        actor, administration.case
    ):
        return True
    return administration.referral_id is not None and policies.may_record_for_referral(
        actor, administration.referral
    )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def start_administration(
    person: Any,
    instrument_key: str,
    *,
    timepoint: str,
    mode: str,
    actor: Any,
    via: str,
    case: Any = None,
    referral: Any = None,
    language: str = "en",
    due_on: dt.date | None = None,
) -> Administration:
    """A new draft for `person`, within a case (a connector's) or a referral (the service's).
    An open draft of the same questionnaire and timepoint there is returned rather than a
    second started (a double submit, or a follow-up already scheduled). A follow-up gets its
    due date: the one given, else the follow-up weeks after the baseline."""
    instrument = instrument_of(instrument_key)
    if timepoint not in Timepoint.values:
        raise Refused("Choose baseline, follow-up or in between.", field="timepoint")
    if mode not in Mode.values:
        raise Refused(
            "Choose who answers: with a connector, the service, or the person.", field="mode"
        )
    if case is None and referral is None:
        raise PermissionDenied("Questionnaires are asked within a case or a referral.")
    if case is not None:
        if not policies.may_record_for_case(actor, case):
            raise PermissionDenied("Only the programme's connectors record for its cases.")
        referral = referral or case.referral
    elif not policies.may_record_for_referral(actor, referral):
        raise PermissionDenied("Only the service referred to records for a referral.")
    for held in (case, referral):
        if held is not None and held.person_id != person.pk:
            raise Refused(
                "This is not this person's.", field="case" if held is case else "referral"
            )
    if case is not None and referral.pk != case.referral_id:
        raise Refused("This referral is not the case's.", field="referral")
    language = (language or "en").strip()
    if language not in instrument.languages:
        raise Refused(
            f"This questionnaire is in: {', '.join(instrument.languages)}.", field="language"
        )
    where = {"case": case} if case is not None else {"referral": referral, "case": None}
    same = Administration.objects.filter(person=person, instrument=instrument.key, **where)
    with transaction.atomic():
        draft = same.filter(timepoint=timepoint, status=AdministrationStatus.DRAFT).first()
        if draft is not None and timepoint != Timepoint.OTHER:
            return draft
        if timepoint == Timepoint.BASELINE and same.filter(timepoint=Timepoint.BASELINE).exists():
            raise Refused(
                "A baseline for this questionnaire is recorded already: ask a follow-up.",
                field="timepoint",
            )
        if timepoint == Timepoint.FOLLOW_UP and due_on is None:
            due_on = _due_after(same.filter(timepoint=Timepoint.BASELINE).first())
        administration = Administration.objects.create(
            person=person,
            instrument=instrument.key,
            instrument_version=instrument.version,
            timepoint=timepoint,
            mode=mode,
            case=case,
            referral=referral,
            language=language,
            started_at=timezone.now(),
            due_on=due_on if timepoint == Timepoint.FOLLOW_UP else None,
            recorded_by=_user(actor),
            organisation=_provider(referral),
            is_demo=bool(getattr(person, "is_demo", False)),
        )
        record_event(
            actor=actor,
            action="outcomes.administration.started",
            target=administration,
            via=via,
            details={"instrument": instrument.key, "timepoint": timepoint, "mode": mode},
        )
    return administration


def _provider(referral: Any) -> Any:
    service = referral.service if referral is not None else None
    return getattr(service, "partner", None)


def _due_after(baseline: Administration | None) -> dt.date:
    """The follow-up weeks after the baseline was answered (or started), else after today."""
    if baseline is None:
        start = timezone.localdate()
    else:
        start = timezone.localtime(baseline.completed_at or baseline.started_at).date()
    return start + dt.timedelta(weeks=follow_up_weeks())


def merged_answers(instrument: Instrument, draft: dict[str, Any], given: Any) -> dict[str, Any]:
    """The draft with `given` laid over it: known items only; an item given as None or ""
    is cleared. Values are kept as given (scoring says what is wrong with them)."""
    if not isinstance(given, dict):
        raise Refused("Send the answers as item: value pairs.", field="answers")
    if len(given) > MAX_ANSWERS:
        raise Refused("Too many answers for this questionnaire.", field="answers")
    known = {item.id for item in instrument.items}
    unknown = sorted(str(k) for k in given if k not in known)
    if unknown:
        raise Refused(
            f"Not a question of this questionnaire: {', '.join(unknown)}.", field="answers"
        )
    answers = dict(draft or {})
    for item_id, value in given.items():
        if value is None or value == "":
            answers.pop(item_id, None)
        else:
            answers[item_id] = value
    return answers


def save_answers(
    administration: Administration, answers: dict, *, actor: Any, via: str, complete: bool
) -> Administration:
    """Merge `answers` into the draft and save it; with `complete`, score it and close it.
    If the answers cannot be scored, `instruments.AnswersRefused` is raised (problems per
    item) and the draft stays saved with everything answered."""
    if not may_record(actor, administration):
        raise PermissionDenied("Only the case's connectors or the service record these answers.")
    return _save(administration, answers, actor=actor, via=via, complete=complete)


def _save(
    administration: Administration,
    answers: dict,
    *,
    actor: Any,
    via: str,
    complete: bool,
    link: SelfCompletionLink | None = None,
) -> Administration:
    instrument = _version_of(administration)
    with transaction.atomic():
        fresh = Administration.objects.select_for_update().get(pk=administration.pk)
        if fresh.status == AdministrationStatus.COMPLETE:
            raise Refused("These answers are complete and cannot be changed.", field="answers")
        merged = merged_answers(instrument, fresh.answers, answers)
        if merged != fresh.answers:
            Administration.objects.filter(pk=fresh.pk).update(answers=merged)
            record_event(
                actor=actor,
                action="outcomes.administration.saved",
                target=fresh,
                via=via,
                details={"answered": len(merged), **({"link": link.pk} if link else {})},
            )
    administration.answers = merged
    if not complete:
        return administration
    score = instruments.score(instrument, merged)  # AnswersRefused: the draft is kept
    now = timezone.now()
    values = {
        "status": AdministrationStatus.COMPLETE,
        "completed_at": now,
        "total": score.total,
        "metric": score.metric,
        "band": score.band or "",
        "subscales": {
            k: {"score": s.score, "band": s.band} for k, s in sorted(score.subscales.items())
        },
    }
    if link is not None:
        values["mode"] = Mode.SELF
    with transaction.atomic():
        closed = Administration.objects.filter(
            pk=administration.pk, status=AdministrationStatus.DRAFT
        ).update(**values)
        if not closed:
            raise Refused("These answers were completed meanwhile.", field="answers")
        if link is not None:
            used = SelfCompletionLink.objects.filter(pk=link.pk, used_at=None).update(used_at=now)
            if not used:
                raise Refused("These answers were sent meanwhile.", field="answers")
        for name, value in values.items():
            setattr(administration, name, value)
        record_event(
            actor=actor,
            action="outcomes.administration.complete",
            target=administration,
            via=via,
            details={
                "instrument": administration.instrument,
                "timepoint": administration.timepoint,
                "prorated": list(score.prorated),
                **({"link": link.pk} if link else {}),
            },
        )
        if administration.timepoint == Timepoint.BASELINE:
            schedule_follow_up(administration, actor=actor, via=via)
    return administration


def _version_of(administration: Administration) -> Instrument:
    instrument = instrument_of(administration.instrument)
    if instrument.version != administration.instrument_version:
        raise Refused(
            "This questionnaire's definition changed since it was started: start it again.",
            field="instrument",
        )
    return instrument


def schedule_follow_up(baseline: Administration, *, actor: Any, via: str) -> Administration | None:
    """A follow-up draft of the same questionnaire, due the follow-up weeks after the
    baseline, unless the case or referral has one already. Inside the caller's transaction."""
    where = (
        {"case_id": baseline.case_id}
        if baseline.case_id is not None
        else {"referral_id": baseline.referral_id, "case": None}
    )
    if baseline.case_id is None and baseline.referral_id is None:
        return None
    exists = Administration.objects.filter(
        person_id=baseline.person_id,
        instrument=baseline.instrument,
        timepoint=Timepoint.FOLLOW_UP,
        **where,
    ).exists()
    if exists:
        return None
    mode = baseline.mode
    if mode == Mode.SELF:
        mode = Mode.CONNECTOR if baseline.case_id is not None else Mode.PROVIDER
    follow_up = Administration.objects.create(
        person_id=baseline.person_id,
        instrument=baseline.instrument,
        instrument_version=baseline.instrument_version,
        timepoint=Timepoint.FOLLOW_UP,
        mode=mode,
        case_id=baseline.case_id,
        referral_id=baseline.referral_id,
        language=baseline.language,
        started_at=timezone.now(),
        due_on=_due_after(baseline),
        recorded_by=_user(actor),
        organisation_id=baseline.organisation_id,
        is_demo=baseline.is_demo,
    )
    record_event(
        actor=actor,
        action="outcomes.administration.scheduled",
        target=follow_up,
        via=via,
        details={"baseline": str(baseline.pk), "due_on": follow_up.due_on.isoformat()},
    )
    return follow_up
