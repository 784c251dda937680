"""Records as the API shows them, holding only what the caller may see.

Which fields of a person one may see is the policies' answer (`referral_view`); this module
only leaves the rest out. Reads of a person's record are audited by the routers, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from linkwell.directory.search.results import MAX_PAGE, Page
from linkwell.referrals import lifecycle, policies
from linkwell.referrals.models import Case, Consent, DeclineReason, Encounter, Person, Referral
from linkwell.referrals.models import ReferralStatus as S
from linkwell.referrals.policies.referrals import ReferralView
from linkwell.referrals.submitted import SubmittedPerson, person_shown

# Policy field name -> the API's keys for it.
PERSON_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("given_name", "family_name"),
    "birth_date": ("birth_date",),
    "nhs_number": ("nhs_number",),
    "postcode": ("postcode", "ward"),
    "preferred_language": ("preferred_language",),
    "interpreter_needed": ("interpreter_needed",),
    "phone": ("phone",),
    "email": ("email",),
    "address": ("address",),
    "accessibility_needs": ("accessibility_needs",),
    "sex": ("sex",),
    "ethnic_group": ("ethnic_group",),
}


def person_fields(user: Any, person: Person) -> frozenset[str]:
    return policies.person_fields(user, person)


def person(
    p: Person | SubmittedPerson | None,
    fields: Iterable[str],
    *,
    consents: Iterable[Consent] | None = None,
) -> dict[str, Any]:
    """The person's `fields` (and `consents`, those the caller may see). A person as sent by
    the caller (`SubmittedPerson`) has no id: the record is not theirs to open."""
    if p is None:
        return {}
    shown: dict[str, Any] = {"id": p.pk} if p.pk is not None else {}
    for field in fields:
        for key in PERSON_KEYS.get(field, ()):
            shown[key] = _ward(p) if key == "ward" else getattr(p, key)
    if consents is not None:
        shown["consents"] = [consent(c) for c in consents]
    return shown


def _ward(p: Person | SubmittedPerson) -> str:
    if isinstance(p, SubmittedPerson):
        return p.ward_name
    return p.ward.name if p.ward_id else ""


def consent(c: Consent) -> dict[str, Any]:
    return {
        "id": c.pk,
        "conversation": c.conversation,
        "purpose": c.purpose,
        "service_id": c.service_id,
        "recorded_at": c.recorded_at,
        "recorded_by": c.recorded_by_label,
        "how": c.how,
        "active": c.active,
        "withdrawn_at": c.withdrawn_at,
        "source": c.source,
        "provenance": c.provenance,
    }


def contact(e: Encounter) -> dict[str, Any]:
    return {
        "id": e.pk,
        "person_id": e.person_id,
        "kind": e.kind,
        "note": e.note,
        "occurred_at": e.occurred_at,
        "needs": [{"need": n.need, "urgency": n.urgency} for n in e.needs.all()],
    }


def moved(r: Referral) -> dict[str, Any]:
    return {
        "id": r.pk,
        "reference": r.reference,
        "status": r.status,
        "status_label": str(S(r.status).label),
        "status_changed_at": r.status_changed_at,
    }


def referral_summary(r: Referral, view: ReferralView) -> dict[str, Any]:
    """A list row: the person's name only (when the caller may see it)."""
    return {
        **moved(r),
        "service": {"id": r.service_id, "name": r.service.name},
        "need": r.need,
        "person": person(person_shown(r, view), view.person_fields & {"name"}),
        "created_at": r.created_at,
        "due_at": r.due_at,
    }


def referral_summaries(user: Any, referrals: Iterable[Referral]) -> list[dict[str, Any]]:
    """Rows of a list. The view is worked out once per (service, referrer, organisation,
    person): what a row shows (the name) depends on nothing else."""
    views: dict[tuple[Any, Any, Any, Any], ReferralView] = {}
    rows = []
    for r in referrals:
        key = (r.service_id, r.referrer_id, r.referrer_organisation_id, r.person_id)
        if key not in views:
            views[key] = policies.referral_view(user, r)
        rows.append(referral_summary(r, views[key]))
    return rows


def audit_listed(
    user: Any, referrals: Iterable[Referral], rows: Iterable[dict[str, Any]], *, via: str
) -> int:
    """Every person a list of referrals shows something of (their name): one audit event
    each, in bulk, as the pages do."""
    from linkwell.referrals import actions

    shown = [r.person_id for r, row in zip(referrals, rows, strict=True) if row["person"]]
    return actions.record_people_listed(shown, actor=user, via=via)


