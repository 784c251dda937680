"""The person's own page from the link (no sign-in, in the questionnaire's language, a draft
kept; an expired or used link says so and offers a new one), and a person's outcomes page:
the chart (an SVG image of its own) and the same numbers in a table, with the change since
the baseline in words; none of it for staff who may not see the person's outcomes."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from linkwell.outcomes import actions
from linkwell.outcomes.models import Administration, AdministrationStatus, Mode, Timepoint
from linkwell.referrals.tests.pages_world import sign_in

UCLA = ("companionship", "left_out", "isolated")


def _linked(pages, *, language="pl", instrument="ucla3"):
    cara = pages["cara"]
    cara.email = "cara@example.test"
    cara.save(update_fields=["email"])
    administration = actions.start_administration(
        cara,
        instrument,
        timepoint=Timepoint.FOLLOW_UP,
        mode=Mode.SELF,
        actor=pages["connector"],
        via="test",
        case=pages["case"],
        language=language,
    )
    path = actions.send_self_completion_link(
        administration, channel="email", actor=pages["connector"], via="test"
    )
    return administration, path


def test_the_link_opens_in_the_questionnaire_s_language_without_signing_in(client, pages):
    _administration, path = _linked(pages)

    page = client.get(path)

    assert page.status_code == 200
    assert '<html lang="pl"' in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")


def test_the_language_picker_s_choice_wins_over_the_link_s(client, pages):
    _administration, path = _linked(pages)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"

    assert '<html lang="en-gb"' in client.get(path).content.decode()


def test_a_person_saves_some_answers_and_finishes_later(client, pages):
    administration, path = _linked(pages)

    saved = client.post(path, {"item_companionship": "3", "save": "1"})
    assert saved.status_code == 302
    administration.refresh_from_db()
    assert administration.answers == {"companionship": 3}
    assert 'value="3" checked' in client.get(path).content.decode()

    refused = client.post(path, {"item_left_out": "2", "finish": "1"})
    assert refused.status_code == 400
    assert 'href="#id_item_isolated_0"' in refused.content.decode()

    done = client.post(path, {"item_isolated": "1", "finish": "1"})
    assert done.status_code == 200
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.COMPLETE
    assert administration.answers == {"companionship": 3, "left_out": 2, "isolated": 1}


def test_an_expired_link_says_so_and_sends_a_new_one_keeping_the_answers(client, pages):
    administration, path = _linked(pages, language="en")
    client.post(path, {"item_companionship": "2", "save": "1"})
    administration.links.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    expired = client.get(path)

    page = expired.content.decode()
    assert expired.status_code == 410
    assert "This link has expired" in page
    assert "Send me a new link" in page
    sent = client.post(reverse("outcomes:answer_new_link", args=[path.strip("/").split("/")[-1]]))
    assert sent.status_code == 200
    assert "A new link is on its way" in sent.content.decode()
    assert administration.links.count() == 2
    administration.refresh_from_db()
    assert administration.answers == {"companionship": 2}


def test_a_used_link_says_the_answers_were_sent_and_offers_no_new_one(client, pages):
    _administration, path = _linked(pages, language="en")
    client.post(path, {f"item_{i}": "1" for i in UCLA} | {"finish": "1"})

    used = client.get(path)

    assert used.status_code == 410
    assert "Your answers have been sent" in used.content.decode()
    assert "Send me a new link" not in used.content.decode()


def test_a_made_up_link_opens_nothing(client, pages):
    response = client.get(reverse("outcomes:answer", args=["not-a-real-token"]))

    assert response.status_code == 404
    assert "Send me a new link" not in response.content.decode()


def _baseline_and_follow_up(pages):
    for timepoint, value in ((Timepoint.BASELINE, 3), (Timepoint.FOLLOW_UP, 1)):
        administration = actions.start_administration(
            pages["cara"],
            "ucla3",
            timepoint=timepoint,
            mode=Mode.CONNECTOR,
            actor=pages["connector"],
            via="test",
            case=pages["case"],
        )
        actions.save_answers(
            administration,
            {item: value for item in UCLA},
            actor=pages["connector"],
            via="test",
            complete=True,
        )
    Administration.objects.filter(timepoint=Timepoint.BASELINE).update(
        completed_at=timezone.now() - dt.timedelta(days=70)
    )


def test_the_outcomes_page_shows_the_chart_the_table_and_the_change(client, pages):
    _baseline_and_follow_up(pages)
    sign_in(client, "connector")
    person_page = client.get(reverse("referrals:person_detail", args=[pages["cara"].pk]))
    url = reverse("outcomes:person_outcomes", args=[pages["cara"].pk])
    assert url in person_page.content.decode()

    page = client.get(url).content.decode()

    chart = reverse("outcomes:person_chart", args=[pages["cara"].pk, "ucla3"])
    assert f'<img src="{chart}" alt="Chart of' in page
    assert 'data-label="Score">9 (More often lonely)<' in page
    assert 'data-label="Score">3 (Less often lonely)<' in page
    assert "Better by 6 since the baseline (from 9 to 3)." in page


def test_the_chart_is_an_svg_image(client, pages):
    _baseline_and_follow_up(pages)
    sign_in(client, "connector")

    response = client.get(reverse("outcomes:person_chart", args=[pages["cara"].pk, "ucla3"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content[:500]
    assert "private" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]  # its own styles, and no script at all
    assert "style-src 'unsafe-inline'" in policy and "script-src 'none'" in policy


@pytest.mark.parametrize("who", ["lunch_editor", "firefighter", "outsider"])
def test_staff_who_may_not_see_the_person_get_no_scores(client, pages, who):
    _baseline_and_follow_up(pages)
    sign_in(client, who)

    for url in (
        reverse("outcomes:person_outcomes", args=[pages["cara"].pk]),
        reverse("outcomes:person_chart", args=[pages["cara"].pk, "ucla3"]),
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert b"Cara" not in response.content and b"<svg" not in response.content
