"""Who may open each referral page, at a glance: 200 yours, 403 not your role, 404 not yours
(or not there: the same answer), 302 to sign in when signed out."""

import pytest
from django.urls import reverse

from linkwell.referrals.tests.pages_world import pages_fixture, sign_in  # noqa: F401 (fixture)

PERSONAS = [
    "firefighter",
    "gp",
    "connector",
    "falls_editor",
    "lunch_editor",
    "analyst",
    "admin",
    "outsider",
    None,
]
# page: (url name, object in the `pages` world or None, expected per persona in PERSONAS)
MATRIX = {
    "register a person": ("person_new", None, [200, 200, 200, 403, 403, 403, 200, 403, 302]),
    "Ada's page": ("person_detail", "person", [200, 404, 404, 200, 404, 404, 200, 404, 302]),
    "record a contact with Ada": (
        "contact_new",
        "person",
        [200, 404, 404, 403, 404, 404, 200, 404, 302],
    ),
    "Ada's Safe and Well visit": (
        "contact_detail",
        "visit",
        [200, 404, 404, 404, 404, 404, 200, 404, 302],
    ),
    "my referrals": ("my_referrals", None, [200, 200, 200, 403, 403, 403, 200, 403, 302]),
    "the falls referral": (
        "referral_detail",
        "falls_referral",
        [200, 404, 404, 200, 404, 404, 200, 404, 302],
    ),
    "the connectors referral": (
        "referral_detail",
        "gp_referral",
        [404, 200, 200, 404, 404, 404, 200, 404, 302],
    ),
    "referrals to answer": (
        "provider_referrals",
        None,
        [403, 403, 200, 200, 200, 403, 200, 403, 302],
    ),
    "caseload": ("caseload", None, [403, 403, 200, 403, 403, 403, 200, 403, 302]),
    "Cara's case": ("case_detail", "case", [404, 404, 200, 404, 404, 404, 200, 404, 302]),
    "notifications": ("notifications", None, [200, 200, 200, 200, 200, 200, 200, 200, 302]),
}


@pytest.mark.parametrize("persona", PERSONAS, ids=[p or "signed out" for p in PERSONAS])
def test_each_page_answers_each_persona_as_the_matrix_says(client, pages, persona):
    """One persona, every page (the world is built once per persona)."""
    if persona:
        sign_in(client, persona)
    column = PERSONAS.index(persona)
    expected, found = {}, {}
    for page, (name, obj, codes) in MATRIX.items():
        url = reverse(f"referrals:{name}", args=[pages[obj].pk] if obj else [])
        response = client.get(url)
        expected[page], found[page] = codes[column], response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))

    assert found == expected
