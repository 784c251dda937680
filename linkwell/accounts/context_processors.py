from django.http import HttpRequest

from linkwell.accounts.admin_site import may_use_admin


def permissions(request: HttpRequest) -> dict[str, bool]:
    """What the page chrome offers the person (links to screens they may use)."""
    user = getattr(request, "user", None)
    return {
        "may_use_admin": bool(user is not None and user.is_authenticated and may_use_admin(user))
    }
