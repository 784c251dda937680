"""A citizen's request in the inbox made a person and a referral in one step: the provider
adds what the request did not ask (date of birth, NHS number, need), the consent is the one
the citizen gave, and the page lands on the new referral. Possible duplicates name only those
the provider may open (ADR 0018); nobody converts another service's request."""

import uuid

import pytest
from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.referrals.models import (
    Consent,
    ConsentSource,
    ContactRequest,
    ContactRequestStatus,
    DuplicateFlag,
    Person,
    ReferralStatus,
)
from linkwell.referrals.tests.ecc_world import PASSWORD
from linkwell.referrals.tests.helpers import make_request


def url(request):
    return reverse("referrals:inbox_convert", args=[request.pk])


def details(**extra):
    data = {
        "given_name": "Sam",
        "family_name": "Example",
        "birth_date-day": "1",
        "birth_date-month": "6",
        "birth_date-year": "1948",
        "nhs_number": "",
        "need": "loneliness",
        "answer": "accepted",
    }
    data.update(extra)
    return data


@pytest.fixture
def editor(client, world):
    assert client.login(username="falls_editor", password=PASSWORD)
    return client


def test_the_request_page_offers_to_make_it_a_referral(editor, world):
    request = make_request(world["falls"])

    page = editor.get(reverse("referrals:inbox_detail", args=[request.pk])).content.decode()

    assert "Make this a referral" in page and url(request) in page


def test_the_form_starts_from_what_the_request_says_and_the_read_is_audited(editor, world):
    request = make_request(world["falls"], name="Sam Example")

    page = editor.get(url(request)).content.decode()

    assert 'name="given_name" value="Sam"' in page
    assert 'name="family_name" value="Example"' in page
    assert 'name="birth_date-day"' in page and 'name="nhs_number"' in page
    assert AuditEvent.objects.filter(
        action="referrals.contact_request.viewed",
        actor=world["falls_editor"],
        target_id=str(request.pk),
    ).exists()


def test_what_is_missing_is_asked_for_and_what_was_typed_is_kept(editor, world):
    request = make_request(world["falls"])

    response = editor.post(
        url(request),
        details(**{"birth_date-day": "", "birth_date-month": "", "birth_date-year": ""}, need=""),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter date of birth" in page and 'href="#id_birth_date-day"' in page
    assert "Select what they need help with" in page
    assert 'name="given_name" value="Sam"' in page
    request.refresh_from_db()
    assert request.status == ContactRequestStatus.NEW and request.referral is None


def test_it_becomes_a_person_consent_and_referral_and_lands_on_the_referral(editor, world):
    request = make_request(world["falls"], name="Sam Example")

    response = editor.post(url(request), details(nhs_number="999 000 0042"))

    request.refresh_from_db()
    referral = request.referral
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:referral_detail", args=[referral.pk])
    assert (referral.service, referral.status, referral.need) == (
        world["falls"],
        ReferralStatus.ACCEPTED,
        "loneliness",
    )
    person = referral.person
    assert (person.given_name, person.birth_date.isoformat()) == ("Sam", "1948-06-01")
    assert person.nhs_number == "9990000042" and person.phone == "01274 123456"
    consent = Consent.objects.get(person=person, service=world["falls"])
    assert consent.source == ConsentSource.OWN_REQUEST
    page = editor.get(response["Location"]).content.decode()
    assert f"is now referral {referral.reference}" in page
    again = editor.get(reverse("referrals:inbox_detail", args=[request.pk])).content.decode()
    assert referral.reference in again and "Make this a referral" not in again


def test_it_may_be_marked_received_to_decide_later(editor, world):
    request = make_request(world["falls"])

    editor.post(url(request), details(answer="received"))

    request.refresh_from_db()
    assert request.referral.status == ReferralStatus.RECEIVED


def test_a_possible_duplicate_the_provider_may_not_open_is_never_named(editor, world):
    ada = world["person"]  # recorded by the firefighter: the falls team may not open her
    request = make_request(world["falls"], name="Ada Okafor")
    same = details(
        given_name="Ada",
        family_name="Okafor",
        **{"birth_date-day": "2", "birth_date-month": "5", "birth_date-year": "1941"},
    )

    refused = editor.post(url(request), same)
    confirmed = editor.post(url(request), {**same, "confirm_new": "on"})

    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Possibly known to another organisation" in page
    assert str(ada.pk) not in page and ada.nhs_number not in page
    assert confirmed.status_code == 302
    made = _referral(request).person
    assert made != ada and DuplicateFlag.objects.filter(person=made, other=ada).exists()


def test_someone_the_provider_may_open_is_offered_and_referred_again(editor, world):
    first = make_request(world["falls"])
    editor.post(url(first), details())
    known = Person.objects.get(given_name="Sam", family_name="Example")
    second = make_request(world["falls"])
    editor.post(
        reverse("referrals:referral_move", args=[_referral(first).pk, "complete"]),
        {"outcome": "Home visit done.", "outcome_code": "achieved"},
    )

    offered = editor.post(url(second), details())
    chosen = editor.post(url(second), details(person=str(known.pk)))

    assert offered.status_code == 409
    assert f'value="{known.pk}"' in offered.content.decode()
    assert "Sam Example, born 1 June 1948" in offered.content.decode()
    assert chosen.status_code == 302
    assert _referral(second).person == known
    assert Person.objects.filter(given_name="Sam", family_name="Example").count() == 1


def _referral(request):
    return ContactRequest.objects.get(pk=request.pk).referral


def test_a_person_one_may_not_open_cannot_be_chosen_by_id(editor, world):
    request = make_request(world["falls"])

    response = editor.post(url(request), details(person=str(world["person"].pk)))

    assert response.status_code == 400
    assert "Select one of the people listed, or none" in response.content.decode()
    assert "Okafor" not in response.content.decode()
    assert _referral(request) is None


@pytest.mark.parametrize("stranger", ["lunch_editor", "housing_officer", "firefighter"])
def test_another_services_request_cannot_be_converted(client, world, stranger):
    request = make_request(world["falls"])
    assert client.login(username=stranger, password=PASSWORD)

    shown = client.get(url(request))
    posted = client.post(url(request), details())

    assert shown.status_code in (403, 404) and posted.status_code in (403, 404)
    assert "Sam Example" not in shown.content.decode()
    request.refresh_from_db()
    assert request.referral is None and request.status == ContactRequestStatus.NEW


def test_a_provider_of_another_service_gets_404_alike_for_missing(client, world):
    request = make_request(world["falls"])
    assert client.login(username="lunch_editor", password=PASSWORD)

    theirs = client.get(url(request))
    missing = client.get(reverse("referrals:inbox_convert", args=[uuid.uuid4()]))

    assert theirs.status_code == missing.status_code == 404


def test_a_converted_request_cannot_be_converted_twice(editor, world):
    request = make_request(world["falls"])
    editor.post(url(request), details())

    again = editor.post(url(request), details(given_name="Other"))

    assert again.status_code == 302
    assert again["Location"] == reverse("referrals:inbox_detail", args=[request.pk])
    assert not Person.objects.filter(given_name="Other").exists()
