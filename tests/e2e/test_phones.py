"""Every page on a phone: nothing scrolls sideways at 320 or 390 CSS pixels wide, and axe finds
no serious or critical violation at 390. With the demo directory and demo staff, each staff
role signs in (password, then the code from their app) and opens every page of its work.

Pages come from the URL names: `PAGES` says, for each page, how to find a real record for it
and which roles open it. A page added to the URLConf fails `test_every_page_is_swept` until it
is added here (or to `NOT_PAGES`, for addresses that only take a form's POST).

On a failure the message names each page, the width it measured and the elements that stick
out, deepest first: what to fix.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Browser, Page

from tests.e2e import signing_in
from tests.e2e.accessibility import axe_violations, describe

PASSWORD = "correct-horse-battery-staple-42"
WIDTHS = (320, 390)
AXE_WIDTH = 390

PRACTITIONER = "demo-firefighter"
CONNECTOR = "demo-connector"
PROVIDER = "demo-provider"
ADMIN = "demo-admin"
ANALYST = "demo-analyst"
STAFF = (PRACTITIONER, CONNECTOR, PROVIDER, ADMIN, ANALYST)
REFERRERS = (PRACTITIONER, ADMIN)


@dataclasses.dataclass(frozen=True)
class PageRoute:
    """One page: its URL name, how to find the record it shows (from `Records`), and who opens
    it (None: everyone, signed in or not)."""

    name: str
    args: Callable[[Records], list[Any]] = lambda records: []
    roles: tuple[str, ...] | None = None
    query: str | Callable[[Records], str] = ""


@dataclasses.dataclass
class Records:
    """A real record of each kind, made by the demo loaders and `_more_demo_records`."""

    service: Any
    person: Any
    contact: Any
    referral: Any
    case: Any
    listing_change: Any
    contact_request: Any
    import_run: Any = None
    ward_code: str = ""


PAGES = [
    # Finding support: everyone.
    PageRoute("directory:home"),
    PageRoute("directory:service_list"),
    PageRoute("directory:service_list", query="?q=lunch"),
    PageRoute("directory:service_list", query="?postcode=BD3+7HZ&distance=5"),
    PageRoute("directory:service_list", query="?postcode=XX1"),  # the error summary
    PageRoute("directory:service_detail", lambda r: [r.service.pk]),
    PageRoute("directory:about"),
    PageRoute("referrals:self_referral", lambda r: [r.service.pk]),
    PageRoute("match:tell_us"),
    PageRoute("login"),
    # Staff: the pages of each role's work.
    PageRoute("referrals:staff_home", roles=(PRACTITIONER, CONNECTOR, PROVIDER, ADMIN)),
    PageRoute("match:what_could_help", roles=(PRACTITIONER, CONNECTOR, PROVIDER, ADMIN)),
    PageRoute("account", roles=STAFF),
    PageRoute("referrals:notifications", roles=STAFF),
    PageRoute("referrals:person_new", roles=(PRACTITIONER, CONNECTOR, ADMIN)),
    PageRoute("referrals:person_detail", lambda r: [r.person.pk], roles=REFERRERS),
    PageRoute("referrals:contact_new", lambda r: [r.person.pk], roles=REFERRERS),
    PageRoute("referrals:contact_detail", lambda r: [r.contact.pk], roles=REFERRERS),
    PageRoute("referrals:my_referrals", roles=(PRACTITIONER, CONNECTOR, ADMIN)),
    PageRoute("referrals:referral_detail", lambda r: [r.referral.pk], roles=REFERRERS),
    # Refer from a service page (another branch): find the person, then refer them.
    PageRoute("referrals:refer_to_service", lambda r: [r.service.pk], roles=REFERRERS),
    PageRoute(
        "referrals:refer_to_service",
        lambda r: [r.service.pk],
        roles=REFERRERS,
        query=lambda r: f"?person={r.person.pk}",
    ),
    PageRoute("referrals:provider_referrals", roles=(CONNECTOR, PROVIDER, ADMIN)),
    PageRoute("referrals:provider_capacity", roles=(PROVIDER, ADMIN)),
    PageRoute("referrals:capacity_set", lambda r: [r.listing_change.service_id], roles=(PROVIDER,)),
    PageRoute("referrals:caseload", roles=(CONNECTOR, ADMIN)),
    PageRoute("referrals:closed_cases", roles=(CONNECTOR, ADMIN)),
    PageRoute("referrals:case_detail", lambda r: [r.case.pk], roles=(CONNECTOR, ADMIN)),
    PageRoute("referrals:inbox", roles=(PROVIDER, ADMIN)),
    PageRoute("referrals:inbox_detail", lambda r: [r.contact_request.pk], roles=(PROVIDER, ADMIN)),
    PageRoute("referrals:inbox_convert", lambda r: [r.contact_request.pk], roles=(PROVIDER, ADMIN)),
    PageRoute("listings:dashboard", roles=(PROVIDER,)),
    PageRoute("listings:edit", lambda r: [r.listing_change.service_id], roles=(PROVIDER,)),
    PageRoute("listings:review_queue", roles=(ADMIN,)),
    PageRoute("listings:review", lambda r: [r.listing_change.pk], roles=(ADMIN,)),
    PageRoute("imports:list", roles=(ADMIN,)),
    PageRoute("imports:detail", lambda r: [r.import_run.pk], roles=(ADMIN,)),
    # Outcomes: a programme's evaluation (analysts and partnership admins).
    PageRoute("evaluation:report", roles=(ANALYST, ADMIN)),
    # The intelligence hub (analysts and partnership admins), its figures worked out first.
    PageRoute("hub:home", roles=(ANALYST, ADMIN)),
    PageRoute("hub:map", roles=(ANALYST,)),
    PageRoute("hub:map", roles=(ANALYST,), query="?level=lsoa&need=falls_frailty"),
    PageRoute("hub:provision", roles=(ANALYST, ADMIN)),
    PageRoute("hub:area", lambda r: ["ward", r.ward_code], roles=(ANALYST,)),
    PageRoute("hub:spend", roles=(ANALYST, ADMIN)),
    PageRoute("hub:duplicates", roles=(ANALYST,)),
    PageRoute("hub:flows", roles=(ANALYST,)),
    PageRoute("hub:indicators", roles=(ANALYST,)),
]

# Addresses that answer a form's POST (and redirect), or hand over to another page: no page
# of their own to sweep.
NOT_PAGES = {
    "referrals:self_referral_sent",  # reached by sending the form: `test_public_pages...`
    "referrals:inbox_update",
    "referrals:consent_record",
    "referrals:consent_withdraw",
    "referrals:contact_refer",
    "referrals:contact_consent",
    "referrals:referral_move",
    "referrals:case_action",
    "referrals:notifications_read",
    "listings:confirm",
    "two_step_verify",  # seen while signing in
    "two_step_set_up",  # seen while signing in
    "recovery_codes",  # seen while signing in
    "new_recovery_codes",
    "profile",  # a redirect to the person's home
    # For machines (probes and a metrics scraper), JSON or text, never a person's page:
    # linkwell/operations/tests/health and .../metrics test them.
    "healthz",
    "readyz",
    "metrics",
    # Outcomes: each needs a questionnaire, a link's token or a case in a given state;
    # tests/e2e/test_outcomes.py opens them at 390 px with axe.
    "outcomes:start_for_case",
    "outcomes:send_link",
    "outcomes:referral_outcome",
    "outcomes:start_for_referral",
    "outcomes:administration",
    "outcomes:person_outcomes",
    "outcomes:person_chart",  # an image
    "outcomes:answer",
    "outcomes:answer_new_link",
    "evaluation:report_csv",  # a download of the report page's figures
    "evaluation:report_pdf",  # the same, to print
}

# What the browser measures: the page's width, and the deepest elements that stick out past
# the screen's edge (a wide table's cell, a long word, a fixed-width input).
MEASURE = """width => {
  const out = [];
  const outside = el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
  };
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.skip-link, .visually-hidden') || !outside(el)) continue;
    if ([...el.children].some(outside)) continue;
    const box = el.getBoundingClientRect();
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      [...el.classList].map(c => '.' + c).join('');
    out.push(`${name} [${Math.round(box.left)}..${Math.round(box.right)}] ` +
      `"${(el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40)}"`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          wide: out.slice(0, 5)};
}"""


def _demo_users(settings) -> None:
    """The demo staff and people (development only: loaded as a developer would), with the
    records every page needs, then signing in as in production (password and code)."""
    from linkwell.referrals.demo import load_demo_referrals

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEVELOPMENT = True
    try:
        load_demo_referrals(PASSWORD)
    finally:
        settings.DEVELOPMENT = False
    _more_demo_records()
    from linkwell.intelligence.refresh import refresh_hub

    refresh_hub(via="test")


def _more_demo_records() -> None:
    """What the demo leaves out: an open case, a listing change waiting for review and a
    citizen's request to be contacted, each through its action as a person would make it."""
    from django.contrib.auth import get_user_model

    from linkwell.accounts.policies import Action, can
    from linkwell.directory import models as dm
    from linkwell.directory.listings import actions as listing_actions
    from linkwell.directory.listings.records import current_listing
    from linkwell.referrals import actions
    from linkwell.referrals.models import Referral

    users = get_user_model().objects.in_bulk([CONNECTOR, PROVIDER], field_name="username")
    connector, provider = users[CONNECTOR], users[PROVIDER]
    referral = (
        Referral.objects.filter(service__name="Community Connector (Bradford)")
        .order_by("created_at")
        .first()
    )
    actions.receive_referral(referral, actor=connector, via="test")
    actions.accept_referral(referral, actor=connector, via="test")

    service = next(
        s
        for s in dm.Service.objects.filter(status="active", partner__isnull=False).order_by("name")
        if can(provider, Action.EDIT_SERVICE, s)
    )
    listing = current_listing(service)
    renamed = dataclasses.replace(listing.record, name=f"{listing.record.name} (new name)")
    listing_actions.submit_change(
        service,
        dataclasses.replace(listing, record=renamed),
        base_version=service.updated_at,
        actor=provider,
    )
    _checked_import(get_user_model().objects.get(username=ADMIN))
    actions.submit_contact_request(
        actor=None,
        service=service,
        details={
            "name": "Sam Example",
            "contact_method": "phone",
            "phone": "01632 960001",
            "email": "",
            "best_time": "Mornings",
            "message": "Please call me about the group.",
        },
        language="en-gb",
        consent_text="I agree.",
        form_nonce=secrets.token_hex(16),
        via="test",
    )


