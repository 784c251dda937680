"""Input of these pages: shapes only; the rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.web.work.forms import DATE_ERRORS, DateInput, WorkForm, text_field
from linkwell.web.work.referrals.forms import outcome_code_field, outcome_reasons_field


class TextForm(WorkForm):
    """One text box (what matters to me, a goal). `missing`: what to say when a required
    box is left empty, naming what to enter ("Enter a goal")."""

    text = text_field("", 4000, rows=4)

    def __init__(
        self, *args: Any, label: Any, required: bool, missing: Any = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].required = required
        if missing:
            self.fields["text"].error_messages["required"] = missing
        self._bound_fields_cache.clear()  # drawn again with the label


class DischargeForm(WorkForm):
    """Discharge: the outcome (coded, with reasons, and in words), and the connector's word
    that they talked it through."""

    outcome_code = outcome_code_field()
    outcome_reasons = outcome_reasons_field()
    text = text_field(
        _("Outcome: how they were helped and where they go next"),
        4000,
        required=True,
        rows=4,
        error_messages={"required": _("Enter how they were helped and where they go next")},
    )
    confirm = forms.BooleanField(
        label=_("I have talked this through with the person"),
        help_text=_(
            "Discharge closes the case for good: sessions and goals can no longer be added."
        ),
        error_messages={
            "required": _("Confirm you have talked the discharge through with the person")
        },
    )


class ClosedSearchForm(forms.Form):
    """The closed cases' search box: a name, or part of one."""

    q = forms.CharField(
        label=_("Search closed cases by name"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Enter a name of 100 characters or fewer")},
    )


class SessionForm(WorkForm):
    held_on = forms.DateField(
        label=_("Held on"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date the session was held."), **DATE_ERRORS},
    )
    notes = text_field(_("Notes (optional)"), 4000, rows=4)
    over_limit_reason = text_field(
        _("Why this session is past the programme's limit"),
        1000,
        rows=2,
        help_text=_("Needed only past the limit of sessions."),
    )


class FollowUpForm(WorkForm):
    on = forms.DateField(
        label=_("Next follow-up"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for none."),
        error_messages=DATE_ERRORS,
    )
