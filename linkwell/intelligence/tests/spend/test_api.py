"""GET /api/v1/hub/spend: the partner x tier table with totals, for analysts only."""

import pytest

from linkwell.intelligence.refresh import refresh_hub
from linkwell.intelligence.tests.spend.mapping import load_mapping, make_place, service

pytestmark = pytest.mark.usefixtures("live_db")

URL = "/api/v1/hub/spend"


@pytest.fixture
def mapped(tmp_path):
    make_place()
    load_mapping(
        tmp_path / "mapping.csv",
        [
            service("Police", "Advice", tier="0", tier_scheme="review-2017", annual_cost="100"),
            service("Police", "Triage", tier="acute", tier_scheme="review-2017",
                    annual_cost="300", funding="short-term"),
            service("CCG", "App", tier="1", tier_scheme="review-2017"),
        ],
    )  # fmt: skip
    refresh_hub(via="test")


def test_an_analyst_gets_services_and_spend_by_partner_and_tier_with_totals(
    client, analyst, mapped
):
    client.force_login(analyst)

    body = client.get(URL).json()

    assert body["active_services_only"] is True
    assert [t["code"] for t in body["tiers"]] == ["1", "2", "3", "4"]
    rows = {row["partner"]: row for row in body["rows"]}
    assert rows["Police"]["services"] == {"1": 1, "2": 0, "3": 0, "4": 1}
    assert rows["Police"]["spend"] == {"1": 100.0, "2": 0.0, "3": 0.0, "4": 300.0}
    assert rows["CCG"]["spend"]["2"] is None  # a service without a cost: not given
    assert rows["CCG"]["total_spend"] is None  # ... and so is the row's total, not £0
    assert rows["CCG"]["services_without_cost"] == 1
    assert body["totals"]["services"] == {"1": 1, "2": 1, "3": 0, "4": 1}
    assert (body["totals"]["total_services"], body["totals"]["total_spend"]) == (3, 400.0)
    overall = body["share_tiers_1_2_overall"]
    assert (overall["spend_tiers_1_2"], overall["share_tiers_1_2"]) == (100.0, 0.25)
    short = {row["partner"]: row for row in body["short_term"]}
    assert (short["Police"]["total_short_term_spend"], short["Police"]["share_short_term"]) == (
        300.0,
        0.75,
    )


def test_the_table_in_a_partners_own_scheme(client, analyst, mapped):
    client.force_login(analyst)

    body = client.get(URL, {"scheme": "review-2017"}).json()

    assert body["scheme"]["key"] == "review-2017"
    assert [t["code"] for t in body["tiers"]] == ["0", "1", "2", "3", "acute"]
    assert body["totals"]["services"] == {"0": 1, "1": 1, "2": 0, "3": 0, "acute": 1}


def test_an_unknown_scheme_is_a_422_that_lists_the_known_ones(client, analyst, mapped):
    client.force_login(analyst)

    response = client.get(URL, {"scheme": "no-such-scheme"})

    assert response.status_code == 422
    assert "review-2017" in response.json()["detail"]


def test_a_practitioner_is_refused_and_anonymous_callers_must_sign_in(client, practitioner):
    assert client.get(URL).status_code == 401
    client.force_login(practitioner)
    assert client.get(URL).status_code == 403
