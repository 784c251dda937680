"""Input of these pages: shapes only; the rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwell.web.work.forms import DATE_ERRORS, DateInput, WorkForm, text_field


class TextForm(WorkForm):
    """One text box (what matters to me, a goal, a discharge outcome)."""

    text = text_field("", 4000, rows=4)

    def __init__(self, *args: Any, label: Any, required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].required = required
        self.fields["text"].error_messages["required"] = gettext("Write something here.")
        self._bound_fields_cache.clear()  # drawn again with the label


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
