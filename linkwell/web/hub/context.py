"""The hub's sections (for its navigation) and when its figures were worked out, on hub
pages only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

SECTIONS = [
    ("hub:home", _("Overview")),
    ("hub:map", _("Map of need and provision")),
    ("hub:provision", _("Provision against need")),
    ("hub:spend", _("Tiers and spend")),
    ("hub:duplicates", _("Possible duplicates")),
    ("hub:flows", _("Referral flows")),
    ("hub:indicators", _("Indicators")),
]


def _resolves(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def hub(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None or match.app_name != "hub":
        return {}
    from linkwell.intelligence.refresh import latest_refresh

    return {
        "hub_sections": [(name, label) for name, label in SECTIONS if _resolves(name)],
        "hub_refresh": latest_refresh(),
    }
