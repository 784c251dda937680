"""The referral flows worked out over a small world of referrals in known states: counts by
partner, need and outcome (with small counts hidden, and the counts that would give them
away), time to the first answer, unmet need by ward, connector caps and wellbeing change."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from linkwell.accounts.models import Organisation
from linkwell.intelligence.flows import cubes, figures
from linkwell.intelligence.flows.figures import Filters
from linkwell.intelligence.models import FlowCapUse, FlowCube, FlowMonth
from linkwell.intelligence.tests.flows.data import World, at, build
from linkwell.outcomes.models import Administration, ReferralOutcome
from linkwell.places.models import Ward
from linkwell.referrals.models import Case, Encounter, EncounterNeed, Programme, ProgrammeAllowance

pytestmark = pytest.mark.usefixtures("live_db")
SPRING = Filters("2026-04", "2026-06")
FEW, WITHHELD = "fewer than 5", "withheld"


def stored(cube: str) -> list[dict]:
    """The cube's groups as the refresh stored them (one document per month)."""
    found = []
    for month in FlowMonth.objects.filter(cube=cube).order_by("month"):
        found += cubes.decode(cube, month.month, json.loads(month.data))
    return found


def texts(table) -> dict[str, list[str]]:
    return {label: [cell.text for _column, cell in cells] for label, cells, _t in table.lines}


def test_referrals_are_counted_by_referring_partner_need_status_and_coded_outcome():
    world = World()
    for _ in range(5):
        world.referral(world.upper, status="accepted", answered=at(4, 2))
    world.referral(world.upper, status="declined", answered=at(4, 2), decline="no_capacity")
    for month in (4, 5):
        done = world.referral(
            world.lower,
            service=world.falls,
            source=world.fire,
            need="falls_frailty",
            status="completed",
            sent=at(month, 3),
        )
        ReferralOutcome.objects.create(referral=done, code="achieved", recorded_at=at(month, 20))
    world.referral(world.upper, status="draft")  # never sent: not a flow

    build()

    names = {o.pk.hex: o.name for o in Organisation.objects.all()}
    counts = {
        (r["month"], names[r["partner"]], r["need"], r["status"], r["outcome"]): r["count"]
        for r in stored(FlowCube.REFERRALS)
    }
    assert counts == {
        ("2026-04", "Mill Surgery", "loneliness", "accepted", ""): 5,
        ("2026-04", "Mill Surgery", "loneliness", "declined", ""): 1,
        ("2026-04", "Fire Service", "falls_frailty", "completed", "achieved"): 1,
        ("2026-05", "Fire Service", "falls_frailty", "completed", "achieved"): 1,
    }


def test_months_packed_a_few_groups_at_a_time_make_the_same_documents(monkeypatch):
    world = World()
    for month, status in ((4, "accepted"), (4, "declined"), (5, "accepted"), (6, "waitlisted")):
        world.referral(world.upper, status=status, sent=at(month, 3), answered=at(month, 5))
    build()
    whole = groups_by_document()

    monkeypatch.setattr(cubes, "GROUPS_PER_BATCH", 1)  # every month a batch of its own
    build()
    batched = groups_by_document()

    assert {month for cube, month in whole if cube == FlowCube.REFERRALS} == {
        "2026-04",
        "2026-05",
        "2026-06",
    }
    assert batched == whole


def groups_by_document() -> dict[tuple[str, str], list[str]]:
    """Each stored document's groups (in no particular order within a month: compared sorted)."""
    return {
        (m.cube, m.month): sorted(
            json.dumps(group, sort_keys=True)
            for group in cubes.decode(m.cube, m.month, json.loads(m.data))
        )
        for m in FlowMonth.objects.all()
    }


def test_months_are_batched_in_order_up_to_the_limit_and_a_big_month_stands_alone():
    sizes = [("2026-01", 3), ("2026-02", 3), ("2026-03", 9), ("2026-04", 1), ("2026-05", 4)]
    assert cubes.month_batches(sizes, 6) == [
        ("2026-01", "2026-02"),
        ("2026-03", "2026-03"),
        ("2026-04", "2026-05"),
    ]
    assert cubes.month_batches(sizes, 100) == [("2026-01", "2026-05")]
    assert cubes.month_batches([], 6) == []


