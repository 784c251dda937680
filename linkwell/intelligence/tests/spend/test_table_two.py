"""The Table 2 shape from a loaded service mapping: a small spreadsheet in the review's own
tiers (0-3 and acute), imported, refreshed, and every cell, row total and column total set
against figures worked out by hand; spend, each partner's share in tiers 1 and 2, short-term
funding apart, and what nobody gave shown as "not given"."""

from decimal import Decimal

import pytest

from linkwell.directory.models import Service
from linkwell.intelligence.refresh import refresh_hub
from linkwell.intelligence.spend import queries
from linkwell.intelligence.spend.tables import NOT_GIVEN
from linkwell.intelligence.tests.spend.mapping import load_mapping, make_place, service

pytestmark = pytest.mark.usefixtures("live_db")

COUNCIL, CCG, POLICE = "Bradford Council", "CCG", "Police"
ADULTS, HEALTH = "Adults SC", "Public Health"


def _review(partner, name, tier, cost, funding="recurrent", department=""):
    cells = {"tier": tier, "tier_scheme": "review-2017", "annual_cost": cost, "funding": funding}
    if not tier:
        cells = {"annual_cost": cost, "funding": funding}
    if department:
        cells["department"] = department
    return service(partner, name, **cells)


MAPPING = [
    _review(POLICE, "Street triage", "0", "10000"),
    _review(POLICE, "Neighbourhood watch", "0", "20000", "short-term"),
    _review(POLICE, "Crime prevention advice", "1", "30000"),
    _review(POLICE, "Youth diversion", "3", "40000"),
    _review(COUNCIL, "Health trainers", "0", "5000", department=HEALTH),
    _review(COUNCIL, "Stop smoking", "1", "15000", "short-term", department=HEALTH),
    _review(COUNCIL, "Weight management", "2", "", department=HEALTH),  # no cost given
    _review(COUNCIL, "Hospital discharge", "acute", "100000", department=HEALTH),
    _review(COUNCIL, "Reablement", "2", "50000", department=ADULTS),
    _review(COUNCIL, "Falls response", "3", "60000", "short-term", department=ADULTS),
    _review(COUNCIL, "Carers' advice", "", "7000", department=ADULTS),  # no tier given
    _review(CCG, "Social prescribing", "1", "25000"),
    _review(CCG, "Self-care app", "1", "35000"),
    _review(CCG, "Closed clinic", "2", "45000"),  # made inactive below: not counted
]


@pytest.fixture
def mapped(tmp_path):
    make_place()
    load_mapping(tmp_path / "mapping.csv", MAPPING)
    Service.objects.filter(name="Closed clinic").update(status="inactive")
    Service.objects.filter(name="Street triage").update(is_demo=True, demo_fields=["annual_cost"])
    Service.objects.filter(name="Neighbourhood watch").update(
        is_demo=True, demo_fields=["funding_type"]
    )
    refresh_hub(via="test")


def _cells(table):
    """{row label: ([cells in column order], row total)} and the totals row."""
    order = [key for key, _label in table.columns]
    rows = {line.label: ([line.cells[k] for k in order], line.total) for line in table.lines}
    return rows, ([table.total.cells[k] for k in order], table.total.total)


def test_services_by_department_and_the_reviews_own_tiers_add_up_by_row_and_column(mapped):
    found = queries.report("review-2017")

    assert [label for _key, label in found.columns] == [
        "Tier 0", "Tier 1", "Tier 2", "Tier 3", "Above tier 3",
    ]  # fmt: skip
    rows, total = _cells(found.counts)
    assert rows == {
        f"{COUNCIL}: {ADULTS}": ([0, 0, 1, 1, 0], 2),
        f"{COUNCIL}: {HEALTH}": ([1, 1, 1, 0, 1], 4),
        CCG: ([0, 2, 0, 0, 0], 2),
        POLICE: ([2, 1, 0, 1, 0], 4),
    }
    assert total == ([3, 4, 2, 2, 1], 12)
    assert list(rows) == [line.label for line in found.counts.lines]  # partners by name


