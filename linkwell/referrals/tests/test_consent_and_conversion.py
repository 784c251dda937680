"""One consent conversation for several services, and a citizen's own request becoming a
person, their consent and a referral in one step (or nothing at all)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied

from linkwell.audit.models import AuditEvent
from linkwell.directory.models import Service, ServiceStatus
from linkwell.referrals import actions
from linkwell.referrals.errors import PossibleDuplicate, Refused
from linkwell.referrals.lifecycle import TransitionRefused
from linkwell.referrals.models import (
    Consent,
    ConsentPurpose,
    ConsentSource,
    ContactRequest,
    ContactRequestStatus,
    DuplicateFlag,
    Person,
    Referral,
    ReferralStatus,
)
from linkwell.referrals.tests.api_scene import (
    call,
    client_for,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import new_person
from linkwell.referrals.tests.helpers import make_request


def test_consent_for_several_services_is_one_conversation_and_each_refer_is_one_step(world):
    gp = world["gp"]
    person = new_person(gp, "Cy", "Chen", birth=dt.date(1950, 3, 4))
    services = [world["falls"], world["lunch"], world["connectors"]]

    consents = actions.record_consent_for_services(
        person, services, actor=gp, via="test", how="At the surgery"
    )

    assert {c.service_id for c in consents} == {s.pk for s in services}
    assert len({(c.conversation, c.recorded_at, c.how) for c in consents}) == 1
    for service in services:
        assert actions.has_consent(person, ConsentPurpose.SHARE_WITH_SERVICE, service)
        made = actions.make_referral(actor=gp, via="test", person=person, service=service)
        assert made.referral.status in {ReferralStatus.SENT, ReferralStatus.WAITLISTED}
    event = AuditEvent.objects.filter(action="referrals.consent.given", target_id=str(person.pk))
    assert set(event.last().details["services"]) == {str(s.pk) for s in services}


def test_an_inactive_service_or_unknown_id_is_refused_by_name_and_nothing_is_recorded(world):
    gp = world["gp"]
    person = new_person(gp, "Cy", "Chen", birth=dt.date(1950, 3, 4))
    Service.objects.filter(pk=world["lunch"].pk).update(status=ServiceStatus.INACTIVE)
    with pytest.raises(Refused) as refused:
        actions.record_consent_for_services(
            person, [world["falls"], world["lunch"].pk], actor=gp, via="test"
        )
    assert refused.value.field == "service_ids" and "Lunch club" in refused.value.message
    missing = uuid.uuid4()
    with pytest.raises(Refused) as refused:
        actions.record_consent_for_services(person, [world["falls"], missing], actor=gp, via="t")
    assert str(missing) in refused.value.message
    assert not Consent.objects.filter(person=person, purpose="share_with_service").exists()


def test_a_member_of_another_partner_cannot_record_consent_for_someone_they_may_not_open(scene):
    with pytest.raises(PermissionDenied):
        actions.record_consent_for_services(
            scene["ada"], [scene["connectors"]], actor=scene["housing_officer"], via="test"
        )
    response = call(
        client_for(scene, "housing_officer"),
        "POST",
        f"/people/{scene['ada'].pk}/consents",
        {"purpose": "share_with_service", "service_ids": [str(scene["connectors"].pk)]},
    )
    assert response.status_code == 404
    assert not Consent.objects.filter(person=scene["ada"], service=scene["connectors"]).exists()


def test_the_consent_endpoint_takes_several_services_and_names_a_bad_one(scene):
    client = client_for(scene, "firefighter")
    path = f"/people/{scene['ada'].pk}/consents"
    ids = [str(scene["connectors"].pk), str(scene["lunch"].pk)]
    made = call(client, "POST", path, {"purpose": "share_with_service", "service_ids": ids})
    assert made.status_code == 201
    assert {c["service_id"] for c in made.json()["consents"]} == set(ids)
    bad = call(
        client, "POST", path, {"purpose": "share_with_service", "service_ids": [str(uuid.uuid4())]}
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["parameter"] == "service_ids"


def _details(**extra):
    fields = {
        "given_name": "Sam",
        "family_name": "Example",
        "birth_date": dt.date(1948, 6, 1),
        "postcode": "BD3 7HZ",
        "phone": "01274 123456",
    }
    fields.update(extra)
    return actions.PersonDetails(**fields)


def test_a_provider_turns_a_request_into_a_person_consent_and_accepted_referral(world):
    request = make_request(world["falls"])
    editor = world["falls_editor"]

    done = actions.convert_contact_request(request, actor=editor, via="test", details=_details())

    assert done.person_created and done.person.family_name == "Example"
    assert done.referral.service == world["falls"]
    assert done.referral.status == ReferralStatus.ACCEPTED
    share = Consent.objects.get(person=done.person, purpose=ConsentPurpose.SHARE_WITH_SERVICE)
    assert (share.service, share.source) == (world["falls"], ConsentSource.OWN_REQUEST)
    assert request.reference in share.provenance
    request.refresh_from_db()
    assert (request.status, request.referral) == (ContactRequestStatus.CLOSED, done.referral)
    assert AuditEvent.objects.filter(
        action="referrals.contact_request.converted", target_id=str(request.pk)
    ).exists()


def test_a_request_converted_or_closed_already_is_refused_and_nothing_more_is_made(world):
    request = make_request(world["falls"])
    editor = world["falls_editor"]
    actions.convert_contact_request(request, actor=editor, via="test", details=_details())
    people, referrals = Person.objects.count(), Referral.objects.count()
    with pytest.raises(TransitionRefused):
        actions.convert_contact_request(
            request, actor=editor, via="test", details=_details(given_name="Other")
        )
    closed = make_request(world["falls"])
    actions.update_contact_request_status(
        actor=editor, contact_request=closed, status=ContactRequestStatus.CLOSED, via="test"
    )
    with pytest.raises(TransitionRefused):
        actions.convert_contact_request(closed, actor=editor, via="test", details=_details())
    assert (Person.objects.count(), Referral.objects.count()) == (people, referrals)


def test_only_a_reader_of_the_request_may_convert_it(world):
    request = make_request(world["falls"])
    for stranger in ("lunch_editor", "housing_officer", "outsider"):
        with pytest.raises(PermissionDenied):
            actions.convert_contact_request(
                request, actor=world[stranger], via="test", details=_details()
            )
    request.refresh_from_db()
    assert request.status == ContactRequestStatus.NEW and request.referral is None
    assert not Person.objects.filter(family_name="Example").exists()


def test_a_possible_duplicate_names_no_one_the_provider_may_not_open_and_keeps_the_request(world):
    request = make_request(world["falls"])
    ada = world["person"]  # recorded by the firefighter: the falls team may not open her
    same = _details(given_name="Ada", family_name="Okafor", birth_date=ada.birth_date)
    with pytest.raises(PossibleDuplicate) as refused:
        actions.convert_contact_request(
            request, actor=world["falls_editor"], via="test", details=same
        )
    assert refused.value.candidates == [] and refused.value.known_elsewhere
    request.refresh_from_db()
    assert request.status == ContactRequestStatus.NEW

    done = actions.convert_contact_request(
        request, actor=world["falls_editor"], via="test", details=same, confirm_new=True
    )
    assert done.person != ada  # never linked by identifiers alone
    assert DuplicateFlag.objects.filter(person=done.person, other=ada).exists()


def test_the_provider_may_only_receive_rather_than_accept(world):
    request = make_request(world["lunch"])
    done = actions.convert_contact_request(
        request,
        actor=world["lunch_editor"],
        via="test",
        details=_details(),
        answer=ReferralStatus.RECEIVED,
    )
    assert done.referral.status == ReferralStatus.RECEIVED
    assert ContactRequest.objects.get(pk=request.pk).referral == done.referral
