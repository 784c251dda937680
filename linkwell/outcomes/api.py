"""The instruments and their scoring over HTTP: open to anyone, no sign-in. Nothing sent is
stored, logged or audited: answers without a person are not personal data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from linkwell.outcomes import instruments
from linkwell.outcomes.instruments.schema import Band, Instrument
from linkwell.outcomes.schemas import (
    AnswersProblem,
    InstrumentOut,
    Problem,
    ScoreIn,
    ScoreOut,
)

router = Router(tags=["Instruments"])
KEY = Path(..., pattern=r"^[a-z][a-z0-9_]{0,49}$", description="The instrument's key.")
MAX_ANSWERS = 200  # past any instrument's number of items


@router.get(
    "/instruments",
    response=list[InstrumentOut],
    summary="The questionnaires the partnership uses, with their wording and scoring",
    description="Every instrument: items with their wording per language and options, bands, "
    "licence and the copyright line to show. Wording marked unvalidated is ours and must be "
    "replaced by the licensed translation before use.",
    auth=None,
)
def list_instruments(request: HttpRequest) -> Any:
    return [_instrument(i) for i in instruments.catalogue().values()]


@router.get(
    "/instruments/{key}",
    response={200: InstrumentOut, 404: Problem},
    summary="One instrument",
    auth=None,
)
def get_instrument(request: HttpRequest, key: str = KEY) -> Any:
    instrument = instruments.get(key)
    if instrument is None:
        return Status(404, {"detail": _unknown(key)})
    return Status(200, _instrument(instrument))


@router.post(
    "/instruments/{key}/score",
    response={200: ScoreOut, 400: AnswersProblem, 404: Problem},
    summary="Score a set of answers",
    description="The total, the metric score where a conversion applies, the band and each "
    "subscale. An answer out of range, of the wrong type, to an unknown item, or missing "
    "beyond what the instrument allows is refused (400) naming each item.",
    auth=None,
)
def score_answers(request: HttpRequest, body: ScoreIn, key: str = KEY) -> Any:
    instrument = instruments.get(key)
    if instrument is None:
        return Status(404, {"detail": _unknown(key)})
    if len(body.answers) > MAX_ANSWERS:
        return Status(400, _refused({"answers": _("holds more answers than any instrument has")}))
    try:
        scored = instruments.score(instrument, body.answers)
    except instruments.AnswersRefused as refused:
        return Status(400, _refused(refused.problems))
    return Status(
        200,
        {
            "total": scored.total,
            "metric": scored.metric,
            "band": scored.band,
            "subscales": {
                sub_id: {"score": sub.score, "band": sub.band}
                for sub_id, sub in scored.subscales.items()
            },
            "prorated": list(scored.prorated),
        },
    )


def _unknown(key: str) -> str:
    known = ", ".join(instruments.catalogue())
    return _("No instrument has the key %(key)s: the keys are %(known)s.") % {
        "key": key,
        "known": known,
    }


def _refused(problems: dict[str, str]) -> dict[str, Any]:
    errors = [
        {
            "item": item[:100],
            "message": message,
            "parameter": "answers" if item == "answers" else f"answers.{item[:100]}",
            "reason": message,
        }
        for item, message in problems.items()
    ]
    detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
    return {"detail": detail, "errors": errors}


def _bands(bands: tuple[Band, ...]) -> list[dict[str, Any]]:
    return [{"code": b.code, "label": b.label, "low": b.low, "high": b.high} for b in bands]


def _instrument(instrument: Instrument) -> dict[str, Any]:
    return {
        "key": instrument.key,
        "version": instrument.version,
        "name": instrument.name,
        "preamble": instrument.preamble,
        "languages": list(instrument.languages),
        "wording": instrument.wording,
        "items": [
            {
                "id": item.id,
                "text": item.text,
                "options": [{"value": o.value, "label": o.label} for o in item.options],
                "reverse": item.reverse,
            }
            for item in instrument.items
        ],
        "total": instrument.total,
        "conversion": (
            None
            if instrument.conversion is None
            else {str(raw): metric for raw, metric in instrument.conversion.items()}
        ),
        "bands": _bands(instrument.bands),
        "higher_is_better": instrument.higher_is_better,
        "meaningful_change": instrument.meaningful_change,
        "subscales": [
            {
                "id": s.id,
                "name": s.name,
                "items": list(s.items),
                "scoring": s.scoring,
                "bands": _bands(s.bands),
                "higher_is_better": s.higher_is_better,
                "meaningful_change": s.meaningful_change,
            }
            for s in instrument.subscales
        ],
        "missing": {
            "max_missing": instrument.missing.max_missing,
            "method": instrument.missing.method,
        },
        "codes": instrument.codes,
        "licence": instrument.licence,
        "copyright": instrument.copyright,
        "source": instrument.source,
    }
