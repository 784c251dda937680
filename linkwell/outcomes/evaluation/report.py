"""The evaluation of a programme over a period, as plain data: who started, who has both a
baseline and a follow-up, who is missing and how they differed at the start, the paired
figures, and the same by deprivation, age, sex, ethnic group, language and GP practice.

No person is named, numbered or described here: rows are read as ids and codes with
`values_list` and counted with numpy, so five years of a programme (thousands of people) is
one query for the cases and one for the scores. Counts of 1 to 4 are withheld (`suppression`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from django.db.models import F, FloatField, IntegerField, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from linkwell.outcomes import instruments
from linkwell.outcomes.evaluation import statistics, suppression
from linkwell.outcomes.models import Administration, AdministrationStatus, Timepoint
from linkwell.places.models import Deprivation, Postcode
from linkwell.referrals.models import Case, CaseStatus, Person, Programme

NOT_RECORDED = "not_recorded"
AGE_BANDS = [(0, 18), (18, 35), (35, 50), (50, 65), (65, 75), (75, 85), (85, 200)]
# Parts of those who started, in the order the attrition table lists them.
STAGES = ("no_baseline", "awaiting", "lost", "paired")


@dataclass(frozen=True)
class Measure:
    """The score an evaluation compares: an instrument's headline (its metric score where a
    conversion applies, else its total) or one of its subscales (an ONS4 question)."""

    instrument: str
    subscale: str
    name: str
    higher_is_better: bool
    meaningful_change: float | None
    field: str  # what is read from an administration

    @property
    def code(self) -> str:
        return f"{self.instrument}.{self.subscale}" if self.subscale else self.instrument


def measures() -> list[Measure]:
    """Every score an evaluation can be of: each instrument's headline, then its subscales."""
    found = []
    for key, instrument in sorted(instruments.catalogue().items()):
        name = _text(instrument.name)
        if instrument.total is not None:
            field = "metric" if instrument.conversion else "total"
            found.append(
                Measure(
                    key, "", name, instrument.higher_is_better, instrument.meaningful_change, field
                )
            )
        for sub in instrument.subscales:
            found.append(
                Measure(
                    key,
                    sub.id,
                    f"{name}: {_text(sub.name)}",
                    sub.higher_is_better,
                    sub.meaningful_change,
                    f"subscales__{sub.id}__score",
                )
            )
    return found


def measure(code: str) -> Measure | None:
    """The measure of a code ("swemwbs", "ons4.anxiety"), or None if there is none."""
    return next((m for m in measures() if m.code == code), None)


def _text(text: dict[str, str]) -> str:
    from django.utils.translation import get_language

    return text.get((get_language() or "en").split("-")[0]) or text.get("en", "")