def _checked_import(admin: Any) -> None:
    """A partner's sheet checked on the imports page, one row wrong: its page lists it."""
    from linkwell.directory.importers import uploads
    from linkwell.directory.tests.import_support import sheet_csv

    uploads.request_import(
        actor=admin,
        filename="example-trust-services-with-a-long-name-2026-12.csv",
        content=sheet_csv(
            {"partner": "Example Trust", "service": "Men's shed"},
            {"partner": "Example Trust", "service": "Walk", "tier": "9"},
        ),
        mode=uploads.Mode.CHECK,
    )


def _records() -> Records:
    from linkwell.directory.models import ImportRun, ListingChange
    from linkwell.places.models import Ward
    from linkwell.referrals.models import Case, ContactRequest, Encounter, Person, Referral

    person = Person.objects.filter(is_demo=True, encounters__isnull=False).first()
    change = ListingChange.objects.get()
    return Records(
        service=change.service,
        person=person,
        contact=Encounter.objects.filter(person=person).first(),
        referral=Referral.objects.filter(person=person).first(),
        case=Case.objects.get(),
        listing_change=change,
        contact_request=ContactRequest.objects.get(),
        import_run=ImportRun.objects.order_by("-pk").first(),
        ward_code=Ward.objects.order_by("code").values_list("code", flat=True).first() or "",
    )


