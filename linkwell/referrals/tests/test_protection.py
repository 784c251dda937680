"""The signed form timestamp and the double-submission fingerprint, on their own."""

import time
import uuid

import pytest

from linkwell.referrals import protection

SERVICE = uuid.uuid4()


def test_a_token_checked_after_a_few_seconds_gives_its_nonce(settings):
    settings.REFERRALS_FORM_MIN_SECONDS = 3
    issued = time.time()
    token = protection.issue_token(SERVICE, now=issued)
    checked = protection.check_token(token, SERVICE, now=issued + 4)
    assert len(checked.nonce) == 32
    assert checked.issued_at == pytest.approx(issued)


def test_a_form_sent_faster_than_a_person_could_is_refused(settings):
    settings.REFERRALS_FORM_MIN_SECONDS = 3
    issued = time.time()
    token = protection.issue_token(SERVICE, now=issued)
    with pytest.raises(protection.TokenProblem) as problem:
        protection.check_token(token, SERVICE, now=issued + 1)
    assert problem.value.reason == "too_fast"


def test_a_form_older_than_a_day_is_refused():
    issued = time.time()
    token = protection.issue_token(SERVICE, now=issued)
    with pytest.raises(protection.TokenProblem) as problem:
        protection.check_token(token, SERVICE, now=issued + 24 * 60 * 60 + 1)
    assert problem.value.reason == "expired"


@pytest.mark.parametrize("token", ["", "nonsense", "eyJzIjoiIn0:abc:def"])
def test_a_missing_or_forged_token_is_refused(token):
    with pytest.raises(protection.TokenProblem) as problem:
        protection.check_token(token, SERVICE, now=time.time() + 10)
    assert problem.value.reason == "invalid"


def test_a_token_for_another_service_is_refused():
    token = protection.issue_token(uuid.uuid4(), now=time.time() - 10)
    with pytest.raises(protection.TokenProblem) as problem:
        protection.check_token(token, SERVICE)
    assert problem.value.reason == "invalid"


def test_a_tampered_token_is_refused():
    token = protection.issue_token(SERVICE, now=time.time() - 10)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(protection.TokenProblem):
        protection.check_token(tampered, SERVICE)


def test_the_honeypot_counts_only_when_filled():
    assert not protection.honeypot_filled({})
    assert not protection.honeypot_filled({"website": "  "})
    assert protection.honeypot_filled({"website": "http://spam.example"})


def test_the_fingerprint_ignores_case_and_spacing_but_not_content():
    a = protection.fingerprint(SERVICE, {"name": "Sam", "message": "Hello  there"})
    b = protection.fingerprint(SERVICE, {"name": "sam ", "message": "hello there"})
    c = protection.fingerprint(SERVICE, {"name": "Sam", "message": "Hello again"})
    d = protection.fingerprint(uuid.uuid4(), {"name": "Sam", "message": "Hello  there"})
    assert a == b
    assert len({a, c, d}) == 3
