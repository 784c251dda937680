"""The coded outcome and the change since baseline, in plain words, for the message back to
the referrer and the GP practice. No names: the message is read in shared inboxes."""

from __future__ import annotations

from typing import Any

from linkwell.audit.actions import record_event
from linkwell.outcomes import instruments
from linkwell.outcomes.models import (
    Administration,
    AdministrationStatus,
    OutcomeCode,
    OutcomeReason,
    ReferralOutcome,
    Timepoint,
)
from linkwell.outcomes.queries import change_between


def lines(referral: Any) -> list[str]:
    found: list[str] = []
    outcome = ReferralOutcome.objects.filter(referral=referral).first()
    if outcome is not None:
        found.append(coded_line(outcome))
    changes = changes_for(referral)
    found.extend(changes)
    if changes:  # the scores read to tell them: in the log (inside the move's transaction)
        record_event(
            actor=None,
            action="outcomes.change.sent_back",
            target=referral,
            via="message back",
            details={"lines": len(changes)},
        )
    return found


def coded_line(outcome: ReferralOutcome) -> str:
    words = f"Outcome: {OutcomeCode(outcome.code).label}"
    reasons = [str(OutcomeReason(r).label) for r in outcome.reasons if r in OutcomeReason.values]
    if reasons:
        words += f" ({'; '.join(reasons).lower()})"
    return words + "."


def changes_for(referral: Any) -> list[str]:
    """One line per score of each questionnaire with a baseline and a later answer within
    this referral (or its case)."""
    complete = Administration.objects.filter(
        referral=referral, status=AdministrationStatus.COMPLETE
    ).order_by("completed_at", "id")
    by_instrument: dict[str, list[Administration]] = {}
    for administration in complete:
        by_instrument.setdefault(administration.instrument, []).append(administration)
    found: list[str] = []
    for key, done in sorted(by_instrument.items()):
        baseline = next((a for a in done if a.timepoint == Timepoint.BASELINE), None)
        later = [
            a
            for a in done
            if baseline is not None
            and a.completed_at > baseline.completed_at
            and a.instrument_version == baseline.instrument_version
        ]
        if baseline is None or not later:
            continue
        instrument = instruments.get(key)
        change = change_between(baseline, later[-1])
        if instrument is None or not change:
            continue
        found.extend(change_lines(instrument, change))
    return found


def entries(change: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(score id, {"from", "to", "change", "meaningful", "better"}) of a change, headline
    first: "" names the headline score."""
    found: list[tuple[str, dict[str, Any]]] = []
    for key, value in change.items():
        if not isinstance(value, dict):
            continue
        if "from" in value:
            found.append(("" if key in {"total", "metric", "headline", "score"} else key, value))
        else:
            found.extend((k, v) for k, v in value.items() if isinstance(v, dict) and "from" in v)
    return sorted(found, key=lambda e: e[0] != "")


def _number(value: Any) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def change_lines(instrument: Any, change: dict[str, Any]) -> list[str]:
    name = instrument.name.get("en") or instrument.key
    subscale_names = {s.id: s.name.get("en") or s.id for s in instrument.subscales}
    found = []
    for score_id, c in entries(change):
        label = name if not score_id else f"{name}, {subscale_names.get(score_id, score_id)}"
        if c.get("from") is None or c.get("to") is None:
            continue
        direction = "better" if c.get("better") else "worse"
        if not c.get("change"):
            verdict = "no change"
        elif c.get("meaningful"):
            verdict = f"{direction}, a meaningful change"
        elif c.get("meaningful") is None:
            verdict = direction
        else:
            verdict = f"{direction}, but less than a meaningful change"
        found.append(
            f"{label}: {_number(c['from'])} at the start, {_number(c['to'])} at follow-up "
            f"({verdict})."
        )
    return found