def test_a_flow_table_hides_small_counts_and_the_counts_that_would_give_them_away():
    world = World()
    for _ in range(5):
        world.referral(world.upper, status="accepted", answered=at(4, 2))
    world.referral(world.upper, status="declined", answered=at(4, 2), decline="no_capacity")
    for _ in range(2):
        world.referral(world.lower, service=world.falls, source=world.fire, status="completed")
    build()

    by_partner = figures.referral_tables(SPRING)[0]

    # Columns: waiting, accepted, waiting list, declined, completed, did not engage,
    # cancelled, total. Mill's 1 declined is small; its 5 accepted would give it away from
    # the row total, so is withheld; the accepted column's total would then give the 5 away
    # (Fire has none), so it goes; the total column's 2 + 6 = 8 hides Mill's 6 too.
    assert texts(by_partner) == {
        "Fire Service": ["0", "0", "0", "0", FEW, "0", "0", FEW],
        "Mill Surgery": ["0", WITHHELD, "0", FEW, "0", "0", "0", WITHHELD],
        "Total": ["0", WITHHELD, "0", FEW, FEW, "0", "0", "8"],
    }
    assert by_partner.csv_rows()[1] == [
        "Mill Surgery",
        "0",
        WITHHELD,
        "0",
        FEW,
        "0",
        "0",
        "0",
        WITHHELD,
    ]


def test_time_to_first_answer_gives_median_and_90th_percentile_from_five_answers_up():
    world = World()
    sent = at(4, 1, 9)
    for days in (0, 1, 2, 3, 10):
        world.referral(
            world.upper,
            status="accepted",
            sent=sent,
            answered=sent + dt.timedelta(days=days, hours=3),
        )
    # Put on the waiting list after 4 days and accepted after 20: the first answer is day 4.
    world.referral(
        world.upper,
        status="accepted",
        sent=sent,
        waitlisted=sent + dt.timedelta(days=4),
        answered=sent + dt.timedelta(days=20),
    )
    for days in (5, 7):
        world.referral(
            world.lower,
            service=world.falls,
            need="falls_frailty",
            status="declined",
            sent=sent,
            answered=sent + dt.timedelta(days=days),
            decline="other",
        )
    world.referral(world.upper, status="sent", sent=sent)  # not answered: not counted
    build()

    table = figures.response_table(SPRING)

    # Mill: days 0, 1, 2, 3, 4, 10: median (2 + 3) / 2, 90th percentile the 6th of 6.
    # All: 0, 1, 2, 3, 4, 5, 7, 10: median (3 + 4) / 2, 90th percentile the 8th of 8.
    # Fire answered 2 (too few for a median); Mill's 6 would give the 2 away from the 8.
    assert texts(table) == {
        "Fire Service: Falls and frailty": [FEW, WITHHELD, WITHHELD],
        "Mill Surgery: Loneliness and isolation": [WITHHELD, "2.5", "10"],
        "All": ["8", "3.5", "10"],
    }


def test_unmet_need_is_declined_waitlisted_or_noticed_and_never_referred_by_ward():
    world = World()
    world.referral(world.upper, status="declined", decline="no_capacity", answered=at(4, 2))
    world.referral(world.upper, status="declined", decline="not_eligible", answered=at(4, 2))
    world.referral(world.upper, status="waitlisted", waitlisted=at(4, 2))
    world.referral(world.lower, status="waitlisted", waitlisted=at(4, 2))
    person = world.person(world.upper)
    contact = Encounter.objects.create(person=person, kind="safe_and_well", occurred_at=at(5, 1))
    for need in ("loneliness", "food"):
        EncounterNeed.objects.create(encounter=contact, need=need)
    world.referral(None, person=person, encounter=contact, need="loneliness", sent=at(5, 1))
    other = Encounter.objects.create(person=person, kind="other", occurred_at=at(5, 2))
    EncounterNeed.objects.create(encounter=other, need="housing")
    world.referral(None, person=person, encounter=other, need="", sent=at(5, 2))  # covers it

    build()

    wards = dict(Ward.objects.values_list("pk", "name"))
    unmet = {
        (r["month"], wards[r["ward"]], r["need"], r["kind"], r["reason"]): r["count"]
        for r in stored(FlowCube.UNMET)
    }
    assert unmet == {
        ("2026-04", "Upper", "loneliness", "declined", "no_capacity"): 1,
        ("2026-04", "Upper", "loneliness", "declined", "not_eligible"): 1,
        ("2026-04", "Upper", "loneliness", "waitlisted", ""): 1,
        ("2026-04", "Lower", "loneliness", "waitlisted", ""): 1,
        ("2026-05", "Upper", "food", "not_referred", ""): 1,
    }
    by_ward = figures.unmet_tables(SPRING)[0]
    assert [label for label, _cells, _t in by_ward.lines] == ["Lower", "Upper", "Total"]
    assert "BD1" not in str(by_ward.csv_rows())  # the ward, never the person's postcode


