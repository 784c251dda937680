"""The indicators dashboard and API: an analyst sees each indicator's value, target and
rating in words, chooses a quarter and downloads its indicators as CSV; the API answers the
same for a month or a quarter, refuses a malformed period by name, and only to the hub's
readers."""

from __future__ import annotations

import pytest
from django.test import Client

from linkwell.accounts.models import Role
from linkwell.accounts.tests.personas import alpha, make_person  # noqa: F401 (fixtures)
from linkwell.intelligence.models import IndicatorValue

pytestmark = pytest.mark.django_db
URL = "/hub/indicators/"
API = "/api/v1/hub/indicators"


@pytest.fixture
def analyst(make_person, alpha):  # noqa: F811
    return make_person("analyst", Role.ANALYST, alpha)


@pytest.fixture
def values(db):
    """Referrals accepted: July 40 of 50 (green), the third quarter 90 of 120 (amber), and in
    the quarter Upper ward 3 of 4 (too few) and Lower 87 of 116."""
    for period, level, code, name, numerator, denominator, rag in [
        ("2026-07", "place", "bd", "Bradford", 40, 50, "green"),
        ("2026-06", "place", "bd", "Bradford", 20, 40, "red"),
        ("2026-Q3", "place", "bd", "Bradford", 90, 120, "amber"),
        ("2026-Q3", "ward", "E1", "Upper", 3, 4, "amber"),
        ("2026-Q3", "ward", "E2", "Lower", 87, 116, "amber"),
    ]:
        IndicatorValue.objects.create(
            indicator="referrals_accepted",
            period=period,
            area_level=level,
            area_code=code,
            area_name=name,
            numerator=numerator,
            denominator=denominator,
            value=numerator / denominator * 100,
            rag=rag,
        )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_analyst_sees_the_latest_month_with_its_rating_in_words(analyst, values):
    page = signed_in(analyst).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Referrals accepted" in html
    assert "80.0%" in html and "Green: on target" in html  # July, the latest month
    assert "Red: off target" in html  # June, in the trend


def test_a_quarter_downloads_as_csv_with_small_counts_hidden(analyst, values):
    response = signed_in(analyst).get(URL, {"period": "2026-Q3", "format": "csv"})
    assert response.status_code == 200
    assert 'filename="hub-indicators-2026-Q3.csv"' in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Indicator,Name,Period,Area level,Area code,Area,Value,Numerator,"
        "Denominator,Target,Better,Rating"
    )
    assert lines[1] == (
        "referrals_accepted,Referrals accepted,2026-Q3,place,bd,Bradford,75.0%,"
        "90,120,80.0%,higher,amber"
    )
    # Upper's 3 of 4 is hidden; Lower's would give it away (90 - 87), so it goes too.
    assert lines[2].endswith("ward,E2,Lower,withheld,withheld,withheld,80.0%,higher,not rated")
    assert lines[3].endswith(
        "ward,E1,Upper,withheld,fewer than 5,fewer than 5,80.0%,higher,not rated"
    )


def test_a_period_not_in_the_list_says_what_to_choose(analyst, values):
    page = signed_in(analyst).get(URL, {"period": "2031-Q1"})
    assert "Choose a month or a quarter from the list" in page.content.decode()


def test_a_practitioner_is_refused_the_page(make_person, alpha):  # noqa: F811
    assert signed_in(make_person("pat", Role.PRACTITIONER, alpha)).get(URL).status_code == 403


def test_someone_not_signed_in_is_sent_to_sign_in_from_the_page(db):
    response = Client().get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_api_gives_a_quarters_indicators_to_an_analyst(analyst, values):
    response = signed_in(analyst).get(API, {"period": "2026-Q3"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2026-Q3"
    (accepted,) = [i for i in body["indicators"] if i["key"] == "referrals_accepted"]
    assert (accepted["target"], accepted["direction"], accepted["green"]) == (80, "higher", 80)
    assert (accepted["place"]["value"], accepted["place"]["rag"]) == (75.0, "amber")
    upper = next(w for w in accepted["wards"] if w["code"] == "E1")
    assert (upper["value"], upper["numerator"], upper["numerator_withheld"]) == (
        None,
        None,
        "small",
    )


def test_the_api_gives_the_latest_month_when_no_period_is_asked(analyst, values):
    assert signed_in(analyst).get(API).json()["period"] == "2026-07"


@pytest.mark.parametrize("period", ["2026-13", "2026-Q5", "July", "2026-7"])
def test_the_api_refuses_a_malformed_period_naming_it(analyst, values, period):
    response = signed_in(analyst).get(API, {"period": period})
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "period"


def test_the_api_refuses_a_practitioner(make_person, alpha):  # noqa: F811
    practitioner = make_person("pat", Role.PRACTITIONER, alpha)
    assert signed_in(practitioner).get(API).status_code == 403


def test_the_api_asks_someone_not_signed_in_to_sign_in(db):
    assert Client().get(API).status_code == 401


def test_the_api_operation_is_in_the_openapi_document(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/hub/indicators"]


def test_an_indicator_the_last_refresh_could_not_work_out_says_so(analyst, values):
    from django.utils import timezone

    from linkwell.intelligence.models import Snapshot

    Snapshot.objects.create(
        month="2026-07",
        taken_at=timezone.now(),
        data={"indicators": {"_errors": {"referrals_accepted": "Binder Error: no column x"}}},
    )
    html = signed_in(analyst).get(URL).content.decode()
    assert "Not worked out at the last refresh:" in html
    assert "01_referrals_accepted.toml" in html and "Binder Error: no column x" in html


def test_the_trend_keeps_a_month_known_only_from_its_snapshot(analyst, values):
    from django.utils import timezone

    from linkwell.intelligence.models import Snapshot

    kept = {"value": 12.5, "numerator": 5, "denominator": 40, "rag": "red"}
    Snapshot.objects.create(
        month="2026-05", taken_at=timezone.now(),
        data={"indicators": {"referrals_accepted": kept}},
    )  # fmt: skip
    html = signed_in(analyst).get(URL).content.decode()
    assert '<th scope="row">2026-05</th><td data-label="Value">12.5%</td>' in html
