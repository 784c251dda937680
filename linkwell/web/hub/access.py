"""Every hub page's door: signed in (else the sign-in page), and may see the hub (else 403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from linkwell.intelligence.policies import may_view_hub
from linkwell.web.work.common import require


def hub_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(may_view_hub(request.user))
        return view(request, *args, **kwargs)

    return wrapped
