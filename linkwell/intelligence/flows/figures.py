"""The flows page's figures, read from the stored aggregates for a span of months, a partner
and a need, as protected tables (see `tables.py`). The cubes are one document per month
(`cubes.py`): only the months asked for are read, and their groups (a few thousand a month at
district scale) are added up here in one pass per cube."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from linkwell.accounts.models import Organisation
from linkwell.directory.vocabularies import NEEDS
from linkwell.intelligence.flows.stats import median, percentile
from linkwell.intelligence.flows.tables import TOTAL, Cell, Table, count_cell, grid, number
from linkwell.intelligence.models import FlowCapUse, FlowCube, FlowMonth, FlowWellbeing
from linkwell.outcomes.evaluation.suppression import THRESHOLD, suppress
from linkwell.outcomes.models import OutcomeCode
from linkwell.places.models import GPPractice, Ward
from linkwell.referrals.models import DeclineReason

UNKNOWN = "__unknown__"

STATES: list[tuple[str, Any, tuple[str, ...]]] = [
    ("waiting", gettext_lazy("Waiting for an answer"), ("sent", "received")),
    ("accepted", gettext_lazy("Accepted or started"), ("accepted", "in_progress")),
    ("waitlisted", gettext_lazy("On the waiting list"), ("waitlisted",)),
    ("declined", gettext_lazy("Declined"), ("declined",)),
    ("completed", gettext_lazy("Completed"), ("completed",)),
    ("did_not_engage", gettext_lazy("Did not engage"), ("did_not_engage",)),
    ("cancelled", gettext_lazy("Cancelled"), ("cancelled",)),
]
STATE_OF = {status: key for key, _label, statuses in STATES for status in statuses}
UNMET: list[tuple[str, Any]] = [
    ("declined", gettext_lazy("Declined")),
    ("waitlisted", gettext_lazy("Still on a waiting list")),
    ("not_referred", gettext_lazy("Noticed, not referred")),
]


@dataclass(frozen=True)
class Filters:
    start: str  # YYYY-MM
    end: str  # YYYY-MM
    partner: str = ""  # an organisation's key (32 hex), or "" for all
    need: str = ""  # a need code, or "" for all

    def of(self, queryset: QuerySet, partner_field: str | None = None) -> QuerySet:
        found = queryset.filter(month__gte=self.start, month__lte=self.end)
        if self.need and hasattr(queryset.model, "need"):
            found = found.filter(need=self.need)
        if self.partner and partner_field:
            found = found.filter(**{f"{partner_field}_id": self.partner})
        return found


def need_label(code: str) -> str:
    names = {t.code: t.name for t in NEEDS.terms}
    return _(names[code]) if code in names else (code or _("Need not given"))


def _organisations(keys: Iterable[Any]) -> dict[str, str]:
    wanted = {str(k).replace("-", "") for k in keys if k and k != UNKNOWN}
    found = Organisation.objects.filter(pk__in=wanted).values_list("pk", "name")
    return {pk.hex: name for pk, name in found}


def _documents(cube: str, filters: Filters) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Each month's document of `cube` in the span, oldest first, with the number the chosen
    partner has in it (None for all partners); months without that partner are skipped."""
    found = FlowMonth.objects.filter(
        cube=cube, month__gte=filters.start, month__lte=filters.end
    ).order_by("month")
    for month, data in found.values_list("month", "data"):
        document = json.loads(data)
        wanted = None
        if filters.partner and "partners" in document:
            if filters.partner not in document["partners"]:
                continue
            wanted = document["partners"].index(filters.partner)
        yield month, document, wanted


def _partner_keys(document: dict[str, Any]) -> list[str]:
    """The document's partner numbers as keys, UNKNOWN (at index -1) for None."""
    return [*document["partners"], UNKNOWN]


def _labelled(keys: Iterable[Hashable], names: dict[Any, str], unknown: str) -> list:
    labelled = [(k, names.get(k, unknown) if k != UNKNOWN else unknown) for k in set(keys)]
    return sorted(labelled, key=lambda pair: (pair[0] == UNKNOWN, str(pair[1]).casefold()))


