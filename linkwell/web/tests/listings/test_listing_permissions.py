"""Who may reach the provider and review pages: signed out, editors of the right and wrong
organisation, a practitioner, a partnership admin."""

import pytest
from django.urls import reverse

from linkwell.directory.tests.listing_support import *  # noqa: F403 (fixtures)
from linkwell.directory.tests.listing_support import edit_data, errors_in


@pytest.fixture
def change(client, service, alpha_editor):
    client.force_login(alpha_editor)
    response = client.post(
        reverse("listings:edit", args=[service.pk]), edit_data(service, name="Alpha Lunch")
    )
    assert response.status_code == 302, errors_in(response)
    client.logout()
    return service.changes.get()


def pages(service, change=None):
    found = {
        "dashboard": reverse("listings:dashboard"),
        "edit": reverse("listings:edit", args=[service.pk]),
        "review_queue": reverse("listings:review_queue"),
    }
    if change:
        found["review"] = reverse("listings:review", args=[change.pk])
    return found


def test_signed_out_people_are_sent_to_sign_in(client, service, change):
    for url in pages(service, change).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alpha_editor", {"dashboard": 200, "edit": 200, "review_queue": 403, "review": 403}),
        ("beta_editor", {"dashboard": 200, "edit": 404, "review_queue": 403, "review": 403}),
        ("practitioner", {"dashboard": 403, "edit": 403, "review_queue": 403, "review": 403}),
        ("admin_user", {"dashboard": 200, "edit": 200, "review_queue": 200, "review": 200}),
    ],
)
def test_each_role_reaches_only_its_pages(client, service, change, persona, expected, request):
    client.force_login(request.getfixturevalue(persona))
    got = {name: client.get(url).status_code for name, url in pages(service, change).items()}
    assert got == expected


def test_an_editor_of_another_organisation_cannot_confirm_or_submit(client, service, beta_editor):
    client.force_login(beta_editor)
    assert client.post(reverse("listings:confirm", args=[service.pk])).status_code == 404
    response = client.post(reverse("listings:edit", args=[service.pk]), edit_data(service))
    assert response.status_code == 404
    service.refresh_from_db()
    assert not service.changes.exists()


def test_the_dashboard_lists_only_the_editors_own_services(client, service, beta_editor):
    client.force_login(beta_editor)
    assert b"Alpha Lunch Club" not in client.get(reverse("listings:dashboard")).content


def test_a_practitioner_cannot_confirm_a_listing(client, service, practitioner):
    client.force_login(practitioner)
    assert client.post(reverse("listings:confirm", args=[service.pk])).status_code == 403


def test_the_admin_site_stays_closed_to_provider_editors(client, alpha_editor, admin_user):
    client.force_login(alpha_editor)
    assert client.get("/admin/").status_code == 302
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_the_navigation_offers_each_role_its_links(client, service, alpha_editor, admin_user):
    client.force_login(alpha_editor)
    page = client.get("/").content.decode()
    assert "Your listings" in page and "Inbox" in page and "Review changes" not in page
    client.force_login(admin_user)
    page = client.get("/").content.decode()
    assert "Review changes" in page and "(0 waiting)" in page and "Your listings" not in page
