"""A connector's case to record outcomes in, on top of the referrals' issue 4 world
(`ecc_world`): Cara, recorded by the GP practice, referred to Community Connectors and
accepted by the connector. Answers for SWEMWBS (7 items, 1 to 5) at a chosen level."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from linkwell.outcomes import actions, instruments, texts
from linkwell.outcomes.models import Mode, Timepoint
from linkwell.referrals import actions as referral_actions
from linkwell.referrals.models import ConsentPurpose
from linkwell.referrals.tests.ecc_world import NHS_NUMBERS, consent_to, new_person, refer

TOKEN = re.compile(r"/answer/([A-Za-z0-9_-]+)/")


@pytest.fixture
def case(world, settings):
    settings.OUTCOME_FOLLOW_UP_WEEKS = 12
    cache.clear()
    texts.outbox.clear()
    gp, connector = world["gp"], world["connector"]
    person = new_person(gp, "Cara", "Jones", NHS_NUMBERS[2])
    consent_to(gp, person, world["connectors"])
    referral_actions.record_consent(
        person, ConsentPurpose.CONTACT_TEXT, actor=gp, via="test"
    )  # Cara agreed to texts: links may be texted to her
    referral = refer(gp, person, world["connectors"], need="loneliness")
    referral_actions.accept_referral(referral, actor=connector, via="test")
    yield referral.case
    texts.outbox.clear()
    cache.clear()


def swemwbs(level: int, *, leave_out: int = 0) -> dict[str, int]:
    """Every SWEMWBS item answered `level` (1 to 5), bar the last `leave_out`."""
    items = [i.id for i in instruments.get("swemwbs").items]
    return {item: level for item in items[: len(items) - leave_out]}


def baseline(case, connector, level: int = 2):
    started = actions.start_administration(
        case.person,
        "swemwbs",
        timepoint=Timepoint.BASELINE,
        mode=Mode.CONNECTOR,
        actor=connector,
        via="test",
        case=case,
    )
    return actions.save_answers(started, swemwbs(level), actor=connector, via="test", complete=True)


def token_in(message: str) -> str:
    return TOKEN.search(message).group(1)