def build(programme: Programme, chosen: Measure, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The report for cases of `programme` opened from `start` to `end` (both days in), on
    the scores of `chosen`. Unchecked: callers go through `queries.programme_report`."""
    since, until = _day_start(start), _day_start(end + dt.timedelta(days=1))
    cases = Case.objects.filter(programme=programme, opened_at__gte=since, opened_at__lt=until)
    people = _people(cases, chosen)
    count = len(people["status"])
    before = people["before"].astype(float)  # None reads as NaN
    after = people["after"].astype(float)
    has_before = ~np.isnan(before)
    paired = has_before & ~np.isnan(after)
    open_case = people["status"] != CaseStatus.DISCHARGED
    stage = np.select(
        [~has_before, paired, has_before & open_case],
        [STAGES.index("no_baseline"), STAGES.index("paired"), STAGES.index("awaiting")],
        default=STAGES.index("lost"),
    ).astype(np.int8)
    overall = _group(before, after, stage, np.ones(count, dtype=bool), chosen, with_tests=True)
    attrition, hidden = _attrition(overall)
    lost = stage == STAGES.index("lost")
    comparison = statistics.compare_baselines(before[paired], before[lost])
    comparison_shown = (
        not (suppression.is_small(comparison.n_stayed) or suppression.is_small(comparison.n_lost))
        and comparison.n_lost > 0
    )
    breakdowns = [
        _breakdown(key, title, codes, names, before, after, stage, chosen, overall, hidden)
        for key, title, codes, names in _groupings(people)
    ]
    return {
        "programme": {"id": str(programme.pk), "name": programme.service.name},
        "measure": asdict(chosen) | {"code": chosen.code},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "threshold": suppression.THRESHOLD,
        "attrition": attrition,
        "baseline_comparison": asdict(comparison) if comparison_shown else None,
        "overall": _shown(overall, hidden_counts=hidden),
        "breakdowns": breakdowns,
    }


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _score(chosen: Measure, timepoint: str, first: bool) -> Subquery:
    """A case's first (or latest) complete score of `chosen` at `timepoint`, in the database."""
    if chosen.subscale:
        value: Any = Cast(KT(chosen.field), FloatField())
    else:
        value = F(chosen.field)
    order = ("completed_at", "id") if first else ("-completed_at", "-id")
    scores = (
        Administration.objects.filter(
            case=OuterRef("pk"),
            instrument=chosen.instrument,
            status=AdministrationStatus.COMPLETE,
            timepoint=timepoint,
        )
        .annotate(value=value)
        .filter(value__isnull=False)
        .order_by(*order)
        .values("value")[:1]
    )
    return Subquery(scores, output_field=FloatField())


def _imd_decile() -> Coalesce:
    """The IoD2019 decile of the person's small area. The indices are of 2011 LSOAs: the
    person's own area's if it is one, else the 2011 LSOA of their postcode, else the 2011 LSOA
    of the same code (most 2021 LSOAs kept their 2011 code)."""
    of_postcode = Postcode.objects.filter(postcode=OuterRef("person__postcode")).values(
        "small_area_2011__deprivation__imd_decile"
    )[:1]
    same_code = Deprivation.objects.filter(
        small_area__code=OuterRef("person__small_area__code"), small_area__vintage=2011
    ).values("imd_decile")[:1]
    return Coalesce(
        F("person__small_area__deprivation__imd_decile"),
        Subquery(of_postcode),
        Subquery(same_code),
        output_field=IntegerField(),
    )


def _people(cases: Any, chosen: Measure) -> dict[str, np.ndarray]:
    """One row a case: its status, when it opened, the first baseline and the latest
    follow-up score, and the person's grouping facts (codes only: no name, number or address
    is read). One query."""
    columns = [
        ("status", "status"),
        ("opened", "opened_at"),
        ("birth", "person__birth_date"),
        ("decile", "decile"),
        ("language", "person__preferred_language"),
        ("practice", "person__gp_practice__code"),
        ("practice_name", "person__gp_practice__name"),
        ("sex", "person__sex"),
        ("ethnic_group", "person__ethnic_group"),
        ("before", "before"),
        ("after", "after"),
    ]
    values = list(
        cases.order_by()
        .annotate(
            decile=_imd_decile(),
            before=_score(chosen, Timepoint.BASELINE, first=True),
            after=_score(chosen, Timepoint.FOLLOW_UP, first=False),
        )
        .values_list(*(path for _, path in columns))
    )
    out: dict[str, np.ndarray] = {}
    for i, (name, _path) in enumerate(columns):
        column = np.empty(len(values), dtype=object)
        column[:] = [row[i] for row in values]
        out[name] = column
    return out


Grouping = tuple[str, str, np.ndarray, dict[str, str]]  # key, title, code per case, labels


def _groupings(people: dict[str, np.ndarray]) -> list[Grouping]:
    """(key, title, each case's group code, each code's label) of each breakdown: labels are
    worked out once a group, not once a case."""
    found = [
        ("deprivation", _("Deprivation quintile of the small area"), *_quintiles(people)),
        ("age", _("Age band when the case opened"), *_ages(people)),
    ]
    for name, title in (("sex", _("Sex")), ("ethnic_group", _("Ethnic group"))):
        choices = dict(Person._meta.get_field(name).flatchoices)
        codes = _codes(people[name])
        labels = _labels(codes, lambda c, d=choices: str(d.get(c, c)))
        found.append((name, title, codes, labels))
    codes = _codes(people["language"])
    found.append(("language", _("Preferred language"), codes, _labels(codes, _language_name)))
    codes = _codes(people["practice"])
    practice_names = dict(zip(people["practice"], people["practice_name"], strict=True))
    found.append(
        (
            "gp_practice",
            _("GP practice"),
            codes,
            _labels(codes, lambda c: f"{practice_names[c]} ({c})"),
        )
    )
    return found


def _codes(values: np.ndarray) -> np.ndarray:
    codes = values.copy()
    codes[(values == None) | (values == "")] = NOT_RECORDED  # noqa: E711 (elementwise)
    return codes.astype(str)


def _labels(codes: np.ndarray, label: Callable[[str], str]) -> dict[str, str]:
    return {
        code: (_("Not recorded") if code == NOT_RECORDED else label(code))
        for code in np.unique(codes)
    }


def _quintiles(people: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, str]]:
    decile = people["decile"]
    known = decile != None  # noqa: E711 (elementwise)
    codes = np.full(len(decile), NOT_RECORDED, dtype=object)
    codes[known] = ((decile[known].astype(int) + 1) // 2).astype(str)
    labels = {
        # xgettext:no-python-format
        "1": _("1 (most deprived 20% of England)"),
        "2": "2",
        "3": "3",
        "4": "4",
        # xgettext:no-python-format
        "5": _("5 (least deprived 20% of England)"),
        NOT_RECORDED: _("Not known (no small area)"),
    }
    codes = codes.astype(str)
    return codes, {code: labels[code] for code in np.unique(codes)}


def _ages(people: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, str]]:
    """Age in whole years on the (local) day the case opened, in bands."""
    zone = timezone.get_current_timezone()
    codes = np.full(len(people["birth"]), NOT_RECORDED, dtype=object)
    for i, (birth, opened) in enumerate(zip(people["birth"], people["opened"], strict=True)):
        if birth is None:
            continue
        day = opened.astimezone(zone)
        age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        codes[i] = next(f"{low:03d}" for low, high in AGE_BANDS if low <= age < high)
    codes = codes.astype(str)
    return codes, _labels(codes, _age_label)


