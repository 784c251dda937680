"""What the report is of: a programme, a score and the period the cases opened in (asked
by GET, so a report's address can be bookmarked and shared)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linkwell.outcomes.evaluation import queries, report
from linkwell.web.forms import DateInputField, LinkwellFormMixin

FIELDS = ("programme", "measure", "start", "end")


class ReportForm(LinkwellFormMixin, forms.Form):
    programme = forms.ChoiceField(label=_("Programme"))
    measure = forms.ChoiceField(
        label=_("Score"),
        help_text=_("The questionnaire, or one of its questions, compared before and after."),
    )
    start = DateInputField(
        label=_("Cases opened from"), after_year=1999, help_text=_("For example, 1 4 2021")
    )
    end = DateInputField(label=_("Up to and including"), after_year=1999)

    def __init__(self, data: Any = None, *, actor: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["programme"].choices = queries.programmes(actor)
        self.fields["measure"].choices = [(m.code, m.name) for m in report.measures()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must be on or after its start"))
        return data


def submitted(params: Any) -> bool:
    """Whether the address asks for a report (any of the form's boxes is in it)."""
    return any(key == name or key.startswith(f"{name}-") for key in params for name in FIELDS)


def initial(actor: Any) -> dict[str, Any]:
    """The boxes filled in before anything is asked: the first programme, the first whole
    questionnaire's score, the last twelve months."""
    today = timezone.localdate()
    choices = queries.programmes(actor)
    return {
        "programme": choices[0][0] if choices else "",
        # A whole questionnaire's score before one of its questions.
        "measure": next((m.code for m in report.measures() if not m.subscale), ""),
        "start": today.replace(year=today.year - 1) + dt.timedelta(days=1),
        "end": today,
    }