def referral_tables(filters: Filters) -> list[Table]:
    columns = [(key, str(label)) for key, label, _statuses in STATES]
    by_partner: dict[tuple, int] = defaultdict(int)
    by_need: dict[tuple, int] = defaultdict(int)
    by_month: dict[tuple, int] = defaultdict(int)
    outcomes: dict[tuple, int] = defaultdict(int)
    need = filters.need
    for month, doc, wanted in _documents(FlowCube.REFERRALS, filters):
        keys = _partner_keys(doc)
        for partner, code, status, outcome, n in zip(
            doc["partner"], doc["need"], doc["status"], doc["outcome"], doc["count"], strict=True
        ):
            if (need and code != need) or (wanted is not None and partner != wanted):
                continue
            state = STATE_OF.get(status)
            if state:
                by_partner[(keys[-1 if partner is None else partner], state)] += n
                by_need[(code, state)] += n
                by_month[(month, state)] += n
            if outcome:
                outcomes[(code, outcome)] += n
    partners = _organisations(k for k, _s in by_partner)
    needs = {k: need_label(k) for k, _s in [*by_need, *outcomes]}
    return [
        grid(
            "by_partner",
            _("Referrals by referring partner and where they stand"),
            _labelled({k for k, _s in by_partner}, partners, _("Partner not recorded")),
            columns,
            by_partner,
            row_heading=_("Referring partner"),
        ),
        grid(
            "by_need",
            _("Referrals by need and where they stand"),
            sorted({(k, needs[k]) for k, _s in by_need}, key=lambda p: p[1].casefold()),
            columns,
            by_need,
            row_heading=_("Need"),
        ),
        grid(
            "by_month",
            _("Referrals by month sent and where they stand"),
            sorted({(m, m) for m, _s in by_month}),
            columns,
            by_month,
            row_heading=_("Month"),
        ),
        grid(
            "outcomes",
            _("Coded outcomes of referrals by need"),
            sorted({(k, needs[k]) for k, _o in outcomes}, key=lambda p: p[1].casefold()),
            [(c.value, str(c.label)) for c in OutcomeCode],
            outcomes,
            row_heading=_("Need"),
            note=_("As the service recorded it when the referral ended."),
        ),
    ]


def unmet_tables(filters: Filters) -> list[Table]:
    by_ward: dict[tuple, int] = defaultdict(int)
    by_need: dict[tuple, int] = defaultdict(int)
    reasons: dict[tuple, int] = defaultdict(int)
    need = filters.need
    # The partner does not narrow unmet need (the documents have none).
    for _month, doc, _wanted in _documents(FlowCube.UNMET, Filters(filters.start, filters.end)):
        for ward, code, kind, reason, n in zip(
            doc["ward"], doc["need"], doc["kind"], doc["reason"], doc["count"], strict=True
        ):
            if need and code != need:
                continue
            by_ward[(ward or UNKNOWN, kind)] += n
            by_need[(code, kind)] += n
            if kind == "declined":
                reasons[(code, reason or DeclineReason.OTHER)] += n
    known = [k for k, _kind in by_ward if k != UNKNOWN]
    wards = dict(Ward.objects.filter(pk__in=known).values_list("pk", "name"))
    columns = [(key, str(label)) for key, label in UNMET]
    needs = {k: need_label(k) for k, _s in [*by_need, *reasons]}
    what = _(
        "“Noticed, not referred” counts needs a practitioner recorded at a contact (Every "
        "Contact Counts) for which no referral was made: the nearest record the product keeps "
        "of need for which no service was found. It has no recorded “no service found” of its "
        "own. The partner chosen above does not narrow these tables."
    )
    return [
        grid(
            "unmet_by_ward",
            _("Unmet need by the person's ward"),
            _labelled({k for k, _s in by_ward}, wards, _("Ward not known")),
            columns,
            by_ward,
            row_heading=_("Ward"),
            note=what,
        ),
        grid(
            "unmet_by_need",
            _("Unmet need by need"),
            sorted({(k, needs[k]) for k, _s in by_need}, key=lambda p: p[1].casefold()),
            columns,
            by_need,
            row_heading=_("Need"),
        ),
        grid(
            "declined_reasons",
            _("Declined referrals by need and the reason given"),
            sorted({(k, needs[k]) for k, _s in reasons}, key=lambda p: p[1].casefold()),
            [(c.value, str(c.label)) for c in DeclineReason],
            reasons,
            row_heading=_("Need"),
        ),
    ]