def _age_label(code: str) -> str:
    low = int(code)
    high = next(h for lo, h in AGE_BANDS if lo == low)
    if low == 0:
        return _("Under 18")
    if high >= 200:
        return _("%(low)s and over") % {"low": low}
    return _("%(low)s to %(high)s") % {"low": low, "high": high - 1}


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _group(
    before: np.ndarray,
    after: np.ndarray,
    stage: np.ndarray,
    mask: np.ndarray,
    chosen: Measure,
    *,
    with_tests: bool = False,
) -> dict[str, Any]:
    """Counts and paired figures of the cases in `mask`."""
    counted = np.bincount(stage[mask], minlength=len(STAGES))
    in_stage = {name: int(counted[i]) for i, name in enumerate(STAGES)}
    both = mask & (stage == STAGES.index("paired"))
    figures = statistics.paired(
        before[both],
        after[both],
        higher_is_better=chosen.higher_is_better,
        meaningful_change=chosen.meaningful_change,
        with_tests=with_tests,
    )
    with_baseline = mask & (stage != STAGES.index("no_baseline"))
    return {
        "started": int(np.count_nonzero(mask)),
        **in_stage,
        "missing_follow_up": in_stage["awaiting"] + in_stage["lost"],
        "baseline_mean": float(before[with_baseline].mean()) if with_baseline.any() else None,
        "figures": figures,
    }


COUNTS = ("started", "no_baseline", "awaiting", "lost", "missing_follow_up", "paired", "improved")


def _counts(group: dict[str, Any]) -> dict[str, int]:
    counts = {k: group[k] for k in COUNTS if k in group}
    improved = group["figures"].improved
    if improved is not None:
        counts["improved"] = improved
    return counts


