"""Who may call each referral API endpoint: one row per endpoint, one column per persona.

Read across a row: 401 signed out; 404 where the record is not the caller's (the same as
missing); 403 where the caller sees the record but the move is not theirs. Each persona's
call is rolled back, so every column starts from the same scene.
"""

import pytest
from django.db import transaction

from linkwell.referrals.tests.api_scene import (
    PERSONAS,
    call,
    client_for,
    fill,
    gp_bundle,
    ids,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)

NEW_PERSON = {"given_name": "Cy", "family_name": "Chen", "birth_date": "1950-03-04"}
CONTACT = {"kind": "safe_and_well", "needs": [{"need": "loneliness", "urgency": "routine"}]}
TO_LUNCH = {"person_id": "{ada}", "service_id": "{lunch}", "need": "loneliness"}

# fmt: off
MATRIX = [
    # endpoint                                           ff  gp  conn fall lnch anal adm out anon
    ("POST /people/",                                     "201 201 201 403 403 403 201 403 401"),
    ("GET /people/{ada}",                                 "200 404 404 200 404 404 200 404 401"),
    ("POST /people/{ada}/consents",                       "201 404 404 403 404 404 201 404 401"),
    ("POST /people/{ada}/consents/{consent}/withdraw",    "200 404 404 403 404 404 200 404 401"),
    ("POST /people/{ada}/contacts",                       "201 404 404 403 404 404 201 404 401"),
    ("POST /referrals/",                                  "201 400 400 403 403 403 201 403 401"),
    ("GET /referrals/made",                               "200 200 200 200 200 200 200 200 401"),
    ("GET /referrals/to-answer",                          "200 200 200 200 200 200 200 200 401"),
    ("GET /referrals/{sent}",                             "200 404 404 200 404 404 200 404 401"),
    ("GET /referrals/{sent}/fhir",                        "200 404 404 200 404 404 200 404 401"),
    ("POST /referrals/{draft}/send",                      "200 404 404 403 404 404 200 404 401"),
    ("POST /referrals/{sent}/receive",                    "403 404 404 200 404 404 200 404 401"),
    ("POST /referrals/{sent}/accept",                     "403 404 404 200 404 404 200 404 401"),
    ("POST /referrals/{sent}/decline",                    "403 404 404 200 404 404 200 404 401"),
    ("POST /referrals/{sent}/waitlist",                   "403 404 404 200 404 404 200 404 401"),
    ("POST /referrals/{accepted}/start",                  "403 404 404 200 404 404 200 404 401"),
    ("POST /referrals/{accepted}/complete",               "403 404 404 200 404 404 200 404 401"),
    ("POST /referrals/{accepted}/did-not-engage",         "403 404 404 200 404 404 200 404 401"),
    ("POST /referrals/{sent}/cancel",                     "200 404 404 200 404 404 200 404 401"),
    ("POST /referrals/batch",                             "200 200 200 403 403 403 200 403 401"),
    ("POST /referrals/batch/accept",                      "200 200 200 200 200 200 200 200 401"),
    ("POST /referrals/fhir",                              "201 201 201 403 403 403 201 403 401"),
    ("GET /referrals/services/{lunch}/capacity",          "200 200 200 200 200 403 200 403 401"),
    ("PUT /referrals/services/{lunch}/capacity",          "403 403 403 403 200 403 200 403 401"),
    ("GET /cases/",                                       "200 200 200 200 200 200 200 200 401"),
    ("GET /cases/{case}",                                 "404 404 200 404 404 404 200 404 401"),
    ("PUT /cases/{case}/what-matters",                    "404 404 200 404 404 404 200 404 401"),
    ("POST /cases/{case}/goals",                          "404 404 201 404 404 404 201 404 401"),
    ("PUT /cases/{case}/goals/{goal}/status",             "404 404 200 404 404 404 200 404 401"),
    ("POST /cases/{case}/sessions",                       "404 404 201 404 404 404 201 404 401"),
    ("PUT /cases/{case}/follow-up",                       "404 404 200 404 404 404 200 404 401"),
    ("POST /cases/{case}/discharge",                      "404 404 200 404 404 404 200 404 401"),
    ("GET /notifications/",                               "200 200 200 200 200 200 200 200 401"),
    ("POST /notifications/read",                          "200 200 200 200 200 200 200 200 401"),
]
BODIES = {
    "POST /people/": NEW_PERSON,
    "POST /people/{ada}/consents": {"purpose": "contact_text"},
    "POST /people/{ada}/contacts": CONTACT,
    "POST /referrals/": TO_LUNCH,
    "POST /referrals/{sent}/accept": {},
    "POST /referrals/{sent}/decline": {"reason": "Out of area"},
    "POST /referrals/{sent}/waitlist": {},
    "POST /referrals/{accepted}/start": {},
    "POST /referrals/{accepted}/complete": {"outcome": "Rails fitted.", "outcome_code": "achieved"},
    "POST /referrals/{accepted}/did-not-engage": {},
    "POST /referrals/{sent}/cancel": {},
    "POST /referrals/batch": {"referrals": [TO_LUNCH]},
    "POST /referrals/batch/accept": {"referral_ids": ["{sent}"]},
    "POST /referrals/fhir": "BUNDLE",
    "PUT /referrals/services/{lunch}/capacity": {"mode": "places", "places": 3},
    "PUT /cases/{case}/what-matters": {"text": "My garden"},
    "POST /cases/{case}/goals": {"text": "Cook once a week"},
    "PUT /cases/{case}/goals/{goal}/status": {"status": "achieved"},
    "POST /cases/{case}/sessions": {"held_on": "{today}"},
    "PUT /cases/{case}/follow-up": {"on": "{today}"},
    "POST /cases/{case}/discharge": {"outcome": "Joined a group.", "outcome_code": "achieved"},
    "POST /notifications/read": {"ids": ["{notification}"]},
}
# fmt: on


@pytest.mark.parametrize("endpoint,codes", MATRIX, ids=[e for e, _ in MATRIX])
def test_each_persona_gets_the_answer_in_the_matrix(scene, endpoint, codes):
    expected = dict(zip(PERSONAS, map(int, codes.split()), strict=True))
    method, path = endpoint.split(" ")
    body = BODIES.get(endpoint)
    values = ids(scene)
    if body == "BUNDLE":
        body = gp_bundle(scene["falls"].pk)
    elif body is not None:
        body = fill(body, values)
    if body and path == "/notifications/read":
        body = {"ids": [int(i) for i in body["ids"]]}
    got = {}
    for persona in PERSONAS:
        with transaction.atomic():
            response = call(client_for(scene, persona), method, fill(path, values), body)
            got[persona] = response.status_code
            transaction.set_rollback(True)
    assert got == expected