def _histogram(found: Iterable[dict[int, int]]) -> dict[int, int]:
    total: dict[int, int] = defaultdict(int)
    for days in found:
        for day, n in days.items():
            total[day] += n
    return total


def response_table(filters: Filters) -> Table:
    groups: dict[tuple, dict[int, int]] = {}
    need = filters.need
    for _month, doc, wanted in _documents(FlowCube.RESPONSE, filters):
        keys = _partner_keys(doc)
        for partner, code, days, ns in zip(
            doc["partner"], doc["need"], doc["days"], doc["n"], strict=True
        ):
            if (need and code != need) or (wanted is not None and partner != wanted):
                continue
            key = (keys[-1 if partner is None else partner], code)
            histogram = groups.get(key)
            if histogram is None:
                histogram = groups[key] = defaultdict(int)
            for day, n in zip(days, ns, strict=True):
                histogram[day] += n
    partners = _organisations(p for p, _n in groups)
    histograms: dict[Any, dict[int, int]] = dict(groups)
    histograms[TOTAL] = _histogram(groups.values())
    counts = {key: sum(h.values()) for key, h in histograms.items()}
    parts = [k for k in histograms if k != TOTAL]
    hidden = suppress(counts, [(TOTAL, parts)])

    def label(key: Any) -> str:
        partner, need = key
        name = partners.get(partner, _("Partner not recorded"))
        return f"{name}: {need_label(need)}"

    def cells(key: Any) -> list[Cell]:
        h = histograms[key]
        enough = counts[key] >= THRESHOLD
        middle, high = (median(h), percentile(h, 90)) if enough else (None, None)
        return [
            count_cell(key, counts, hidden),
            Cell(number(middle), number=middle) if enough else Cell(_("withheld"), True),
            Cell(number(high, 0), number=high) if enough else Cell(_("withheld"), True),
        ]

    table = Table(
        "response",
        _("Days from sending a referral to the service's first answer"),
        [_("Service's partner and need"), _("Answered"), _("Median days"), _("90th percentile")],
        note=_(
            "Whole days from sending to the first answer (accepted, declined or put on the "
            "waiting list); 0 is within a day. Referrals not yet answered are not counted. "
            "The median and 90th percentile are shown for at least 5 answered referrals."
        ),
    )
    for key in sorted(parts, key=label):
        table.rows.append((label(key), cells(key)))
    if parts:
        table.total = (_("All"), cells(TOTAL))
    return table


def caps_table(filters: Filters) -> Table:
    start = f"{filters.start}-01"
    found = FlowCapUse.objects.filter(year_start__lte=f"{filters.end}-01").select_related(
        "programme", "practice"
    )
    found = [u for u in found if _year_end(u.year_start.isoformat()) > start]
    if filters.partner:
        found = [u for u in found if u.programme and u.programme.partner_id
                 and u.programme.partner_id.hex == filters.partner]  # fmt: skip
    practices = dict(GPPractice.objects.values_list("pk", "name"))
    counts: dict[Hashable, int] = {}
    sums: dict[tuple, list] = defaultdict(list)
    for use in found:
        key = (use.programme_id, use.practice_id, use.year_start)
        counts[key] = use.cases
        sums[(use.programme_id, use.year_start)].append(key)
    for group, parts in sums.items():
        counts[group] = sum(counts[k] for k in parts)
    hidden = suppress(counts, list(sums.items()))
    table = Table(
        "caps",
        _("Connector cases opened per GP practice in each grant year, against the cap"),
        [_("Programme, year and practice"), _("Cases opened"), _("Cap"), _("Share of the cap")],
        note=_("A grant year starts in the programme's first month (April unless set)."),
    )
    for use in sorted(found, key=lambda u: (str(u.programme_id), u.year_start, u.practice_id or 0)):
        key = (use.programme_id, use.practice_id, use.year_start)
        name = use.programme.name if use.programme else _("Programme")
        practice = practices.get(use.practice_id, _("Practice not recorded"))
        share = use.cases / use.cap * 100 if use.cap and key not in hidden else None
        table.rows.append(
            (
                f"{name}, {use.year_start:%Y}/{(use.year_start.year + 1) % 100:02d}: {practice}",
                [
                    count_cell(key, counts, hidden),
                    Cell(f"{use.cap:,}" if use.cap else "\u2013", number=float(use.cap)),
                    Cell(
                        f"{number(share, 0)}%" if share is not None else "\u2013",
                        key in hidden,
                        number=share,
                    ),
                ],
            )
        )
    return table