def _attrition(overall: dict[str, Any]) -> tuple[dict[str, int | None], set[str]]:
    """Whole-programme counts, each stage of who started, with those of 1 to 4 withheld (and
    one more where a withheld one could be worked out from the number who started, or from
    the number missing a follow-up that every breakdown's total row shows). The breakdowns
    withhold the same in their total rows, so no table gives away what another hides."""
    counts = {k: overall[k] for k in ("started", *STAGES, "missing_follow_up")}
    hidden = suppression.suppress(
        counts, [("started", STAGES), ("missing_follow_up", ("awaiting", "lost"))]
    )
    shown: dict[str, Any] = {k: (None if k in hidden else v) for k, v in counts.items()}
    shown["withheld"] = {
        k: ("small" if suppression.is_small(counts[k]) else "withheld") for k in sorted(hidden)
    }
    return shown, {str(k) for k in hidden}


def _shown(group: dict[str, Any], *, hidden_counts: set[str]) -> dict[str, Any]:
    """A group's data with withheld counts as None and the figures dropped when they rest on
    fewer than 5 pairs (or on a withheld number of pairs)."""
    figures = group["figures"]
    counts = _counts(group)
    hidden = set(hidden_counts)
    for key, value in counts.items():
        if suppression.is_small(value):
            hidden.add(key)
    improved = figures.improved
    if improved is not None and suppression.is_small(figures.n - improved):
        hidden.add("improved")  # "all but 3 improved" gives the 3 away
    pairs_hidden = "paired" in hidden or figures.n < suppression.THRESHOLD
    data = {k: (None if k in hidden else v) for k, v in counts.items()}
    # Why each count is not shown: "small" (1 to 4) or "withheld" (so that a small one
    # cannot be worked out from it).
    data["withheld"] = {
        k: ("small" if suppression.is_small(counts[k]) else "withheld")
        for k in sorted(hidden)
        if k in counts
    }
    data["baseline_mean"] = None if pairs_hidden else group["baseline_mean"]
    data["figures"] = None if pairs_hidden else asdict(figures)
    if data["figures"] is not None:
        share = figures.share_improved
        data["figures"]["share_improved"] = None if "improved" in hidden else share
    return data


def _breakdown(
    key: str,
    title: str,
    codes: np.ndarray,
    names: dict[str, str],
    before: np.ndarray,
    after: np.ndarray,
    stage: np.ndarray,
    chosen: Measure,
    overall: dict[str, Any],
    overall_hidden: set[str],
) -> dict[str, Any]:
    """One table: a row a group (in order, "not recorded" last), the total row, and the
    counts withheld so that none can be worked out from the others."""
    order = sorted(names, key=_order_key(key, names))
    groups = {code: _group(before, after, stage, codes == code, chosen) for code in order}
    counts: dict[tuple[str, str], int] = {}
    forced = {("total", column) for column in overall_hidden}
    for code, group in [*groups.items(), ("total", overall)]:
        for column, value in _counts(group).items():
            counts[(code, column)] = value
        improved = group["figures"].improved
        if improved is not None and suppression.is_small(group["paired"] - improved):
            forced.add((code, "improved"))  # "all but 3 improved" gives the 3 away
    sums: list[tuple[Any, list[Any]]] = []
    for column in COUNTS:
        if ("total", column) in counts:
            sums.append((("total", column), [(code, column) for code in order]))
    for code in [*order, "total"]:
        sums.append(((code, "started"), [(code, s) for s in STAGES]))
        sums.append(((code, "missing_follow_up"), [(code, "awaiting"), (code, "lost")]))
    hidden = suppression.suppress(counts, sums, also=forced)
    rows = []
    for code in order:
        mine = {column for row, column in hidden if row == code}
        rows.append({"code": code, "label": names[code]} | _shown(groups[code], hidden_counts=mine))
    total_hidden = {column for row, column in hidden if row == "total"}
    return {
        "key": key,
        "title": title,
        "rows": rows,
        "total": {"code": "total", "label": _("All")} | _shown(overall, hidden_counts=total_hidden),
    }


def _order_key(key: str, names: dict[str, str]) -> Callable[[str], tuple]:
    def order(code: str) -> tuple:
        return (code == NOT_RECORDED, code if key in ("deprivation", "age") else names[code])

    return order
