"""Self-completion links: a person answers an administration through a link sent to them,
with no sign-in. The token is shown once (in the message sent); only its SHA-256 is kept, so
the database alone opens nothing. A link works until it expires, is revoked (a newer link
replaces it) or the answers are submitted complete; until then a draft can be saved through it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linkwell.audit.actions import record_event
from linkwell.outcomes.models import Administration, AdministrationStatus, SelfCompletionLink

ANSWER_PATH = "/answer/{token}/"


class LinkProblem(Exception):
    """A link that does not open: `message` says why in plain words; `can_ask_again` says
    whether the person may ask for a new link to be sent (`actions.request_new_link`)."""

    can_ask_again = False

    def __init__(self, message: str, *, can_ask_again: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        if can_ask_again is not None:
            self.can_ask_again = can_ask_again


class LinkUnknown(LinkProblem):
    """No such link, or one withdrawn (a newer one was sent)."""


class LinkExpired(LinkProblem):
    can_ask_again = True


class LinkUsed(LinkProblem):
    """The answers were sent already (through this link or otherwise)."""


class TooManyRequests(LinkProblem):
    """New links were asked for too often; try again tomorrow."""


@dataclass(frozen=True)
class LinkHolder:
    """Whoever holds a link, as an actor in the audit log: no user, the link named."""

    link_id: int

    def __str__(self) -> str:
        return f"self-completion link {self.link_id}"


def new_token() -> tuple[str, str]:
    """(token, its hash): the token goes in the message, the hash in the database."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def path_for(token: str) -> str:
    return ANSWER_PATH.format(token=token)


def find(token: str) -> SelfCompletionLink | None:
    if not token or len(token) > 200:
        return None
    return (
        SelfCompletionLink.objects.select_related(
            "administration", "administration__person", "administration__organisation"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )


def check(link: SelfCompletionLink | None, *, now: Any = None) -> SelfCompletionLink:
    """The link if it opens now; else the problem, worded for the person holding it."""
    now = now or timezone.now()
    if link is None:
        raise LinkUnknown(
            _("This link does not work. Check it was copied whole, or ask whoever sent it.")
        )
    if link.used_at is not None or link.administration.status == AdministrationStatus.COMPLETE:
        raise LinkUsed(_("Your answers have been sent already. Thank you: there is no more to do."))
    if link.revoked_at is not None:
        raise LinkUnknown(
            _(
                "This link has been replaced. Use the newest link you were sent, or ask "
                "whoever sent it."
            )
        )
    if link.expires_at <= now:
        raise LinkExpired(
            _(
                "This link ran out on %(date)s. Nothing you answered is lost: ask for a new link "
                "and carry on where you left off."
            )
            % {"date": timezone.localtime(link.expires_at).strftime("%d %B %Y")}
        )
    return link


def open_link(token: str) -> Administration:
    """The administration the link opens (its draft answers with it), the opening audited.
    Raises LinkUnknown, LinkExpired or LinkUsed."""
    link = check(find(token))
    with transaction.atomic():
        record_event(
            actor=LinkHolder(link.pk),
            action="outcomes.link.opened",
            target=link.administration,
            via="link",
            details={"link": link.pk},
        )
    return link.administration