def _year_end(year_start: str) -> str:
    year, rest = year_start.split("-", 1)
    return f"{int(year) + 1}-{rest}"


def wellbeing_tables(filters: Filters) -> list[Table]:
    from linkwell.outcomes.instruments.loader import load

    instruments = load()
    rows = list(
        filters.of(FlowWellbeing.objects.all(), "partner")
        .values("instrument", "ward_id", "quintile")
        .annotate(pairs=Sum("pairs"), change=Sum("change_sum"))
    )
    wards = dict(Ward.objects.values_list("pk", "name"))
    tables: list[Table] = []
    for instrument in sorted({r["instrument"] for r in rows}):
        mine = [r for r in rows if r["instrument"] == instrument]
        known = instruments.get(instrument)
        name = _in_language(known.name) if known else instrument
        better = known is None or getattr(known, "higher_is_better", True)
        direction = _("higher is better") if better else _("lower is better")
        for key, field, caption, heading in (
            ("ward", "ward_id", _("%(name)s: change by ward"), _("Ward")),
            ("quintile", "quintile", _("%(name)s: change by deprivation quintile"),
             _("Deprivation quintile")),
        ):  # fmt: skip
            labels = (
                (lambda k: wards.get(k, _("Ward not known")))
                if key == "ward"
                else (lambda k: _quintile_label(k))
            )
            tables.append(
                _change_table(
                    f"wellbeing_{instrument}_{key}",
                    caption % {"name": _(str(name))},
                    heading,
                    mine,
                    field,
                    labels,
                    note=_("Change = latest follow-up score minus the first baseline score (%s).")
                    % direction,
                )
            )
    return tables


def _quintile_label(quintile: int | None) -> str:
    if not quintile:
        return _("Not known")
    if quintile == 1:
        return _("1 (most deprived fifth)")
    if quintile == 5:
        return _("5 (least deprived fifth)")
    return str(quintile)


def _change_table(key, caption, heading, rows, field, label, *, note) -> Table:
    pairs: dict[Hashable, int] = defaultdict(int)
    change: dict[Hashable, float] = defaultdict(float)
    for row in rows:
        group = row[field] or UNKNOWN
        pairs[group] += row["pairs"]
        change[group] += row["change"]
    parts = list(pairs)
    pairs[TOTAL] = sum(pairs[k] for k in parts)
    change[TOTAL] = sum(change[k] for k in parts)
    hidden = suppress(pairs, [(TOTAL, parts)])
    table = Table(
        key, caption, [heading, _("People with both scores"), _("Mean change")], note=note
    )

    def cells(group: Hashable) -> list[Cell]:
        enough = pairs[group] >= THRESHOLD
        mean = change[group] / pairs[group] if enough else None
        return [
            count_cell(group, pairs, hidden),
            Cell(number(mean, 2), number=mean) if enough else Cell(_("withheld"), True),
        ]

    order = sorted(
        parts,
        key=lambda g: (g == UNKNOWN, label(g) if field == "ward_id" else g if g != UNKNOWN else 9),
    )
    for group in order:
        table.rows.append((label(None if group == UNKNOWN else group), cells(group)))
    if parts:
        table.total = (_("All"), cells(TOTAL))
    return table


def _in_language(text: dict[str, str]) -> str:
    """An instrument's name (one per language) in the reader's language, else English."""
    code = (get_language() or "en").lower()
    for key in (code, code.split("-")[0], "en"):
        if key in text:
            return text[key]
    return next(iter(text.values()), "")
