"""What the page chrome offers the person: links to the screens their roles open."""

from django.http import HttpRequest

from linkwell.accounts.admin_site import may_use_admin
from linkwell.accounts.models import Role
from linkwell.accounts.policies import ANSWERING_ROLES, REFERRING_ROLES, Action, can, roles_of

INBOX_ROLES = frozenset({Role.PROVIDER_EDITOR, Role.PARTNERSHIP_ADMIN})


def site(request: HttpRequest) -> dict[str, str]:
    return {"site_name": "Linkwell"}


def permissions(request: HttpRequest) -> dict:
    """Flags for the navigation; the review count is read only for those who review.

    Memberships are read once per request (policies cache them on the user).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"may_use_admin": False}
    roles = roles_of(user)
    may_review = can(user, Action.REVIEW_LISTINGS)
    may_use_inbox = bool(roles & INBOX_ROLES) or user.is_superuser
    everything = user.is_superuser or Role.PARTNERSHIP_ADMIN in roles
    return {
        "may_use_admin": may_use_admin(user),
        "may_edit_listings": Role.PROVIDER_EDITOR in roles,
        "may_review_listings": may_review,
        "listings_to_review": _review_count if may_review else None,
        "may_use_inbox": may_use_inbox,
        "inbox_count": (lambda: _inbox_count(user)) if may_use_inbox else None,
        # The referral pages (issue 4): links by role; each page checks again.
        "may_refer": everything or bool(roles & REFERRING_ROLES),
        "may_answer_referrals": everything or bool(roles & ANSWERING_ROLES),
        "may_see_caseload": everything or Role.CONNECTOR in roles,
        # The staff home: for whoever refers, answers referrals or sees everything.
        "may_use_staff_home": everything or bool(roles & (REFERRING_ROLES | ANSWERING_ROLES)),
        "may_see_evaluation": can(user, Action.VIEW_INTELLIGENCE),
        "unread_notifications": lambda: _unread_count(user),
    }


def _review_count() -> int:
    """Called by the template only when shown (a callable context value is evaluated lazily)."""
    from linkwell.directory.queries.listings import review_queue_count

    return review_queue_count()


def _inbox_count(user) -> int:
    """New self-referrals waiting for this person (read only when the nav shows it)."""
    from linkwell.referrals.queries import count_new_requests

    return count_new_requests(user)


def _unread_count(user) -> int:
    """Unread notifications (read only when the nav shows it)."""
    from linkwell.referrals.queries import count_unread

    return count_unread(user)
