"""A connector asks a questionnaire on a case (a draft kept, each item missing or wrong named
at the item), sends a link instead, and a service records a referral's coded outcome; staff
of another partner get nothing from these addresses (404, or 403 when they may read but not
record), and no hint of what is there."""

import pytest
from django.core import mail
from django.urls import reverse

from linkwell.outcomes import actions
from linkwell.outcomes.models import (
    Administration,
    AdministrationStatus,
    Mode,
    ReferralOutcome,
    SelfCompletionLink,
    Timepoint,
)
from linkwell.referrals import actions as referral_actions
from linkwell.referrals.tests.pages_world import sign_in

UCLA = ("companionship", "left_out", "isolated")


def start(client, case, instrument="ucla3", timepoint="baseline"):
    return client.post(
        reverse("outcomes:start_for_case", args=[case.pk]),
        {"instrument": instrument, "timepoint": timepoint},
    )


def page_of(administration):
    return reverse("outcomes:administration", args=[administration.pk])


def test_the_case_page_offers_a_questionnaire_and_a_link_to_send(client, pages):
    sign_in(client, "connector")

    page = client.get(reverse("referrals:case_detail", args=[pages["case"].pk])).content.decode()

    assert reverse("outcomes:start_for_case", args=[pages["case"].pk]) in page
    assert f'action="{reverse("outcomes:send_link", args=[pages["case"].pk])}"' in page
    assert "Send the link" in page


def test_a_connector_saves_a_draft_and_finishes_it_later(client, pages):
    sign_in(client, "connector")
    started = start(client, pages["case"])
    administration = Administration.objects.get(case=pages["case"])
    assert started.status_code == 302 and started["Location"] == page_of(administration)
    assert administration.mode == Mode.CONNECTOR
    assert administration.timepoint == Timepoint.BASELINE

    saved = client.post(page_of(administration), {"item_companionship": "2", "save": "1"})

    assert saved.status_code == 302
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.DRAFT
    assert administration.answers == {"companionship": 2}
    again = client.get(page_of(administration)).content.decode()
    assert 'value="2" checked' in again  # the draft is there when they come back

    done = client.post(
        page_of(administration), {"item_left_out": "1", "item_isolated": "3", "finish": "1"}
    )

    assert done.status_code == 302
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.COMPLETE
    assert administration.total == 6


def test_finishing_with_items_unanswered_names_each_and_keeps_the_rest(client, pages):
    sign_in(client, "connector")
    start(client, pages["case"])
    administration = Administration.objects.get(case=pages["case"])

    refused = client.post(page_of(administration), {"item_left_out": "2", "finish": "1"})

    page = refused.content.decode()
    assert refused.status_code == 400
    assert "There is a problem" in page
    for item in ("companionship", "isolated"):  # each missing one, linked from the summary
        assert f'href="#id_item_{item}_0"' in page
        assert f'id="id_item_{item}-error"' in page
    assert 'href="#id_item_left_out_0"' not in page
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.DRAFT
    assert administration.answers == {"left_out": 2}  # nothing answered is lost


def test_an_answer_that_is_not_an_option_is_refused_at_its_item(client, pages):
    sign_in(client, "connector")
    start(client, pages["case"])
    administration = Administration.objects.get(case=pages["case"])

    refused = client.post(page_of(administration), {"item_isolated": "9", "save": "1"})

    assert refused.status_code == 400
    assert "Choose one of the answers to question 3" in refused.content.decode()
    administration.refresh_from_db()
    assert administration.answers == {}


def test_a_complete_questionnaire_cannot_be_changed(client, pages):
    sign_in(client, "connector")
    start(client, pages["case"])
    administration = Administration.objects.get(case=pages["case"])
    client.post(page_of(administration), {f"item_{i}": "1" for i in UCLA} | {"finish": "1"})

    client.post(page_of(administration), {f"item_{i}": "3" for i in UCLA} | {"finish": "1"})

    administration.refresh_from_db()
    assert administration.total == 3