def referrer(found: Any) -> dict[str, Any] | None:
    """The referrer as `queries.referrer_of` found them (None: not for this reader)."""
    if found is None:
        return None
    return {
        "name": found.name,
        "role": found.role,
        "role_label": found.role_label,
        "organisation": found.organisation,
        "email": found.email,
    }


def offer(o: Any) -> dict[str, Any]:
    return {
        "service_id": o.service_id,
        "name": o.name,
        "distance_km": o.distance_km,
        "runs": o.runs,
        "free": o.free,
        "cost": o.cost,
        "languages": o.languages,
        "availability": o.availability,
        "places_left": o.places_left,
    }


def referral(r: Referral, view: ReferralView, *, referrer_found: Any = None) -> dict[str, Any]:
    shown = referral_summary(r, view)
    shown["person"] = person(person_shown(r, view), view.person_fields)
    if view.reason:
        shown["reason"] = r.reason
        shown["legal_basis"] = r.legal_basis
    if view.outcome:
        shown["decline_reason"] = r.decline_reason
        shown["decline_reason_code"] = r.decline_reason_code
        shown["decline_reason_label"] = (
            str(DeclineReason(r.decline_reason_code).label) if r.decline_reason_code else ""
        )
        shown["outcome"] = r.outcome
    if referrer_found is not None:
        shown["referrer_details"] = referrer(referrer_found)
    organisation = r.referrer_organisation
    shown.update(
        safeguarding=r.safeguarding,
        snomed_code=r.snomed_code,
        referrer=r.referrer_label,
        referrer_organisation=organisation.name if organisation else None,
        sent_at=r.sent_at,
        answered_at=r.answered_at,
        waitlisted_at=r.waitlisted_at,
        completed_at=r.completed_at,
        escalated_at=r.escalated_at,
        history=[
            {
                "from_status": e.from_status,
                "to_status": e.to_status,
                "at": e.at,
                "by": e.actor_label,
                "snomed_code": e.snomed_code,
                # A move's note may be a case note: only for those who may read them.
                **({"note": e.note} if view.case_notes else {}),
            }
            for e in r.events.all()
        ],
        allowed={
            "answer": view.answer,
            "cancel": view.cancel,
            "next_statuses": sorted(lifecycle.TRANSITIONS.get(r.status, ()))
            if (view.answer or view.cancel)
            else [],
        },
    )
    return shown


def case_summary(c: Case) -> dict[str, Any]:
    held = c.sessions_held
    return {
        "id": c.pk,
        "person": person(c.person, {"name"}),
        "status": c.status,
        "referral_id": c.referral_id,
        "opened_at": c.opened_at,
        "sessions_held": held,
        "sessions_left": max(0, c.programme.max_sessions - held),
        "next_follow_up": c.next_follow_up,
    }


def case(c: Case) -> dict[str, Any]:
    return {
        **case_summary(c),
        "what_matters": c.what_matters,
        "max_sessions": c.programme.max_sessions,
        "goals": [{"id": g.pk, "text": g.text, "status": g.status} for g in c.goals.all()],
        "sessions": [
            {
                "number": s.number,
                "held_on": s.held_on,
                "notes": s.notes,
                "over_limit_reason": s.over_limit_reason,
            }
            for s in c.sessions.all()
        ],
        "discharged_at": c.discharged_at,
        "discharge_outcome": c.discharge_outcome,
    }


def paged(queryset: QuerySet, page: int, per_page: int) -> Page:
    page = min(max(1, page), MAX_PAGE)  # the API refuses others; this keeps offsets sane
    per_page = max(1, min(per_page, settings.API_MAX_PER_PAGE))
    start = (page - 1) * per_page
    return Page(
        items=list(queryset[start : start + per_page]),
        total_items=queryset.order_by().count(),
        page_number=page,
        per_page=per_page,
    )


def envelope(page: Page, contents: list[Any]) -> dict[str, Any]:
    return {
        "total_items": page.total_items,
        "total_pages": page.total_pages,
        "page_number": page.page_number,
        "size": page.size,
        "first_page": page.first_page,
        "last_page": page.last_page,
        "empty": page.empty,
        "contents": contents,
    }
