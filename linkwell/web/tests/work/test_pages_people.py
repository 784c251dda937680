"""Registering a person through the page (field errors, possible duplicates) and their page
(only the fields the reader may see, consents, every view audited)."""

from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.referrals.models import Consent, ConsentPurpose, DuplicateFlag, Person
from linkwell.referrals.tests.pages_world import NHS_NUMBERS, pages_fixture, sign_in  # noqa: F401 (fixture)

NEW = reverse("referrals:person_new")


def typed(**overrides):
    data = {
        "given_name": "Bea",
        "family_name": "Smith",
        "birth_date": "1950-02-03",
        "nhs_number": NHS_NUMBERS[3],
        "postcode": "BD3 7HZ",
        "gp_practice_code": "B83005",
        "phone": "07700 900456",
        "accessibility_needs": "Uses a wheelchair",
    }
    data.update(overrides)
    return data


def test_a_practitioner_registers_a_person_and_lands_on_their_audited_page(client, world):
    sign_in(client, "firefighter")

    response = client.post(NEW, typed(), follow=True)

    bea = Person.objects.get(family_name="Smith")
    assert response.redirect_chain[-1][0] == reverse("referrals:person_detail", args=[bea.pk])
    page = response.content.decode()
    assert "Bea Smith is registered." in page and "Uses a wheelchair" in page
    actions = AuditEvent.objects.filter(target_id=str(bea.pk)).values_list("action", "via")
    assert set(actions) == {
        ("referrals.person.created", "page:person_new"),
        ("referrals.person.viewed", "page:person_detail"),
    }


def test_an_invalid_nhs_number_is_refused_at_its_field_keeping_what_was_typed(client, world):
    sign_in(client, "firefighter")

    response = client.post(NEW, typed(nhs_number="999 000 0019"))

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_nhs_number-error"' in page and "check digit is wrong" in page
    assert 'href="#id_nhs_number"' in page  # the summary links to the field
    assert 'value="Bea"' in page and "Uses a wheelchair" in page
    assert not Person.objects.filter(family_name="Smith").exists()


def test_a_birth_date_in_the_future_is_refused_at_its_field(client, world):
    sign_in(client, "firefighter")

    response = client.post(NEW, typed(birth_date="2999-01-01"))

    assert response.status_code == 400
    assert 'id="id_birth_date-error"' in response.content.decode()
    assert not Person.objects.filter(family_name="Smith").exists()


def test_a_possible_duplicate_is_listed_and_registered_only_when_confirmed(client, world):
    ada = world["person"]
    sign_in(client, "firefighter")
    same = typed(given_name="Ada", family_name="Okafor", birth_date="1941-05-02", nhs_number="")

    response = client.post(NEW, same)

    page = response.content.decode()
    assert response.status_code == 400
    assert reverse("referrals:person_detail", args=[ada.pk]) in page
    assert "register them anyway" in page
    assert Person.objects.filter(family_name="Okafor").count() == 1

    client.post(NEW, {**same, "confirm_new": "on"})

    new = Person.objects.filter(family_name="Okafor").exclude(pk=ada.pk).get()
    assert DuplicateFlag.objects.filter(person=new, other=ada).exists()


def test_a_duplicate_held_by_another_organisation_is_only_said_to_exist(client, world):
    sign_in(client, "gp")

    response = client.post(
        NEW, typed(given_name="Someone", family_name="Else", nhs_number=NHS_NUMBERS[0])
    )

    page = response.content.decode()
    assert "Possibly known to another organisation" in page
    assert "Okafor" not in page
    assert str(world["person"].pk) not in page


def test_a_provider_sees_only_the_fields_the_person_agreed_to(client, pages):
    ada = pages["person"]
    sign_in(client, "falls_editor")

    page = client.get(reverse("referrals:person_detail", args=[ada.pk])).content.decode()

    assert "Ada Okafor" in page and "07700 900123" in page  # agreed to be phoned
    assert NHS_NUMBERS[0] not in page
    assert "Record a contact" not in page and "Record consent" not in page
    viewed = AuditEvent.objects.filter(action="referrals.person.viewed", target_id=str(ada.pk))
    assert viewed.filter(actor=pages["falls_editor"], via="page:person_detail").count() == 1


def test_consent_to_share_is_recorded_then_withdrawn_from_the_person_page(client, pages):
    ada, lunch = pages["person"], pages["lunch"]
    sign_in(client, "firefighter")
    url = reverse("referrals:consent_record", args=[ada.pk])
    chosen = {"purpose": ConsentPurpose.SHARE_WITH_SERVICE, "how": "verbally"}

    missing = client.post(url, chosen)
    client.post(url, {**chosen, "service": str(lunch.pk)})

    assert missing.status_code == 400
    assert "Choose the service they agree to share with." in missing.content.decode()
    consent = Consent.objects.get(person=ada, service=lunch)
    assert consent.recorded_by == pages["firefighter"] and consent.how == "verbally"

    client.post(reverse("referrals:consent_withdraw", args=[ada.pk, consent.pk]))

    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
