"""Whatever is typed into the search page's address, the page answers: the results, or the
form with what to fix (400), never an error page."""

import pytest

from linkwell.directory.tests.page_services import make_service

HUGE = "99999999999999999999"
NASTY = [
    {"page": HUGE},
    {"page": "-" + HUGE},
    {"page": "9" * 5000},
    {"page": "1e400"},
    {"page": "NaN"},
    {"page": "\x00"},
    {"distance": HUGE, "postcode": "BD1 1AA"},
    {"distance": "NaN", "postcode": "BD1 1AA"},
    {"distance": "-5", "postcode": "BD1 1AA"},
    {"age": HUGE},
    {"age": "1e400"},
    {"age": "NaN"},
    {"age": "-1"},
    {"postcode": "BD1\x001AA"},
    {"postcode": "ZZ99 9ZZ"},
    {"postcode": "x" * 10_000},
    {"q": "lunch\x00club"},
    {"q": "lunch " * 5000},
    {"q": "' OR 1=1 --"},
    {"start_time": "25:99"},
    {"end_time": HUGE},
    {"day": "XX"},
    {"need": "<script>"},
    {"life_stage": "\x00"},
    {"language": "x" * 1000},
    {"mode": "teleport"},
]


@pytest.mark.parametrize("params", NASTY, ids=lambda p: repr(p)[:40])
def test_nonsense_in_the_address_never_breaks_the_page(client, db, place_data, params):
    make_service()
    response = client.get("/services/", params)
    assert response.status_code in (200, 400)
    assert b'name="q"' in response.content  # the search form, not an error page


def test_a_page_past_the_end_shows_the_last_page(client, db):
    service = make_service()
    response = client.get("/services/", {"page": HUGE})
    assert response.status_code == 200
    assert f'href="/services/{service.id}/?back=' in response.content.decode()
