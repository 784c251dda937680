"""A social prescribing programme's caps: per GP practice and in all, per grant year.

A referral is admitted (counted) by two conditional UPDATEs in one savepoint, the practice's
allowance then the programme's, each only while `taken < cap`; if either is full neither is
taken and the referral waits. Waiting referrals are admitted strictly in the order they
joined (`admit_waiting`) when a place is given back or a cap is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from linkwell.accounts.models import OrganisationKind, Role
from linkwell.audit.actions import record_event
from linkwell.places.models import GPPractice
from linkwell.referrals.models import (
    Case,
    CaseStatus,
    Programme,
    ProgrammeAllowance,
    Referral,
    ReferralStatus,
)

WHOLE_PROGRAMME = ""  # the practice_code of the programme-wide allowance


class _Full(Exception):
    pass


def programme_of(service: Any) -> Programme | None:
    return programmes_of([service.pk]).get(service.pk)


def programmes_of(service_ids: Iterable[Any]) -> dict[Any, Programme]:
    """The programmes among these services, by service id (one query)."""
    return {p.service_id: p for p in Programme.objects.filter(service_id__in=set(service_ids))}


def grant_year_start(programme: Programme, on: dt.date | None = None) -> dt.date:
    on = on or timezone.localdate()
    month = programme.grant_year_start_month
    year = on.year if on.month >= month else on.year - 1
    return dt.date(year, month, 1)


def referring_practice(organisation: Any) -> GPPractice | None:
    """The GP practice (place data) an organisation is, matched by its ODS code."""
    if organisation is None or organisation.kind != OrganisationKind.GP_PRACTICE:
        return None
    if not organisation.ods_code:
        return None
    return GPPractice.objects.filter(code=organisation.ods_code).first()


def gp_practice_users(person: Any) -> QuerySet:
    """Active members of the person's GP practice (by ODS code), told outcomes with consent."""
    if person.gp_practice_id is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation__kind=OrganisationKind.GP_PRACTICE,
            memberships__organisation__ods_code=person.gp_practice.code,
            memberships__role__in=[Role.PRACTITIONER, Role.CONNECTOR],
        )
        .distinct()
    )


def _allowance(programme: Programme, code: str, year: dt.date) -> ProgrammeAllowance:
    cap = programme.practice_cap if code else programme.programme_cap
    found = ProgrammeAllowance.objects.filter(
        programme=programme, practice_code=code, year_start=year
    ).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ProgrammeAllowance.objects.create(
                programme=programme, practice_code=code, year_start=year, cap=cap
            )
    except IntegrityError:  # made meanwhile by another request
        return ProgrammeAllowance.objects.get(
            programme=programme, practice_code=code, year_start=year
        )


def _codes(referral: Referral) -> list[str]:
    codes = [WHOLE_PROGRAMME]
    if referral.gp_practice_id:
        codes.insert(0, referral.gp_practice.code)
    return codes


def admit(referral: Referral, programme: Programme) -> bool:
    """Count the referral against the caps of this grant year, if both have room."""
    if referral.programme_year is not None:
        return True
    year = grant_year_start(programme)
    rows = [_allowance(programme, code, year) for code in _codes(referral)]
    try:
        with transaction.atomic():
            for row in rows:
                taken = ProgrammeAllowance.objects.filter(pk=row.pk, taken__lt=F("cap")).update(
                    taken=F("taken") + 1
                )
                if not taken:
                    raise _Full
    except _Full:
        return False
    Referral.objects.filter(pk=referral.pk).update(programme_year=year)
    referral.programme_year = year
    return True


def why_full(referral: Referral, programme: Programme) -> str:
    year = grant_year_start(programme)
    if referral.gp_practice_id:
        row = _allowance(programme, referral.gp_practice.code, year)
        if row.taken >= row.cap:
            return (
                f"{referral.gp_practice.name} has referred {row.taken} people this grant year, "
                f"its cap of {row.cap}: the referral waits for a place, in order."
            )
    row = _allowance(programme, WHOLE_PROGRAMME, year)
    return (
        f"The programme has taken {row.taken} people this grant year, its cap of {row.cap}: "
        "the referral waits for a place, in order."
    )


def release(referral: Referral, *, actor: Any, via: str) -> None:
    """Give back the referral's places in the caps (it ended before it began) and admit the
    next waiting referral."""
    programme = programme_of(referral.service)
    if programme is None or referral.programme_year is None:
        return
    for code in _codes(referral):
        ProgrammeAllowance.objects.filter(
            programme=programme,
            practice_code=code,
            year_start=referral.programme_year,
            taken__gt=0,
        ).update(taken=F("taken") - 1)
    Referral.objects.filter(pk=referral.pk).update(programme_year=None)
    referral.programme_year = None
    admit_waiting(programme, actor=actor, via=via)


def admit_waiting(programme: Programme, *, actor: Any = None, via: str = "") -> list[Referral]:
    """Admit waiting referrals in the order they joined, while the caps allow."""
    admitted = []
    waiting = (
        Referral.objects.filter(
            service_id=programme.service_id,
            status=ReferralStatus.WAITLISTED,
            programme_year=None,
        )
        .select_related("gp_practice")
        .order_by("waitlisted_at", "created_at", "id")
    )
    for referral in waiting:
        if admit(referral, programme):
            admitted.append(referral)
            record_event(
                actor=actor, action="referrals.referral.admitted", target=referral, via=via
            )
        elif not referral.gp_practice_id:
            break  # the whole programme is full: nobody further down fits either
    return admitted


def set_caps(
    programme: Programme, *, actor: Any, via: str, practice_cap: int, programme_cap: int
) -> Programme:
    """Change the caps (this grant year's allowances follow), then admit whoever now fits."""
    with transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(
            practice_cap=practice_cap, programme_cap=programme_cap
        )
        programme.refresh_from_db()
        year = grant_year_start(programme)
        ProgrammeAllowance.objects.filter(programme=programme, year_start=year).exclude(
            practice_code=WHOLE_PROGRAMME
        ).update(cap=practice_cap)
        ProgrammeAllowance.objects.filter(
            programme=programme, year_start=year, practice_code=WHOLE_PROGRAMME
        ).update(cap=programme_cap)
        record_event(
            actor=actor,
            action="referrals.programme.caps_set",
            target=programme.service,
            via=via,
            details={"practice_cap": practice_cap, "programme_cap": programme_cap},
        )
        admit_waiting(programme, actor=actor, via=via)
    return programme


def open_case_if_programme(referral: Referral, *, actor: Any, via: str) -> Case | None:
    """An accepted referral to a programme opens the person's case (the acceptor connects)."""
    programme = programme_of(referral.service)
    if programme is None:
        return None
    if referral.programme_year is None and not admit(referral, programme):
        from linkwell.referrals.errors import NoPlaceLeft

        raise NoPlaceLeft(why_full(referral, programme), field="capacity")
    case = Case.objects.create(
        programme=programme,
        person=referral.person,
        referral=referral,
        connector=actor if getattr(actor, "pk", None) else None,
        status=CaseStatus.ACTIVE,
        opened_at=timezone.now(),
        next_follow_up=timezone.localdate() + dt.timedelta(days=7),
    )
    record_event(actor=actor, action="referrals.case.opened", target=case, via=via)
    return case
