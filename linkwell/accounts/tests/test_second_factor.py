"""Two-step sign-in: whoever can read personal data (and every admin) also enters a code."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from linkwell.accounts.models import Role
from linkwell.accounts.tests.signing_in import (
    code_now,
    code_step,
    give_authenticator,
    password_step,
    signed_in_fully,
)
from linkwell.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/verify/"
SET_UP = "/accounts/set-up/"


@pytest.mark.parametrize(
    "role", [Role.PRACTITIONER, Role.CONNECTOR, Role.PROVIDER_EDITOR, Role.PARTNERSHIP_ADMIN]
)
def test_who_reads_personal_data_is_asked_for_a_code_after_the_password(
    client, make_person, alpha, role
):
    person = make_person("pat", role, alpha)
    give_authenticator(person)

    response = password_step(client, "pat")

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not signed_in_fully(client)


def test_a_superuser_without_a_role_is_asked_for_a_code(client, make_person):
    root = make_person("root")
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    give_authenticator(root)

    assert password_step(client, "root")["Location"].startswith(VERIFY)


def test_an_analyst_signs_in_with_the_password_alone(client, make_person, alpha):
    make_person("ann", Role.ANALYST, alpha)

    response = password_step(client, "ann")

    assert response["Location"] == "/hub/"  # their own page
    assert "Sign out (ann)" in client.get("/").content.decode()


def test_an_analyst_who_chose_an_app_is_asked_for_its_code(client, make_person, alpha):
    give_authenticator(make_person("ann", Role.ANALYST, alpha))

    assert password_step(client, "ann")["Location"].startswith(VERIFY)


def test_until_the_code_is_given_no_page_treats_them_as_signed_in(client, make_person, alpha):
    give_authenticator(make_person("pat", Role.PRACTITIONER, alpha))
    password_step(client, "pat")

    page = client.get("/referrals/")
    assert page.status_code == 302
    assert page["Location"] == f"{VERIFY}?next=/referrals/"
    assert client.get("/api/v1/notifications/").status_code == 401
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=/admin/"


def test_the_right_code_signs_in_and_goes_on_to_the_page_asked_for(client, make_person, alpha):
    pat = make_person("pat", Role.PRACTITIONER, alpha)
    device, _codes = give_authenticator(pat)
    first = password_step(client, "pat", next_url="/people/new/")
    assert first["Location"] == f"{VERIFY}?next=/people/new/"
    session_before = client.session.session_key

    response = code_step(client, code_now(device), next_url="/people/new/")

    assert response.status_code == 302
    assert response["Location"] == "/people/new/"
    assert client.session.session_key != session_before  # a new session id for more power
    assert signed_in_fully(client)
    assert AuditEvent.objects.filter(
        action="accounts.second_factor.verified", target_id=str(pat.pk)
    ).exists()


def test_a_wrong_code_is_refused_with_what_to_do(client, make_person, alpha):
    pat = make_person("pat", Role.PRACTITIONER, alpha)
    device, _codes = give_authenticator(pat)
    password_step(client, "pat")
    right = code_now(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = code_step(client, wrong)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the 6-digit code your authenticator app shows now" in page
    assert not signed_in_fully(client)
    event = AuditEvent.objects.get(action="accounts.second_factor.failed")
    assert event.target_id == str(pat.pk)


def test_repeated_wrong_codes_are_slowed_down(client, make_person, alpha):
    pat = make_person("pat", Role.PRACTITIONER, alpha)
    device, _codes = give_authenticator(pat)
    password_step(client, "pat")
    with time_machine.travel(dt.datetime.now(tz=dt.UTC), tick=False):
        code_step(client, "000000" if code_now(device) != "000000" else "111111")

        response = code_step(client, code_now(device))  # right, but too soon after a wrong one

    assert "Wait" in response.content.decode()
    assert not signed_in_fully(client)


def test_an_empty_code_says_what_to_enter(client, make_person, alpha):
    give_authenticator(make_person("pat", Role.PRACTITIONER, alpha))
    password_step(client, "pat")

    page = code_step(client, "").content.decode()

    assert "Enter the 6-digit code from your authenticator app, or a recovery code" in page


def test_a_recovery_code_works_once(make_person, alpha):
    pat = make_person("pat", Role.PRACTITIONER, alpha)
    _device, codes = give_authenticator(pat)

    first = Client()
    password_step(first, "pat")
    assert code_step(first, codes[0].upper()).status_code == 302
    assert signed_in_fully(first)

    second = Client()
    password_step(second, "pat")
    assert code_step(second, codes[0]).status_code == 200
    assert not signed_in_fully(second)
    event = AuditEvent.objects.filter(action="accounts.second_factor.verified").get()
    assert event.details["method"] == "recovery_code"
    assert event.details["recovery_codes_left"] == 9


def test_recovery_codes_are_not_kept_readable(make_person, alpha):
    from django_otp.plugins.otp_static.models import StaticToken

    _device, codes = give_authenticator(make_person("pat", Role.PRACTITIONER, alpha))

    kept = set(StaticToken.objects.values_list("token", flat=True))
    assert len(kept) == len(codes) == 10
    assert not kept & {c.replace("-", "") for c in codes} and not kept & set(codes)


def test_someone_who_must_have_an_app_sets_it_up_after_the_password(client, make_person, alpha):
    pat = make_person("pat", Role.PRACTITIONER, alpha)

    response = password_step(client, "pat", next_url="/referrals/")

    assert response["Location"] == f"{SET_UP}?next=/referrals/"
    assert client.get("/referrals/")["Location"] == f"{SET_UP}?next=/referrals/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'role="img"' in html
    secret = re.search(r'<code class="secret"[^>]*>([A-Z2-7 ]+)</code>', html).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert 'style="' not in html and "<script>" not in html  # the content security policy

    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=pat, confirmed=False)
    confirmed = client.post(f"{SET_UP}?next=/referrals/", {"code": code_now(device)})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/accounts/recovery-codes/?next=/referrals/"
    shown = client.get(confirmed["Location"]).content.decode()
    codes = re.findall(r'<li><code class="recovery-code">([a-z0-9-]+)</code></li>', shown)
    assert len(codes) == 10
    assert signed_in_fully(client)
    assert client.get("/accounts/recovery-codes/").status_code == 302  # shown once only
    assert AuditEvent.objects.filter(
        action="accounts.second_factor.set_up", target_id=str(pat.pk)
    ).exists()


def test_a_wrong_code_at_set_up_is_refused_with_what_to_do(client, make_person, alpha):
    make_person("pat", Role.PRACTITIONER, alpha)
    password_step(client, "pat")
    client.get(SET_UP)

    response = client.post(SET_UP, {"code": "12"})

    assert response.status_code == 200
    assert "Enter the 6-digit code the app shows now" in response.content.decode()
    assert not signed_in_fully(client)


def test_a_password_alone_cannot_replace_someone_elses_app(client, make_person, alpha):
    """Whoever knows the password must not be able to set up their own phone instead."""
    give_authenticator(make_person("pat", Role.PRACTITIONER, alpha))
    password_step(client, "pat")

    response = client.get(SET_UP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert client.post(SET_UP, {"code": "123456"}).status_code == 302


def test_anyone_can_set_up_an_app_from_their_account_page(client, make_person, alpha):
    ann = make_person("ann", Role.ANALYST, alpha)
    password_step(client, "ann")

    account = client.get("/accounts/").content.decode()
    assert "Set up an authenticator app" in account
    assert client.get(SET_UP).status_code == 200

    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=ann, confirmed=False)
    assert client.post(SET_UP, {"code": code_now(device)}).status_code == 302
    assert "Your authenticator app is set up" in client.get("/accounts/").content.decode()


def test_new_recovery_codes_replace_the_old_ones(client, make_person, alpha):
    pat = make_person("pat", Role.PRACTITIONER, alpha)
    device, old = give_authenticator(pat)
    password_step(client, "pat")
    code_step(client, code_now(device))

    response = client.post("/accounts/recovery-codes/new/")

    assert response["Location"] == "/accounts/recovery-codes/"
    new = re.findall(
        r'<code class="recovery-code">([a-z0-9-]+)</code>',
        client.get("/accounts/recovery-codes/").content.decode(),
    )
    assert len(new) == 10 and not set(new) & set(old)
    again = Client()
    password_step(again, "pat")
    assert code_step(again, old[1]).status_code == 200


def test_the_admin_refuses_an_admin_who_gave_only_the_password(client, people):
    admin = people[Role.PARTNERSHIP_ADMIN]
    give_authenticator(admin)
    password_step(client, admin.username)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert not response["Location"].startswith("/admin/")


def test_the_admin_site_itself_asks_for_a_verified_sign_in(people):
    from linkwell.accounts.admin_site import site

    admin = people[Role.PARTNERSHIP_ADMIN]
    request = RequestFactory().get("/admin/")
    request.user = admin
    admin.otp_device = None
    admin.is_verified = lambda: False

    assert site.has_permission(request) is False


def test_the_admin_sign_in_is_the_sites_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_a_partnership_admin_resets_a_lost_phone_and_the_user_sets_up_again(
    client, make_person, alpha, people
):
    pat = make_person("pat", Role.PRACTITIONER, alpha)
    give_authenticator(pat)
    admin_client = Client()
    admin_client.force_login(people[Role.PARTNERSHIP_ADMIN])

    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [pat.pk]},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.second_factor.reset")
    assert event.target_id == str(pat.pk)
    assert event.actor == people[Role.PARTNERSHIP_ADMIN]
    assert password_step(client, "pat")["Location"].startswith(SET_UP)


def test_a_reset_ends_the_verified_sessions_too(make_person, alpha, people):
    pat = make_person("pat", Role.PRACTITIONER, alpha)
    device, _codes = give_authenticator(pat)
    pats = Client()
    password_step(pats, "pat")
    code_step(pats, code_now(device))
    assert signed_in_fully(pats)

    from linkwell.accounts.signin import devices

    devices.reset_second_factor(pat, actor=people[Role.PARTNERSHIP_ADMIN], via="test")

    assert not signed_in_fully(pats)


def test_the_otp_devices_are_not_edited_in_the_admin(people):
    admin_client = Client()
    admin_client.force_login(people[Role.PARTNERSHIP_ADMIN])

    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/admin/otp_static/staticdevice/").status_code == 404


@pytest.mark.parametrize(("development", "asked_for_code"), [(True, False), (False, True)])
def test_demo_staff_use_the_password_alone_only_in_development(
    client, make_person, alpha, settings, development, asked_for_code
):
    settings.DEVELOPMENT = development
    demo = make_person("demo-gp", Role.PRACTITIONER, alpha)
    demo.is_demo = True
    demo.save(update_fields=["is_demo"])

    response = password_step(client, "demo-gp")

    assert response.status_code == 302
    assert response["Location"].startswith(SET_UP) is asked_for_code
    assert signed_in_fully(client) is not asked_for_code


def test_outside_development_a_demo_user_with_an_app_is_asked_for_its_code(
    client, make_person, alpha, settings
):
    settings.DEVELOPMENT = False
    demo = make_person("demo-gp", Role.PRACTITIONER, alpha)
    demo.is_demo = True
    demo.save(update_fields=["is_demo"])
    give_authenticator(demo)

    assert password_step(client, "demo-gp")["Location"].startswith(VERIFY)


def test_sign_in_and_set_up_are_audited(client, make_person, alpha):
    pat = make_person("pat", Role.PRACTITIONER, alpha)

    password_step(client, "pat")

    event = AuditEvent.objects.get(action="accounts.sign_in.succeeded")
    assert event.target_id == str(pat.pk)
    assert event.details["second_step"] == "set_up"


def test_giving_the_password_again_asks_for_the_code_again(client, make_person, alpha):
    """A code given earlier in the session does not carry over a new password step."""
    device, _codes = give_authenticator(make_person("pat", Role.PRACTITIONER, alpha))
    password_step(client, "pat")
    code_step(client, code_now(device))
    assert signed_in_fully(client)

    assert password_step(client, "pat")["Location"].startswith(VERIFY)
    assert not signed_in_fully(client)


def test_a_partnership_admin_cannot_reset_a_superusers_codes(make_person, people):
    root = make_person("root")
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    give_authenticator(root)
    admin_client = Client()
    admin_client.force_login(people[Role.PARTNERSHIP_ADMIN])

    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [root.pk]},
        follow=True,
    )

    assert "Only a superuser can do that for root." in response.content.decode()
    assert not AuditEvent.objects.filter(action="accounts.second_factor.reset").exists()
    assert password_step(Client(), "root")["Location"].startswith(VERIFY)
