"""Declining with a reason code (counted, exported, refused when unknown), the referrer shown
well to whoever may read the referral, and a new-referral notification that reads once."""

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from linkwell.referrals import actions
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import Refused
from linkwell.referrals.fhir import codes
from linkwell.referrals.models import (
    DeclineReason,
    Notification,
    NotificationKind,
    Referral,
    ReferralStatus,
)
from linkwell.referrals.tests.api_scene import (
    call,
    client_for,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)


def _decline(scene, body):
    client = client_for(scene, "falls_editor")
    return call(client, "POST", f"/referrals/{scene['sent'].pk}/decline", body)


def test_a_service_declines_with_a_code_and_the_referrer_reads_it_in_the_api_and_fhir(scene):
    response = _decline(scene, {"reason_code": "no_capacity"})
    assert response.status_code == 200
    referral = Referral.objects.get(pk=scene["sent"].pk)
    assert (referral.status, referral.decline_reason_code) == ("declined", "no_capacity")

    shown = call(client_for(scene, "firefighter"), "GET", f"/referrals/{referral.pk}").json()
    assert shown["decline_reason_code"] == "no_capacity"
    assert shown["decline_reason_label"] == str(DeclineReason.NO_CAPACITY.label)

    fhir = call(client_for(scene, "firefighter"), "GET", f"/referrals/{referral.pk}/fhir")
    bundle = Bundle.model_validate(json.loads(fhir.content))
    task = next(e.resource for e in bundle.entry if e.resource.get_resource_type() == "Task")
    coding = task.statusReason.coding[0]
    assert (coding.system, coding.code) == (codes.DECLINE_REASON, "no_capacity")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason_code": "too_busy"}, "reason_code"),
        ({"reason_code": "other"}, "reason"),
        ({"reason_code": "other", "reason": "   "}, "reason"),
        ({"reason_code": "no_capacity", "reason": "x" * 1001}, "reason"),
    ],
)
def test_a_bad_decline_is_refused_naming_the_field_and_nothing_moves(scene, body, field):
    response = _decline(scene, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == field
    assert Referral.objects.get(pk=scene["sent"].pk).status == ReferralStatus.SENT


def test_a_caller_giving_only_words_declines_as_other(scene):
    actions.decline_referral(
        scene["sent"], actor=scene["falls_editor"], via="test", reason="Out of area"
    )
    referral = Referral.objects.get(pk=scene["sent"].pk)
    assert (referral.decline_reason_code, referral.decline_reason) == ("other", "Out of area")


def test_the_decline_codes_are_documented_in_openapi(scene, client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["DeclineIn"]
    assert set(schema["properties"]["reason_code"]["enum"]) == set(DeclineReason.values)


def test_declines_are_counted_by_code_among_what_the_reader_may_read(scene):
    editor = scene["falls_editor"]
    actions.decline_referral(scene["sent"], actor=editor, via="test", reason_code="duplicate")
    counts = rq.declines_by_reason(editor)
    assert counts["duplicate"] == 1 and sum(counts.values()) == 1
    assert sum(rq.declines_by_reason(scene["lunch_editor"]).values()) == 0


def test_the_action_itself_refuses_an_unknown_code(scene):
    with pytest.raises(Refused) as refused:
        actions.decline_referral(
            scene["sent"], actor=scene["falls_editor"], via="test", reason_code="nope"
        )
    assert refused.value.field == "reason_code"


def test_the_service_sees_who_referred_with_role_organisation_and_work_email(scene):
    shown = call(client_for(scene, "falls_editor"), "GET", f"/referrals/{scene['sent'].pk}")
    details = shown.json()["referrer_details"]
    firefighter = scene["firefighter"]
    assert details == {
        "name": firefighter.get_full_name() or firefighter.username,
        "role": "practitioner",
        "role_label": "Practitioner",
        "organisation": "Bradford Fire",
        "email": firefighter.email,
    }


def test_a_member_of_another_partner_gets_nothing_of_the_referrer(scene):
    stranger = scene["housing_officer"]
    assert rq.referrer_of(stranger, scene["sent"]) is None
    response = call(client_for(scene, "housing_officer"), "GET", f"/referrals/{scene['sent'].pk}")
    assert response.status_code == 404
    assert scene["firefighter"].email not in response.content.decode()


def test_a_new_referral_notification_says_new_referral_once(scene):
    note = Notification.objects.about(scene["sent"]).get(kind=NotificationKind.NEW_REFERRAL)
    assert note.message == f"New referral {scene['sent'].reference} for Falls prevention"
    assert note.message.lower().count("new referral") == 1
