"""Who may see the hub: analysts and partnership admins (and superusers). Deny by default.

The hub holds aggregates only (no names, NHS numbers, birth dates, people's postcodes or
free text about people), with small counts suppressed; still, it is the partnership's
internal picture, not a public one."""

from __future__ import annotations

from typing import Any

from linkwell.accounts.policies import Action, can


def may_view_hub(actor: Any) -> bool:
    return can(actor, Action.VIEW_INTELLIGENCE)


def may_judge_duplicates(actor: Any) -> bool:
    """Confirm or dismiss a possible duplicate: the same people who see the hub."""
    return may_view_hub(actor)
