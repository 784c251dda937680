"""Every change in the referrals app: atomic, audited in the same transaction, actor given.

One module per thing changed; this package re-exports them, so callers write
`actions.send_referral(...)` whatever module holds it.
"""

from django.core.exceptions import PermissionDenied

from linkwell.referrals.actions.capacity import capacity_of, places_left, set_capacity
from linkwell.referrals.actions.cases import (
    add_goal,
    discharge_case,
    record_session,
    set_follow_up,
    set_goal_status,
    set_what_matters,
)
from linkwell.referrals.actions.consents import record_consent_for_services
from linkwell.referrals.actions.contact_requests import (
    DEFAULT_RETENTION_DAYS,
    PERSON_FIELDS,
    ReplayedForm,
    StatusChangeRefused,
    Submission,
    purge_closed_contact_requests,
    record_contact_request_viewed,
    retention_days,
    submit_contact_request,
    update_contact_request_status,
)
from linkwell.referrals.actions.encounters import record_encounter
from linkwell.referrals.actions.notifications import mark_read
from linkwell.referrals.actions.people import (
    Matched,
    PersonDetails,
    clean_nhs_number,
    has_consent,
    match_or_register,
    record_consent,
    record_people_listed,
    record_people_searched,
    record_person_viewed,
    register_person,
    withdraw_consent,
)
from linkwell.referrals.actions.programmes import set_caps
from linkwell.referrals.actions.referrals import (
    Made,
    ReferralRequest,
    accept_referral,
    accept_referrals,
    cancel_referral,
    complete_referral,
    decline_referral,
    did_not_engage,
    escalate_overdue,
    make_referral,
    make_referrals,
    receive_referral,
    send_referral,
    start_referral,
    waitlist_referral,
)
from linkwell.referrals.actions.self_referrals import (
    Converted,
    convert_contact_request,
    details_from_request,
)

__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "PERSON_FIELDS",
    "Converted",
    "Made",
    "Matched",
    "PermissionDenied",
    "PersonDetails",
    "ReferralRequest",
    "ReplayedForm",
    "StatusChangeRefused",
    "Submission",
    "accept_referral",
    "accept_referrals",
    "add_goal",
    "cancel_referral",
    "capacity_of",
    "clean_nhs_number",
    "complete_referral",
    "convert_contact_request",
    "decline_referral",
    "details_from_request",
    "did_not_engage",
    "discharge_case",
    "escalate_overdue",
    "has_consent",
    "make_referral",
    "make_referrals",
    "mark_read",
    "match_or_register",
    "places_left",
    "purge_closed_contact_requests",
    "receive_referral",
    "record_consent",
    "record_consent_for_services",
    "record_contact_request_viewed",
    "record_encounter",
    "record_people_listed",
    "record_people_searched",
    "record_person_viewed",
    "record_session",
    "register_person",
    "retention_days",
    "send_referral",
    "set_capacity",
    "set_caps",
    "set_follow_up",
    "set_goal_status",
    "set_what_matters",
    "start_referral",
    "submit_contact_request",
    "update_contact_request_status",
    "waitlist_referral",
    "withdraw_consent",
]
