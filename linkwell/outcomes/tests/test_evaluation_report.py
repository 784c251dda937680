"""The evaluation report on a small programme: who started and who is missing, the paired
figures, the breakdowns (with small groups withheld so none can be worked out), who may read
it, and that no one is named in it."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from linkwell.accounts.models import Role
from linkwell.accounts.tests.personas import alpha, beta, make_person  # noqa: F401 (fixtures)
from linkwell.audit.models import AuditEvent
from linkwell.directory.tests.page_services import make_service
from linkwell.outcomes.evaluation import queries
from linkwell.outcomes.models import Administration
from linkwell.places.models import Deprivation, GPPractice, Place, Postcode, SmallArea
from linkwell.referrals.models import Case, Person, Programme, Referral

START, END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
SECRET_NAME = ("Zebedee", "Quackenbush")
SECRET_NHS = "9434765919"

# Per deprivation decile: (baseline, follow-up or None, case still open) of each case; None
# as baseline means no baseline was recorded.
MOST_DEPRIVED = [
    (40, 45, False), (42, 44, False), (38, 43, False), (50, 50, False),
    (44, 49, False), (36, 40, False), (41, 47, False), (45, 44, False),
    (30, None, False), (33, None, False),  # lost to follow-up
    (35, None, True),  # still open: not lost yet
    (None, None, False),  # no baseline
]  # fmt: skip
LEAST_DEPRIVED = [
    (50, 52, False), (48, 51, False), (40, 44, False), (45, 44, False), (41, 46, False),
    (47, None, False), (39, None, True), (None, None, False),
]  # fmt: skip
NO_SMALL_AREA = [(30, 31, False), (35, 39, False), (33, None, False)]
ALL = MOST_DEPRIVED + LEAST_DEPRIVED + NO_SMALL_AREA


def _day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def programme(db):
    """A connector programme with 23 cases in the period (and one before it), scored on
    SWEMWBS: 15 with both scores, 4 lost to follow-up, 2 still open, 2 with no baseline."""
    place = Place.objects.create(slug="evaluation-test", name="Evaluation test place")
    areas = {}
    for decile in (1, 10):
        area = SmallArea.objects.create(
            place=place, code=f"X0100000{decile}", name=f"Area {decile}", vintage=2021
        )
        Deprivation.objects.create(small_area=area, imd_rank=decile * 3000, imd_decile=decile)
        areas[decile] = area
    practices = {
        1: GPPractice.objects.create(place=place, code="ZZ9001", name="Valley Surgery"),
        10: GPPractice.objects.create(place=place, code="ZZ9002", name="Moor Practice"),
    }
    service = make_service("Community Connectors")
    programme = Programme.objects.create(service=service)
    opened = _day(START + dt.timedelta(days=30))
    made = []
    for decile, cases in ((1, MOST_DEPRIVED), (10, LEAST_DEPRIVED), (None, NO_SMALL_AREA)):
        for number, (before, after, still_open) in enumerate(cases):
            made.append(
                _case(programme, areas.get(decile), practices.get(decile), opened, before,
                      after, still_open, birth=dt.date(1950 + number, 1, 1))
            )  # fmt: skip
    # A second baseline and an earlier follow-up: the first baseline and the latest follow-up
    # count, not these.
    for timepoint, days in (("baseline", 5), ("follow_up", 60)):
        _score(made[0], timepoint, 10, opened + dt.timedelta(days=days))
    # Before the period: never counted.
    _case(programme, areas[1], practices[1], _day(START - dt.timedelta(days=1)), 10, 30, False)
    return programme


def _case(programme, area, practice, opened, before, after, still_open, birth=dt.date(1950, 1, 1)):
    person = Person.objects.create(
        given_name=SECRET_NAME[0], family_name=SECRET_NAME[1], birth_date=birth,
        nhs_number=SECRET_NHS, small_area=area, gp_practice=practice,
        preferred_language="pl", is_demo=True,
    )  # fmt: skip
    referral = Referral.objects.create(
        person=person, service=programme.service, status="in_progress",
        status_changed_at=opened, referrer_label="GP", created_at=opened,
    )  # fmt: skip
    case = Case.objects.create(
        programme=programme, person=person, referral=referral, opened_at=opened,
        status="active" if still_open else "discharged",
        what_matters="Zebedee wants to see people again",
    )  # fmt: skip
    for timepoint, value, days in (("baseline", before, 1), ("follow_up", after, 90)):
        if value is not None:
            _score(case, timepoint, value, opened + dt.timedelta(days=days))
    return case


def _score(case, timepoint, value, at):
    Administration.objects.create(
        person=case.person, case=case, instrument="swemwbs", instrument_version="1",
        timepoint=timepoint, mode="connector", status="complete", total=value, metric=value,
        started_at=at, completed_at=at, is_demo=True,
    )  # fmt: skip


@pytest.fixture
def analyst(make_person, alpha):  # noqa: F811
    return make_person("analyst", Role.ANALYST, alpha)


def _report(programme, analyst, measure="swemwbs"):
    return queries.programme_report(
        programme, measure=measure, start=START, end=END, actor=analyst, via="test"
    )


def test_attrition_is_shown_with_small_counts_withheld(programme, analyst):
    attrition = _report(programme, analyst)["attrition"]

    assert attrition["started"] == 23
    assert attrition["paired"] == 15
    # No baseline 2, still open 2, lost 4: each fewer than 5, none to be worked out.
    assert attrition["no_baseline"] is attrition["awaiting"] is attrition["lost"] is None
    assert attrition["withheld"] == {"no_baseline": "small", "awaiting": "small", "lost": "small"}


def test_the_paired_figures_are_of_the_first_baseline_and_latest_follow_up(programme, analyst):
    overall = _report(programme, analyst)["overall"]

    diff = np.array([a - b for b, a, _open in ALL if b and a], dtype=float)
    figures = overall["figures"]
    assert figures["n"] == 15
    assert figures["mean_change"] == pytest.approx(diff.mean())
    assert figures["effect_size_dz"] == pytest.approx(diff.mean() / diff.std(ddof=1))
    # SWEMWBS counts 3 points as meaningful: 9 of the 15 improved by that much.
    assert overall["improved"] == figures["improved"] == 9
    assert figures["share_improved"] == pytest.approx(0.6)


def test_how_those_lost_differed_at_baseline_waits_for_5_of_them(programme, analyst):
    # Three lost: too few to describe.
    assert _report(programme, analyst)["baseline_comparison"] is None


def test_the_deprivation_breakdown_withholds_a_small_group_and_what_would_give_it_away(
    programme, analyst
):
    breakdown = next(
        b for b in _report(programme, analyst)["breakdowns"] if b["key"] == "deprivation"
    )
    rows = {row["code"]: row for row in breakdown["rows"]}

    assert list(rows) == ["1", "5", "not_recorded"]
    assert rows["not_recorded"]["started"] is None
    assert rows["not_recorded"]["withheld"]["started"] == "small"
    # 23 started in all: showing both 12 and 8 would give the 3 away; the 8 is withheld.
    assert breakdown["total"]["started"] == 23
    assert rows["1"]["started"] == 12
    assert rows["5"]["started"] is None and rows["5"]["withheld"]["started"] == "withheld"
    # Likewise the 5 pairs beside 2: withheld, and the figures resting on them with them.
    assert rows["5"]["paired"] is None and rows["5"]["figures"] is None
    assert rows["1"]["paired"] == 8
    assert rows["1"]["figures"]["mean_change"] == pytest.approx(np.mean([5, 2, 5, 0, 5, 4, 6, -1]))
    # 5 of 8 improved, so 3 did not: the share would give them away.
    assert rows["1"]["figures"]["share_improved"] is None


def test_breakdowns_by_age_sex_ethnic_group_language_and_practice(programme, analyst):
    breakdowns = {b["key"]: b for b in _report(programme, analyst)["breakdowns"]}

    assert list(breakdowns) == [
        "deprivation", "age", "sex", "ethnic_group", "language", "gp_practice"
    ]  # fmt: skip
    # Sex and ethnic group were not asked of anyone here.
    assert [r["label"] for r in breakdowns["sex"]["rows"]] == ["Not recorded"]
    assert [r["label"] for r in breakdowns["language"]["rows"]] == ["Polish"]
    assert [r["label"] for r in breakdowns["gp_practice"]["rows"]] == [
        "Moor Practice (ZZ9002)",
        "Valley Surgery (ZZ9001)",
        "Not recorded",
    ]
    # Born 1950 to 1961, the cases opened in May 2025.
    assert [r["label"] for r in breakdowns["age"]["rows"]] == ["50 to 64", "65 to 74", "75 to 84"]
    assert breakdowns["age"]["total"]["started"] == 23


def test_no_name_number_or_note_about_a_person_is_in_the_report(programme, analyst):
    text = json.dumps(_report(programme, analyst), default=str)

    for secret in (*SECRET_NAME, SECRET_NHS, "see people again"):
        assert secret not in text


def test_reading_the_report_is_audited(programme, analyst):
    _report(programme, analyst)

    event = AuditEvent.objects.get(action="outcomes.evaluation_viewed")
    assert event.actor == analyst
    assert event.details["measure"] == "swemwbs"


@pytest.mark.parametrize("role", [Role.CONNECTOR, Role.PRACTITIONER, Role.PROVIDER_EDITOR, None])
def test_only_analysts_and_admins_may_read_it(programme, make_person, beta, role):  # noqa: F811
    other = make_person("frontline", role, beta if role else None)

    with pytest.raises(PermissionDenied):
        _report(programme, other)
    with pytest.raises(PermissionDenied):
        _report(programme, None)
    assert not AuditEvent.objects.filter(action="outcomes.evaluation_viewed").exists()


def test_a_score_where_lower_is_better_and_an_unknown_one(programme, analyst):
    report = _report(programme, analyst, measure="ucla3")
    assert report["attrition"]["paired"] is None or report["attrition"]["paired"] == 0
    with pytest.raises(LookupError):
        _report(programme, analyst, measure="no_such_score")


def test_deprivation_is_found_through_the_postcode_when_the_area_has_no_indices(programme, analyst):
    # The indices are of 2011 small areas: a person placed in a 2021 area without them is
    # placed by their postcode's 2011 area.
    place = Place.objects.get(slug="evaluation-test")
    area_2011 = SmallArea.objects.create(place=place, code="X01000003", name="Old", vintage=2011)
    Deprivation.objects.create(small_area=area_2011, imd_rank=9000, imd_decile=3)
    area_2021 = SmallArea.objects.create(place=place, code="X01099999", name="New", vintage=2021)
    Postcode.objects.create(
        place=place, postcode="ZZ9 9ZZ", latitude=53.8, longitude=-1.75,
        small_area=area_2021, small_area_2011=area_2011,
    )  # fmt: skip
    case = _case(programme, area_2021, None, _day(START + dt.timedelta(days=3)), 40, 44, False)
    Person.objects.filter(pk=case.person_id).update(postcode="ZZ9 9ZZ")

    breakdown = next(
        b for b in _report(programme, analyst)["breakdowns"] if b["key"] == "deprivation"
    )

    assert [row["code"] for row in breakdown["rows"]] == ["1", "2", "5", "not_recorded"]


def test_no_table_gives_away_what_another_withholds(programme, analyst):
    report = _report(programme, analyst)
    attrition = report["attrition"]

    for breakdown in report["breakdowns"]:
        total = breakdown["total"]
        for column in ("started", "no_baseline", "awaiting", "lost", "paired"):
            assert (total[column] is None) == (attrition[column] is None), column
        # Those missing a follow-up: shown only if it cannot reveal a withheld part.
        if total["missing_follow_up"] is not None:
            assert (attrition["awaiting"] is None) == (attrition["lost"] is None)
