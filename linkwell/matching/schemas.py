"""The match API's input and output. Shapes only: `requests.check` refuses what cannot be
matched, with the same words on the pages."""

from __future__ import annotations

import uuid

from ninja import Field, Schema

EXAMPLE_IN = {
    "text": "Lonely since his wife died, x2 falls this year, Punjabi speaker, no car",
    "needs": [],
    "postcode": "BD5 0BQ",
    "age": 78,
    "language": "pa",
    "max_distance_km": 5,
    "limit": 10,
}
EXAMPLE_OUT = {
    "inferred_needs": [
        {"code": "loneliness", "confidence": 0.9, "evidence": ["Lonely"]},
        {"code": "falls_frailty", "confidence": 0.85, "evidence": ["x2 falls"]},
    ],
    "possible_needs": [],
    "results": [
        {
            "service_id": "3f1c2d9e-5b7a-4c1e-9a0b-2d3e4f5a6b7c",
            "name": "Falls Prevention Team",
            "needs": ["falls_frailty"],
            "score": 14.2,
            "distance_km": None,
            "reasons": ["covers your area", "for people 65 and over", "has places"],
        },
        {
            "service_id": "8a9b0c1d-2e3f-4a5b-8c7d-6e5f4a3b2c1d",
            "name": "Cuppa Cake and Company",
            "needs": ["loneliness"],
            "score": 13.7,
            "distance_km": 0.8,
            "reasons": ["0.8 km", "Tuesdays 2pm", "Punjabi spoken", "free", "waiting list"],
        },
    ],
}


class MatchIn(Schema):
    text: str = Field(
        "",
        description="The person's circumstances in anyone's words (a GP note, their own), at "
        "most 5,000 characters. Neither stored nor logged. Give text, needs or both.",
    )
    needs: list[str] = Field(
        default_factory=list,
        description="Need codes of the directory's needs vocabulary (GET /taxonomy_terms).",
    )
    postcode: str = Field(
        "",
        description='Where the person is: a postcode, the first half of one ("BD1"), or a '
        'town, village or ward name ("Skipton").',
    )
    age: int | None = Field(None, ge=0, le=120, description="Keeps services open to this age.")
    language: str = Field("", description="ISO 639 code of the language they speak, e.g. pa.")
    max_distance_km: float = Field(
        10,
        ge=0.1,
        le=100,
        description="How far counts as near, in km. A need with no service this near nor"
        " covering the area gets the nearest serving the place further away (with its"
        " `distance_km`).",
    )
    limit: int = Field(10, ge=1, le=50, description="How many services, 1 to 50.")

    model_config = {"json_schema_extra": {"examples": [EXAMPLE_IN]}}


class InferredNeedOut(Schema):
    code: str
    confidence: float = Field(description="How sure the reading is, 0 to 1.")
    evidence: list[str] = Field(description="The words, as written, that signalled it.")


class MatchOut(Schema):
    service_id: uuid.UUID
    name: str
    needs: list[str] = Field(
        description="The needs asked, read or hinted at (see `possible_needs`) that it meets."
    )
    score: float = Field(description="For ordering only: higher is a better match.")
    distance_km: float | None = Field(description="To its nearest location, if both are known.")
    reasons: list[str] = Field(description="Why it is offered, in short plain phrases.")


class MatchResultOut(Schema):
    inferred_needs: list[InferredNeedOut] = Field(
        description="Needs read in the text surely enough to show (confidence 0.5 or more)."
    )
    possible_needs: list[InferredNeedOut] = Field(
        default_factory=list,
        description="Needs the text only hints at (one weak sign): offered only places left "
        "over, their services' first reason saying so.",
    )
    results: list[MatchOut]

    model_config = {"json_schema_extra": {"examples": [EXAMPLE_OUT]}}


class Problem(Schema):
    detail: str