def _url(route: PageRoute, records: Records) -> str | None:
    query = route.query(records) if callable(route.query) else route.query
    try:
        return reverse(route.name, args=route.args(records)) + query
    except NoReverseMatch:  # a page another branch adds: swept once it is there
        return None


def _check(page: Page, label: str, problems: list[str]) -> None:
    """At each width: nothing sideways; at 390 also axe. Adds what is wrong to `problems`."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        page.wait_for_timeout(50)
        found = page.evaluate(MEASURE, width)
        if found["scrollWidth"] > width or found["innerWidth"] > width:
            problems.append(
                f"{label} at {width} px is {found['scrollWidth']} px wide; sticking out: "
                + "; ".join(found["wide"])
            )
        if width == AXE_WIDTH:
            violations = axe_violations(page)
            if violations:
                problems.append(f"{label} at {width} px, axe:\n{describe(violations)}")


def _visit(page: Page, url: str, label: str, problems: list[str], expected: int = 200) -> None:
    response = page.goto(url)
    status = response.status if response else None
    if status != expected:
        problems.append(f"{label}: answered {status}, expected {expected}")
        return
    _check(page, label, problems)


def _phone(browser: Browser, live_server) -> Page:
    context = browser.new_context(
        viewport={"width": WIDTHS[0], "height": 844}, locale="en-GB", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def demo(directory_data, settings) -> Records:
    settings.MAP_TILES_URL = ""  # no internet in tests
    settings.REFERRALS_FORM_MIN_SECONDS = 0  # a test types faster than the bot check allows
    _demo_users(settings)
    return _records()


def test_every_page_is_swept():
    """Each page of the URLConf is in PAGES, or named in NOT_PAGES as a form's address."""
    swept = {route.name for route in PAGES} | NOT_PAGES
    missing = sorted(_page_names() - swept)
    assert not missing, f"add these pages to PAGES in {__file__}: {missing}"


