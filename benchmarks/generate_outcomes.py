"""Add wellbeing scores to the Connector programme of a `generate_referrals.py` world: a
SWEMWBS baseline at the start of most cases and a follow-up at the end of most of those that
ended (fewer for people who did not engage, and fewer for those who started worse off, as in
real programmes), scored by the instrument's own definition; the people's sex and ethnic
group where the person record has them; and an analyst who may read the evaluation.

Deterministic for a `--seed`. Every row is demo-flagged. Prints a JSON summary as its last
line.

    DATABASE_URL=... LINKWELL_DEV=1 .venv/bin/python benchmarks/generate_outcomes.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

INSTRUMENT = "swemwbs"
ANALYST = "analyst1"
BASELINE_SHARE = 0.96  # of cases: a few never had one recorded
FOLLOW_UP_SHARE = {"completed": 0.78, "did_not_engage": 0.25}  # of closed cases with a baseline
SEXES = [("female", 58), ("male", 40), ("prefer_not_to_say", 1), ("", 1)]
ETHNIC_GROUPS = [
    ("white", 62), ("asian", 28), ("black", 2), ("mixed", 2), ("other", 1),
    ("prefer_not_to_say", 1), ("", 4),
]  # fmt: skip


def _answers(rng: random.Random, items: list[str], level: float) -> dict[str, int]:
    return {item: max(1, min(5, round(rng.gauss(level, 0.8)))) for item in items}


def generate(seed: int = 15) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import transaction

    from linkwell.accounts.actions import create_user, grant_role
    from linkwell.accounts.models import Organisation, Role
    from linkwell.core.bulk import insert
    from linkwell.outcomes import instruments
    from linkwell.outcomes.models import Administration
    from linkwell.referrals.models import Case, Person

    started = time.perf_counter()
    rng = random.Random(seed)
    instrument = instruments.get(INSTRUMENT)
    items = [item.id for item in instrument.items]
    cases = list(
        Case.objects.order_by("opened_at", "id").values_list(
            "id", "person_id", "status", "opened_at", "discharged_at", "connector_id",
            "referral__status",
        )
    )  # fmt: skip
    rows: list[dict[str, Any]] = []
    counts = {"cases": len(cases), "baselines": 0, "follow_ups": 0, "people_with_scores": 0}
    scored: set[uuid.UUID] = set()

    def administration(
        person: uuid.UUID, case: uuid.UUID, timepoint: str, at: dt.datetime, level: float,
        by: int | None,
    ) -> dict[str, Any]:  # fmt: skip
        answers = _answers(rng, items, level)
        score = instruments.score(instrument, answers)
        return {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4), "person_id": person,
            "instrument": INSTRUMENT, "instrument_version": instrument.version,
            "timepoint": timepoint, "mode": "connector", "status": "complete",
            "case_id": case, "referral_id": None, "language": "en", "answers": answers,
            "total": score.total, "metric": score.metric, "band": score.band,
            "subscales": {}, "started_at": at, "completed_at": at, "due_on": None,
            "reminded_at": None, "recorded_by_id": by, "organisation_id": None, "is_demo": True,
        }  # fmt: skip

    for case, person, status, opened, discharged, connector, referral_status in cases:
        if rng.random() > BASELINE_SHARE:
            continue
        level = min(4.6, max(1.4, rng.gauss(2.8, 0.55)))  # the person's item average at the start
        at = opened + dt.timedelta(days=rng.uniform(0, 7))
        rows.append(administration(person, case, "baseline", at, level, connector))
        counts["baselines"] += 1
        scored.add(person)
        if status != "discharged" or discharged is None:
            continue
        share = FOLLOW_UP_SHARE.get(referral_status, 0.5)
        # Those who started worse off are lost more often.
        share = max(0.05, min(0.95, share + 0.25 * (level - 2.8)))
        if rng.random() > share:
            continue
        gain = rng.gauss(0.35, 0.45)
        rows.append(administration(person, case, "follow_up", discharged, level + gain, connector))
        counts["follow_ups"] += 1
    counts["people_with_scores"] = len(scored)
    with transaction.atomic():
        for start in range(0, len(rows), 5000):
            insert(Administration, rows[start : start + 5000])
        people = list(Person.objects.filter(cases__isnull=False).distinct().values_list("id"))
        fields = {f.name for f in Person._meta.get_fields()}
        if {"sex", "ethnic_group"} <= fields:
            by_value: dict[tuple[str, str], list[Any]] = {}
            for (pk,) in people:
                sex = rng.choices([s for s, _ in SEXES], [w for _, w in SEXES])[0]
                group = rng.choices([g for g, _ in ETHNIC_GROUPS], [w for _, w in ETHNIC_GROUPS])[0]
                by_value.setdefault((sex, group), []).append(pk)
            for (sex, group), pks in by_value.items():
                for start in range(0, len(pks), 500):
                    Person.objects.filter(pk__in=pks[start : start + 500]).update(
                        sex=sex, ethnic_group=group
                    )
            counts["people_with_sex_and_ethnic_group"] = len(people)
        organisation = Organisation.objects.order_by("created_at", "id").first()
        analyst = create_user(actor=None, username=ANALYST)
        grant_role(actor=None, user=analyst, organisation=organisation, role=Role.ANALYST)
    counts["administrations"] = len(rows)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    print(json.dumps(generate(seed=args.seed)))


if __name__ == "__main__":
    main()