@pytest.mark.parametrize("who", ["lunch_editor", "firefighter", "outsider"])
def test_staff_of_another_partner_get_nothing_from_a_case_s_questionnaires(client, pages, who):
    administration = actions.start_administration(
        pages["cara"],
        "ucla3",
        timepoint=Timepoint.BASELINE,
        mode=Mode.CONNECTOR,
        actor=pages["connector"],
        via="test",
        case=pages["case"],
    )
    sign_in(client, who)

    for url in (
        reverse("outcomes:start_for_case", args=[pages["case"].pk]),
        reverse("outcomes:send_link", args=[pages["case"].pk]),
        page_of(administration),
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "Cara" not in response.content.decode()
    posted = client.post(page_of(administration), {"item_left_out": "1", "save": "1"})
    assert posted.status_code == 404
    administration.refresh_from_db()
    assert administration.answers == {}


def test_a_link_is_sent_by_e_mail_from_the_case_page(
    client, pages, django_capture_on_commit_callbacks
):
    cara = pages["cara"]
    cara.email = "cara@example.test"
    cara.save(update_fields=["email"])
    sign_in(client, "connector")

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("outcomes:send_link", args=[pages["case"].pk]),
            {"instrument": "swemwbs", "timepoint": "follow_up", "channel": "email"},
        )

    assert sent.status_code == 302
    administration = Administration.objects.get(case=pages["case"])
    assert administration.mode == Mode.SELF
    assert SelfCompletionLink.objects.filter(administration=administration).count() == 1
    assert len(mail.outbox) == 1 and "/answer/" in mail.outbox[0].body


def test_the_send_a_link_form_says_what_to_choose(client, pages):
    sign_in(client, "connector")

    refused = client.post(reverse("outcomes:send_link", args=[pages["case"].pk]), {})

    page = refused.content.decode()
    assert refused.status_code == 400
    for message in (
        "Select a questionnaire",
        "Select whether this is the baseline or the follow-up",
        "Select e-mail or text message",
    ):
        assert message in page
    assert not Administration.objects.exists()


def _accepted(pages):
    referral = pages["falls_referral"]
    editor = pages["falls_editor"]
    referral_actions.receive_referral(referral, actor=editor, via="test")
    referral_actions.accept_referral(referral, actor=editor, via="test")
    return referral


def complete(client, referral, **data):
    return client.post(reverse("referrals:referral_move", args=[referral.pk, "complete"]), data)


def test_the_service_codes_the_outcome_when_it_completes_a_referral(client, pages):
    referral = _accepted(pages)
    sign_in(client, "falls_editor")

    uncoded = complete(client, referral, outcome="Rails fitted.")
    assert uncoded.status_code == 400
    assert "Select how it ended" in uncoded.content.decode()

    done = complete(
        client,
        referral,
        outcome="Rails fitted.",
        outcome_code="achieved",
        outcome_reasons="goals_met",
    )

    assert done.status_code == 302
    outcome = ReferralOutcome.objects.get(referral=referral)
    assert (outcome.code, outcome.reasons) == ("achieved", ["goals_met"])
    page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
    assert "<strong>Achieved</strong>" in page


def test_the_service_corrects_the_coded_outcome_with_reasons(client, pages):
    referral = _accepted(pages)
    sign_in(client, "falls_editor")
    complete(client, referral, outcome="Rails fitted.", outcome_code="achieved")
    url = reverse("outcomes:referral_outcome", args=[referral.pk])
    assert (
        url in client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
    )

    missing = client.post(url, {"reasons": ["other"]})
    assert missing.status_code == 400
    assert "Select how the referral ended" in missing.content.decode()
    assert "Say what the other reason is" in missing.content.decode()

    done = client.post(url, {"code": "partly", "reasons": ["needs_changed"], "note": ""})

    assert done.status_code == 302
    outcome = ReferralOutcome.objects.get(referral=referral)
    assert (outcome.code, outcome.reasons) == ("partly", ["needs_changed"])


@pytest.mark.parametrize(("who", "status"), [("lunch_editor", 404), ("firefighter", 403)])
def test_only_the_service_records_the_outcome(client, pages, who, status):
    referral = _accepted(pages)
    sign_in(client, who)

    response = client.post(
        reverse("outcomes:referral_outcome", args=[referral.pk]), {"code": "achieved"}
    )

    assert response.status_code == status
    assert not ReferralOutcome.objects.exists()


def test_the_service_asks_a_questionnaire_when_it_completes_a_referral(client, pages):
    referral = _accepted(pages)
    sign_in(client, "falls_editor")
    complete(client, referral, outcome="Rails fitted.", outcome_code="achieved")
    outcome_page = client.get(reverse("outcomes:referral_outcome", args=[referral.pk]))
    start_url = reverse("outcomes:start_for_referral", args=[referral.pk])
    assert start_url in outcome_page.content.decode()

    started = client.post(start_url, {"instrument": "ucla3", "timepoint": "baseline"})

    administration = Administration.objects.get(referral=referral)
    assert started.status_code == 302 and started["Location"] == page_of(administration)
    assert administration.mode == Mode.PROVIDER
    assert administration.case_id is None and administration.person_id == referral.person_id
    answers = {f"item_{item}": "1" for item in UCLA}
    done = client.post(page_of(administration), {**answers, "finish": "1"})

    assert done.status_code == 302
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.COMPLETE
    assert administration.total == 3
    assert administration.answers == dict.fromkeys(UCLA, 1)
