"""Making and accepting referrals in batches: each item answered as the single endpoint would,
in order; refused items write nothing and do not stop the others; repeats are idempotent;
what a batch writes (status history, audit, notifications) is what single requests write."""

import pytest
from django.core import mail
from django.db import transaction

from linkwell.audit.models import AuditEvent
from linkwell.notifications import channels
from linkwell.notifications.models import OutgoingMessage
from linkwell.referrals import actions
from linkwell.referrals.models import Notification, Referral, ReferralEvent, ReferralStatus
from linkwell.referrals.tests.api_scene import (
    PERSONAS,
    call,
    client_for,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import (
    consent_to,
    new_person,
    refer,
    world,  # noqa: F401 (fixture)
)
from linkwell.referrals.tests.test_api_permissions import MATRIX

S = ReferralStatus
SINGLE = dict(MATRIX)


def _item(person, service, **extra):
    return {"person_id": str(person.pk), "service_id": str(service.pk), **extra}


def _statuses(response):
    assert response.status_code == 200, response.content
    return [r["status"] for r in response.json()["results"]]


def test_each_item_of_a_batch_gets_what_the_single_request_would_for_every_persona(scene):
    make_single = dict(zip(PERSONAS, SINGLE["POST /referrals/"].split(), strict=True))
    accept_single = dict(
        zip(PERSONAS, SINGLE["POST /referrals/{sent}/accept"].split(), strict=True)
    )
    to_lunch = _item(scene["ada"], scene["lunch"], need="loneliness")
    for persona in PERSONAS:
        client = client_for(scene, persona)
        with transaction.atomic():
            made = call(client, "POST", "/referrals/batch", {"referrals": [to_lunch]})
            accepted = call(
                client, "POST", "/referrals/batch/accept", {"referral_ids": [str(scene["sent"].pk)]}
            )
            transaction.set_rollback(True)
        if make_single[persona] in ("401", "403"):  # the whole request is refused
            assert str(made.status_code) == make_single[persona], persona
        else:
            assert _statuses(made) == [int(make_single[persona])], persona
        if persona == "anonymous":
            assert accepted.status_code == 401
        else:
            assert _statuses(accepted) == [int(accept_single[persona])], persona


def test_a_mixed_batch_answers_each_item_in_order_and_writes_only_the_good_ones(scene):
    ff, ada = scene["firefighter"], scene["ada"]
    cy = new_person(ff, "Cy", "Chen", birth=scene["ada"].birth_date.replace(year=1950))
    consent_to(ff, cy, scene["falls"])
    before = Referral.objects.count()
    body = {
        "referrals": [
            _item(ada, scene["falls"], idempotency_key="b-1"),
            _item(ada, scene["connectors"]),  # no consent to share with the connectors
            {"person_id": str(scene["bob"].pk), "service_id": str(scene["falls"].pk)},
            _item(cy, scene["falls"], reason="x" * 1001),
            _item(ada, scene["falls"], idempotency_key="b-1"),  # the first one, again
            _item(cy, scene["falls"], idempotency_key="k" * 65),
            _item(cy, scene["falls"], need="falls_frailty", idempotency_key="b-2"),
        ]
    }
    response = call(client_for(scene, "firefighter"), "POST", "/referrals/batch", body)
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 409, 400, 400, 200, 400, 201]
    assert [r["index"] for r in results] == list(range(7))
    assert results[1]["errors"][0]["parameter"] == "consent"
    assert results[2]["errors"][0]["parameter"] == "person_id"  # Bob is not hers to see
    assert results[3]["errors"][0]["parameter"] == "reason"
    assert results[5]["errors"][0]["parameter"] == "idempotency_key"
    assert results[4]["referral"]["id"] == results[0]["referral"]["id"]
    assert (response.json()["succeeded"], response.json()["refused"]) == (3, 4)
    assert Referral.objects.count() == before + 2
    made = Referral.objects.filter(idempotency_key__in=["b-1", "b-2"], referrer=ff)
    assert {r.status for r in made} == {S.SENT}

    again = call(client_for(scene, "firefighter"), "POST", "/referrals/batch", body)
    assert _statuses(again)[0] == 200 and _statuses(again)[6] == 200
    assert Referral.objects.count() == before + 2  # the repeat made nothing new


def test_a_batch_writes_the_same_history_audit_and_messages_as_single_requests(scene):
    ff, ada, falls = scene["firefighter"], scene["ada"], scene["falls"]
    client = client_for(scene, "firefighter")
    single = call(client, "POST", "/referrals/", _item(ada, falls)).json()["id"]
    batch = call(client, "POST", "/referrals/batch", {"referrals": [_item(ada, falls)]})
    batched = batch.json()["results"][0]["referral"]["id"]

    def written(referral_id):
        referral = Referral.objects.get(pk=referral_id)
        return (
            referral.status,
            referral.due_at - referral.sent_at,
            [
                (e.from_status, e.to_status, e.actor_id)
                for e in ReferralEvent.objects.filter(referral=referral).order_by("at", "id")
            ],
            [
                (a.action, a.actor_id, a.details.get("from"))
                for a in AuditEvent.objects.filter(target_id=str(referral_id)).order_by("id")
            ],
            sorted(n.user.username for n in Notification.objects.about(referral)),
        )

    assert written(batched) == written(single)
    assert written(batched)[2] == [("", S.DRAFT, ff.pk), (S.DRAFT, S.SENT, ff.pk)]
    assert written(batched)[4] == ["falls_editor"]


