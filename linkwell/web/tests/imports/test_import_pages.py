"""The imports pages as a partnership admin uses them: upload a file, see it waiting, checked or
imported, read each row's problem, import a checked file without uploading it again; a bad
upload is answered at the field with what to do, and nobody else gets in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linkwell.directory import models as m
from linkwell.directory.tests.import_support import sheet_csv as sheet
from linkwell.directory.tests.listing_support import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


GOOD = {"partner": "Test Council", "service": "Men's shed"}
BAD = {"partner": "Test Council", "service": "Walking group", "tier": "9"}


def upload(client, content: bytes, *, name="map.csv", mode="check", **extra):
    return client.post(
        reverse("imports:list"),
        {"file": SimpleUploadedFile(name, content), "mode": mode, "scheme": "", **extra},
    )


def test_an_admin_checks_a_sheet_reads_its_problem_then_imports_the_good_rows(
    client, place_data, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    page = client.get(reverse("imports:list"))
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, sheet(GOOD, BAD))
    checked = m.ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "imports:detail", args=[checked.pk]
    )

    detail = client.get(response.url).content.decode()
    assert "Checked, and nothing was changed" in detail
    assert '<td data-label="Row">3</td>' in detail
    assert "Import the rows that are right" in detail
    assert not m.Service.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:detail", args=[checked.pk]), {"good_rows_only": "on"}
        )
    imported = m.ImportRun.objects.exclude(pk=checked.pk).get()
    assert response.url == reverse("imports:detail", args=[imported.pk])
    assert "Imported. New services: 1; updated: 0" in client.get(response.url).content.decode()
    assert list(m.Service.objects.values_list("name", flat=True)) == ["Men's shed"]

    listing = client.get(reverse("imports:list")).content.decode()
    assert listing.count(reverse("imports:detail", args=[checked.pk])) == 1
    assert "Imported" in listing and "Checked only" in listing


@pytest.mark.parametrize(
    ("post", "says"),
    [
        ({"mode": "check"}, "Choose the file of services to upload"),
        ({"file": "x.pdf", "mode": "check"}, "must be an Open Referral UK feed (.json or .ndjson)"),
        ({"file": "map.csv", "mode": ""}, "Choose whether to check the file or import it"),
        ({"file": "map.csv", "mode": "check", "scheme": "made-up"}, "Choose a tier scheme"),
    ],
)
def test_a_bad_upload_is_answered_at_the_field_with_what_to_do(
    client, place_data, admin_user, post, says
):
    client.force_login(admin_user)
    data = dict(post)
    if "file" in data:
        data["file"] = SimpleUploadedFile(data["file"], sheet(GOOD))
    response = client.post(reverse("imports:list"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert says in page and 'class="error-summary"' in page
    assert page.count(says) == 2  # in the summary, and at the field
    assert not m.ImportRun.objects.exists()


@pytest.mark.parametrize("who", ["alpha_editor", "practitioner"])
def test_nobody_but_a_partnership_admin_opens_the_imports_pages(
    client, place_data, admin_user, who, request, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, sheet(GOOD))
    run = m.ImportRun.objects.get()
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("imports:list")).status_code == 403
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 403
    assert upload(client, sheet(GOOD)).status_code == 403
    assert client.post(reverse("imports:detail", args=[run.pk])).status_code == 403
    assert m.ImportRun.objects.count() == 1


def test_signed_out_people_are_sent_to_sign_in(client, place_data):
    response = client.get(reverse("imports:list"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_an_import_that_is_not_there_is_a_404_page(client, place_data, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("imports:detail", args=[999999])).status_code == 404


def test_a_waiting_import_says_what_to_do_if_it_stays_waiting(
    client, place_data, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False):  # no worker has run it
        response = upload(client, sheet(GOOD), mode="import")
    page = client.get(response.url).content.decode()
    assert "Waiting for the worker" in page and "/readyz" in page and "Check again" in page


def test_a_run_number_too_big_for_the_database_is_a_404_not_a_500(client, place_data, admin_user):
    client.force_login(admin_user)
    for huge in ("99999999999999999999", str(2**63)):
        assert client.get(f"/imports/{huge}/").status_code == 404
        assert client.post(f"/imports/{huge}/").status_code == 404
