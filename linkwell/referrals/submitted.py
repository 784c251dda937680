"""A person as a referrer sent them, shown in place of the record held.

A referrer whose message was linked to a person held already may not open the record
(`policies.readable_people`); on their own referral they see what they sent (the referral's
`PersonSubmission`). `SubmittedPerson` has the attributes the pages, the API and the FHIR
export read of a `Person`, and no id: nothing shown to them names the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from linkwell.referrals.models import Person, PersonSubmission, Referral
from linkwell.referrals.policies.referrals import ReferralView, sees_everything


@dataclass(frozen=True)
class SubmittedPerson:
    given_name: str
    family_name: str
    birth_date: dt.date | None
    nhs_number: str = ""
    postcode: str = ""
    ward_name: str = ""
    preferred_language: str = ""
    interpreter_needed: bool = False
    phone: str = ""
    email: str = ""
    address: str = ""
    accessibility_needs: str = ""
    sex: str = ""
    ethnic_group: str = ""

    # No id: the record held is not the reader's to open.
    pk = None
    id = None
    ward_id = None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @classmethod
    def of(cls, submission: PersonSubmission) -> SubmittedPerson:
        sent: dict[str, Any] = submission.details or {}
        birth = sent.get("birth_date")
        return cls(
            given_name=str(sent.get("given_name", "")),
            family_name=str(sent.get("family_name", "")),
            birth_date=dt.date.fromisoformat(birth) if birth else None,
            nhs_number=str(sent.get("nhs_number", "")),
            postcode=str(sent.get("postcode", "")),
            ward_name=str(sent.get("ward", "")),
            preferred_language=str(sent.get("preferred_language", "")),
            interpreter_needed=bool(sent.get("interpreter_needed", False)),
            phone=str(sent.get("phone", "")),
            email=str(sent.get("email", "")),
            address=str(sent.get("address", "")),
            accessibility_needs=str(sent.get("accessibility_needs", "")),
            sex=str(sent.get("sex", "")),
            ethnic_group=str(sent.get("ethnic_group", "")),
        )


def person_shown(referral: Referral, view: ReferralView) -> Person | SubmittedPerson | None:
    """The person as `view`'s reader may see them on this referral: the record, or what they
    sent (None when they sent nothing and may not see the record)."""
    if not view.as_submitted:
        return referral.person
    if referral.submission_id is None:
        return None
    return SubmittedPerson.of(referral.submission)


def name_for_referrer(user: Any, referral: Referral) -> str:
    """The person's name on a list of the referrals `user` made: the record's when they
    recorded the person, else the name they sent (read with the referral: `submission`)."""
    if referral.person.created_by_id == user.pk or sees_everything(user):
        return referral.person.full_name
    if referral.submission_id is None:
        return ""
    return SubmittedPerson.of(referral.submission).full_name
