"""Error pages: a refused page, a missing one, a refused form, an unreadable request and a
crash each get a styled page that says what happened, what to do and how to get back; the API
still answers them in JSON."""

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch

from linkwell.accounts.models import Role
from linkwell.accounts.tests.personas import *  # noqa: F403 (fixtures: alpha, make_person)
from linkwell.core import errors

pytestmark = pytest.mark.django_db

STYLED = 'href="/static/linkwell/site.css"'


@pytest.fixture
def people(make_person, alpha):
    """One person per role at Alpha."""
    return {role: make_person(role, role, alpha) for role in Role.values}


def html(response) -> str:
    return response.content.decode()


def staff_home_url() -> str:
    """The staff home page, where it exists on this branch; the site's home otherwise."""
    from django.urls import reverse

    try:
        return reverse(errors.STAFF_HOME)
    except NoReverseMatch:
        return "/"


@pytest.mark.parametrize("path", ["/referrals/", "/review/", "/provider/", "/inbox/"])
def test_the_analyst_is_refused_with_a_styled_page_and_a_way_back(client, people, path):
    client.force_login(people[Role.ANALYST])

    response = client.get(path)

    assert response.status_code == 403
    page = html(response)
    assert STYLED in page, "the 403 is the site's page, not Django's bare 'Forbidden'"
    assert "403 Forbidden" not in page
    assert "<h1>You cannot open this page</h1>" in page
    assert "none of your roles opens this page" in page
    assert "ask a partnership administrator" in page
    assert f'href="{staff_home_url()}">Go to your Linkwell home page</a>' in page


def test_the_analyst_sent_to_the_admin_is_refused_there_not_asked_to_sign_in_again(client, people):
    client.force_login(people[Role.ANALYST])

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "<h1>You cannot open this page</h1>" in html(response)


def test_the_refusal_keeps_the_signed_in_navigation(client, people):
    client.force_login(people[Role.ANALYST])

    page = html(client.get("/referrals/"))

    assert 'aria-label="Main"' in page
    assert "Sign out (analyst)" in page


def test_a_missing_page_says_what_to_do_and_sends_citizens_to_find_support(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = html(response)
    assert STYLED in page
    assert "<h1>Page not found</h1>" in page
    assert "check it is correct" in page
    assert 'href="/">Find local help and support</a>' in page
    assert 'href="/services/">Find services</a>' in page


def test_a_record_staff_may_not_open_is_the_same_404_with_their_way_back(client, people):
    import uuid

    client.force_login(people[Role.PRACTITIONER])

    response = client.get(f"/people/{uuid.uuid4()}/")

    assert response.status_code == 404
    page = html(response)
    assert STYLED in page
    assert "may not be one your role lets you open" in page
    assert f'href="{staff_home_url()}">Go to your Linkwell home page</a>' in page


def test_a_signed_out_person_refused_a_page_is_offered_sign_in(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    request = rf.get("/review/")
    request.user = AnonymousUser()

    response = errors.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    page = html(response)
    assert 'href="/accounts/login/?next=/review/">Sign in</a>' in page
    assert 'href="/">Find local help and support</a>' in page


def test_a_form_sent_without_its_security_token_gets_the_styled_403(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people[Role.PROVIDER_EDITOR])

    response = client.post("/notifications/read/", {})

    assert response.status_code == 403
    page = html(response)
    assert STYLED in page
    assert "CSRF verification failed" not in page
    assert "<h1>Your form was not sent</h1>" in page
    assert "reload the page and send the form again" in page


def test_a_form_refused_under_the_api_is_json(rf):
    response = errors.csrf_failure(rf.post("/api/v1/referrals/"), reason="CSRF cookie not set.")

    assert response.status_code == 403
    assert "CSRF" in json.loads(response.content)["detail"]


def test_a_bad_request_is_a_styled_page(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/services/")
    request.user = AnonymousUser()

    response = errors.bad_request(request, ValueError())

    assert response.status_code == 400
    page = html(response)
    assert STYLED in page
    assert "could not be read" in page
    assert 'href="/">Find local help and support</a>' in page


def test_the_500_page_needs_no_database_and_keeps_the_reader_language(monkeypatch):
    from django.db import connections
    from django.utils import translation

    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page must not touch the database")

    monkeypatch.setattr(connections["default"], "cursor", no_database)
    with translation.override("ur"):
        response = errors.server_error(RequestFactory().get("/services/"))

    assert response.status_code == 500
    page = html(response)
    assert '<html lang="ur" dir="rtl">' in page
    assert "/static/linkwell/fonts.css" in page
    assert 'href="/"' in page
    assert "Traceback" not in page
