"""Who may see and do what in the referrals app: deny by default, each question answered
for one object and as a queryset. Re-exported here: callers write `policies.may_answer(...)`."""

from linkwell.referrals.policies.contact_requests import (
    may_read,
    may_update,
    may_use_inbox,
    partnership_admins,
    provider_organisation_ids,
    provider_readers_of,
    readable_contact_requests,
    reads_every_request,
    service_organisation_ids,
)
from linkwell.referrals.policies.referrals import (
    ReferralView,
    answerable_services,
    caseload_cases,
    home_organisation,
    may_answer,
    may_cancel,
    may_manage_case,
    may_record_people,
    may_refer,
    readable_people,
    readable_referrals,
    referral_view,
    sees_everything,
)

__all__ = [
    "ReferralView",
    "answerable_services",
    "caseload_cases",
    "home_organisation",
    "may_answer",
    "may_cancel",
    "may_manage_case",
    "may_read",
    "may_record_people",
    "may_refer",
    "may_update",
    "may_use_inbox",
    "partnership_admins",
    "provider_organisation_ids",
    "provider_readers_of",
    "readable_contact_requests",
    "readable_people",
    "readable_referrals",
    "reads_every_request",
    "referral_view",
    "sees_everything",
    "service_organisation_ids",
]
