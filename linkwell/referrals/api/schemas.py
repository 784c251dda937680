"""Shapes of the referral API's requests and answers (OpenAPI documents them).

Inputs are parsed only for type here; the actions check meaning (a valid NHS number, a birth
date not in the future, consent...) and refuse naming the field. Outputs hold only what the
caller may see: fields a caller may not see are left out of the JSON, not sent as null.
"""

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime

from linkwell.core.api_input import DATABASE_ID_MAX
from linkwell.referrals.models import DeclineReason


def _since_1900(value: dt.datetime) -> dt.datetime:
    if value.year < 1900:  # nothing recorded here is older, and year 1 cannot be stored
        raise ValueError("must be in 1900 or later")
    return value


# A moment a client names: with its offset (a bare local time is ambiguous), and plausible.
Moment = Annotated[AwareDatetime, AfterValidator(_since_1900)]

MAX_MARK_READ = 1000  # ids in one request to mark notifications read
MAX_PLACES = 100_000  # a service's places a week or month: far above any real one

# --- requests ---------------------------------------------------------------------------


class PersonIn(Schema):
    given_name: str
    family_name: str
    birth_date: dt.date
    nhs_number: str = Field("", description="10 digits (spaces allowed); Modulus 11 checked.")
    postcode: str = ""
    preferred_language: str = Field("", description="ISO 639 code, e.g. ur.")
    interpreter_needed: bool = False
    phone: str = ""
    email: str = ""
    address: str = ""
    accessibility_needs: str = ""
    gp_practice_code: str = Field("", description="ODS code of the person's GP practice.")
    sex: str = Field("", description="female, male or prefer_not_to_say (ONS 2021); optional.")
    ethnic_group: str = Field(
        "",
        description="asian, black, mixed, white, other or prefer_not_to_say (ONS 2021 "
        "high-level groups); optional.",
    )
    confirm_new: bool = Field(
        False, description="Register even though possible duplicates were found (flagged)."
    )


MAX_CONSENT_SERVICES = 20


class ConsentIn(Schema):
    purpose: str = Field(
        description="share_with_service, contact_phone, contact_text, contact_letter or "
        "tell_gp_and_referrer."
    )
    service_id: uuid.UUID | None = Field(None, description="For share_with_service.")
    service_ids: list[uuid.UUID] | None = Field(
        None,
        max_length=MAX_CONSENT_SERVICES,
        description="For share_with_service with several services in one conversation (up "
        f"to {MAX_CONSENT_SERVICES}): one consent each, sharing the time and how. Each must "
        "be active; an unknown id or an inactive service is refused (400, service_ids) and "
        "nothing is recorded. Answered with `consents`.",
    )
    how: str = Field("", description="How it was given, e.g. verbally at the visit.")


class NeedIn(Schema):
    need: str = Field(description="A need code of the directory's needs vocabulary.")
    urgency: str = Field("routine", description="routine, soon or urgent.")


class ContactIn(Schema):
    kind: str = Field(
        description="safe_and_well, gp_appointment, tenancy_check, police_attendance, "
        "self_referral or other."
    )
    needs: list[NeedIn] = []
    note: str = ""
    occurred_at: Moment | None = Field(
        None, description="With its UTC offset, e.g. 2026-01-31T09:30:00Z; default now."
    )


class ReferralIn(Schema):
    person_id: uuid.UUID
    service_id: uuid.UUID
    need: str = Field("", description="A need code of the directory's needs vocabulary.")
    reason: str = Field("", description="What the service is told.")
    contact_id: uuid.UUID | None = Field(None, description="The contact the need was noticed in.")
    case_id: uuid.UUID | None = Field(None, description="A connector's onward referral.")
    send: bool = Field(True, description="False keeps it as a draft.")
    safeguarding: bool = False
    legal_basis: str = Field("", description="Needed for a safeguarding referral.")


class ReferralBatchItem(ReferralIn):
    idempotency_key: str = Field(
        "", description="As the Idempotency-Key header of a single request: up to 64 characters."
    )


class ReferralBatchIn(Schema):
    referrals: list[ReferralBatchItem] = Field(min_length=1, max_length=100)


class AcceptBatchIn(Schema):
    referral_ids: list[uuid.UUID] = Field(min_length=1, max_length=100)
    note: str = ""
    waitlist_if_full: bool = Field(
        False, description="When no place is left, put it on the waiting list (else 409)."
    )


class NoteIn(Schema):
    note: str = ""