def test_accepting_in_a_batch_takes_places_in_order_and_refuses_what_cannot_move(scene):
    ff, ada = scene["firefighter"], scene["ada"]
    to_lunch = [refer(ff, ada, scene["lunch"]) for _ in range(2)]  # one place a week
    open_one = refer(ff, ada, scene["falls"])
    declined = refer(ff, ada, scene["falls"])
    call(
        client_for(scene, "falls_editor"),
        "POST",
        f"/referrals/{declined.pk}/decline",
        {"reason": "Out of our area"},
    )
    mail.outbox.clear()
    lunch = client_for(scene, "lunch_editor")
    response = call(
        lunch,
        "POST",
        "/referrals/batch/accept",
        {"referral_ids": [str(to_lunch[0].pk), str(to_lunch[1].pk), str(to_lunch[0].pk)]},
    )
    results = response.json()["results"]
    assert [r["status"] for r in results] == [200, 409, 400]
    assert results[1]["errors"][0]["parameter"] == "capacity"
    assert results[2]["errors"][0]["parameter"] == "referral_ids"
    assert Referral.objects.get(pk=to_lunch[0].pk).status == S.ACCEPTED
    assert Referral.objects.get(pk=to_lunch[1].pk).status == S.SENT

    waitlisted = call(
        lunch,
        "POST",
        "/referrals/batch/accept",
        {"referral_ids": [str(to_lunch[1].pk)], "waitlist_if_full": True},
    )
    assert waitlisted.json()["results"][0]["referral"]["status"] == S.WAITLISTED

    falls = client_for(scene, "falls_editor")
    response = call(
        falls,
        "POST",
        "/referrals/batch/accept",
        {"referral_ids": [str(open_one.pk), str(declined.pk), str(to_lunch[1].pk)]},
    )
    results = response.json()["results"]
    assert [r["status"] for r in results] == [200, 409, 404]  # lunch's is not theirs to see
    assert "declined cannot become accepted" in results[1]["detail"]
    accepted = Referral.objects.get(pk=open_one.pk)
    assert accepted.status == S.ACCEPTED and accepted.answered_at is not None
    assert [(e.from_status, e.to_status) for e in accepted.events.order_by("at", "id")][-1] == (
        S.SENT,
        S.ACCEPTED,
    )
    assert AuditEvent.objects.filter(
        action="referrals.referral.accepted",
        target_id=str(open_one.pk),
        actor=scene["falls_editor"],
    ).exists()
    told = Notification.objects.about(accepted).filter(user=ff, kind="decision")
    assert told.get().message.endswith(": accepted.")


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("/referrals/batch", {"referrals": []}, "referrals"),
        ("/referrals/batch/accept", {"referral_ids": ["not-a-uuid"]}, "referral_ids"),
    ],
)
def test_a_malformed_batch_is_refused_whole_naming_the_field(scene, path, body, field):
    before = Referral.objects.count()
    response = call(client_for(scene, "admin"), "POST", path, body)
    assert response.status_code in (400, 422)
    assert field in response.content.decode()
    assert Referral.objects.count() == before


def test_a_batch_of_more_than_100_is_refused_whole(scene):
    one = _item(scene["ada"], scene["falls"])
    before = Referral.objects.count()
    response = call(
        client_for(scene, "firefighter"), "POST", "/referrals/batch", {"referrals": [one] * 101}
    )
    assert response.status_code in (400, 422)
    assert "referrals" in response.content.decode()
    assert Referral.objects.count() == before


def test_each_e_mail_names_whose_move_it_tells_of_so_they_see_its_delivery(
    scene, django_capture_on_commit_callbacks
):
    ada, falls = scene["ada"], scene["falls"]
    scene["firefighter"].email = "firefighter@partner.test"  # to be told of the decline
    scene["firefighter"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        [made] = actions.make_referrals(
            [actions.ReferralRequest(ada, falls)], actor=scene["firefighter"], via="test"
        )
    to_the_team = list(OutgoingMessage.objects.about(made.referral))
    assert to_the_team and {m.sent_by for m in to_the_team} == {scene["firefighter"]}
    with django_capture_on_commit_callbacks(execute=True):
        actions.decline_referral(
            made.referral, actor=scene["falls_editor"], via="test", reason_code="no_capacity"
        )
    back = OutgoingMessage.objects.about(made.referral).exclude(pk__in=[m.pk for m in to_the_team])
    assert back and {m.sent_by for m in back} == {scene["falls_editor"]}


def test_a_batchs_e_mails_go_after_commit_over_one_connection(
    scene, monkeypatch, django_capture_on_commit_callbacks
):
    opened = []
    real = channels.get_connection
    monkeypatch.setattr(channels, "get_connection", lambda: opened.append(1) or real())
    ada, falls = scene["ada"], scene["falls"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        made = actions.make_referrals(
            [actions.ReferralRequest(ada, falls) for _ in range(3)],
            actor=scene["firefighter"],
            via="test",
        )
        assert mail.outbox == []  # nothing before commit

    assert len(callbacks) == 1 and len(opened) == 1
    assert len(mail.outbox) == 3  # one each, to the falls team's editor
    assert {m.to[0] for m in mail.outbox} == {scene["falls_editor"].email}
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"New referral {m.referral.reference} for Falls prevention" for m in made
    )
