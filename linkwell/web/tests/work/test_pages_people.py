"""Registering a person through the page (field errors, possible duplicates) and their page
(only the fields the reader may see, consents, every view audited)."""

from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.referrals.models import Consent, ConsentPurpose, DuplicateFlag, Person
from linkwell.referrals.tests.pages_world import NHS_NUMBERS, pages_fixture, sign_in  # noqa: F401 (fixture)

NEW = reverse("referrals:person_new")


def born(day, month, year):
    return {"birth_date-day": day, "birth_date-month": month, "birth_date-year": year}


def typed(**overrides):
    data = {
        "given_name": "Bea",
        "family_name": "Smith",
        **born("3", "2", "1950"),
        "nhs_number": NHS_NUMBERS[3],
        "postcode": "BD3 7HZ",
        "gp_practice_code": "B83005",
        "preferred_language": "ur",
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
    assert bea.birth_date.isoformat() == "1950-02-03"
    assert (bea.preferred_language, bea.gp_practice.code) == ("ur", "B83005")
    assert "Urdu (اردو)" in page  # the language and the practice by name, not by code
    assert "Thornbury Medical Practice, Bradford BD3 7HZ" in page
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
    assert 'id="id_nhs_number_error"' in page and "Check the NHS number" in page
    assert 'href="#id_nhs_number"' in page  # the summary links to the field
    assert 'value="Bea"' in page and "Uses a wheelchair" in page
    assert not Person.objects.filter(family_name="Smith").exists()


def test_a_birth_date_in_the_future_is_refused_at_its_field(client, world):
    sign_in(client, "firefighter")

    response = client.post(NEW, typed(**born("1", "1", "2999")))

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_birth_date_error"' in page and "Date of birth must be in the past" in page
    assert 'href="#id_birth_date-day"' in page
    assert not Person.objects.filter(family_name="Smith").exists()


def test_a_possible_duplicate_is_listed_and_registered_only_when_confirmed(client, world):
    ada = world["person"]
    sign_in(client, "firefighter")
    same = typed(given_name="Ada", family_name="Okafor", **born("2", "5", "1941"), nhs_number="")

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
    assert "Select the service they agree to share with" in missing.content.decode()
    consent = Consent.objects.get(person=ada, service=lunch)
    assert consent.recorded_by == pages["firefighter"] and consent.how == "verbally"

    client.post(reverse("referrals:consent_withdraw", args=[ada.pk, consent.pk]))

    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_every_error_is_shown_at_once_each_saying_what_to_do(client, world):
    sign_in(client, "firefighter")
    wrong = typed(
        given_name="",
        family_name="",
        **born("31", "2", "1950"),
        nhs_number="12345",
        postcode="XYZ",
        gp_practice_code="Nowhere Surgery",
        preferred_language="Klingon",
        email="bea@",
    )

    response = client.post(NEW, wrong)

    page = response.content.decode()
    assert response.status_code == 400
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</div>", start)]
    for target, message in [
        ("id_given_name", "Enter their given name"),
        ("id_family_name", "Enter their family name"),
        ("id_birth_date-day", "Date of birth must be a real date"),
        ("id_nhs_number", "NHS number must be 10 digits, like 485 777 3456"),
        ("id_postcode", "Enter a full UK postcode, like BD3 7HZ"),
        ("id_gp_practice_code", "Select a GP practice from the list, or search by its name"),
        ("id_preferred_language", "Select a language from the list, or enter its name"),
        ("id_email", "Enter an email address like name@example.com"),
    ]:
        assert f'<a href="#{target}">{message}' in summary
    assert 'value="31"' in page and 'value="12345"' in page and "Uses a wheelchair" in page
    assert not Person.objects.filter(family_name="Smith").exists()


def test_a_language_and_a_gp_practice_may_be_typed_by_name_or_postcode(client, world):
    sign_in(client, "firefighter")

    client.post(NEW, typed(preferred_language="Polish", gp_practice_code="bd3 7hz"))

    bea = Person.objects.get(family_name="Smith")
    assert (bea.preferred_language, bea.gp_practice.code) == ("pl", "B83005")


def test_the_form_offers_languages_and_practices_by_name_and_day_month_year(client, world):
    sign_in(client, "firefighter")

    page = client.get(NEW).content.decode()

    assert '<option value="ur">Urdu (اردو)</option>' in page
    assert '<option value="B83005">Thornbury Medical Practice, Bradford BD3 7HZ</option>' in page
    for part in ("day", "month", "year"):
        assert f'name="birth_date-{part}"' in page


def test_a_postcode_not_known_is_refused_by_the_action_at_its_field(client, world):
    sign_in(client, "firefighter")

    response = client.post(NEW, typed(postcode="ZZ99 9ZZ"))

    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_postcode">Check the postcode, or leave it empty' in page
    assert 'value="ZZ99 9ZZ"' in page


def test_a_provider_sees_the_language_by_name_but_not_the_gp_practice(client, pages):
    ada = pages["person"]
    ada.preferred_language = "pa"
    ada.save(update_fields=["preferred_language"])
    sign_in(client, "falls_editor")

    page = client.get(reverse("referrals:person_detail", args=[ada.pk])).content.decode()

    assert "Punjabi" in page
    assert "GP practice" not in page


def test_the_consent_form_shows_every_error_at_once(client, pages):
    ada = pages["person"]
    sign_in(client, "firefighter")

    response = client.post(
        reverse("referrals:consent_record", args=[ada.pk]), {"purpose": "", "how": "x" * 101}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_purpose_0">Select what they agree to</a>' in page
    assert '<a href="#id_how">This is 101 characters long' in page
    assert not Consent.objects.filter(person=ada, how__startswith="x").exists()