class AcceptIn(Schema):
    note: str = ""
    waitlist_if_full: bool = Field(
        False, description="When no place is left, put it on the waiting list (else 409)."
    )


DECLINE_CODES_DOC = ", ".join(f"{code} ({label})" for code, label in DeclineReason.choices)


class DeclineIn(Schema):
    reason_code: str = Field(
        "",
        description=f"Why, as a code: {DECLINE_CODES_DOC}. Missing: other. An unknown code "
        "is refused (400, reason_code).",
        json_schema_extra={"enum": DeclineReason.values},
    )
    reason: str = Field(
        "", description="The service's words (up to 1,000 characters); needed for other."
    )


OUTCOME_CODE = Field(
    "",
    description="The outcome coded: achieved, partly, not_achieved or did_not_engage "
    "(needed where outcomes are recorded).",
)
OUTCOME_REASONS = Field(
    default_factory=list,
    description="Why, as reason codes (goals_met, support_elsewhere, needs_changed, unwell, "
    "could_not_contact, declined, moved_away, service_unsuitable, died, other).",
)


class CompleteIn(Schema):
    outcome: str = Field(description="What was offered and what happened.")
    outcome_code: str = OUTCOME_CODE
    outcome_reasons: list[str] = OUTCOME_REASONS


class CapacityIn(Schema):
    mode: str = Field(description="places, open, waiting_list or closed.")
    places: int | None = Field(
        None, ge=0, le=MAX_PLACES, description="With mode places: places per unit."
    )
    unit: str = Field("week", description="week or month.")
    response_days: int = Field(14, description="Days to answer before escalation.")


class TextIn(Schema):
    text: str


class GoalStatusIn(Schema):
    status: str = Field(description="open, achieved or dropped.")


class SessionIn(Schema):
    held_on: dt.date
    notes: str = ""
    over_limit_reason: str = Field("", description="Needed past the programme's sessions.")
    next_follow_up: dt.date | None = None


class FollowUpIn(Schema):
    on: dt.date | None


class DischargeIn(Schema):
    outcome: str
    outcome_code: str = OUTCOME_CODE
    outcome_reasons: list[str] = OUTCOME_REASONS


class MarkReadIn(Schema):
    ids: list[Annotated[int, Field(ge=1, le=DATABASE_ID_MAX)]] = Field(
        max_length=MAX_MARK_READ,
        description=f"Up to {MAX_MARK_READ} notification ids (each from 1 to "
        f"{DATABASE_ID_MAX}); another's are ignored, an id out of that range is refused (400).",
    )


# --- answers ----------------------------------------------------------------------------


class ConsentOut(Schema):
    conversation: uuid.UUID | None = Field(
        None, description="Shared by consents given together (several services at once)."
    )
    id: uuid.UUID
    purpose: str
    service_id: uuid.UUID | None
    recorded_at: dt.datetime
    recorded_by: str
    how: str
    active: bool
    withdrawn_at: dt.datetime | None
    source: str = Field(
        "recorded",
        description="recorded (taken with the person) or stated_by_sender (in a referral "
        "message, see provenance)",
    )
    provenance: str = ""


class PersonOut(Schema):
    """Only the fields the caller may see are present. No `id` when the caller may not open
    the record (a referrer linked to a person held sees what they sent, not the record)."""

    id: uuid.UUID | None = None
    given_name: str | None = None
    family_name: str | None = None
    birth_date: dt.date | None = None
    nhs_number: str | None = None
    postcode: str | None = None
    ward: str | None = None
    preferred_language: str | None = None
    interpreter_needed: bool | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    accessibility_needs: str | None = None
    sex: str | None = None
    ethnic_group: str | None = None
    consents: list[ConsentOut] | None = None


class NeedOut(Schema):
    need: str
    urgency: str


class ContactOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    kind: str
    note: str
    occurred_at: dt.datetime
    needs: list[NeedOut]


class ServiceRef(Schema):
    id: uuid.UUID
    name: str


class ReferralSummary(Schema):
    id: uuid.UUID
    reference: str
    status: str
    status_label: str
    service: ServiceRef
    need: str
    person: PersonOut
    created_at: dt.datetime
    status_changed_at: dt.datetime
    due_at: dt.datetime | None


class EventOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    by: str
    note: str | None = None
    snomed_code: str


class Allowed(Schema):
    answer: bool
    cancel: bool
    next_statuses: list[str]


