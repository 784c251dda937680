"""Input of these pages: shapes only; the rules live in the actions.

A move's form asks for the fields its action takes (`referrals.moves`), under the same names,
so a refusal naming a field (`reason`, `outcome`) lands at that field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.outcomes.models import OutcomeCode, OutcomeReason
from linkwell.referrals.models import DeclineReason
from linkwell.referrals.moves import Move
from linkwell.web.work.forms import WorkForm, text_field

OTHER = DeclineReason.OTHER
# How a completed referral ended, coded ("did not engage" is a move of its own).
COMPLETION_CODES = [
    (c.value, c.label) for c in (OutcomeCode.ACHIEVED, OutcomeCode.PARTLY, OutcomeCode.NOT_ACHIEVED)
]


def outcome_code_field(choices: Any = COMPLETION_CODES) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How did it end?"),
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how it ended"),
            "invalid_choice": _("Select how it ended"),
        },
    )


def outcome_reasons_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Why (select all that apply)"),
        choices=OutcomeReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select reasons from the list")},
    )


# Each field a move may take, as the page asks it. `note` is labelled per move (`NOTE_LABELS`).
FIELDS: dict[str, Any] = {
    "note": lambda: text_field(_("Note (optional)"), 2000, rows=3),
    "waitlist_if_full": lambda: forms.BooleanField(
        label=_("If no place is left, put it on the waiting list"), required=False, initial=True
    ),
    "reason_code": lambda: forms.ChoiceField(
        label=_("Why are you declining this referral?"),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a reason for declining"),
            "invalid_choice": _("Select a reason for declining"),
        },
    ),
    "reason": lambda: text_field(
        _("Give more detail"),
        1000,
        rows=3,
        help_text=_(
            "Needed if you select “Other”. The referrer reads this, so say what would help "
            "them find the person support elsewhere."
        ),
    ),
    "outcome_code": outcome_code_field,
    "outcome_reasons": outcome_reasons_field,
    "outcome": lambda: text_field(
        _("What was offered and what happened"),
        2000,
        required=True,
        rows=3,
        error_messages={"required": _("Enter what was offered and what happened")},
    ),
}
NOTE_LABELS = {
    "cancel": _("Why it is cancelled (optional)"),
    "did_not_engage": _("What was tried (optional)"),
}


class MoveForm(WorkForm):
    """The fields of one move, named as its action takes them."""

    def __init__(self, *args: Any, move: Move, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{move.name}_%s")
        self.move = move
        self.base_fields = {name: FIELDS[name]() for name in (*move.fields, *move.coded)}
        if "note" in self.base_fields and move.name in NOTE_LABELS:
            self.base_fields["note"].label = NOTE_LABELS[move.name]
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reason_code") == OTHER and not data.get("reason"):
            self.add_error("reason", _("Enter a reason for declining"))
        return data
