"""The referrals app's models: self-referrals (contact requests), people and their consent,
contacts (Every Contact Counts) with the needs noticed, referrals and their lifecycle,
service capacity, the Community Connector programme (cases, sessions, goals) and the
in-product inbox."""

from linkwell.referrals.models.capacity import (
    CapacityMode,
    CapacityPeriod,
    CapacityUnit,
    ServiceCapacity,
)
from linkwell.referrals.models.cases import (
    Case,
    CaseStatus,
    Goal,
    GoalStatus,
    Programme,
    ProgrammeAllowance,
    Session,
)
from linkwell.referrals.models.contact_requests import (
    REFERENCE_ALPHABET,
    STATUS_TRANSITIONS,
    ContactMethod,
    ContactRequest,
    ContactRequestStatus,
    ContactRequestUpdate,
    new_reference,
)
from linkwell.referrals.models.encounters import Encounter, EncounterKind, EncounterNeed, Urgency

# Notification and NotificationKind live in linkwell.notifications; re-exported for callers.
from linkwell.referrals.models.notifications import (
    Notification,
    NotificationKind,
    ReferralNotification,
)
from linkwell.referrals.models.people import (
    Consent,
    ConsentPurpose,
    ConsentSource,
    DuplicateFlag,
    EthnicGroup,
    Person,
    PersonSubmission,
    Sex,
    name_key,
)
from linkwell.referrals.models.referrals import (
    DeclineReason,
    Referral,
    ReferralEvent,
    ReferralStatus,
)

__all__ = [
    "REFERENCE_ALPHABET",
    "STATUS_TRANSITIONS",
    "CapacityMode",
    "CapacityPeriod",
    "CapacityUnit",
    "Case",
    "CaseStatus",
    "Consent",
    "ConsentPurpose",
    "ConsentSource",
    "ContactMethod",
    "ContactRequest",
    "ContactRequestStatus",
    "ContactRequestUpdate",
    "DeclineReason",
    "DuplicateFlag",
    "Encounter",
    "EncounterKind",
    "EncounterNeed",
    "EthnicGroup",
    "Goal",
    "GoalStatus",
    "Notification",
    "NotificationKind",
    "Person",
    "PersonSubmission",
    "Programme",
    "ProgrammeAllowance",
    "Referral",
    "ReferralEvent",
    "ReferralNotification",
    "ReferralStatus",
    "ServiceCapacity",
    "Session",
    "Sex",
    "Urgency",
    "name_key",
    "new_reference",
]