def test_the_same_services_in_the_operating_models_tiers_count_a_service_without_a_tier(mapped):
    found = queries.report()

    assert [key for key, _label in found.columns] == ["1", "2", "3", "4", NOT_GIVEN]
    rows, total = _cells(found.counts)
    assert rows == {
        f"{COUNCIL}: {ADULTS}": ([0, 0, 2, 0, 1], 3),
        f"{COUNCIL}: {HEALTH}": ([1, 1, 1, 1, 0], 4),
        CCG: ([0, 2, 0, 0, 0], 2),
        POLICE: ([2, 1, 1, 0, 0], 4),
    }
    assert total == ([3, 4, 4, 1, 1], 13)
    assert (found.services, found.without_tier, found.without_cost) == (13, 1, 1)


def test_spend_by_partner_and_tier_shows_a_cost_nobody_gave_as_not_given(mapped):
    found = queries.report()

    rows, total = _cells(found.spend)
    money = Decimal
    assert rows == {
        f"{COUNCIL}: {ADULTS}": ([0, 0, money(110000), 0, money(7000)], money(117000)),
        # Weight management (tier 3) gave no cost: not given, not £0.
        f"{COUNCIL}: {HEALTH}": ([money(5000), money(15000), None, money(100000), 0],
                                 money(120000)),
        CCG: ([0, money(60000), 0, 0, 0], money(60000)),
        POLICE: ([money(30000), money(30000), money(40000), 0, 0], money(100000)),
    }  # fmt: skip
    assert total == ([35000, 105000, 150000, 100000, 7000], 397000)
    without = {line.label: line.extra["without_cost"] for line in found.spend.lines}
    assert without[f"{COUNCIL}: {HEALTH}"] == 1
    assert found.spend.total.extra["without_cost"] == 1


def test_each_partners_share_of_spend_in_tiers_1_and_2_leaves_out_spend_with_no_tier(mapped):
    found = queries.report()

    shares = {s.partner: (s.low, s.tiered, s.untiered) for s in found.shares}
    assert shares == {
        COUNCIL: (20000, 230000, 7000),
        CCG: (60000, 60000, 0),
        POLICE: (60000, 100000, 0),
    }
    assert {s.partner: round(s.share, 4) for s in found.shares} == {
        COUNCIL: round(20000 / 230000, 4),
        CCG: 1.0,
        POLICE: 0.6,
    }
    overall = found.overall
    assert (overall.low, overall.tiered, overall.untiered) == (140000, 390000, 7000)
    assert round(overall.share, 4) == round(140000 / 390000, 4)


def test_short_term_funding_is_shown_apart_with_each_partners_part_of_its_spend(mapped):
    table = queries.report().short_term

    shown = {
        line.label: (line.extra["services"], line.total, line.extra["all_spend"])
        for line in table.lines
    }
    assert shown == {
        COUNCIL: (2, 75000, 237000),
        CCG: (0, 0, 60000),
        POLICE: (1, 20000, 100000),
    }
    council = next(line for line in table.lines if line.label == COUNCIL)
    assert [council.cells[k] for k in ("1", "2", "3", "4")] == [0, 15000, 60000, 0]
    assert round(council.extra["share"], 4) == round(75000 / 237000, 4)
    assert (table.total.extra["services"], table.total.total) == (3, 95000)
    assert round(table.total.extra["share"], 4) == round(95000 / 397000, 4)


def test_demo_records_with_invented_costs_or_funding_are_counted(mapped):
    found = queries.report()

    assert (found.demo_services, found.demo_costs, found.demo_short_term) == (2, 1, 1)


def test_a_scheme_no_service_was_mapped_in_is_refused(mapped):
    with pytest.raises(queries.UnknownScheme):
        queries.report("childrens-threshold")
