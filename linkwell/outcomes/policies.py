"""Who may record and who may see outcomes. Deny by default.

- Record for a case: the connectors of the case's programme (and partnership admins).
- Record for a referral: the service it went to (its providers and connectors), which is who
  completes it; a connector discharging a case records for the case's referral the same way.
- See a person's outcomes (answers, scores, change): whoever may open the person's record
  (`referrals.policies.readable_people`), except referrers from police, fire and housing,
  who see a referral's status and outcome only, never scores. Analysts see aggregates only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from linkwell.accounts.policies import roles_of
from linkwell.referrals import policies as referrals
from linkwell.referrals.policies.referrals import STATUS_ONLY_KINDS


def may_record_for_case(actor: Any, case: Any) -> bool:
    return case is not None and referrals.may_manage_case(actor, case)


def may_record_for_referral(actor: Any, referral: Any) -> bool:
    return referral is not None and referrals.may_answer(actor, referral)


def people_with_viewable_outcomes(actor: Any) -> QuerySet:
    """The people whose outcomes `actor` may see, as a queryset."""
    people = referrals.readable_people(actor)
    if referrals.sees_everything(actor) or not roles_of(actor):
        return people
    status_only = referrals.home_organisation(actor)
    if status_only is not None and status_only.kind in STATUS_ONLY_KINDS:
        # What they recorded still opens, but scores are not theirs: only people a service
        # of theirs answers for would show, and such a referrer answers for none.
        answering = referrals.answerable_services(actor)
        return people.filter(referrals__service__in=answering).distinct()
    return people


def may_view_outcomes(actor: Any, person: Any) -> bool:
    return person is not None and people_with_viewable_outcomes(actor).filter(pk=person.pk).exists()


def may_view_administration(actor: Any, administration: Any) -> bool:
    return may_view_outcomes(actor, administration.person)
