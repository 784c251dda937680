"""The referral API in use: idempotent submits, what each caller sees, audited reads, capacity
and the waiting list, a connector's case, and refusals that name the field or the rule."""

import datetime as dt

from django.test import Client

from linkwell.audit.models import AuditEvent
from linkwell.referrals.models import Person, Referral, ReferralStatus
from linkwell.referrals.tests.api_scene import (
    call,
    client_for,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)

S = ReferralStatus


def _to_lunch(scene):
    return {"person_id": str(scene["ada"].pk), "service_id": str(scene["lunch"].pk)}


def test_a_repeated_submit_with_the_same_idempotency_key_returns_the_first_referral(scene):
    client = client_for(scene, "firefighter")
    first = call(client, "POST", "/referrals/", _to_lunch(scene), **{"Idempotency-Key": "k-1"})
    again = call(client, "POST", "/referrals/", _to_lunch(scene), **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.filter(service=scene["lunch"], person=scene["ada"]).count() == 1


def test_without_an_idempotency_key_each_submit_is_a_new_referral(scene):
    client = client_for(scene, "firefighter")
    call(client, "POST", "/referrals/", _to_lunch(scene))
    call(client, "POST", "/referrals/", _to_lunch(scene))
    assert Referral.objects.filter(service=scene["lunch"], person=scene["ada"]).count() == 2


def test_a_referral_without_consent_is_refused_naming_consent_and_nothing_is_written(scene):
    body = {"person_id": str(scene["ada"].pk), "service_id": str(scene["connectors"].pk)}
    response = call(client_for(scene, "firefighter"), "POST", "/referrals/", body)
    assert response.status_code == 409
    assert response.json()["errors"][0]["parameter"] == "consent"
    assert "consent" in response.json()["detail"]
    assert not Referral.objects.filter(service=scene["connectors"], person=scene["ada"]).exists()


def test_completing_a_declined_referral_is_refused_naming_the_rule(scene):
    client = client_for(scene, "falls_editor")
    sent = scene["sent"].pk
    call(client, "POST", f"/referrals/{sent}/decline", {"reason": "Out of our area"})
    response = call(client, "POST", f"/referrals/{sent}/complete", {"outcome": "Done"})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "A referral that is declined cannot become completed (it is closed)."
    )
    assert Referral.objects.get(pk=sent).status == S.DECLINED


def test_declining_without_a_reason_is_refused_naming_the_reason(scene):
    client = client_for(scene, "falls_editor")
    response = call(client, "POST", f"/referrals/{scene['sent'].pk}/decline", {"reason": " "})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameter": "reason", "reason": "Say why the referral is declined."}
    ]


def test_the_last_place_goes_once_then_the_next_accept_is_a_conflict_or_waits(scene):
    ff, editor = client_for(scene, "firefighter"), client_for(scene, "lunch_editor")
    first = call(ff, "POST", "/referrals/", _to_lunch(scene)).json()["id"]
    second = call(ff, "POST", "/referrals/", _to_lunch(scene)).json()["id"]
    assert call(editor, "POST", f"/referrals/{first}/accept", {}).json()["status"] == S.ACCEPTED
    full = call(editor, "POST", f"/referrals/{second}/accept", {})
    assert full.status_code == 409
    assert full.json()["errors"][0]["parameter"] == "capacity"
    waits = call(editor, "POST", f"/referrals/{second}/accept", {"waitlist_if_full": True})
    assert waits.json()["status"] == S.WAITLISTED
    capacity = call(editor, "GET", f"/referrals/services/{scene['lunch'].pk}/capacity").json()
    assert capacity["places_left"] == 0


def test_a_fire_service_referrer_sees_where_their_referral_stands_and_only_the_name(scene):
    body = call(client_for(scene, "firefighter"), "GET", f"/referrals/{scene['sent'].pk}").json()
    assert body["status"] == S.SENT
    assert set(body["person"]) == {"id", "given_name", "family_name"}
    assert all("note" not in event for event in body["history"])


def test_a_provider_sees_the_phone_only_because_the_person_agreed_to_be_phoned(scene):
    client = client_for(scene, "falls_editor")
    body = call(client, "GET", f"/referrals/{scene['sent'].pk}").json()
    assert body["person"]["phone"] == "07700 900123"
    assert "nhs_number" not in body["person"]
    assert body["allowed"]["answer"] is True


def test_reading_a_person_through_the_api_is_audited_with_the_endpoint(scene):
    ada = scene["ada"]
    response = call(client_for(scene, "falls_editor"), "GET", f"/people/{ada.pk}")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="referrals.person.viewed", target_id=str(ada.pk))
    assert event.latest("at").via == "api:GET /people/{id}"
    assert event.latest("at").actor == scene["falls_editor"]


