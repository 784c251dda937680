"""Input of these pages: shapes only; the rules live in the actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.referrals.models import (
    CapacityMode,
    CapacityUnit,
)
from linkwell.web.work.forms import WorkForm


class CapacityForm(WorkForm):
    mode = forms.ChoiceField(
        label=_("Taking referrals"),
        choices=CapacityMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the service takes referrals.")},
    )
    places = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_("Only with a number of places."),
        error_messages={"invalid": _("Enter a whole number."), "min_value": _("0 or more.")},
        widget=forms.NumberInput(attrs={"class": "input-short"}),
    )
    unit = forms.ChoiceField(label=_("Per"), choices=CapacityUnit.choices)
    response_days = forms.IntegerField(
        label=_("Days to answer a referral"),
        min_value=1,
        max_value=365,
        help_text=_("Referrals not answered within this many days are escalated."),
        error_messages={
            "required": _("Enter a number of days."),
            "invalid": _("Enter a whole number of days."),
            "min_value": _("Between 1 and 365 days."),
            "max_value": _("Between 1 and 365 days."),
        },
        widget=forms.NumberInput(attrs={"class": "input-short"}),
    )
