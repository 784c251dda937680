"""The nine moves of a referral, mapped once: each move's name, the status it leads to, the
action that makes it, the fields it takes and who may make it. The JSON API's move endpoints
and the referral page both read this table, so the two never disagree on what a move takes
or who makes it; the rules themselves (allowed transitions, places, consent, reasons) stay in
the actions, which refuse whatever they would refuse from anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from linkwell.referrals import lifecycle, policies
from linkwell.referrals.actions import referrals as act
from linkwell.referrals.models import Referral
from linkwell.referrals.models import ReferralStatus as S

# Who makes a move: the referrer (their own referral), the service it went to, or either.
REFERRER = "referrer"
SERVICE = "service"
EITHER = "either"


@dataclass(frozen=True)
class Move:
    """One move: `name` (the page's slug; the API's path is `path`), the status it leads to,
    the action called, the keyword arguments it takes (in the order a form asks them) and who
    may make it."""

    name: str
    target: str
    action: Callable[..., Referral]
    fields: tuple[str, ...]
    by: str
    # The outcome coded beside the free text (required where an app asks for it through
    # `hooks`, as outcomes does): taken by the action when given, asked by the forms that
    # know the codes.
    coded: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        """The API's path segment (`/referrals/{id}/did-not-engage`)."""
        return self.name.replace("_", "-")


MOVES: dict[str, Move] = {
    m.name: m
    for m in [
        Move("send", S.SENT, act.send_referral, (), REFERRER),
        Move("receive", S.RECEIVED, act.receive_referral, (), SERVICE),
        Move("accept", S.ACCEPTED, act.accept_referral, ("note", "waitlist_if_full"), SERVICE),
        Move("waitlist", S.WAITLISTED, act.waitlist_referral, ("note",), SERVICE),
        Move("decline", S.DECLINED, act.decline_referral, ("reason_code", "reason"), SERVICE),
        Move("start", S.IN_PROGRESS, act.start_referral, ("note",), SERVICE),
        Move(
            "complete",
            S.COMPLETED,
            act.complete_referral,
            ("outcome",),
            SERVICE,
            coded=("outcome_code", "outcome_reasons"),
        ),
        Move("did_not_engage", S.DID_NOT_ENGAGE, act.did_not_engage, ("note",), SERVICE),
        Move("cancel", S.CANCELLED, act.cancel_referral, ("note",), EITHER),
    ]
}
BY_PATH = {m.path: m for m in MOVES.values()}


def get(name: str) -> Move | None:
    """The move called `name` (page slug or API path), or None."""
    return MOVES.get(name) or BY_PATH.get(name)


def may(
    user: Any, referral: Referral, move: Move, view: policies.ReferralView | None = None
) -> bool:
    """Whether `user` is someone who makes this move on this referral (by the policies: as its
    referrer, as its service). Whether the referral's status allows it is `allowed_now`'s."""
    view = view if view is not None else policies.referral_view(user, referral)
    if move.by == REFERRER:
        return view.cancel
    if move.by == SERVICE:
        return view.answer
    return view.cancel or view.answer


def allowed_now(
    user: Any, referral: Referral, view: policies.ReferralView | None = None
) -> list[Move]:
    """The moves `user` may make on the referral from the status it is in, in table order."""
    view = view if view is not None else policies.referral_view(user, referral)
    nexts = lifecycle.TRANSITIONS.get(referral.status, frozenset())
    return [m for m in MOVES.values() if m.target in nexts and may(user, referral, m, view)]


def make(
    move: Move | str, referral: Referral, *, actor: Any, via: str, given: Mapping[str, Any]
) -> Referral:
    """Make the move by calling its action with the fields it takes (and the coded outcome,
    if given), read from `given` (a form's cleaned data, an API body as a dict); fields
    missing are the action's defaults, others are ignored. The action checks and refuses
    (TransitionRefused, Refused, NoPlaceLeft, PermissionDenied) as it would anywhere."""
    chosen = get(move) if isinstance(move, str) else move
    if chosen is None:
        raise KeyError(move)
    kwargs = {name: given[name] for name in (*chosen.fields, *chosen.coded) if name in given}
    return chosen.action(referral, actor=actor, via=via, **kwargs)
