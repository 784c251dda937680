"""The period the indicators are shown for: a month or a quarter with values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.intelligence.indicators.dashboard import periods
from linkwell.web.forms import LinkwellFormMixin
from linkwell.web.hub.flows.forms import month_label


def period_label(period: str) -> str:
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return str(_("Quarter %(quarter)s of %(year)s (%(period)s)")) % {
            "quarter": quarter, "year": year, "period": period,
        }  # fmt: skip
    return month_label(period)


class PeriodForm(LinkwellFormMixin, forms.Form):
    period = forms.ChoiceField(
        label=_("Month or quarter"),
        help_text=_("Quarters run January to March (Q1), April to June (Q2), and so on."),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        found = periods()
        months = [(p, period_label(p)) for p in found if "-Q" not in p]
        quarters = [(p, period_label(p)) for p in found if "-Q" in p]
        self.fields["period"].choices = [
            (_("Months"), months),
            (_("Quarters"), quarters),
        ]
        self.fields["period"].error_messages["invalid_choice"] = _(
            "Choose a month or a quarter from the list: there are figures for those only"
        )
