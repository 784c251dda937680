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
        error_messages={"required": _("Select how the service takes referrals")},
    )
    places = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=0,
        max_value=100000,
        help_text=_("Only with a number of places."),
        error_messages={
            "invalid": _("Enter the number of places as a whole number, like 12"),
            "min_value": _("The number of places must be 0 or more"),
            "max_value": _("The number of places must be 100,000 or fewer"),
        },
        widget=forms.NumberInput(attrs={"class": "input-short"}),
    )
    unit = forms.ChoiceField(label=_("Per"), choices=CapacityUnit.choices)
    response_days = forms.IntegerField(
        label=_("Days to answer a referral"),
        min_value=1,
        max_value=365,
        help_text=_("Referrals not answered within this many days are escalated."),
        error_messages={
            "required": _("Enter the days to answer a referral"),
            "invalid": _("Enter the days to answer as a whole number, like 14"),
            "min_value": _("The days to answer must be between 1 and 365"),
            "max_value": _("The days to answer must be between 1 and 365"),
        },
        widget=forms.NumberInput(attrs={"class": "input-short"}),
    )
