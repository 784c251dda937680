"""The evaluation report's page, CSV and PDF: for analysts only, withheld counts explained,
attrition always there, and no one named."""

import csv
import io

import pytest
from django.urls import reverse

from linkwell.accounts.models import Role
from linkwell.outcomes.tests.test_evaluation_report import END, SECRET_NAME, SECRET_NHS, START


def _query(programme, measure="swemwbs"):
    return {
        "programme": str(programme.pk),
        "measure": measure,
        "start-day": START.day,
        "start-month": START.month,
        "start-year": START.year,
        "end-day": END.day,
        "end-month": END.month,
        "end-year": END.year,
    }


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


def test_the_form_alone_is_shown_until_a_report_is_asked_for(signed_in, programme):
    response = signed_in.get(reverse("evaluation:report"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="get"' in html and "Community Connectors" in html
    assert "Who started" not in html


def test_the_report_page_shows_attrition_and_explains_withheld_counts(signed_in, programme):
    response = signed_in.get(reverse("evaluation:report"), _query(programme))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption" in html and "Who started, and who is missing a score" in html
    assert "Baseline only: case closed without a follow-up (lost to follow-up)" in html
    assert "fewer than 5" in html and 'aria-describedby="withheld-explanation"' in html
    assert "withheld" in html  # a count hidden so a small one cannot be worked out
    assert "Deprivation quintile of the small area" in html
    assert 'data-label="Mean change (95% CI)"' in html  # stacks on a phone
    for secret in (*SECRET_NAME, SECRET_NHS):
        assert secret not in html


def test_a_period_ending_before_it_starts_is_refused_with_a_message(signed_in, programme):
    query = _query(programme) | {"end-year": START.year - 1}

    html = signed_in.get(reverse("evaluation:report"), query).content.decode()

    assert "The end of the period must be on or after its start" in html
    assert "Who started, and who is missing a score" not in html


def test_the_csv_holds_the_same_tables_and_no_names(signed_in, programme):
    response = signed_in.get(reverse("evaluation:report_csv"), _query(programme))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Started (cases opened in the period)", "23", ""] in rows
    assert any(row[:2] == ["No baseline score recorded", "fewer than 5"] for row in rows)
    for secret in (*SECRET_NAME, SECRET_NHS):
        assert secret not in text


def test_the_pdf_is_a_pdf(signed_in, programme):
    response = signed_in.get(reverse("evaluation:report_pdf"), _query(programme))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_download_without_a_valid_choice_is_not_found(signed_in, programme):
    assert signed_in.get(reverse("evaluation:report_csv")).status_code == 404
    query = _query(programme) | {"measure": "nonsense"}
    assert signed_in.get(reverse("evaluation:report_pdf"), query).status_code == 404


@pytest.mark.parametrize("name", ["report", "report_csv", "report_pdf"])
def test_frontline_staff_of_another_partner_are_refused(client, make_person, beta, programme, name):
    client.force_login(make_person("frontline", Role.CONNECTOR, beta))

    assert client.get(reverse(f"evaluation:{name}"), _query(programme)).status_code == 403


def test_signing_in_is_needed(client, programme):
    response = client.get(reverse("evaluation:report"), _query(programme))

    assert response.status_code == 302


def test_the_navigation_links_analysts_to_the_report(signed_in, programme):
    html = signed_in.get(reverse("evaluation:report")).content.decode()

    assert f'href="{reverse("evaluation:report")}" aria-current="page"' in html
