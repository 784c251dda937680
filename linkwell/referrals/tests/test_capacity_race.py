"""Two link workers accept the last place at the same moment: exactly one gets it, on both
databases. Real threads, each with its own database connection, meet at a barrier just
before the accept; the loser is told there is no place left and nothing of theirs is kept."""

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection

from linkwell.accounts.actions import create_organisation, create_user, grant_role
from linkwell.accounts.models import OrganisationKind, Role
from linkwell.directory.tests.page_services import make_service
from linkwell.referrals import actions
from linkwell.referrals.errors import NoPlaceLeft
from linkwell.referrals.models import CapacityMode, CapacityPeriod, ConsentPurpose, Referral


@pytest.fixture(autouse=True)
def _committed(live_db):
    """Rows the other threads can see (committed), cleaned up after."""


def _setup(places: int, referrals: int):
    practice = create_organisation(actor=None, name="Practice", kind=OrganisationKind.GP_PRACTICE)
    provider = create_organisation(actor=None, name="Good Company", kind=OrganisationKind.VOLUNTARY)
    referrer = create_user(actor=None, username="gp", password="x-very-long-password-1")
    grant_role(actor=None, user=referrer, organisation=practice, role=Role.PRACTITIONER)
    workers = []
    for i in range(2):
        worker = create_user(actor=None, username=f"worker{i}", password="x-very-long-password-1")
        grant_role(actor=None, user=worker, organisation=provider, role=Role.PROVIDER_EDITOR)
        workers.append(worker)
    service = make_service("Lunch club", partner_name="Good Company", minimum_age=None)
    actions.set_capacity(
        service, actor=workers[0], via="test", mode=CapacityMode.PLACES, places=places
    )
    made = []
    for i in range(referrals):
        person = actions.register_person(
            actions.PersonDetails(
                given_name=f"P{i}", family_name="Race", birth_date=dt.date(1950, 1, 1 + i)
            ),
            actor=referrer,
            via="test",
        )
        actions.record_consent(
            person, ConsentPurpose.SHARE_WITH_SERVICE, actor=referrer, via="test", service=service
        )
        made.append(
            actions.make_referral(
                actor=referrer, via="test", person=person, service=service
            ).referral
        )
    return service, workers, made


def _race(workers, referrals):
    """Each worker accepts one referral, all released at once; returns the outcomes."""
    barrier = threading.Barrier(len(referrals))
    outcomes: dict[int, str] = {}

    def accept(i: int) -> None:
        close_old_connections()
        try:
            referral = Referral.objects.get(pk=referrals[i].pk)
            barrier.wait(timeout=10)
            actions.accept_referral(referral, actor=workers[i % len(workers)], via="test")
            outcomes[i] = "accepted"
        except NoPlaceLeft:
            outcomes[i] = "no place"
        except Exception as error:  # reported by the assertion below
            outcomes[i] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(len(referrals))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_workers_accepting_the_last_place_at_once_cannot_both_have_it():
    service, workers, referrals = _setup(places=1, referrals=2)

    outcomes = _race(workers, referrals)

    assert sorted(outcomes.values()) == ["accepted", "no place"], outcomes
    period = CapacityPeriod.objects.get(service=service)
    assert (period.places, period.taken) == (1, 1)
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "sent"]


def test_many_accepting_at_once_fill_the_places_exactly():
    service, workers, referrals = _setup(places=3, referrals=6)

    outcomes = _race(workers, referrals)

    assert sorted(outcomes.values()) == ["accepted"] * 3 + ["no place"] * 3, outcomes
    assert CapacityPeriod.objects.get(service=service).taken == 3
    assert Referral.objects.filter(status="accepted").count() == 3
