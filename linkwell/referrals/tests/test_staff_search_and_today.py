"""Finding a person (only among those one may open, audited, revealing nothing else), what
needs me today, alternatives and offer facts after a referral ends, and closed cases."""

import datetime as dt

import pytest
from django.utils import timezone

from linkwell.audit.models import AuditEvent
from linkwell.referrals import actions
from linkwell.referrals import queries as rq
from linkwell.referrals.errors import Refused
from linkwell.referrals.models import Referral
from linkwell.referrals.tests.api_scene import (
    call,
    client_for,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import new_person


def test_a_name_is_found_without_case_or_accents_among_people_one_may_open(scene):
    ff = scene["firefighter"]
    jose = new_person(ff, "José", "Núñez", birth=dt.date(1960, 1, 2))
    assert rq.find_people(ff, text="jose NUNEZ") == [jose]
    assert rq.find_people(ff, text="okaf") == [scene["ada"]]
    assert rq.find_people(ff, text="okaf", birth_date=dt.date(1999, 1, 1)) == []


def test_search_by_nhs_number_and_postcode(scene):
    ff = scene["firefighter"]
    assert rq.find_people(ff, nhs_number="999 000 0018") == [scene["ada"]]
    assert rq.find_people(ff, postcode="bd37hz") == [scene["ada"]]


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ({"text": "a"}, "text"),
        ({"nhs_number": "9990000019"}, "nhs_number"),
        ({"nhs_number": "12345"}, "nhs_number"),
        ({"postcode": "not a postcode"}, "postcode"),
        ({}, "text"),
    ],
)
def test_bad_criteria_are_refused_naming_the_field(scene, criteria, field):
    with pytest.raises(Refused) as refused:
        rq.find_people(scene["firefighter"], **criteria)
    assert refused.value.field == field
    params = "&".join(f"{k}={v}" for k, v in criteria.items())
    response = call(client_for(scene, "firefighter"), "GET", f"/people/search?{params}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == field


def test_every_search_is_audited_with_the_kinds_and_ids_never_the_nhs_number(scene):
    ff, ada = scene["firefighter"], scene["ada"]
    rq.find_people(ff, nhs_number=ada.nhs_number, text="ada", via="test")
    event = AuditEvent.objects.filter(action="referrals.people.searched", actor=ff).last()
    assert event.details == {"criteria": ["nhs_number", "text"], "found": [str(ada.pk)]}
    assert ada.nhs_number not in f"{event.target_label} {event.details}"
    assert AuditEvent.objects.filter(
        action="referrals.person.viewed", actor=ff, target_id=str(ada.pk)
    ).exists()


@pytest.mark.parametrize("stranger", ["housing_officer", "lunch_editor", "analyst", "outsider"])
def test_a_stranger_who_knows_a_persons_details_finds_nothing_and_learns_nothing(scene, stranger):
    ada = scene["ada"]
    assert rq.find_people(scene[stranger], nhs_number=ada.nhs_number) == []
    response = call(
        client_for(scene, stranger),
        "GET",
        f"/people/search?nhs_number={ada.nhs_number}&text=Okafor",
    )
    body = response.content.decode()
    assert response.status_code in (200, 403)
    assert str(ada.pk) not in body and "Ada" not in body
    if response.status_code == 200:
        assert response.json()["contents"] == []


def test_the_search_endpoint_shows_only_what_the_reader_may_see(scene):
    response = call(client_for(scene, "falls_editor"), "GET", "/people/search?text=okafor")
    (found,) = response.json()["contents"]
    assert found["id"] == str(scene["ada"].pk)
    assert "nhs_number" not in found  # a service sees no NHS number


def test_today_lists_what_to_answer_overdue_and_the_unread_count(scene):
    editor = scene["falls_editor"]
    Referral.objects.filter(pk=scene["sent"].pk).update(
        due_at=timezone.now() - dt.timedelta(days=1)
    )
    today = rq.what_needs_me(editor, via="test")
    assert scene["sent"] in today.to_answer and today.counts["to_answer"] == 1
    assert [r.pk for r in today.overdue] == [scene["sent"].pk]
    assert today.unread == editor.notifications.filter(read_at=None).count() > 0
    assert AuditEvent.objects.filter(
        action="referrals.person.viewed", actor=editor, target_id=str(scene["ada"].pk)
    ).exists()
    # The referrer sees it overdue too; a stranger sees nothing at all.
    assert [r.pk for r in rq.what_needs_me(scene["firefighter"]).overdue] == [scene["sent"].pk]
    nothing = rq.what_needs_me(scene["housing_officer"])
    assert nothing.counts == dict.fromkeys(nothing.counts, 0)


def test_the_today_endpoint_answers_with_the_counts(scene):
    response = call(client_for(scene, "connector"), "GET", "/referrals/today")
    assert response.status_code == 200
    assert response.json()["counts"]["to_answer"] == 0


def test_alternatives_after_a_decline_exclude_the_declining_service(scene):
    sent = scene["sent"]  # the scene's services all meet loneliness
    Referral.objects.filter(pk=sent.pk).update(need="loneliness")
    sent.refresh_from_db()
    actions.decline_referral(sent, actor=scene["falls_editor"], via="t", reason_code="no_capacity")
    found = rq.alternatives_for(scene["firefighter"], sent)
    ids = {o.service_id for o in found}
    assert scene["falls"].pk not in ids
    assert scene["connectors"].pk in ids
    lunch = next(o for o in found if o.service_id == scene["lunch"].pk)
    assert (lunch.availability, lunch.places_left) == ("places", 1)
    response = call(client_for(scene, "firefighter"), "GET", f"/referrals/{sent.pk}/alternatives")
    assert {o["service_id"] for o in response.json()["contents"]} == {str(i) for i in ids}


def test_alternatives_are_refused_for_an_open_referral_and_hidden_from_strangers(scene):
    with pytest.raises(Refused):
        rq.alternatives_for(scene["firefighter"], scene["sent"])
    assert (
        call(
            client_for(scene, "firefighter"), "GET", f"/referrals/{scene['sent'].pk}/alternatives"
        ).status_code
        == 409
    )
    actions.decline_referral(
        scene["sent"], actor=scene["falls_editor"], via="t", reason_code="duplicate"
    )
    assert rq.alternatives_for(scene["housing_officer"], scene["sent"]) is None
    response = call(
        client_for(scene, "housing_officer"), "GET", f"/referrals/{scene['sent'].pk}/alternatives"
    )
    assert response.status_code == 404


def test_offer_facts_give_distance_times_cost_languages_and_room(scene):
    lunch = scene["lunch"]
    (offer,) = rq.offers_for([lunch], person=scene["ada"])
    assert offer.distance_km is not None and 0 < offer.distance_km < 20
    assert "Tuesday" in offer.runs
    assert (offer.availability, offer.places_left) == ("places", 1)
    made = actions.make_referral(
        actor=scene["firefighter"], via="t", person=scene["ada"], service=lunch
    ).referral
    actions.accept_referral(made, actor=scene["lunch_editor"], via="t")
    (full,) = rq.offers_for([lunch], postcode="BD3 7HZ")
    assert (full.availability, full.places_left) == ("full", 0)
    (unplaced,) = rq.offers_for([lunch])
    assert unplaced.distance_km is None


def test_capacity_reads_still_answer_from_their_old_place(scene):
    from linkwell.referrals.actions.capacity import capacity_of, places_left

    assert places_left(scene["lunch"], capacity=capacity_of(scene["lunch"])) == 1


def test_closed_cases_are_found_by_name_paged_and_audited(scene):
    connector = scene["connector"]
    actions.discharge_case(
        scene["case"], actor=connector, via="t", outcome="Joined a group.", outcome_code="achieved"
    )
    page = rq.closed_cases(connector, text="bob", via="test")
    assert [c.pk for c in page.items] == [scene["case"].pk] and page.total_items == 1
    assert rq.closed_cases(connector, text="zed").items == []
    assert AuditEvent.objects.filter(
        action="referrals.person.viewed", actor=connector, target_id=str(scene["bob"].pk)
    ).exists()
    assert rq.closed_cases(scene["housing_officer"]).items == []
    response = call(client_for(scene, "connector"), "GET", "/cases/closed?text=hill")
    assert response.json()["total_items"] == 1
    stranger = call(client_for(scene, "lunch_editor"), "GET", "/cases/closed?text=hill")
    assert stranger.json()["total_items"] == 0 and "Bob" not in stranger.content.decode()
