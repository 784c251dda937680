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

    `candidates` are only those the caller may open; `known_elsewhere` says there are others,
    which are never named (knowing someone's identifiers opens nothing). The caller may
    register the person anyway (`confirm_new=True`): the new record is then flagged for review
    rather than silently created.
    """

    def __init__(self, candidates: list[Any], *, known_elsewhere: bool = False) -> None:
        if candidates:
            message = (
                "Someone you can open has the same NHS number, or the same name and date of "
                "birth: open them if they are this person."
            )
        else:
            message = "This person is possibly known to another organisation already."
        if known_elsewhere and candidates:
            message += " They may also be known to another organisation."
        super().__init__(message, field="nhs_number")
        self.candidates = candidates
        self.known_elsewhere = known_elsewhere


class NoConsent(Refused):
    """A referral cannot leave without consent to share with the service (or, for a
    safeguarding referral, the legal basis recorded instead)."""


class NoPlaceLeft(Refused):
    """The service has no place left in this period: waitlist the referral instead."""