def _page_names() -> set[str]:
    """The URL names of the site's pages (the admin, the API and Django's own auth views
    aside)."""
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in {"admin", "api-v1"} or "django.contrib" in str(
                    getattr(entry.urlconf_module, "__name__", "")
                ):
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(f"{namespace}{entry.name}")

    walk(get_resolver().url_patterns, "")
    names.discard("set_language")  # the language picker's POST
    return names


def test_public_pages_fit_a_phone_and_pass_axe(browser: Browser, live_server, demo: Records):
    page = _phone(browser, live_server)
    problems: list[str] = []
    for route in (r for r in PAGES if r.roles is None):
        url = _url(route, demo)
        expected = 400 if "XX1" in str(route.query) else 200
        _visit(page, url, f"{route.name}{route.query}", problems, expected)

    # The contact form refused, then sent; a missing page.
    page.goto(reverse("referrals:self_referral", args=[demo.service.pk]))
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    _check(page, "self_referral with errors", problems)
    page.get_by_label("Your name").fill("Sam Example")
    page.get_by_label("Phone call").check()
    page.get_by_label("Phone number").fill("01274 123456")
    page.get_by_label("may use these details to contact me", exact=False).check()
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Request sent").wait_for()
    _check(page, "self_referral_sent", problems)
    _visit(page, "/no-such-page/", "404", problems, expected=404)

    # In Urdu and Punjabi (Shahmukhi): right to left, in the Nastaliq web font.
    for language in ("ur", "pa-arab"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        for route in (r for r in PAGES if r.roles is None and not r.query):
            _visit(page, _url(route, demo), f"{route.name} ({language})", problems)
    page.context.close()
    assert not problems, "\n".join(problems)


def test_urdu_and_punjabi_pages_use_the_nastaliq_font_from_our_static_files(
    browser: Browser, live_server, directory_data
):
    page = _phone(browser, live_server)
    for language in ("ur", "pa-arab"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        fetched: list[str] = []
        page.on("request", lambda request, got=fetched: got.append(request.url))
        page.goto("/")
        loaded = page.evaluate(
            """async () => {
              await document.fonts.ready;
              return [...document.fonts].filter(f => f.status === 'loaded')
                .map(f => `${f.family} ${f.weight}`);
            }"""
        )
        assert "Linkwell Nastaliq Web 400" in loaded, (language, loaded)
        assert any(
            url.startswith(live_server.url)
            and url.endswith(
                "/vendor/noto-nastaliq-urdu/noto-nastaliq-urdu-arabic-400-normal.woff2"
            )
            for url in fetched
        ), fetched
        heading = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        assert heading.startswith('"Linkwell Nastaliq Web"'), heading
    page.context.close()


@pytest.mark.parametrize("username", STAFF)
def test_each_staff_role_s_pages_fit_a_phone_and_pass_axe(
    browser: Browser, live_server, demo: Records, username: str
):
    page = _phone(browser, live_server)
    signing_in.sign_in(page, username, PASSWORD, "/accounts/")
    problems: list[str] = []
    for route in PAGES:
        if route.roles is None or username not in route.roles:
            continue
        url = _url(route, demo)
        if url is None:
            continue
        _visit(page, url, f"{username} {route.name}", problems)
    if username == ANALYST:
        # The analyst has no page of referrals: refused with the styled page and a way back.
        _visit(page, reverse("referrals:my_referrals"), "analyst refused", problems, 403)
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading == "You cannot open this page"
        assert page.get_by_role("link", name="Go to your Linkwell home page").is_visible()
    page.context.close()
    assert not problems, "\n".join(problems)
