"""Outcomes in a referral's FHIR R4 export: a QuestionnaireResponse per complete
administration within the referral (or its case), an Observation per score (the headline and
each subscale; coded from the instrument's SNOMED CT or LOINC codes where it has them, else
named by the instrument's key), and the coded outcome as an Observation.

Answers and scores go only to readers who see case notes (the service, partnership admins):
referrers see status and outcome, never scores. The coded outcome goes to whoever sees the
outcome. Each resource is validated by building it with the R4B models, as referrals' are.
"""

from __future__ import annotations

import uuid
from typing import Any

from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from linkwell.directory.vocabularies import stable_id
from linkwell.outcomes import instruments
from linkwell.outcomes.models import (
    Administration,
    AdministrationStatus,
    OutcomeCode,
    OutcomeReason,
    ReferralOutcome,
)

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CODE_SYSTEMS = {"snomed": SNOMED, "loinc": LOINC}


def _ours(name: str) -> str:
    return f"urn:uuid:{stable_id('fhir', name)}"


OUTCOME_CODES = _ours("CodeSystem/linkwell-referral-outcomes")
OUTCOME_REASONS = _ours("CodeSystem/linkwell-referral-outcome-reasons")
SCORES = _ours("CodeSystem/linkwell-instrument-scores")


def urn(an_id: Any) -> str:
    return f"urn:uuid:{an_id}"


def resources(referral: Any, view: Any, patient_reference: str) -> list[Any]:
    found: list[Any] = []
    if getattr(view, "case_notes", False):
        for administration in Administration.objects.filter(
            referral=referral, status=AdministrationStatus.COMPLETE
        ).order_by("completed_at", "id"):
            found.extend(administration_resources(administration, referral, patient_reference))
    if getattr(view, "outcome", False):
        outcome = ReferralOutcome.objects.filter(referral=referral).first()
        if outcome is not None:
            found.append(coded_outcome(outcome, referral, patient_reference))
    return found


def questionnaire(administration: Administration) -> str:
    """A canonical for the definition asked (its key), with its version."""
    return (
        f"{_ours('Questionnaire/' + administration.instrument)}|{administration.instrument_version}"
    )


def administration_resources(
    administration: Administration, referral: Any, patient_reference: str
) -> list[Any]:
    instrument = instruments.get(administration.instrument)
    response = questionnaire_response(administration, instrument, referral, patient_reference)
    return [response, *observations(administration, instrument, referral, patient_reference)]


def questionnaire_response(
    administration: Administration, instrument: Any, referral: Any, patient_reference: str
) -> QuestionnaireResponse:
    items = []
    order = [i.id for i in instrument.items] if instrument is not None else []
    answered = administration.answers or {}
    for item_id in [*order, *sorted(k for k in answered if k not in order)]:
        if item_id not in answered:
            continue
        item: dict[str, Any] = {"linkId": item_id, "answer": [_answer(answered[item_id])]}
        if instrument is not None and item_id in order:
            item["text"] = instrument.item(item_id).text.get("en", item_id)
        items.append(item)
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(administration.pk),
        "questionnaire": questionnaire(administration),
        "status": "completed",
        "basedOn": [{"reference": urn(referral.pk)}],
        "subject": {"reference": patient_reference},
        "authored": administration.completed_at.isoformat(),
    }
    if items:
        data["item"] = items
    return QuestionnaireResponse.model_validate(data)


def _answer(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}


def _concept(instrument: Any, key: str, score_id: str, text: str) -> dict[str, Any]:
    """The instrument's SNOMED CT / LOINC codes for the score where given (for a subscale,
    codes named "<system>:<subscale id>"), else the instrument key as a Linkwell code."""
    codes = dict(getattr(instrument, "codes", {}) or {})
    coding = []
    for system, url in CODE_SYSTEMS.items():
        code = codes.get(f"{system}:{score_id}") if score_id else codes.get(system)
        if code:
            coding.append({"system": url, "code": str(code)})
    if not coding:
        coding.append({"system": SCORES, "code": f"{key}.{score_id}" if score_id else key})
    return {"coding": coding, "text": text}


def observations(
    administration: Administration, instrument: Any, referral: Any, patient_reference: str
) -> list[Observation]:
    key = administration.instrument
    name = instrument.name.get("en", key) if instrument is not None else key
    scores: list[tuple[str, str, Any, str]] = []  # (score id, text, value, band)
    headline = administration.metric if administration.metric is not None else administration.total
    if headline is not None:
        which = "metric score" if administration.metric is not None else "total score"
        scores.append(("", f"{name}: {which}", headline, administration.band))
    names = {s.id: s.name.get("en", s.id) for s in instrument.subscales} if instrument else {}
    for sub_id, sub in sorted((administration.subscales or {}).items()):
        if sub.get("score") is None:
            continue
        scores.append(
            (sub_id, f"{name}: {names.get(sub_id, sub_id)}", sub["score"], sub.get("band", ""))
        )
    found = []
    for score_id, text, value, band in scores:
        data: dict[str, Any] = {
            "resourceType": "Observation",
            "id": str(uuid.uuid5(administration.pk, f"score:{score_id}")),
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "survey"}]}],
            "code": _concept(instrument, key, score_id, text),
            "subject": {"reference": patient_reference},
            "basedOn": [{"reference": urn(referral.pk)}],
            "derivedFrom": [{"reference": urn(administration.pk)}],
            "effectiveDateTime": administration.completed_at.isoformat(),
            "valueQuantity": {"value": value, "unit": "score"},
        }
        if band:
            data["interpretation"] = [{"text": band}]
        found.append(Observation.model_validate(data))
    return found


def coded_outcome(outcome: ReferralOutcome, referral: Any, patient_reference: str) -> Observation:
    data: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(uuid.uuid5(referral.pk, "coded-outcome")),
        "status": "final",
        "code": {
            "coding": [{"system": OUTCOME_CODES, "code": "outcome"}],
            "text": "Referral outcome",
        },
        "subject": {"reference": patient_reference},
        "basedOn": [{"reference": urn(referral.pk)}],
        "effectiveDateTime": outcome.recorded_at.isoformat(),
        "valueCodeableConcept": {
            "coding": [
                {
                    "system": OUTCOME_CODES,
                    "code": outcome.code,
                    "display": str(OutcomeCode(outcome.code).label),
                }
            ]
        },
    }
    reasons = [r for r in outcome.reasons if r in OutcomeReason.values]
    if reasons:
        data["component"] = [
            {
                "code": {"text": "Reason"},
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": OUTCOME_REASONS,
                            "code": r,
                            "display": str(OutcomeReason(r).label),
                        }
                    ]
                },
            }
            for r in reasons
        ]
    if outcome.note:
        data["note"] = [{"text": outcome.note}]
    return Observation.model_validate(data)
