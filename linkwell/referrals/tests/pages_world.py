"""The issue 4 world with something on every page: Ada's Safe and Well visit and her referral
to the falls service (by the firefighter), and a GP's referral of Cara to Community
Connectors, accepted, so it has a case. For the page tests (`test_pages_*.py`)."""

import pytest

from linkwell.referrals import actions
from linkwell.referrals.models import EncounterKind, Urgency
from linkwell.referrals.tests.ecc_world import (
    NHS_NUMBERS,
    PASSWORD,
    consent_to,
    new_person,
    refer,
)

__all__ = ["NHS_NUMBERS", "consent_to", "new_person", "pages_fixture", "refer", "sign_in"]


@pytest.fixture(name="pages")
def pages_fixture(world):
    ff, gp = world["firefighter"], world["gp"]
    visit = actions.record_encounter(
        world["person"],
        actor=ff,
        via="test",
        kind=EncounterKind.SAFE_AND_WELL,
        needs=[("loneliness", Urgency.SOON)],
        note="Lives alone.",
    )
    consent_to(ff, world["person"], world["falls"])
    falls_referral = refer(ff, world["person"], world["falls"], need="loneliness", encounter=visit)
    cara = new_person(gp, "Cara", "Jones", NHS_NUMBERS[2])
    consent_to(gp, cara, world["connectors"])
    gp_referral = refer(gp, cara, world["connectors"], need="loneliness")
    actions.accept_referral(gp_referral, actor=world["connector"], via="test")
    return {
        **world,
        "visit": visit,
        "falls_referral": falls_referral,
        "cara": cara,
        "gp_referral": gp_referral,
        "case": gp_referral.case,
    }


def sign_in(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client
