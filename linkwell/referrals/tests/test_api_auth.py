"""Signing in to the referral API: a bearer token per user (shown once, only its hash kept)
or the pages' session (with CSRF for changes); anonymous callers get 401; other sites cannot
read referral answers with the browser's credentials."""

import io

from django.core.management import call_command
from django.test import Client

from linkwell.accounts.token_models import ApiToken
from linkwell.accounts.tokens import create_api_token, hash_token, revoke_api_token
from linkwell.referrals.tests.api_scene import (
    API,
    call,
    client_for,
    scene_fixture,  # noqa: F401 (the scene fixture)
)
from linkwell.referrals.tests.ecc_world import world  # noqa: F401 (fixture)


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_command_prints_a_token_once_and_stores_only_its_hash(scene):
    out = io.StringIO()
    call_command("create_api_token", "gp", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip()
    row = ApiToken.objects.get(user=scene["gp"])
    assert row.token_hash == hash_token(token)
    assert token not in {row.token_hash, row.prefix, row.name}
    response = call(Client(), "GET", "/referrals/made", **_bearer(token))
    assert response.status_code == 200


def test_a_token_acts_as_its_user_and_sees_only_their_referrals(scene):
    _, token = create_api_token(scene["firefighter"], actor=None, via="test")
    mine = call(Client(), "GET", f"/referrals/{scene['sent'].pk}", **_bearer(token))
    assert mine.status_code == 200
    _, other = create_api_token(scene["lunch_editor"], actor=None, via="test")
    theirs = call(Client(), "GET", f"/referrals/{scene['sent'].pk}", **_bearer(other))
    assert theirs.status_code == 404


def test_a_wrong_revoked_or_inactive_users_token_is_401(scene):
    row, token = create_api_token(scene["gp"], actor=None, via="test")
    assert call(Client(), "GET", "/cases/", **_bearer(token + "x")).status_code == 401
    revoke_api_token(row, actor=None, via="test")
    assert call(Client(), "GET", "/cases/", **_bearer(token)).status_code == 401
    _, token = create_api_token(scene["gp"], actor=None, via="test")
    scene["gp"].is_active = False
    scene["gp"].save(update_fields=["is_active"])
    response = call(Client(), "GET", "/cases/", **_bearer(token))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_post_needs_the_csrf_token_but_a_bearer_post_does_not(scene):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(scene["falls_editor"])
    path = f"/referrals/{scene['sent'].pk}/receive"
    assert call(browser, "POST", path).status_code == 403
    _, token = create_api_token(scene["falls_editor"], actor=None, via="test")
    script = Client(enforce_csrf_checks=True)
    assert call(script, "POST", path, **_bearer(token)).status_code == 200


def test_a_signed_out_post_is_401_not_a_csrf_refusal(scene):
    response = call(Client(enforce_csrf_checks=True), "POST", "/referrals/", {})
    assert response.status_code == 401


def test_another_site_cannot_read_referrals_with_the_browsers_credentials(scene):
    """CORS: no Allow-Credentials, so browsers withhold a credentialed answer; changes are
    not allowed cross-origin at all (only GET is)."""
    client = client_for(scene, "firefighter")
    origin = {"Origin": "https://elsewhere.example"}
    read = client.get(f"{API}/referrals/{scene['sent'].pk}", headers=origin)
    assert "Access-Control-Allow-Credentials" not in read
    preflight = client.options(
        f"{API}/referrals/",
        headers={**origin, "Access-Control-Request-Method": "POST"},
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
