"""The demo history a commissioner sees figures in: development only, all of it marked demo,
loaded once, with every ending a referral can have and enough paired scores to evaluate."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.outcomes.demo import VIA, load_demo_history
from linkwell.outcomes.evaluation import queries
from linkwell.outcomes.models import Administration
from linkwell.referrals.demo import DemoRefused, load_demo_referrals
from linkwell.referrals.models import (
    Case,
    DeclineReason,
    Person,
    Programme,
    Referral,
    ReferralStatus,
)

DEVELOPMENT = {
    "DEBUG": False,
    "DEVELOPMENT": True,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker, place_data):
    """The demo directory, staff and history, loaded once for the module (twice over, the
    second time adding nothing) and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(**DEVELOPMENT), transaction.atomic():
        call_command("load_demo_directory", stdout=StringIO())
        load_demo_referrals("demo-password-1")
        before = Person.objects.filter(is_demo=True).count()
        first = load_demo_history()
        counts = {
            model: model.objects.count() for model in (Person, Referral, Case, Administration)
        }
        second = load_demo_history()
        yield {"before": before, "first": first, "second": second, "counts": counts}
        transaction.set_rollback(True)


@pytest.fixture
def analyst(history):
    return get_user_model().objects.get(username="demo-analyst")


def test_it_is_refused_outside_development(db, settings):
    settings.DEBUG, settings.DEVELOPMENT = False, False
    with pytest.raises(DemoRefused, match="development only"):
        load_demo_history()
    assert not Person.objects.exists()


def test_it_needs_the_demo_staff_first(db, settings):
    settings.DEVELOPMENT = True
    with pytest.raises(DemoRefused, match="load_demo_referrals"):
        load_demo_history()


def test_the_evaluation_has_enough_pairs_to_show_a_mean_change(db, history, analyst):
    programme = Programme.objects.get(service__name="Community Connector (Bradford)")
    today = timezone.localdate()

    report = queries.programme_report(
        programme,
        measure="swemwbs",
        start=today - dt.timedelta(days=731),
        end=today,
        actor=analyst,
        via="test",
    )

    assert report["attrition"]["paired"] >= 30
    assert report["overall"]["figures"]["mean_change"] is not None
    # Some did not come back for a follow-up, and they are counted, not hidden.
    assert report["attrition"]["lost"] >= 5


def test_every_person_and_referral_it_made_is_demo(db, history):
    people = Person.objects.all()
    assert history["first"].people == people.count() - history["before"] >= 350
    assert not people.filter(is_demo=False).exists()
    assert not people.exclude(family_name__startswith="Demo-").exists()
    numbers = [n for n in people.values_list("nhs_number", flat=True) if n]
    assert numbers and all(n.startswith("999") for n in numbers)
    assert history["first"].referrals >= 1000
    assert not Referral.objects.filter(person__is_demo=False).exists()
    assert not Administration.objects.filter(is_demo=False).exists()
    made = AuditEvent.objects.filter(via=VIA)
    assert made.filter(action="referrals.referral.created").count() == history["first"].referrals


def test_people_live_across_the_place_and_its_practices(db, history):
    people = Person.objects.filter(family_name__startswith="Demo-")
    assert people.values("ward").distinct().count() >= 15
    assert people.values("gp_practice").distinct().count() >= 5
    assert not people.filter(sex="").count() > people.count() / 10
    assert people.exclude(ethnic_group="").count() > people.count() / 2


def test_running_it_twice_adds_nothing(db, history):
    assert history["first"].loaded and not history["second"].loaded
    for model, count in history["counts"].items():
        assert model.objects.count() == count


def test_referrals_end_in_every_way_and_declines_carry_their_reason(db, history):
    statuses = set(Referral.objects.values_list("status", flat=True))
    for status in ("completed", "declined", "waitlisted", "accepted", "sent", "did_not_engage"):
        assert status in statuses
    declined = Referral.objects.filter(status=ReferralStatus.DECLINED)
    assert not declined.filter(decline_reason_code="").exists()
    assert set(declined.values_list("decline_reason_code", flat=True)) == set(DeclineReason.values)
    answered = Referral.objects.exclude(answered_at=None).exclude(sent_at=None)
    waits = {(r.answered_at - r.sent_at).days for r in answered}
    assert min(waits) == 0 and max(waits) > 14


def test_connector_cases_come_from_several_practices_and_one_is_at_its_cap(db, history):
    cases = Case.objects.filter(programme__service__name="Community Connector (Bradford)")
    practices = cases.exclude(referral__gp_practice=None).values("referral__gp_practice")
    assert practices.distinct().count() >= 5
    assert cases.filter(status="discharged").exists() and cases.filter(status="active").exists()
    assert cases.filter(sessions__isnull=False).distinct().count() > 100
    waiting = Referral.objects.filter(
        service__programme__isnull=False, status=ReferralStatus.WAITLISTED, programme_year=None
    )
    assert waiting.exists()
