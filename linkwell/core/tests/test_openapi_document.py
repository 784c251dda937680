"""The OpenAPI document is one that tools can read: Swagger UI refuses a document with a key
given twice in one object ("duplicated mapping key"), and shows nothing of the API."""

import json


def _no_repeated_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    repeated = {key for key in keys if keys.count(key) > 1}
    assert not repeated, f"repeated keys {sorted(repeated)} in one object"
    return dict(pairs)


def test_the_openapi_document_gives_no_key_twice(client):
    text = client.get("/api/v1/openapi.json").content.decode()
    document = json.loads(text, object_pairs_hook=_no_repeated_keys)
    fhir = document["paths"]["/api/v1/referrals/{referral_id}/fhir"]["get"]["responses"]
    assert "application/fhir+json" in fhir["200"]["content"]
