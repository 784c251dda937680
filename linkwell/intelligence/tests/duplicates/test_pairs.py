"""Possible duplicates: services of different partners that share a need, serve an area in
common and are described alike are paired, with why; a person's verdict on a pair is kept
when the hub is refreshed, and is audited."""

import pytest
from django.core.exceptions import PermissionDenied

from linkwell.audit.models import AuditEvent
from linkwell.directory.models import Service
from linkwell.intelligence.duplicates import queries
from linkwell.intelligence.duplicates.actions import judge_pair
from linkwell.intelligence.models import DuplicatePair, DuplicateVerdict
from linkwell.intelligence.refresh import refresh_hub
from linkwell.intelligence.tests.spend.mapping import load_mapping, make_place, service

pytestmark = pytest.mark.usefixtures("live_db")

LUNCH = "A weekly lunch club with a hot meal and company for older people who live alone."
LUNCH_TOO = "Weekly lunch club: a hot meal and company for older people who live alone."

MAPPING = [
    service("Alpha Trust", "Lunch club for older people", description=LUNCH,
            needs="loneliness; food", area="Alder"),
    service("Beta Charity", "Older people's lunch club", description=LUNCH_TOO,
            needs="loneliness", area="Alder"),
    # The same partner as the first: never its duplicate.
    service("Alpha Trust", "Lunch club at Alder hall", description=LUNCH,
            needs="loneliness", area="Alder"),
    # The same words, but another need.
    service("Gamma Council", "Lunch club for older people (stop smoking)", description=LUNCH,
            needs="smoking", area="Alder"),
    # The same words and need, in a ward none of the others serves.
    service("Delta Group", "Lunch club for older people in Cedar", description=LUNCH,
            needs="loneliness", area="Cedar"),
    # The same words and need, across the constituency Alder lies in.
    service("Epsilon Trust", "Lunch club for older people across North", description=LUNCH,
            needs="food", area="North constituency"),
]  # fmt: skip


@pytest.fixture
def mapped(tmp_path):
    make_place()
    load_mapping(tmp_path / "mapping.csv", MAPPING)
    refresh_hub(via="test")


def _id(name):
    return Service.objects.get(name=name).id


def _pairs():
    names = dict(Service.objects.values_list("id", "name"))
    return {
        frozenset((names[p.service_a], names[p.service_b])): p for p in DuplicatePair.objects.all()
    }


def test_near_identical_services_of_two_partners_sharing_a_need_in_a_ward_are_paired_with_why(
    mapped,
):
    pair = _pairs()[frozenset(("Lunch club for older people", "Older people's lunch club"))]

    assert pair.reasons["needs"] == ["loneliness"]
    assert pair.reasons["areas"] == [{"kind": "ward", "name": "Alder"}]
    assert pair.reasons["similarity"] >= 40
    assert pair.service_a < pair.service_b
    assert {pair.partner_a, pair.partner_b} == {"Alpha Trust", "Beta Charity"}


def test_a_ward_overlaps_the_constituency_it_lies_in(mapped):
    pair = _pairs()[
        frozenset(("Lunch club for older people", "Lunch club for older people across North"))
    ]

    assert pair.reasons["needs"] == ["food"]
    assert pair.reasons["areas"] == [{"kind": "constituency", "name": "North"}]


def test_services_of_one_partner_another_need_or_another_area_are_not_paired(mapped):
    pairs = _pairs()

    assert frozenset(("Lunch club for older people", "Lunch club at Alder hall")) not in pairs
    paired = set().union(*pairs)
    assert "Lunch club for older people (stop smoking)" not in paired
    assert "Lunch club for older people in Cedar" not in paired
    # Beta's club is alike both of Alpha's; Epsilon's shares "food" with the first only.
    assert set(pairs) == {
        frozenset(("Lunch club for older people", "Older people's lunch club")),
        frozenset(("Lunch club at Alder hall", "Older people's lunch club")),
        frozenset(("Lunch club for older people", "Lunch club for older people across North")),
    }


def test_a_verdict_is_kept_and_shown_with_its_pair_after_a_refresh(mapped, analyst):
    first, second = _id("Lunch club for older people"), _id("Older people's lunch club")
    pair = queries.pair_of(first, second)
    judge_pair(actor=analyst, pair=pair, verdict="dismissed", note="Different venues", via="test")

    refresh_hub(via="test")

    again = queries.pair_of(first, second)
    assert again.pk != pair.pk  # the pairs were worked out afresh
    current, counts = queries.listed("current")
    assert again.pk not in {x.pair.pk for x in current}  # dismissed: not listed again
    dismissed, _counts = queries.listed("dismissed")
    assert [(x.pair.pk, x.verdict.verdict, x.verdict.note) for x in dismissed] == [
        (again.pk, "dismissed", "Different venues")
    ]
    assert counts == {"current": 2, "open": 2, "confirmed": 0, "dismissed": 1, "all": 3}


def test_recording_a_verdict_is_audited_with_it(mapped, analyst):
    pair = DuplicatePair.objects.first()

    verdict = judge_pair(actor=analyst, pair=pair, verdict="confirmed", via="test")

    event = AuditEvent.objects.get(action="hub.duplicate_confirmed")
    assert (event.actor, event.target_id, event.via) == (analyst, str(verdict.pk), "test")
    assert event.details["service_a"] == pair.service_a.hex
    assert event.details["verdict"] == "confirmed"


def test_a_practitioner_cannot_record_a_verdict_and_nothing_is_written(mapped, practitioner):
    pair = DuplicatePair.objects.first()
    events = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        judge_pair(actor=practitioner, pair=pair, verdict="dismissed", via="test")

    assert DuplicateVerdict.objects.count() == 0
    assert AuditEvent.objects.count() == events