def test_an_invalid_nhs_number_is_refused_naming_the_field(scene):
    body = {
        "given_name": "Cy",
        "family_name": "Chen",
        "birth_date": "1950-03-04",
        "nhs_number": "9990000019",
    }
    response = call(client_for(scene, "gp"), "POST", "/people/", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "nhs_number"
    assert "Modulus 11" in response.json()["detail"]
    assert not Person.objects.filter(given_name="Cy").exists()


def test_a_birth_date_in_the_future_is_refused_naming_the_field(scene):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    body = {"given_name": "Cy", "family_name": "Chen", "birth_date": tomorrow}
    response = call(client_for(scene, "gp"), "POST", "/people/", body)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameter": "birth_date", "reason": "A date of birth cannot be in the future."}
    ]


def test_a_birth_date_that_is_not_a_date_is_refused_naming_the_field(scene):
    body = {"given_name": "Cy", "family_name": "Chen", "birth_date": "1950-13-40"}
    response = call(client_for(scene, "gp"), "POST", "/people/", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "birth_date"


def test_a_possible_duplicate_answers_409_with_the_candidate_until_confirmed(scene):
    ada = scene["ada"]
    body = {"given_name": "Ada", "family_name": "Okafor", "birth_date": "1941-05-02"}
    client = client_for(scene, "firefighter")
    response = call(client, "POST", "/people/", body)
    assert response.status_code == 409
    assert response.json()["candidates"] == [str(ada.pk)]
    confirmed = call(client, "POST", "/people/", {**body, "confirm_new": True})
    assert confirmed.status_code == 201
    assert Person.objects.filter(given_name="Ada", family_name="Okafor").count() == 2


def test_a_connector_runs_a_case_through_the_api_and_the_gp_hears_the_outcome(scene):
    case, connector = scene["case"].pk, client_for(scene, "connector")
    today = dt.date.today().isoformat()
    put = call(connector, "PUT", f"/cases/{case}/what-matters", {"text": "Getting out"})
    assert put.json()["what_matters"] == "Getting out"
    session = call(connector, "POST", f"/cases/{case}/sessions", {"held_on": today})
    assert session.json()["number"] == 1
    load = call(connector, "GET", "/cases/").json()
    assert [c["sessions_left"] for c in load["active"]] == [5]
    done = call(
        connector,
        "POST",
        f"/cases/{case}/discharge",
        {"outcome": "Joined a choir.", "outcome_code": "achieved"},
    )
    assert done.json()["status"] == "discharged"
    gp = client_for(scene, "gp")
    made = call(gp, "GET", "/referrals/made").json()["contents"]
    assert [r["status"] for r in made] == [S.COMPLETED]
    inbox = call(gp, "GET", "/notifications/?unread_only=true").json()
    assert any("Joined a choir." in n["message"] for n in inbox["contents"])
    marked = call(gp, "POST", "/notifications/read", {"ids": [n["id"] for n in inbox["contents"]]})
    assert marked.json() == {"marked": inbox["unread"]}


def test_a_referrer_never_reads_the_case_of_their_referral(scene):
    response = call(client_for(scene, "gp"), "GET", f"/cases/{scene['case'].pk}")
    assert response.status_code == 404


def test_lists_are_paged_in_the_envelope_of_the_directory_api(scene):
    body = call(client_for(scene, "firefighter"), "GET", "/referrals/made?per_page=2").json()
    assert (body["total_items"], body["size"], body["total_pages"]) == (3, 2, 2)
    assert body["first_page"] and not body["last_page"]


def test_the_openapi_document_lists_every_referral_endpoint(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/people/": {"post"},
        "/api/v1/people/{person_id}": {"get"},
        "/api/v1/people/{person_id}/consents": {"post"},
        "/api/v1/people/{person_id}/consents/{consent_id}/withdraw": {"post"},
        "/api/v1/people/{person_id}/contacts": {"post"},
        "/api/v1/referrals/": {"post"},
        "/api/v1/referrals/made": {"get"},
        "/api/v1/referrals/to-answer": {"get"},
        "/api/v1/referrals/{referral_id}": {"get"},
        "/api/v1/referrals/{referral_id}/fhir": {"get"},
        "/api/v1/referrals/fhir": {"post"},
        "/api/v1/referrals/services/{service_id}/capacity": {"get", "put"},
        "/api/v1/cases/": {"get"},
        "/api/v1/cases/{case_id}": {"get"},
        "/api/v1/cases/{case_id}/what-matters": {"put"},
        "/api/v1/cases/{case_id}/goals": {"post"},
        "/api/v1/cases/{case_id}/goals/{goal_id}/status": {"put"},
        "/api/v1/cases/{case_id}/sessions": {"post"},
        "/api/v1/cases/{case_id}/follow-up": {"put"},
        "/api/v1/cases/{case_id}/discharge": {"post"},
        "/api/v1/notifications/": {"get"},
        "/api/v1/notifications/read": {"post"},
    }
    for move in (
        "send",
        "receive",
        "accept",
        "decline",
        "waitlist",
        "start",
        "complete",
        "did-not-engage",
        "cancel",
    ):
        expected[f"/api/v1/referrals/{{referral_id}}/{move}"] = {"post"}
    assert {p: set(paths[p]) for p in expected if p in paths} == expected
    accept = paths["/api/v1/referrals/{referral_id}/accept"]["post"]
    assert set(accept["responses"]) >= {"200", "401", "403", "404", "409"}
