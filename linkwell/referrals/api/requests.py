"""From a referral asked for through the API to the action's `ReferralRequest`: the ids looked
up among what the caller may see, each missing one refused naming its field."""

from typing import Any

from linkwell.directory.vocabularies import NEED_CODES
from linkwell.referrals import queries as rq
from linkwell.referrals.actions import ReferralRequest
from linkwell.referrals.api.schemas import ReferralIn
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Encounter


def referral_request(
    user: Any, body: ReferralIn, people: dict[Any, Any], services: dict[Any, Any], key: str
) -> ReferralRequest:
    """`people` and `services`: those the request may name, by id, read beforehand."""
    person = people.get(body.person_id)
    if person is None:
        raise Refused("No person you may see has this id.", field="person_id")
    service = services.get(body.service_id)
    if service is None:
        raise Refused("No service has this id.", field="service_id")
    if body.need and body.need not in NEED_CODES:
        raise Refused(f"{body.need[:50]!r} is not a need code of the directory.", field="need")
    encounter = from_case = None
    if body.contact_id is not None:
        encounter = Encounter.objects.filter(pk=body.contact_id, person=person).first()
        if encounter is None:
            raise Refused("This person has no contact with this id.", field="contact_id")
    if body.case_id is not None:
        from_case = rq.get_case(user, body.case_id)
        if from_case is None:
            raise Refused("No case you may see has this id.", field="case_id")
    return ReferralRequest(
        person=person,
        service=service,
        need=body.need,
        reason=body.reason,
        encounter=encounter,
        from_case=from_case,
        send=body.send,
        safeguarding=body.safeguarding,
        legal_basis=body.legal_basis,
        idempotency_key=key,
    )
