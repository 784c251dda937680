"""Referring someone to a service from wherever the service is seen (`referrals:refer_to_service`):
find the person (or register them and come back), the service as offered to them, the consent
question if they have not agreed yet, then one "Refer" click. A person the caller may not open,
or a service no longer taking referrals, is a 404 alike."""

import re
import uuid

from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.directory.models import Service
from linkwell.referrals import actions
from linkwell.referrals.models import Consent, DeclineReason, Referral, ReferralStatus
from linkwell.referrals.tests.pages_world import (  # noqa: F401 (fixture)
    consent_to,
    pages_fixture,
    refer,
    sign_in,
)


def refer_url(service, person=None, **extra) -> str:
    query = {"person": str(person.pk)} if person is not None else {}
    query.update(extra)
    url = reverse("referrals:refer_to_service", args=[service.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def key_in(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


# --- Finding the person ------------------------------------------------------------------


def test_without_a_person_it_asks_who_and_finds_only_people_the_caller_may_open(client, world):
    sign_in(client, "firefighter")

    page = client.get(refer_url(world["lunch"])).content.decode()
    assert "Who are you referring to Lunch club?" in page
    found = client.get(refer_url(world["lunch"]), {"text": "okafor"})

    assert found.status_code == 200
    text = found.content.decode()
    assert "Ada Okafor" in text
    assert refer_url(world["lunch"], world["person"]) in text
    searched = AuditEvent.objects.filter(action="referrals.people.searched").last()
    assert searched is not None and searched.via == "page:refer_to_service"


def test_a_search_finds_no_one_the_caller_may_not_open(client, world):
    sign_in(client, "housing_officer")

    response = client.get(refer_url(world["lunch"]), {"text": "okafor"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "0 people found" in text and "Okafor" not in text.replace('value="okafor"', "")
    assert str(world["person"].pk) not in text


def test_a_search_with_a_wrong_postcode_says_what_to_do_and_keeps_it(client, world):
    sign_in(client, "firefighter")

    response = client.get(refer_url(world["lunch"]), {"postcode": "NOT A CODE"})

    assert response.status_code == 400
    text = response.content.decode()
    assert "This is not shaped like a UK postcode." in text
    assert 'value="NOT A CODE"' in text


def test_register_a_person_comes_back_to_refer_them(client, world):
    sign_in(client, "firefighter")
    page = client.get(refer_url(world["lunch"])).content.decode()
    here = reverse("referrals:refer_to_service", args=[world["lunch"].pk])
    assert f"/people/new/?next={here.replace('/', '%2F')}" in page

    response = client.post(
        reverse("referrals:person_new"),
        {
            "next": here,
            "given_name": "Bea",
            "family_name": "Shah",
            "birth_date-day": "1",
            "birth_date-month": "1",
            "birth_date-year": "1950",
            "postcode": "BD3 7HZ",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].startswith(f"{here}?person=")
    assert client.get(response["Location"]).status_code == 200


def test_register_never_sends_anyone_to_another_site_or_page(client, world):
    sign_in(client, "firefighter")

    response = client.post(
        reverse("referrals:person_new"),
        {
            "next": "https://evil.example/services/",
            "given_name": "Bea",
            "family_name": "Shah",
            "birth_date-day": "1",
            "birth_date-month": "1",
            "birth_date-year": "1950",
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/people/")


# --- Consent, then one click -------------------------------------------------------------


def test_consent_then_one_click_refers_and_lands_on_the_referral(client, world):
    ada, lunch = world["person"], world["lunch"]
    sign_in(client, "firefighter")
    url = refer_url(lunch, ada)
    page = client.get(url).content.decode()
    assert "Refer Ada Okafor to Lunch club" in page
    assert "Every Tuesday, 11:30 to 14:00" in page and "1 place left now" in page
    assert "Record consent to share with Lunch club" in page
    assert "Refer to Lunch club" not in page  # consent first

    consented = client.post(url, {"action": "consent", "how": "given verbally"})

    assert consented.status_code == 302
    assert Consent.objects.get(person=ada, service=lunch).how == "given verbally"
    page = client.get(consented["Location"]).content.decode()
    assert "Refer to Lunch club" in page
    referred = client.post(url, {"action": "refer", "idempotency_key": key_in(page)})

    made = Referral.objects.get(person=ada, service=lunch)
    assert referred.status_code == 302
    assert referred["Location"] == reverse("referrals:referral_detail", args=[made.pk])
    assert (made.status, made.encounter, made.referrer) == (
        ReferralStatus.SENT,
        None,
        world["firefighter"],
    )


def test_a_double_clicked_refer_makes_one_referral(client, world):
    ada, connectors = world["person"], world["connectors"]
    consent_to(world["firefighter"], ada, connectors)
    sign_in(client, "firefighter")
    url = refer_url(connectors, ada)
    key = key_in(client.get(url).content.decode())

    first = client.post(url, {"action": "refer", "idempotency_key": key})
    second = client.post(url, {"action": "refer", "idempotency_key": key})

    assert first.status_code == second.status_code == 302
    assert Referral.objects.filter(person=ada, service=connectors).count() == 1


def test_referring_without_consent_is_refused_and_keeps_the_reason(client, world):
    sign_in(client, "firefighter")
    url = refer_url(world["lunch"], world["person"])

    response = client.post(
        url,
        {"action": "refer", "idempotency_key": str(uuid.uuid4()), "reason": "Enjoys company"},
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "has not agreed to their details being shared with Lunch club" in text
    assert "Enjoys company" in text
    assert not Referral.objects.filter(service=world["lunch"]).exists()


def test_every_error_of_the_refer_form_at_once_with_what_was_typed(client, world):
    consent_to(world["firefighter"], world["person"], world["lunch"])
    sign_in(client, "firefighter")

    response = client.post(
        refer_url(world["lunch"], world["person"]),
        {"action": "refer", "idempotency_key": str(uuid.uuid4()), "reason": "x" * 1001},
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert 'href="#id_reason"' in text
    assert "x" * 1001 in text
    assert "<title>Error:" in text


def test_the_need_it_is_referred_for_is_kept(client, world):
    ada, lunch = world["person"], world["lunch"]
    consent_to(world["firefighter"], ada, lunch)
    sign_in(client, "firefighter")
    url = refer_url(lunch, ada, need="loneliness")
    key = key_in(client.get(url).content.decode())

    client.post(url, {"action": "refer", "idempotency_key": key})

    assert Referral.objects.get(person=ada, service=lunch).need == "loneliness"


def test_other_services_for_a_declined_referral_are_one_step_away(client, pages):
    """From a declined referral, "other services for this need" links here with the person."""
    ada, falls = pages["person"], pages["falls"]
    actions.decline_referral(
        pages["falls_referral"],
        actor=pages["falls_editor"],
        via="test",
        reason="Not in our area.",
        reason_code=DeclineReason.NOT_ELIGIBLE,
    )
    sign_in(client, "firefighter")

    page = client.get(refer_url(pages["connectors"], ada, need="loneliness")).content.decode()

    assert "Refer Ada Okafor to Community Connectors" in page
    assert "For: Loneliness and isolation." in page
    assert falls.name not in page


# --- Not yours, not there ----------------------------------------------------------------


def test_another_partners_practitioner_gets_404_and_no_name(client, world):
    sign_in(client, "housing_officer")
    url = refer_url(world["lunch"], world["person"])

    seen = client.get(url)
    posted = client.post(url, {"action": "consent", "how": "given verbally"})

    for response in (seen, posted):
        assert response.status_code == 404
        assert "Okafor" not in response.content.decode()
    assert not Consent.objects.filter(service=world["lunch"]).exists()


def test_a_person_who_does_not_exist_reads_like_one_not_yours(client, world):
    sign_in(client, "firefighter")

    for person in (str(uuid.uuid4()), "not-a-uuid", ""):
        url = reverse("referrals:refer_to_service", args=[world["lunch"].pk])
        assert client.get(url, {"person": person}).status_code == 404


def test_a_service_no_longer_active_is_not_found(client, world):
    Service.objects.filter(pk=world["lunch"].pk).update(status="inactive")
    sign_in(client, "firefighter")

    response = client.get(refer_url(world["lunch"], world["person"]))

    assert response.status_code == 404
    assert "Okafor" not in response.content.decode()


def test_only_those_who_refer_may_open_it(client, world):
    sign_in(client, "lunch_editor")

    assert client.get(refer_url(world["lunch"])).status_code == 403
    client.logout()
    response = client.get(refer_url(world["lunch"]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_referral_already_open_is_shown(client, world):
    ada, falls = world["person"], world["falls"]
    consent_to(world["firefighter"], ada, falls)
    made = refer(world["firefighter"], ada, falls)
    sign_in(client, "firefighter")

    page = client.get(refer_url(falls, ada)).content.decode()

    assert "Already referred here:" in page and made.reference in page


def test_showing_the_person_is_audited(client, world):
    sign_in(client, "firefighter")

    client.get(refer_url(world["lunch"], world["person"]))

    viewed = AuditEvent.objects.filter(
        action="referrals.person.viewed", via="page:refer_to_service", actor=world["firefighter"]
    )
    assert viewed.filter(target_id=str(world["person"].pk)).exists()
