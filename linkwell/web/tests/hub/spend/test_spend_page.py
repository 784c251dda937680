"""The tiers and spend page: the Table 2 shaped table, spend, each partner's share of spend in
tiers 1 and 2 (chart and table), short-term funding apart, each table as CSV."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse

from linkwell.intelligence.refresh import refresh_hub
from linkwell.intelligence.tests.spend.mapping import load_mapping, make_place, service

pytestmark = pytest.mark.usefixtures("live_db")

URL = reverse("hub:spend")


@pytest.fixture
def mapped(tmp_path):
    make_place()
    load_mapping(
        tmp_path / "mapping.csv",
        [
            service("Police", "Advice", tier="0", tier_scheme="review-2017", annual_cost="100"),
            service("Police", "Triage", tier="acute", tier_scheme="review-2017",
                    annual_cost="300", funding="short-term"),
            service("Council", "Reablement", department="Adults SC", tier="2",
                    tier_scheme="review-2017"),
        ],
    )  # fmt: skip
    refresh_hub(via="test")


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_an_analyst_sees_services_spend_and_the_share_in_tiers_1_and_2(client, analyst, mapped):
    client.force_login(analyst)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Services by partner and tier" in page
    assert 'data-label="Tier 1"' in page  # stacked cells on a phone
    assert "Council: Adults SC" in page
    assert "not given" in page  # Reablement gave no cost
    assert 'src="data:image/svg+xml;base64,' in page  # the chart, beside its table
    assert "25.0%" in page  # Police: £100 of £400 in tiers 1 and 2
    assert "Short-term funding" in page


def test_each_table_downloads_as_csv_with_totals_added_from_the_rows(client, analyst, mapped):
    client.force_login(analyst)

    counts = _csv(client.get(URL, {"scheme": "review-2017", "format": "csv", "table": "counts"}))
    share = _csv(client.get(URL, {"format": "csv", "table": "share"}))

    assert counts == [
        ["Partner", "Tier 0", "Tier 1", "Tier 2", "Tier 3", "Above tier 3", "Total"],
        ["Council: Adults SC", "0", "0", "1", "0", "0", "1"],
        ["Police", "1", "0", "0", "0", "1", "2"],
        ["Total", "1", "0", "1", "0", "1", "3"],
    ]
    assert share[1:] == [
        ["Council", "0.00", "0.00", "not given", "0.00"],
        ["Police", "100.00", "400.00", "25.0", "0.00"],
        ["All partners", "100.00", "400.00", "25.0", "0.00"],
    ]


def test_an_unknown_table_or_scheme_is_explained(client, analyst, mapped):
    client.force_login(analyst)

    assert client.get(URL, {"format": "csv", "table": "nope"}).status_code == 404
    page = client.get(URL, {"scheme": "nope"}).content.decode()
    assert "Choose tiers from the list" in page


def test_a_practitioner_is_refused_and_anonymous_people_are_sent_to_sign_in(client, practitioner):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    client.force_login(practitioner)
    assert client.get(URL).status_code == 403
