"""What could help (staff) and Tell us what you need (anyone): words in, the needs read shown
to confirm with their evidence, then services for each need with reasons and the next step.
The words are never saved: nothing is written, nothing audited."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.directory.needs import InferredNeed
from linkwell.matching import queries
from linkwell.referrals.models import Encounter
from linkwell.referrals.tests.pages_world import sign_in

STAFF_URL = reverse("match:what_could_help")
PUBLIC_URL = reverse("match:tell_us")
NOTE = "Pt lonely since wife died, x2 falls, lives BD1"


@pytest.fixture(autouse=True)
def read_lonely(monkeypatch):
    """The words read as loneliness (sure) and falls (sure), whatever the lexicon holds."""
    read = [
        InferredNeed("loneliness", 0.9, ("lonely", "wife died")),
        InferredNeed("falls_frailty", 0.8, ("x2 falls",)),
    ]
    monkeypatch.setattr(queries, "infer_needs", lambda text, language=None: read)
    cache.clear()
    yield
    cache.clear()


def test_staff_must_sign_in(client, world):
    response = client.get(STAFF_URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_gp_sees_the_needs_read_with_evidence_then_matches_with_reasons_and_refer(client, world):
    sign_in(client, "gp")
    assert reverse("match:what_could_help") in client.get(reverse("referrals:staff_home")).text
    events, visits = AuditEvent.objects.count(), Encounter.objects.count()
    response = client.post(STAFF_URL, {"text": NOTE, "place": "BD1 1AA", "age": "80"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="loneliness" id="need-loneliness" checked' in page
    assert 'value="falls_frailty" id="need-falls_frailty" checked' in page
    assert "because: &lsquo;x2 falls&rsquo;" in page
    assert "Lunch club" in page and "Tuesdays 11:30am" in page
    refer = reverse("referrals:refer_to_service", args=[world["lunch"].pk]) + "?need=loneliness"
    assert refer in page
    assert NOTE in page  # put back in the box to change, and nowhere else
    assert AuditEvent.objects.count() == events and Encounter.objects.count() == visits


def test_unticking_a_need_matches_only_those_left(client, world):
    sign_in(client, "gp")
    response = client.post(
        STAFF_URL, {"text": NOTE, "place": "BD1 1AA", "needs": ["food"], "confirmed": "True"}
    )
    page = response.content.decode()
    assert 'id="group-food"' in page and 'id="group-loneliness"' not in page
    assert 'id="need-loneliness"' in page and 'id="need-loneliness" checked' not in page


def test_a_need_only_hinted_at_is_offered_unticked_and_dropped_unless_ticked(
    client, world, monkeypatch
):
    read = [
        InferredNeed("falls_frailty", 0.8, ("x2 falls",)),
        InferredNeed("loneliness", 0.4, ("lives alone",)),
    ]
    monkeypatch.setattr(queries, "infer_needs", lambda text, language=None: read)
    sign_in(client, "gp")
    page = client.post(STAFF_URL, {"text": NOTE, "place": "BD1 1AA"}).content.decode()
    assert 'id="need-falls_frailty" checked' in page
    assert 'id="need-loneliness" aria' in page and 'id="need-loneliness" checked' not in page
    assert "perhaps, because: &lsquo;lives alone&rsquo;" in page
    assert 'id="group-loneliness"' in page and "a possible need" in page
    confirmed = {"text": NOTE, "place": "BD1 1AA", "needs": ["falls_frailty"], "confirmed": "True"}
    again = client.post(STAFF_URL, confirmed).content.decode()
    assert 'id="group-loneliness"' not in again
    assert "perhaps, because: &lsquo;lives alone&rsquo;" in again  # still there to tick


def test_a_place_not_understood_is_put_at_the_place_box(client, world):
    sign_in(client, "gp")
    response = client.post(STAFF_URL, {"text": NOTE, "place": "Atlantis"})
    assert response.status_code == 400
    assert response.context["form"].errors["place"]


def test_no_words_and_no_needs_is_refused_at_the_text_box(client, world):
    sign_in(client, "gp")
    response = client.post(STAFF_URL, {"text": "", "place": ""})
    assert response.status_code == 400
    assert "Tell us what is going on" in response.context["form"].errors["text"][0]


def test_too_much_text_is_refused_with_the_limit(client, world):
    sign_in(client, "gp")
    response = client.post(STAFF_URL, {"text": "x" * 5001})
    assert response.status_code == 400
    assert "at most 5,000 characters" in response.context["form"].errors["text"][0]


def test_anyone_can_tell_us_and_gets_services_to_contact(client, world):
    assert PUBLIC_URL in client.get(reverse("directory:home")).text
    form = client.get(PUBLIC_URL)
    assert form.status_code == 200 and "What is going on for you" in form.text
    response = client.post(PUBLIC_URL, {"text": "I feel lonely", "place": "BD1 1AA"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "It sounds like you might want help with:" in page
    assert reverse("directory:service_detail", args=[world["lunch"].pk]) in page
    assert reverse("referrals:self_referral", args=[world["lunch"].pk]) in page
    assert "Refer" not in page.split('id="matches-title"')[1]


def test_the_public_page_is_rate_limited(client, world, settings):
    settings.MATCH_RATE_LIMIT_PER_IP = 1
    assert client.post(PUBLIC_URL, {"text": "lonely"}).status_code == 200
    refused = client.post(PUBLIC_URL, {"text": "lonely"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1


@pytest.mark.parametrize(
    "data",
    [
        {"text": "lonely", "needs": ["not_a_need"]},
        {"text": "lonely", "postcode": "x" * 5000},
        {"text": "lonely\x00", "postcode": "BD1\x00"},
        {"text": "lonely", "confirmed": "yes", "needs": ["food", "food", "'; DROP"]},
        {"text": ["lonely", "lonely again"], "postcode": ["BD1", "BD2"]},
    ],
)
def test_absurd_input_is_answered_never_a_server_error(client, world, data):
    response = client.post(PUBLIC_URL, data)
    assert response.status_code in (200, 400)
    sign_in(client, "gp")
    assert client.post(STAFF_URL, {**data, "age": "-7"}).status_code in (200, 400)
