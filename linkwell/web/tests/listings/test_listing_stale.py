"""Stale listings: flagged on the provider's dashboard with the day they leave search, e-mailed
to the partner's provider editors at most once a day, and left out of default search after
the grace period."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from linkwell.accounts.models import Role
from linkwell.audit.models import AuditEvent
from linkwell.directory import models as m
from linkwell.directory.listings.actions import notify_stale_listings
from linkwell.directory.queries.listings import hidden_on, shown_in_default_search
from linkwell.directory.tests.listing_support import *  # noqa: F403 (fixtures)
from linkwell.directory.tests.listing_support import person
from linkwell.directory.tests.page_services import make_services, service_record
from linkwell.notifications.models import Notification, NotificationKind

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def listings(place_data, alpha, beta, settings):
    settings.LISTING_STALE_AFTER_DAYS = 183
    settings.LISTING_STALE_GRACE_DAYS = 30

    def made(name, partner, days_ago):
        return make_services(
            service_record(
                name,
                partner_name=partner,
                assured_date=TODAY - dt.timedelta(days=days_ago) if days_ago is not None else None,
            )
        )[0]

    return {
        "fresh": made("Alpha fresh", "Alpha Trust", 10),
        "stale": made("Alpha stale", "Alpha Trust", 190),
        "gone": made("Alpha long stale", "Alpha Trust", 300),
        "beta": made("Beta stale", "Beta Trust", 200),
    }


def test_the_dashboard_flags_stale_listings_with_the_day_they_leave_search(
    client, alpha_editor, listings
):
    client.force_login(alpha_editor)

    page = client.get(reverse("listings:dashboard")).content.decode()

    assert "2 listings need checking" in page
    stale_hides = TODAY - dt.timedelta(days=190) + dt.timedelta(days=214)
    assert f"Will be hidden from search on {stale_hides:%-d %B %Y}" in page
    assert "Hidden from search since" in page  # the one 300 days old
    assert "Beta stale" not in page


def test_hidden_on_is_the_day_after_the_grace_period(listings):
    service = listings["stale"]
    assert hidden_on(service) == service.assured_date + dt.timedelta(days=183 + 30 + 1)


def test_default_search_leaves_out_listings_past_the_grace_period(listings):
    shown = set(m.Service.objects.filter(shown_in_default_search()).values_list("name", flat=True))
    assert shown == {"Alpha fresh", "Alpha stale", "Beta stale"}


def test_a_never_reviewed_listing_is_flagged_but_stays_in_search(
    client, place_data, alpha, alpha_editor
):
    (service,) = make_services(service_record("New", partner_name="Alpha Trust", assured_date=None))
    assert m.Service.objects.filter(shown_in_default_search(), pk=service.pk).exists()
    assert hidden_on(service) is None
    client.force_login(alpha_editor)
    page = client.get(reverse("listings:dashboard")).content.decode()
    assert "1 listing needs checking" in page and "never been checked" in page


def test_each_partners_editors_get_their_own_stale_listings(
    listings, alpha_editor, beta_editor, alpha, django_capture_on_commit_callbacks
):
    quiet = person("alpha_quiet", Role.PROVIDER_EDITOR, alpha)
    quiet.is_active = False
    quiet.save()
    person("alpha_practitioner", Role.PRACTITIONER, alpha)

    with django_capture_on_commit_callbacks(execute=True):
        notify_stale_listings()

    sent = {tuple(message.to): message for message in mail.outbox}
    assert set(sent) == {("alpha_editor@example.org",), ("beta_editor@example.org",)}
    alpha_body = sent[("alpha_editor@example.org",)].body
    assert "Alpha stale" in alpha_body and "Alpha long stale" in alpha_body
    assert "Alpha fresh" not in alpha_body and "Beta stale" not in alpha_body
    assert "will be hidden from search on" in alpha_body
    assert AuditEvent.objects.filter(action="directory.stale_listings.notified").count() == 2
    told = Notification.objects.filter(kind=NotificationKind.LISTINGS_TO_CHECK)
    assert sorted(told.values_list("user__username", flat=True)) == ["alpha_editor", "beta_editor"]
    assert told.get(user=alpha_editor).is_about(alpha)
    assert told.get(user=alpha_editor).message == "2 listings to check for Alpha Trust"


def test_notifying_twice_in_a_day_sends_once(
    listings, alpha_editor, beta_editor, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_stale_listings", stdout=out)
        call_command("notify_stale_listings", stdout=out)
    assert len(mail.outbox) == 2
    assert out.getvalue().splitlines()[-1] == "0 organisations e-mailed."
    assert m.StaleListingNotice.objects.count() == 2

    tomorrow = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    with (
        time_machine.travel(tomorrow, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify_stale_listings()
    assert len(mail.outbox) == 4


def test_confirming_a_listing_takes_it_off_the_list(
    client, listings, alpha_editor, beta_editor, django_capture_on_commit_callbacks
):
    client.force_login(alpha_editor)
    for key in ("stale", "gone"):
        client.post(reverse("listings:confirm", args=[listings[key].pk]))

    with django_capture_on_commit_callbacks(execute=True):
        sent = notify_stale_listings()

    assert [notice.organisation.name for notice in sent] == ["Beta Trust"]


def test_the_dashboard_costs_the_same_few_queries_however_many_listings(
    client, listings, alpha_editor
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alpha_editor)

    def queries_for_dashboard():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("listings:dashboard")).status_code == 200
        return len(captured)

    before = queries_for_dashboard()
    make_services(*(service_record(f"More {n}", partner_name="Alpha Trust") for n in range(4)))
    assert queries_for_dashboard() == before