class ReferrerOut(Schema):
    """Who made the referral and how to reach them (their work e-mail)."""

    name: str
    role: str = Field(description="Their role's code (practitioner, connector...), or empty.")
    role_label: str
    organisation: str
    email: str


class ReferralOut(ReferralSummary):
    reason: str | None = None
    decline_reason: str | None = None
    decline_reason_code: str | None = Field(
        None, description=f"When declined: {DECLINE_CODES_DOC}; empty before codes."
    )
    decline_reason_label: str | None = None
    referrer_details: ReferrerOut | None = None
    outcome: str | None = None
    safeguarding: bool
    legal_basis: str | None = None
    snomed_code: str
    referrer: str
    referrer_organisation: str | None
    sent_at: dt.datetime | None
    answered_at: dt.datetime | None
    waitlisted_at: dt.datetime | None
    completed_at: dt.datetime | None
    escalated_at: dt.datetime | None
    history: list[EventOut]
    allowed: Allowed


class MovedOut(Schema):
    """A referral's status after a move (no personal details: nothing to audit)."""

    id: uuid.UUID
    reference: str
    status: str
    status_label: str
    status_changed_at: dt.datetime


class BatchResult(Schema):
    """One item of a batch, in the order sent: its own status (as a single request would
    have answered) and either the referral where it now stands or the refusal."""

    index: int
    status: int = Field(description="201 made, 200 done before (same key or answer), or 4xx.")
    referral: MovedOut | None = None
    detail: str | None = None
    errors: list[dict[str, str]] | None = None


class BatchOut(Schema):
    results: list[BatchResult]
    succeeded: int
    refused: int


class Page(Schema):
    """The page envelope of the Open Referral UK endpoints."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool


class ReferralPage(Page):
    contents: list[ReferralSummary]


class CapacityOut(Schema):
    service_id: uuid.UUID
    mode: str
    places: int | None
    unit: str
    response_days: int
    places_left: int | None = Field(description="In the current period; null: not counted.")


class CaseSummary(Schema):
    id: uuid.UUID
    person: PersonOut
    status: str
    referral_id: uuid.UUID
    opened_at: dt.datetime
    sessions_held: int
    sessions_left: int
    next_follow_up: dt.date | None


class GoalOut(Schema):
    id: int
    text: str
    status: str


class SessionOut(Schema):
    number: int
    held_on: dt.date
    notes: str
    over_limit_reason: str


class CaseOut(CaseSummary):
    what_matters: str
    max_sessions: int
    goals: list[GoalOut]
    sessions: list[SessionOut]
    discharged_at: dt.datetime | None
    discharge_outcome: str


class CaseloadOut(Schema):
    counts: dict[str, int]
    new: list[ReferralSummary]
    waiting: list[ReferralSummary]
    active: list[CaseSummary]
    overdue: list[CaseSummary]


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    referral_id: uuid.UUID | None
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Page):
    unread: int
    contents: list[NotificationOut]


class MarkedOut(Schema):
    marked: int


class Problem(Schema):
    """Every refusal: `detail` in words, `errors` naming the field or rule."""

    detail: str
    errors: list[dict[str, str]] | None = None
    candidates: list[uuid.UUID] | None = None
    known_elsewhere: bool | None = None


class ConsentsOut(Schema):
    consents: list[ConsentOut]


class PersonFound(Schema):
    """A person found by a staff search: only the fields the caller may see."""

    id: uuid.UUID
    given_name: str | None = None
    family_name: str | None = None
    birth_date: dt.date | None = None
    nhs_number: str | None = None
    postcode: str | None = None
    ward: str | None = None


class PeopleFound(Schema):
    contents: list[PersonFound]
    more: bool = Field(description="More people match than were shown: narrow the search.")


class OfferOut(Schema):
    service_id: uuid.UUID
    name: str
    distance_km: float | None = Field(description="From the person's postcode, if known.")
    runs: str = Field(description="When it runs, in short (empty when not published).")
    free: bool
    cost: str
    languages: list[str]
    availability: str = Field(description="open, places, full, waiting_list or closed.")
    places_left: int | None


class AlternativesOut(Schema):
    contents: list[OfferOut]


class ClosedCasePage(Page):
    contents: list[CaseSummary]


class TodayOut(Schema):
    counts: dict[str, int]
    to_answer: list[ReferralSummary]
    overdue: list[ReferralSummary]
    waiting: list[ReferralSummary]
    follow_ups: list[CaseSummary]
    unread: int


# Every refusal an endpoint may answer with (see `api/errors.py` for which is which).
REFUSALS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem}
