"""The possible duplicates page: each pair with why, a confirm or dismiss form, a filter for
judged pairs, CSV; a verdict stays after a refresh; only the hub's people may judge."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse

from linkwell.audit.models import AuditEvent
from linkwell.intelligence.models import DuplicatePair, DuplicateVerdict
from linkwell.intelligence.refresh import refresh_hub
from linkwell.intelligence.tests.spend.mapping import load_mapping, make_place, service

pytestmark = pytest.mark.usefixtures("live_db")

URL = reverse("hub:duplicates")
LUNCH = "A weekly lunch club with a hot meal and company for older people who live alone."


@pytest.fixture
def pair(tmp_path):
    make_place()
    load_mapping(
        tmp_path / "mapping.csv",
        [
            service("Alpha Trust", "Lunch club", description=LUNCH, needs="loneliness",
                    area="Alder"),
            service("Beta Charity", "Lunch for older people", description=LUNCH,
                    needs="loneliness; food", area="Alder"),
        ],
    )  # fmt: skip
    refresh_hub(via="test")
    return DuplicatePair.objects.get()


def _judge(client, pair, verdict, **extra):
    data = {"service_a": pair.service_a, "service_b": pair.service_b, "verdict": verdict}
    return client.post(URL, data | extra)


def test_an_analyst_sees_the_pair_and_why(client, analyst, pair):
    client.force_login(analyst)

    page = client.get(URL).content.decode()

    assert "Lunch club" in page and "Lunch for older people" in page
    assert "Loneliness and isolation" in page
    assert "Alder (ward)" in page
    assert f"<dd>{pair.reasons['similarity']}%</dd>" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Not judged yet" in page


def test_a_dismissed_pair_leaves_the_list_and_its_verdict_shows_after_a_refresh(
    client, analyst, pair
):
    client.force_login(analyst)

    response = _judge(client, pair, "dismissed", note="Two venues, two clubs")

    assert response.status_code == 302
    assert "Lunch for older people" not in client.get(response["Location"]).content.decode()
    refresh_hub(via="test")
    page = client.get(URL, {"show": "dismissed"}).content.decode()
    assert "Lunch for older people" in page
    assert "Dismissed: not the same service" in page
    assert "Two venues, two clubs" in page
    assert AuditEvent.objects.filter(action="hub.duplicate_dismissed").count() == 1


def test_a_verdict_without_a_choice_is_explained_and_nothing_is_written(client, analyst, pair):
    client.force_login(analyst)

    response = _judge(client, pair, "")

    assert response.status_code == 400
    assert "Choose whether the two are the same service" in response.content.decode()
    assert DuplicateVerdict.objects.count() == 0


def test_too_long_a_note_is_explained_kept_in_the_form_and_nothing_is_written(
    client, analyst, pair
):
    client.force_login(analyst)
    note = "Both run on Tuesdays. " * 30

    response = _judge(client, pair, "dismissed", note=note)

    page = response.content.decode()
    assert response.status_code == 400
    assert "The note must be 500 characters or fewer: shorten it." in page
    assert "Both run on Tuesdays." in page  # what was typed is not lost
    assert DuplicateVerdict.objects.count() == 0


def test_the_pairs_download_as_csv(client, analyst, pair):
    client.force_login(analyst)

    rows = list(csv.reader(io.StringIO(client.get(URL, {"format": "csv"}).content.decode(
        "utf-8-sig"))))  # fmt: skip

    assert rows[0][:5] == ["Service A", "Partner A", "Service B", "Partner B", "Similarity (%)"]
    assert len(rows) == 2
    assert rows[1][5:8] == ["Loneliness and isolation", "Alder (ward)", "not judged yet"]


def test_a_practitioner_cannot_see_or_judge_and_nothing_is_written(client, practitioner, pair):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    client.force_login(practitioner)

    assert client.get(URL).status_code == 403
    assert _judge(client, pair, "confirmed").status_code == 403
    assert DuplicateVerdict.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="hub.duplicate").exists()
