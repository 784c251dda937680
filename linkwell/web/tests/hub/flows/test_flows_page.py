"""The referral flows page: an analyst sees the tables with small counts hidden and downloads
any one as CSV; a practitioner is refused; someone not signed in is sent to sign in."""

from __future__ import annotations

import pytest
from django.test import Client

from linkwell.accounts.models import Role
from linkwell.accounts.tests.personas import alpha, make_person  # noqa: F401 (fixtures)
from linkwell.intelligence.flows.cubes import encode
from linkwell.intelligence.models import FlowCube, FlowMonth

pytestmark = pytest.mark.django_db
URL = "/hub/flows/"


@pytest.fixture
def analyst(make_person, alpha):  # noqa: F811
    return make_person("analyst", Role.ANALYST, alpha)


@pytest.fixture
def figures(alpha):  # noqa: F811
    """Alpha referred 12 (April) and 3 (May) for loneliness; 2 were declined in April; 5
    referrals for food came from a referrer whose organisation is not recorded."""
    rows = [("2026-04", "accepted", 10), ("2026-04", "declined", 2), ("2026-05", "sent", 3)]
    referrals = [
        {"month": month, "partner": alpha.pk, "need": "loneliness", "status": status,
         "outcome": "", "count": count}
        for month, status, count in rows
    ]  # fmt: skip
    unmet = [
        {"month": "2026-04", "ward": None, "need": "loneliness", "kind": "declined",
         "reason": "no_capacity", "count": 2}
    ]  # fmt: skip
    response = [
        {"month": "2026-04", "partner": alpha.pk, "need": "loneliness", "answered": 12,
         "days": [1, 3], "n": [6, 6]},
        # Referrals to a service whose partner is not recorded.
        {"month": "2026-04", "partner": None, "need": "food", "answered": 5, "days": [2],
         "n": [5]},
    ]  # fmt: skip
    # And from a referrer whose organisation is not known.
    referrals.append(
        {"month": "2026-04", "partner": None, "need": "food", "status": "sent", "outcome": "",
         "count": 5}
    )  # fmt: skip
    documents = [
        *encode(FlowCube.REFERRALS, referrals),
        *encode(FlowCube.UNMET, unmet),
        *encode(FlowCube.RESPONSE, response),
    ]
    FlowMonth.objects.bulk_create(FlowMonth(**d) for d in documents)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_analyst_sees_the_flows_with_small_counts_hidden(analyst, figures):
    page = signed_in(analyst).get(URL, {"start": "2026-04", "end": "2026-05"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Referrals by referring partner and where they stand" in html
    assert "fewer than 5" in html  # the 2 declined, never the number
    assert "Noticed, not referred" in html and "no service found" in html
    assert 'src="data:image/svg+xml;base64,' in html  # a chart beside its table


def test_a_table_downloads_as_csv_with_the_same_cells_hidden(analyst, figures):
    response = signed_in(analyst).get(
        URL, {"start": "2026-04", "end": "2026-04", "format": "csv", "table": "by_partner"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="hub-flows-by_partner-2026-04-2026-04.csv"' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Referring partner,Waiting for an answer,Accepted or started")
    # Alpha's 2 declined are hidden, so its 10 accepted (the row adds to 12) and, in the
    # total row, the 5 waiting (the smaller other part); then the 5 waiting of the unknown
    # partner (the column adds to the total), the accepted total (10, all Alpha's), the
    # unknown partner's total (its only part is hidden) and Alpha's (17 - 5 = 12).
    assert lines[1:] == [
        "Alpha Council,0,withheld,0,fewer than 5,0,0,0,withheld",
        "Partner not recorded,withheld,0,0,0,0,0,0,withheld",
        "Total,withheld,withheld,0,fewer than 5,0,0,0,17",
    ]


def test_the_time_to_first_answer_shows_a_median_of_enough_answers(analyst, figures):
    response = signed_in(analyst).get(
        URL, {"start": "2026-04", "end": "2026-04", "format": "csv", "table": "response"}
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == [
        "Alpha Council: Loneliness and isolation,12,2.0,3",
        "Partner not recorded: Food,5,2.0,2",
        "All,17,2.0,3",
    ]


def test_an_unknown_table_is_not_found(analyst, figures):
    response = signed_in(analyst).get(
        URL, {"start": "2026-04", "end": "2026-04", "format": "csv", "table": "nope"}
    )
    assert response.status_code == 404


def test_an_end_before_the_start_says_what_to_choose(analyst, figures):
    page = signed_in(analyst).get(URL, {"start": "2026-05", "end": "2026-04"})
    assert page.status_code == 200
    assert "Choose an end month that is the same as or after the start" in page.content.decode()


def test_a_practitioner_is_refused(make_person, alpha):  # noqa: F811
    practitioner = make_person("pat", Role.PRACTITIONER, alpha)
    assert signed_in(practitioner).get(URL).status_code == 403


def test_someone_not_signed_in_is_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("warm", [True, False])
def test_after_a_refresh_the_page_s_first_view_is_worked_out_before_anyone_asks(
    analyst, figures, settings, monkeypatch, django_capture_on_commit_callbacks, warm
):
    from django.utils import timezone

    from linkwell.intelligence.models import HubRefresh
    from linkwell.intelligence.models.refresh import RefreshStatus
    from linkwell.intelligence.signals import refreshed
    from linkwell.web.hub.flows import views as flow_views

    settings.LINKWELL_HUB_WARM_PAGES = warm
    now = timezone.now()
    run = HubRefresh.objects.create(started_at=now, status=RefreshStatus.DONE, finished_at=now)
    with django_capture_on_commit_callbacks(execute=True):
        refreshed.send(sender=HubRefresh, run=run)

    worked_out = []
    original = flow_views._sections
    monkeypatch.setattr(
        flow_views, "_sections", lambda *a, **k: worked_out.append(a) or original(*a, **k)
    )
    for language in ("en-gb", "ur"):
        client = signed_in(analyst)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(URL)
        assert page.status_code == 200 and 'lang="' + language in page.content.decode()
    # Warmed: both languages' first views came from what the job worked out.
    assert len(worked_out) == (0 if warm else 2)
