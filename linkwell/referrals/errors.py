"""Refusals an action gives: each names the field (or rule) and the reason, for the page or
the API to show beside what the person entered. Nothing is written when one is raised."""

from typing import Any


class Refused(ValueError):
    """Bad input or a rule broken. `field` is the input it is about ("" for the whole)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PossibleDuplicate(Refused):
    """Someone with the same NHS number, or the same name and date of birth, is held already.

    The caller shows them and may register the person anyway (`confirm_new=True`): the new
    record is then flagged for review rather than silently created.
    """

    def __init__(self, candidates: list[Any]) -> None:
        super().__init__(
            f"{len(candidates)} person(s) already held may be the same person "
            "(same NHS number, or same name and date of birth).",
            field="nhs_number",
        )
        self.candidates = candidates


class NoConsent(Refused):
    """A referral cannot leave without consent to share with the service (or, for a
    safeguarding referral, the legal basis recorded instead)."""


class NoPlaceLeft(Refused):
    """The service has no place left in this period: waitlist the referral instead."""
