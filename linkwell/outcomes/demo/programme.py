"""The Community Connector programme's two years: referrals from the demo GP practices (more
each month as it grows) and a few from fire and housing, counted against the caps per
practice and per grant year in the order they came (past a full cap they wait, and in past
years were declined for want of places), each accepted one a case with sessions, a discharge
(or not yet), and SWEMWBS scores at the start and the end, with attrition: fewer follow-ups
for those who did not engage and for those who started worse off, as in real programmes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone

from linkwell.outcomes import instruments
from linkwell.outcomes.demo.world import Referrer, World, days, new_id, weighted
from linkwell.outcomes.models import Administration
from linkwell.referrals.actions.programmes import WHOLE_PROGRAMME, grant_year_start
from linkwell.referrals.models import Case, Goal, Programme, ProgrammeAllowance, Session

MONTHS = 24
INSTRUMENT = "swemwbs"
BASELINE_SHARE = 0.94
FOLLOW_UP_SHARE = {"completed": 0.8, "did_not_engage": 0.25}
DECLINES = [("not_eligible", 3), ("person_declined", 3), ("could_not_contact", 2),
            ("duplicate", 1), ("other", 1)]  # fmt: skip
GOALS = ["Demo: join a group that meets weekly", "Demo: sort out the heating bills",
         "Demo: get out for a walk most days", "Demo: see my grandchildren more"]  # fmt: skip


def programme_history(world: World, programme: Programme) -> None:
    arrivals = _arrivals(world)
    allowances = {
        (row.practice_code, row.year_start): row
        for row in ProgrammeAllowance.objects.filter(programme=programme)
    }
    taken = {key: row.taken for key, row in allowances.items()}
    added: dict[tuple[str, dt.date], int] = {}
    codes = {p[0]: p[1] for p in world.practices}
    this_year = grant_year_start(programme, world.today)
    seen: set[int] = set()
    for created, referrer in arrivals:
        year = grant_year_start(programme, timezone.localtime(created).date())
        keys = [(WHOLE_PROGRAMME, year)]
        if referrer.practice is not None:
            keys.insert(0, (codes[referrer.practice], year))

        def cap(key: tuple[str, dt.date]) -> int:
            row = allowances.get(key)
            if row is not None:
                return row.cap
            return programme.practice_cap if key[0] else programme.programme_cap

        full = any(taken.get(key, 0) >= cap(key) for key in keys)
        admitted = _one(world, created, referrer, seen, full, year, year == this_year)
        if admitted:
            for key in keys:
                taken[key] = taken.get(key, 0) + 1
                added[key] = added.get(key, 0) + 1
    for (code, year), count in added.items():
        row = allowances.get((code, year))
        if row is None:
            cap = programme.practice_cap if code else programme.programme_cap
            ProgrammeAllowance.objects.create(
                programme=programme, practice_code=code, year_start=year, cap=cap, taken=count
            )
        else:
            ProgrammeAllowance.objects.filter(pk=row.pk).update(taken=F("taken") + count)
    _scores(world)


def _arrivals(world: World) -> list[tuple[dt.datetime, Referrer]]:
    """When each referral to the programme came, and from whom, oldest first."""
    rng, now = world.rng, world.now
    found = []
    practices = [(p[3], p[4]) for p in world.practices]
    for back in range(MONTHS):
        start = now - days(30.4 * (back + 1))
        for _ in range(round(7 + 9 * (MONTHS - 1 - back) / (MONTHS - 1))):
            found.append((start + days(rng.uniform(0, 30.4)), weighted(rng, practices)))
        for _ in range(rng.choice([0, 1, 1, 2])):
            kind = rng.choice(["fire", "housing"])
            found.append((start + days(rng.uniform(0, 30.4)), world.referrers[kind][0]))
    cutoff = now - dt.timedelta(hours=2)
    return sorted((a for a in found if a[0] < cutoff), key=lambda a: a[0])


def _person(world: World, referrer: Referrer, seen: set[int]) -> int:
    """Someone of the referring practice (anyone, from fire or housing), not referred to the
    programme before if such a one is found soon."""
    pool: Any = world.by_practice.get(referrer.practice or -1) or range(len(world.people))
    for _ in range(30):
        index = world.rng.choice(pool)
        if index not in seen:
            break
    seen.add(index)
    return index


def _one(
    world: World,
    created: dt.datetime,
    referrer: Referrer,
    seen: set[int],
    full: bool,
    year: dt.date,
    this_year: bool,
) -> bool:
    """One referral to the programme; True if it took a place in the caps."""
    rng, service = world.rng, world.programme
    person = _person(world, referrer, seen)
    need = weighted(rng, [(n, 3 if n == "loneliness" else 1) for n in service["needs"]])
    sent = created + dt.timedelta(minutes=1)
    answer = sent + days(max(0.05, service["speed"] * rng.lognormvariate(0, 0.8)))
    cutoff = world.now - dt.timedelta(hours=1)
    steps = [("draft", created, "referrer"), ("sent", sent, "referrer")]
    common = {"person": person, "service": service, "referrer": referrer, "created": created,
              "need": need, "answerer": world.connector}  # fmt: skip
    if full:  # waits; in a past year, declined for want of places when the year ran out
        steps.append(("waitlisted", sent, "system"))
        ends = sent + days(rng.uniform(14, 40))
        if not this_year and ends <= cutoff:
            steps.append(("declined", ends, "service"))
        world.referral(steps=steps, decline="no_capacity", **common)
        return False
    if answer > cutoff:  # admitted, not answered yet
        world.referral(steps=steps, programme_year=year, **common)
        return True
    if rng.random() < 0.3:
        steps.append(("received", sent + (answer - sent) / 3, "service"))
    if rng.random() < 0.07:  # declined: its place given back
        steps.append(("declined", answer, "service"))
        world.referral(steps=steps, decline=weighted(rng, DECLINES), **common)
        return False
    steps.append(("accepted", answer, "service"))
    _case(world, steps, answer, common, year)
    return True


def _case(
    world: World, steps: list, opened: dt.datetime, common: dict[str, Any], year: dt.date
) -> None:
    """An accepted referral's case: sessions every two or three weeks (up to six), then a
    discharge; about one in seven stop coming. Only what has happened by now is there."""
    rng = world.rng
    cutoff = world.now - dt.timedelta(hours=1)
    stops = rng.random() < 0.15
    planned = rng.choice([0, 1, 2]) if stops else rng.randint(2, 6)
    at = opened + days(rng.uniform(3, 10))
    sessions = []
    for _ in range(planned):
        sessions.append(at)
        at += days(rng.uniform(14, 21))
    last = sessions[-1] if sessions else opened
    ends = last + days(rng.uniform(14, 30) if stops else rng.uniform(3, 14))
    held = [s for s in sessions if s <= cutoff]
    discharged = ends <= cutoff
    if held:
        steps.append(("in_progress", held[0], "service"))
    if discharged:
        steps.append(("did_not_engage" if stops else "completed", ends, "service"))
    referral = world.referral(steps=steps, programme_year=year, **common)
    connector = world.connector
    case = world.rows.add(
        Case,
        {"id": new_id(rng), "programme_id": world.programme["id"],
         "person_id": referral["person_id"], "referral_id": referral["id"],
         "connector_id": connector.user, "status": "discharged" if discharged else "active",
         "opened_at": opened, "what_matters": "Demo: getting out and seeing people again.",
         "next_follow_up": None if discharged
         else timezone.localtime(held[-1] if held else opened).date() + dt.timedelta(days=14),
         "discharged_at": ends if discharged else None,
         "discharge_outcome": referral["outcome"] if discharged else "",
         "sessions_held": len(held), "person": common["person"], "ending": steps[-1][0]},
    )  # fmt: skip
    world.cases.append(case)
    world.audit(opened, connector, "referrals.case.opened", Case, case)
    for text in rng.sample(GOALS, rng.randint(1, 2)):
        status = weighted(rng, [("achieved", 3), ("dropped", 1)]) if discharged else "open"
        world.rows.add(
            Goal,
            {"case_id": case["id"], "text": text, "status": status, "created_at": opened},
        )
    world.audit(opened, connector, "referrals.case.goal_added", Case, case)
    for number, at in enumerate(held, start=1):
        world.rows.add(
            Session,
            {"case_id": case["id"], "number": number, "held_on": timezone.localtime(at).date(),
             "notes": "Demo: talked about what matters; next steps agreed.",
             "over_limit_reason": "", "recorded_by_id": connector.user},
        )  # fmt: skip
        world.audit(at, connector, "referrals.case.session", Case, case,
                    {"number": number, "over_limit": False})  # fmt: skip
    if discharged:
        world.audit(ends, connector, "referrals.case.discharged", Case, case)


def _scores(world: World) -> None:
    """SWEMWBS at the start of most cases and at the end of most that ended, scored by the
    instrument's own definition."""
    rng = world.rng
    instrument = instruments.get(INSTRUMENT)
    if instrument is None:
        return
    items = [item.id for item in instrument.items]
    cutoff = world.now - dt.timedelta(minutes=5)
    for case in world.cases:
        if rng.random() > BASELINE_SHARE:
            continue
        level = min(4.5, max(1.4, rng.gauss(2.75, 0.55)))  # the item average at the start
        at = min(cutoff, case["opened_at"] + days(rng.uniform(0, 7)))
        _administration(world, instrument, items, case, "baseline", at, level)
        if case["discharged_at"] is None:
            continue
        ending = case["ending"]
        share = FOLLOW_UP_SHARE.get(ending, 0.5) + 0.25 * (level - 2.75)
        if rng.random() > max(0.05, min(0.95, share)):
            continue
        gain = rng.gauss(0.4, 0.45) if ending == "completed" else rng.gauss(0.1, 0.4)
        _administration(
            world, instrument, items, case, "follow_up", case["discharged_at"], level + gain
        )


def _administration(
    world: World,
    instrument: Any,
    items: list[str],
    case: dict[str, Any],
    timepoint: str,
    at: dt.datetime,
    level: float,
) -> None:
    rng = world.rng
    answers = {item: max(1, min(5, round(rng.gauss(level, 0.8)))) for item in items}
    score = instruments.score(instrument, answers)
    connector = world.connector
    row = world.rows.add(
        Administration,
        {"id": new_id(rng), "person_id": case["person_id"], "instrument": INSTRUMENT,
         "instrument_version": instrument.version, "timepoint": timepoint,
         "mode": "connector", "status": "complete", "case_id": case["id"], "referral_id": None,
         "language": "en", "answers": answers, "total": score.total, "metric": score.metric,
         "band": score.band or "", "subscales": {}, "started_at": at, "completed_at": at,
         "due_on": None, "reminded_at": None, "recorded_by_id": connector.user,
         "organisation_id": connector.organisation, "is_demo": True},
    )  # fmt: skip
    world.audit(at, connector, "outcomes.administration.complete", Administration, row,
                {"instrument": INSTRUMENT, "timepoint": timepoint})  # fmt: skip
