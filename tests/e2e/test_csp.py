"""Every page works under its Content-Security-Policy: the browser reports no violation on the
home page, a search with its map (tiles from the configured tile server), a service page, the
admin (signed out and in) and the API docs. An inline script is refused and reported, so a
page that needed one would fail here."""

import base64

import pytest
from playwright.sync_api import Page, expect

from config.settings import content_security_policy

TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
# A 1x1 PNG, served for every tile by the test instead of a tile server on the internet.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
REPORT = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.effectiveDirective} refused ${event.blockedURI}`);
});
"""


def watch_for_violations(page: Page) -> list[str]:
    """Everything the browser says it refused under the policy, on any page from now on."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.expose_function("reportViolation", lambda text: found.append(text))
    page.add_init_script(REPORT)
    return found


@pytest.fixture
def tiles_from_a_tile_server(settings, page: Page) -> None:
    """The map's tiles come from another host, as in production; the test answers for it."""
    settings.MAP_TILES_URL = TILES
    settings.CONTENT_SECURITY_POLICY = content_security_policy(TILES)
    page.route(
        "https://tiles.example.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE_PNG),
    )


@pytest.fixture
def partnership_admin(directory_data):
    from linkwell.accounts.actions import create_organisation, create_user, grant_role
    from linkwell.accounts.models import OrganisationKind, Role
    from linkwell.accounts.tokens import create_api_token

    partnership = create_organisation(actor=None, name="The Partnership", kind=OrganisationKind.ICB)
    admin = create_user(actor=None, username="sam_admin", password="correct-horse-battery-42")
    grant_role(actor=None, user=admin, organisation=partnership, role=Role.PARTNERSHIP_ADMIN)
    create_api_token(admin, actor=None, via="test", name="GP system")
    return admin


def sign_in_as(page: Page, user, live_server) -> None:
    """A signed-in session for `user`, handed to the browser as its cookie."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_no_page_breaks_the_content_security_policy(
    page: Page, live_server, tiles_from_a_tile_server, partnership_admin
):
    violations = watch_for_violations(page)

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto("/services/")
    page.get_by_label("Postcode").fill("BD21 1AA")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("ol.results > li")
    expect(results.first).to_contain_text("km away")
    page.get_by_role("button", name="Show these results on a map").click()
    expect(page.locator("#results-map .leaflet-marker-icon").first).to_be_visible()
    expect(page.locator("#results-map img.leaflet-tile-loaded").first).to_be_attached()
    page.locator("#results-map .leaflet-marker-icon").first.focus()
    page.keyboard.press("Enter")  # opens its popup (set with innerHTML)
    expect(page.locator("#results-map .leaflet-popup-content a").first).to_be_visible()

    results.first.get_by_role("link").first.click()
    expect(page.locator("#service-map .leaflet-marker-icon")).to_have_count(1)
    expect(page.locator("#service-map img.leaflet-tile-loaded").first).to_be_attached()

    page.goto("/admin/login/")
    expect(page.get_by_label("Password")).to_be_visible()

    sign_in_as(page, partnership_admin, live_server)
    for url in ["/admin/", "/admin/accounts/apitoken/", "/admin/accounts/membership/add/"]:
        page.goto(url)
        expect(page.locator("#content")).to_be_visible()
    page.locator(".select2-selection").first.click()  # the autocomplete widget opens
    expect(page.locator(".select2-search__field")).to_be_visible()

    page.goto("/api/v1/docs")  # Swagger UI, from this site's static files
    expect(page.locator("#swagger-ui .swagger-ui")).to_be_visible()  # its script ran

    page.wait_for_timeout(500)  # a violation is reported a moment after the refusal
    assert violations == []


def test_an_inline_script_is_refused_and_reported(page: Page, live_db):
    violations = watch_for_violations(page)
    page.goto("/")

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "document.body.dataset.injected = 'yes'";
          document.body.appendChild(script);
        }"""
    )

    for _ in range(50):  # the browser reports a violation a moment after refusing
        if violations:
            break
        page.wait_for_timeout(100)
    assert any("script-src" in v for v in violations), violations
    assert page.evaluate("() => document.body.dataset.injected") is None