def _case(world, opened, *, ward=None, scores=()):
    referral = world.referral(
        ward or world.upper, status="accepted", sent=opened, gp_practice=world.practice
    )
    case = Case.objects.create(
        programme=world.programme,
        person=referral.person,
        referral=referral,
        opened_at=opened,
        status="discharged",
    )
    for timepoint, value, days in scores:
        done = opened + dt.timedelta(days=days)
        Administration.objects.create(
            person=referral.person,
            case=case,
            instrument="swemwbs",
            instrument_version="1",
            timepoint=timepoint,
            mode="connector",
            status="complete",
            total=value,
            metric=value,
            started_at=done,
            completed_at=done,
        )
    return case


def test_connector_cases_are_counted_per_practice_per_grant_year_against_the_cap():
    world = World()
    world.programme = Programme.objects.create(service=world.club, practice_cap=50)
    for day in range(1, 7):
        _case(world, at(4, day))
    _case(world, at(3, 15))  # March: the grant year that began in April 2025
    ProgrammeAllowance.objects.create(
        programme=world.programme,
        practice_code="ZZ1001",
        year_start=dt.date(2026, 4, 1),
        cap=40,
        taken=6,
    )

    build()

    uses = {(u.year_start, u.practice.name): (u.cases, u.cap) for u in FlowCapUse.objects.all()}
    assert uses == {
        (dt.date(2026, 4, 1), "Mill Surgery"): (6, 40),  # the allowance's cap that year
        (dt.date(2025, 4, 1), "Mill Surgery"): (1, 50),  # else the programme's
    }
    assert texts(figures.caps_table(SPRING)) == {
        "Lunch club, 2026/27: Mill Surgery": ["6", "40", "15%"],
    }


def test_wellbeing_change_is_the_mean_of_pairs_by_ward_and_deprivation_quintile():
    world = World()
    world.programme = Programme.objects.create(service=world.club)
    for change in (2, 3, 1, 4, 5):
        _case(world, at(4, 1), scores=[("baseline", 40, 1), ("follow_up", 40 + change, 90)])
    # The first baseline and the latest follow-up are paired: 43 - 40 = 3.
    _case(
        world,
        at(4, 1),
        scores=[
            ("baseline", 40, 1),
            ("baseline", 10, 5),
            ("follow_up", 20, 60),
            ("follow_up", 43, 90),
        ],
    )
    for change in (1, -1):
        _case(
            world,
            at(4, 2),
            ward=world.lower,
            scores=[("baseline", 40, 1), ("follow_up", 40 + change, 90)],
        )
    _case(world, at(4, 3), scores=[("baseline", 30, 1)])  # no follow-up: no pair

    build()

    by_ward, by_quintile = figures.wellbeing_tables(SPRING)
    # Upper: 2 + 3 + 1 + 4 + 5 + 3 = 18 over 6; Lower: 2 pairs (hidden, and no mean), so
    # Upper's 6 is withheld (8 - 6 = 2); the mean of all: 18 / 8.
    assert texts(by_ward) == {
        "Lower": [FEW, WITHHELD],
        "Upper": [WITHHELD, "3.00"],
        "All": ["8", "2.25"],
    }
    assert by_ward.caption.startswith(
        "Short Warwick-Edinburgh Mental Well-Being Scale (SWEMWBS): change by ward"
    )
    assert texts(by_quintile) == {
        "1 (most deprived fifth)": [WITHHELD, "3.00"],
        "5 (least deprived fifth)": [FEW, WITHHELD],
        "All": ["8", "2.25"],
    }
    assert by_ward.caption.startswith(
        "Short Warwick-Edinburgh Mental Well-Being Scale (SWEMWBS): change by ward"
    )
