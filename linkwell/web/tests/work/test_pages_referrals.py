"""Where a referral stands: the referrer's list and a referral's page, with the moves the
reader may make; a refused move shows why and changes nothing."""

import datetime as dt

from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.referrals.models import Referral, ReferralStatus
from linkwell.referrals.tests.pages_world import (  # noqa: F401 (fixture) (fixture)
    NHS_NUMBERS,
    consent_to,
    new_person,
    pages_fixture,
    refer,
    sign_in,
)

S = ReferralStatus


def move(client, referral, name, **data):
    return client.post(reverse("referrals:referral_move", args=[referral.pk, name]), data)


def test_my_referrals_lists_where_each_stands_and_filters_by_status(client, pages):
    sign_in(client, "firefighter")
    url = reverse("referrals:my_referrals")

    page = client.get(url).content.decode()
    sent_only = client.get(url, {"status": "completed"}).content.decode()

    assert pages["falls_referral"].reference in page and "Falls prevention" in page
    assert pages["gp_referral"].reference not in page
    assert "None of your referrals has this status." in sent_only


def test_my_referrals_are_paginated(client, world):
    ff, falls = world["firefighter"], world["falls"]
    consent_to(ff, world["person"], falls)
    made = [refer(ff, world["person"], falls) for _ in range(21)]
    sign_in(client, "firefighter")

    first = client.get(reverse("referrals:my_referrals")).content.decode()
    second = client.get(reverse("referrals:my_referrals"), {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert made[0].reference in second and made[0].reference not in first


def test_the_provider_accepts_and_completes_and_the_referrer_sees_the_outcome(client, pages):
    referral = pages["falls_referral"]
    sign_in(client, "falls_editor")
    page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
    assert "Mark as received" in page and "Decline" in page and "Cancel the referral" in page

    move(client, referral, "accept", waitlist_if_full="on")
    move(
        client,
        referral,
        "complete",
        outcome="Home assessment done; grab rails fitted.",
        outcome_code="achieved",
    )

    referral.refresh_from_db()
    assert referral.status == S.COMPLETED
    client.logout()
    sign_in(client, "firefighter")
    page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()
    assert "grab rails fitted" in page
    assert reverse("referrals:referral_move", args=[referral.pk, "cancel"]) not in page
    assert "This referral is closed" in page
    viewed = AuditEvent.objects.filter(action="referrals.person.viewed", via="page:referral_detail")
    assert viewed.filter(actor=pages["firefighter"]).exists()


def test_declining_needs_a_reason_selected_and_other_needs_words(client, pages):
    referral = pages["falls_referral"]
    sign_in(client, "falls_editor")

    nothing = move(client, referral, "decline").content.decode()
    other = move(client, referral, "decline", reason_code="other", reason=" ").content.decode()
    unknown = move(client, referral, "decline", reason_code="too_busy", reason="Kept")

    assert "Select a reason for declining" in nothing
    assert 'href="#id_decline_reason_code_0"' in nothing  # the summary links the first radio
    assert 'id="id_decline_reason_code-error"' in nothing
    assert "Enter a reason for declining" in other and 'id="id_decline_reason-error"' in other
    assert 'value="other" checked' in other  # what was chosen is kept
    assert unknown.status_code == 400 and "Kept" in unknown.content.decode()
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_a_move_that_is_not_allowed_shows_the_rule_and_changes_nothing(client, pages):
    referral = pages["falls_referral"]
    sign_in(client, "falls_editor")
    move(client, referral, "decline", reason_code="not_eligible", reason="Over 65s only.")

    response = move(client, referral, "complete", outcome="Done", outcome_code="achieved")

    assert response.status_code == 409
    assert "A referral that is declined cannot become completed" in response.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (S.DECLINED, "")


def test_a_full_service_refuses_acceptance_or_waitlists_when_asked(client, world):
    ff, lunch = world["firefighter"], world["lunch"]
    bob = new_person(ff, "Bob", "Hill", NHS_NUMBERS[1])
    consent_to(ff, bob, lunch)
    consent_to(ff, world["person"], lunch)
    first, second = refer(ff, bob, lunch), refer(ff, world["person"], lunch)
    sign_in(client, "lunch_editor")
    move(client, first, "accept")

    refused = move(client, second, "accept")
    move(client, second, "accept", waitlist_if_full="on")

    assert refused.status_code == 409 and "No place left" in refused.content.decode()
    second.refresh_from_db()
    assert second.status == S.WAITLISTED


def test_the_referrer_cannot_answer_as_the_service(client, pages):
    sign_in(client, "firefighter")

    response = move(client, pages["falls_referral"], "accept")

    assert response.status_code == 403
    assert Referral.objects.get(pk=pages["falls_referral"].pk).status == S.SENT


def test_the_referrer_cancels_their_referral(client, pages):
    sign_in(client, "firefighter")

    move(client, pages["falls_referral"], "cancel", note="Moved away")

    assert Referral.objects.get(pk=pages["falls_referral"].pk).status == S.CANCELLED


def test_the_provider_page_lists_referrals_to_answer_without_capacity_forms(client, pages):
    sign_in(client, "falls_editor")

    page = client.get(reverse("referrals:provider_referrals")).content.decode()

    assert pages["falls_referral"].reference in page
    assert pages["gp_referral"].reference not in page
    assert "Save capacity" not in page and 'name="response_days"' not in page
    assert reverse("referrals:provider_capacity") in page
    assert 'class="inbox-table lw-table--stack' in page and 'data-label="Answer due"' in page


def test_capacity_is_listed_then_set_on_its_own_page(client, pages):
    sign_in(client, "falls_editor")
    listed = client.get(reverse("referrals:provider_capacity")).content.decode()
    capacity = reverse("referrals:capacity_set", args=[pages["falls"].pk])
    assert capacity in listed and "Falls prevention" in listed
    assert "Lunch club" not in listed
    form = client.get(capacity).content.decode()
    assert 'name="response_days"' in form and 'value="14"' in form

    bad = client.post(capacity, {"mode": "places", "unit": "week", "response_days": "0"})
    saved = client.post(
        capacity, {"mode": "places", "places": "3", "unit": "month", "response_days": "7"}
    )

    assert bad.status_code == 400
    assert "The days to answer must be between 1 and 365" in bad.content.decode()
    assert 'value="places" checked' in bad.content.decode()  # what was typed is kept
    assert saved.status_code == 302 and saved["Location"] == reverse("referrals:provider_capacity")
    listed = client.get(reverse("referrals:provider_capacity")).content.decode()
    assert "3 this period" in listed and "capacity saved" in listed


def test_another_providers_capacity_page_is_not_found(client, pages):
    sign_in(client, "falls_editor")
    other = reverse("referrals:capacity_set", args=[pages["lunch"].pk])

    assert client.get(other).status_code == 404
    assert client.post(other, {"mode": "closed", "response_days": "7"}).status_code == 404


def test_a_referrer_has_no_capacity_pages(client, pages):
    sign_in(client, "firefighter")

    assert client.get(reverse("referrals:provider_capacity")).status_code == 403


def test_an_overdue_referral_shows_its_due_date_to_the_provider(client, pages):
    referral = pages["falls_referral"]
    sign_in(client, "falls_editor")

    page = client.get(reverse("referrals:provider_referrals")).content.decode()

    due = (referral.sent_at + dt.timedelta(days=14)).strftime("%-d %b %Y")
    assert due in page


def test_the_service_reads_the_person_s_language_by_name_not_its_code(client, pages):
    referral = pages["falls_referral"]
    person = referral.person
    person.preferred_language = "pl"
    person.save(update_fields=["preferred_language"])
    sign_in(client, "falls_editor")

    page = client.get(reverse("referrals:referral_detail", args=[referral.pk])).content.decode()

    assert "Polish (polski)" in page
    assert "<dd>pl" not in page
