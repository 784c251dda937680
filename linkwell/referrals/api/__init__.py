"""The referral API: people, consent, contacts, referrals and their moves, capacity, cases and
notifications, plus FHIR R4 in and out. Signed-in only (bearer token or the pages' session).

Every operation is thin: parse (schemas), look up what the caller may see (404 for not-yours
and missing alike), call the action (which checks the policy: 403 when the object is visible
but the move is not the caller's), then present only the fields the caller may see.
"""
