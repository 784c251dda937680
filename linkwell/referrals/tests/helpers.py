"""Making requests through the one write path, for tests of what follows."""

import secrets

from linkwell.referrals.actions import submit_contact_request
from linkwell.referrals.models import ContactRequest


def make_request(service, details=None, **overrides) -> ContactRequest:
    person = {
        "name": "Sam Example",
        "contact_method": "phone",
        "phone": "01274 123456",
        "email": "",
        "best_time": "",
        "message": secrets.token_hex(4),  # distinct, so no two count as a double submission
    }
    person.update(details or {})
    person.update(overrides)
    return submit_contact_request(
        actor=None,
        service=service,
        details=person,
        language="en-gb",
        consent_text="I agree.",
        form_nonce=secrets.token_hex(16),
        via="test",
    ).contact_request
