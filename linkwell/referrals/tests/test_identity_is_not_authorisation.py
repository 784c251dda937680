"""Knowing a person's identifiers opens nothing. Tried as an attacker inside the partnership
would: the GP (another partner, with a valid session) knows Ada's NHS number, birth date and
family name (Ada was recorded by the firefighter) and sends a FHIR referral about her under
another given name, with their own contact details and consents."""

import copy
import json

import pytest

from linkwell.audit.models import AuditEvent
from linkwell.referrals import actions
from linkwell.referrals.errors import NoConsent
from linkwell.referrals.fhir import codes
from linkwell.referrals.models import (
    Consent,
    ConsentPurpose,
    ConsentSource,
    DuplicateFlag,
    Person,
    PersonSubmission,
    Referral,
)
from linkwell.referrals.tests.api_scene import (
    call,
    client_for,
    gp_bundle,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import (
    NHS_NUMBERS,
    world,  # noqa: F401 (fixture)
)

ADA_BIRTH = "1941-05-02"
ADA_PHONE = "07700 900123"


def bundle_about_ada(scene, *, family="Okafor", birth=ADA_BIRTH, consent=True, text=True):
    """Ada's identifiers under another given name, the sender's own phone and address, consent
    to share with the lunch club and (when `text`) to be texted."""
    bundle = gp_bundle(scene["lunch"].pk, nhs=NHS_NUMBERS[0], birth=birth, consent=consent)
    patient = bundle["entry"][1]["resource"]
    patient["name"] = [{"family": family, "given": ["Zed"]}]
    patient["telecom"] = [{"system": "phone", "value": "07000 000001"}]
    patient["address"] = [{"line": ["1 Sender Street"], "postalCode": "BD3 7HZ"}]
    if consent and text:
        bundle["entry"][2]["resource"]["provision"]["purpose"] = [
            {"system": codes.CONSENT_PURPOSE, "code": ConsentPurpose.CONTACT_TEXT.value}
        ]
    return bundle


def send(scene, bundle, persona="gp"):
    return client_for(scene, persona).post(
        "/api/v1/referrals/fhir", data=json.dumps(bundle), content_type="application/fhir+json"
    )


def linked(scene):
    response = send(scene, bundle_about_ada(scene))
    assert response.status_code == 201, response.content
    return response, Referral.objects.get(pk=response.json()["id"])


def test_a_full_match_links_the_referral_but_the_answer_shows_what_was_sent(scene):
    response, referral = linked(scene)

    assert referral.person == scene["ada"]
    person = response.json()["person"]
    assert person == {"given_name": "Zed", "family_name": "Okafor"}  # no id, not "Ada"
    assert str(scene["ada"].pk) not in response.content.decode()


def test_the_linked_sender_cannot_open_the_record(scene):
    linked(scene)
    client = client_for(scene, "gp")

    assert call(client, "GET", f"/people/{scene['ada'].pk}").status_code == 404
    assert client.get(f"/people/{scene['ada'].pk}/").status_code == 404
    refer_again = call(
        client,
        "POST",
        "/referrals/",
        {"person_id": str(scene["ada"].pk), "service_id": str(scene["lunch"].pk)},
    )
    assert refer_again.status_code == 400
    assert refer_again.json()["errors"][0]["parameter"] == "person_id"


def test_the_linked_sender_sees_their_own_referral_as_they_sent_it_and_nothing_of_the_record(
    scene,
):
    _, referral = linked(scene)
    client = client_for(scene, "gp")
    held = [str(pk) for pk in Consent.objects.filter(submission=None).values_list("pk", flat=True)]

    for path in (f"/referrals/{referral.pk}", f"/referrals/{referral.pk}/fhir", "/referrals/made"):
        body = call(client, "GET", path).content.decode()
        assert "Zed" in body, path
        for secret in ("Ada", ADA_PHONE, str(scene["ada"].pk), *held):
            assert secret not in body, (path, secret)
    shown = call(client, "GET", f"/referrals/{referral.pk}").json()["person"]
    assert shown["phone"] == "07000 000001" and "id" not in shown
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Zed Okafor" in page and "Ada Okafor" not in page and ADA_PHONE not in page
    listed = client.get("/referrals/").content.decode()
    assert "Zed Okafor" in listed and "Ada Okafor" not in listed


def test_the_record_held_is_not_changed_by_what_was_sent(scene):
    ada = scene["ada"]
    before = Person.objects.filter(pk=ada.pk).values().get()

    linked(scene)

    assert Person.objects.filter(pk=ada.pk).values().get() == before
    submission = PersonSubmission.objects.get(person=ada)
    assert submission.linked and submission.details["given_name"] == "Zed"
    assert AuditEvent.objects.filter(
        action="referrals.person.linked", target_id=str(ada.pk), actor=scene["gp"]
    ).exists()


def test_consent_in_the_bundle_is_recorded_as_stated_and_counts_for_that_referral_only(scene):
    ada = scene["ada"]
    held = set(Consent.objects.filter(person=ada).values_list("pk", "withdrawn_at"))
    _, referral = linked(scene)

    stated = Consent.objects.filter(person=ada, source=ConsentSource.STATED_BY_SENDER)
    assert {c.purpose for c in stated} == {
        ConsentPurpose.SHARE_WITH_SERVICE,
        ConsentPurpose.CONTACT_TEXT,
    }
    assert all(c.submission_id == referral.submission_id for c in stated)
    assert all("FHIR Consent" in c.provenance and "gp" in c.provenance for c in stated)
    # Consent given elsewhere is neither overwritten nor widened:
    assert held <= set(Consent.objects.filter(person=ada).values_list("pk", "withdrawn_at"))
    assert not actions.has_consent(ada, ConsentPurpose.CONTACT_TEXT)
    assert not actions.has_consent(ada, ConsentPurpose.SHARE_WITH_SERVICE, scene["connectors"])
    with pytest.raises(NoConsent):  # the firefighter cannot ride on the GP's statement
        actions.make_referral(
            actor=scene["firefighter"], via="test", person=ada, service=scene["connectors"]
        )


def test_the_service_sees_the_record_and_the_contact_the_bundle_allowed_for_its_referral(scene):
    _, referral = linked(scene)
    client = client_for(scene, "lunch_editor")

    shown = call(client, "GET", f"/referrals/{referral.pk}").json()["person"]

    assert (shown["id"], shown["given_name"], shown["phone"]) == (
        str(scene["ada"].pk),
        "Ada",
        ADA_PHONE,
    )


def test_a_bundle_for_someone_held_must_carry_its_own_consent(scene):
    # Ada agreed (to the firefighter) to share with the falls team: that is no licence for
    # anyone who knows her identifiers.
    bundle = bundle_about_ada(scene, consent=False)
    bundle["entry"][0]["resource"]["performer"] = [
        {"reference": f"HealthcareService/{scene['falls'].pk}"}
    ]
    before = Referral.objects.count()

    response = send(scene, bundle)

    assert response.status_code == 409
    assert "Consent" in response.json()["detail"]
    assert Referral.objects.count() == before
    assert not PersonSubmission.objects.exists()


@pytest.mark.parametrize(
    ("change", "value"),
    [("family", "Smith"), ("birth", "1941-05-03")],
)
def test_a_partial_match_is_held_for_review_never_linked(scene, change, value):
    ada = scene["ada"]

    response = send(scene, bundle_about_ada(scene, **{change: value}))

    assert response.status_code == 201
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.person != ada
    assert DuplicateFlag.objects.filter(person=referral.person, other=ada).exists()
    assert str(ada.pk) not in response.content.decode()
    assert Person.objects.get(pk=ada.pk).given_name == "Ada"


def test_the_family_name_matches_whatever_its_case_accents_or_hyphens(scene):
    bundle = bundle_about_ada(scene)
    bundle["entry"][1]["resource"]["name"] = [{"family": " okáfor ", "given": ["Zed"]}]
    response = send(scene, bundle)
    assert Referral.objects.get(pk=response.json()["id"]).person == scene["ada"]


def test_the_recorder_who_sends_a_bundle_still_sees_the_record(scene):
    # Bob was recorded by the GP: their own bundle about him links and they see him whole.
    bob = scene["bob"]
    bundle = gp_bundle(scene["lunch"].pk, nhs=NHS_NUMBERS[1], birth="1941-05-02")
    bundle["entry"][1]["resource"]["name"] = [{"family": "Hill", "given": ["Robert"]}]
    response = send(scene, bundle)
    assert response.status_code == 201
    assert response.json()["person"] == {
        "id": str(bob.pk),
        "given_name": "Bob",
        "family_name": "Hill",
    }


# --- possible duplicates ---------------------------------------------------------------


def test_a_duplicate_warning_names_no_one_the_caller_cannot_open(scene):
    body = {
        "given_name": "Someone",
        "family_name": "Else",
        "birth_date": "1990-01-01",
        "nhs_number": NHS_NUMBERS[0],
    }

    response = call(client_for(scene, "gp"), "POST", "/people/", body)

    assert response.status_code == 409
    answer = response.json()
    assert (answer["candidates"], answer["known_elsewhere"]) == ([], True)
    assert "possibly known to another organisation" in answer["detail"]
    assert str(scene["ada"].pk) not in response.content.decode()


def test_a_duplicate_the_caller_may_open_is_named(scene):
    body = {"given_name": "Ada", "family_name": "Okafor", "birth_date": ADA_BIRTH}

    answer = call(client_for(scene, "firefighter"), "POST", "/people/", body).json()

    assert (answer["candidates"], answer["known_elsewhere"]) == ([str(scene["ada"].pk)], False)


# --- consents shown ----------------------------------------------------------------------


def test_a_service_sees_only_the_consents_bearing_on_its_referrals(scene):
    # Ada agreed to share with the falls team and the lunch club; the falls team must not
    # learn about the lunch club.
    answer = call(client_for(scene, "falls_editor"), "GET", f"/people/{scene['ada'].pk}").json()

    services = {c["service_id"] for c in answer["consents"]}
    assert services == {None, str(scene["falls"].pk)}
    page = client_for(scene, "falls_editor").get(f"/people/{scene['ada'].pk}/").content.decode()
    assert "Lunch club" not in page


def test_a_consent_the_caller_cannot_see_cannot_be_withdrawn_by_them(scene):
    # The connector opens Bob's record (his case), but his consent to share with the lunch
    # club (recorded by the GP) bears on no referral they can see.
    bob = scene["bob"]
    lunch_share = actions.record_consent(
        bob,
        ConsentPurpose.SHARE_WITH_SERVICE,
        actor=scene["gp"],
        via="test",
        service=scene["lunch"],
    )
    client = client_for(scene, "connector")
    assert str(lunch_share.pk) not in call(client, "GET", f"/people/{bob.pk}").content.decode()

    response = call(client, "POST", f"/people/{bob.pk}/consents/{lunch_share.pk}/withdraw")

    assert response.status_code == 404
    assert Consent.objects.get(pk=lunch_share.pk).active


# --- a service no longer active ---------------------------------------------------------


@pytest.fixture
def lunch_closed_down(scene):
    scene["lunch"].status = "defunct"
    scene["lunch"].save(update_fields=["status"])
    return scene


def test_the_api_refuses_a_referral_to_a_service_no_longer_active(lunch_closed_down):
    scene = lunch_closed_down
    before = Referral.objects.count()

    response = call(
        client_for(scene, "firefighter"),
        "POST",
        "/referrals/",
        {"person_id": str(scene["ada"].pk), "service_id": str(scene["lunch"].pk)},
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "service"
    assert "no longer active" in response.json()["detail"]
    assert Referral.objects.count() == before


def test_the_batch_and_fhir_endpoints_refuse_it_too(lunch_closed_down):
    scene = lunch_closed_down
    batch = call(
        client_for(scene, "firefighter"),
        "POST",
        "/referrals/batch",
        {"referrals": [{"person_id": str(scene["ada"].pk), "service_id": str(scene["lunch"].pk)}]},
    )
    assert batch.json()["results"][0]["status"] == 400
    fhir = send(scene, copy.deepcopy(gp_bundle(scene["lunch"].pk)))
    assert fhir.status_code == 400
    assert (
        fhir.json()["errors"][0]["parameter"] == "Bundle.entry[0].resource.performer[0].reference"
    )


def test_a_draft_to_a_service_closed_down_since_cannot_be_sent(scene):
    draft = scene["draft"]
    scene["falls"].status = "inactive"
    scene["falls"].save(update_fields=["status"])

    response = call(client_for(scene, "firefighter"), "POST", f"/referrals/{draft.pk}/send")

    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == "draft"
