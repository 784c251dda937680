"""Answers that report well, on the referral page: a service declines with a coded reason and
its own words; the referrer reads the reason and other services for the need near the
person; the service sees who referred (name, role, organisation, how to reach them). Nobody
else declines, or reads any of it: 404 alike for not theirs and not there."""

import uuid

import pytest
from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.referrals import actions
from linkwell.referrals.models import Referral, ReferralStatus
from linkwell.referrals.tests.pages_world import (  # noqa: F401 (fixture)
    pages_fixture,
    sign_in,
)

S = ReferralStatus
REFER_URLS = "linkwell.web.tests.work.refer_urls"


def move(client, referral, name, **data):
    return client.post(reverse("referrals:referral_move", args=[referral.pk, name]), data)


def detail(client, referral):
    return client.get(reverse("referrals:referral_detail", args=[referral.pk]))


def test_the_decline_form_asks_for_a_coded_reason_with_words_beside(client, pages):
    sign_in(client, "falls_editor")

    page = detail(client, pages["falls_referral"]).content.decode()

    assert "Why are you declining this referral?" in page
    assert 'name="reason_code" id="id_decline_reason_code_0"' in page
    for code in ("no_capacity", "not_eligible", "person_declined", "could_not_contact", "other"):
        assert f'value="{code}"' in page
    assert "Give more detail" in page


def test_a_provider_declines_with_a_code_and_the_referrer_reads_the_label_and_words(client, pages):
    referral = pages["falls_referral"]
    sign_in(client, "falls_editor")

    response = move(
        client, referral, "decline", reason_code="no_capacity", reason="Full until March."
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason_code) == (S.DECLINED, "no_capacity")
    assert referral.decline_reason == "Full until March."
    client.logout()
    sign_in(client, "firefighter")
    page = detail(client, referral).content.decode()
    assert "Why it was declined" in page
    assert "<strong>No capacity</strong>" in page and "Full until March." in page
    listed = client.get(reverse("referrals:my_referrals")).content.decode()
    assert "No capacity: Full until March." in listed


def test_other_shows_only_the_services_words(client, pages):
    referral = pages["falls_referral"]
    sign_in(client, "falls_editor")
    move(client, referral, "decline", reason_code="other", reason="Moved out of the district.")
    client.logout()
    sign_in(client, "firefighter")

    listed = client.get(reverse("referrals:my_referrals")).content.decode()

    assert "Moved out of the district." in listed and "Other: Moved" not in listed


@pytest.mark.urls(REFER_URLS)
def test_a_declined_referral_offers_other_services_for_the_need_with_their_facts(client, pages):
    referral = pages["falls_referral"]  # for loneliness; every service of the world meets it
    actions.decline_referral(
        referral, actor=pages["falls_editor"], via="test", reason_code="not_eligible"
    )
    sign_in(client, "firefighter")

    page = detail(client, referral).content.decode()

    assert "Other services for this need near this person" in page
    section = page[page.index('id="alternatives"') :]
    assert "Lunch club" in section and "Community Connectors" in section
    assert "Falls prevention" not in section  # never the service that declined
    assert "1 place left" in section  # the lunch club counts its places
    refer = reverse("referrals:refer_to_service", args=[pages["lunch"].pk])
    assert f'href="{refer}?person={referral.person_id}"' in section


@pytest.mark.urls(REFER_URLS)
def test_the_service_sees_alternatives_but_no_link_to_refer(client, pages):
    referral = pages["falls_referral"]
    actions.decline_referral(referral, actor=pages["falls_editor"], via="test", reason="Full")
    sign_in(client, "falls_editor")

    page = detail(client, referral).content.decode()

    assert "Lunch club" in page[page.index('id="alternatives"') :]
    assert "/refer/" not in page


def test_an_open_referral_offers_no_alternatives(client, pages):
    sign_in(client, "firefighter")

    page = detail(client, pages["falls_referral"]).content.decode()

    assert 'id="alternatives"' not in page


def test_the_service_sees_who_referred_by_name_role_organisation_and_email(client, pages):
    ff = pages["firefighter"]
    ff.first_name, ff.last_name = "Fran", "Blaze"
    ff.save(update_fields=["first_name", "last_name"])
    sign_in(client, "falls_editor")

    page = detail(client, pages["falls_referral"]).content.decode()

    section = page[page.index('id="referrer"') :]
    assert "Fran Blaze" in section and "Practitioner" in section
    assert "Bradford Fire" in section
    assert 'href="mailto:firefighter@partner.test' in section


@pytest.mark.parametrize("stranger", ["lunch_editor", "housing_officer", "connector"])
def test_another_partner_cannot_decline_nor_read_the_referral_its_referrer_or_alternatives(
    client, pages, stranger
):
    referral = pages["falls_referral"]
    sign_in(client, stranger)

    declined = move(client, referral, "decline", reason_code="no_capacity")
    read = detail(client, referral)

    assert declined.status_code == 404 and read.status_code == 404
    assert "firefighter@partner.test" not in read.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == S.SENT
    missing = client.get(reverse("referrals:referral_detail", args=[uuid.uuid4()]))
    assert missing.status_code == 404


def test_a_referral_declined_for_another_partner_shows_them_nothing(client, pages):
    referral = pages["falls_referral"]
    actions.decline_referral(
        referral, actor=pages["falls_editor"], via="test", reason_code="duplicate"
    )
    sign_in(client, "lunch_editor")

    assert detail(client, referral).status_code == 404


def test_the_referrer_cannot_decline_their_own_referral(client, pages):
    sign_in(client, "firefighter")

    response = move(client, pages["falls_referral"], "decline", reason_code="duplicate")

    assert response.status_code == 403
    assert Referral.objects.get(pk=pages["falls_referral"].pk).status == S.SENT


def test_reading_a_declined_referral_is_audited(client, pages):
    referral = pages["falls_referral"]
    actions.decline_referral(referral, actor=pages["falls_editor"], via="test", reason="Full")
    sign_in(client, "firefighter")

    detail(client, referral)

    assert AuditEvent.objects.filter(
        action="referrals.person.viewed", actor=pages["firefighter"], via="page:referral_detail"
    ).exists()
