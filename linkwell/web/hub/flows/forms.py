"""What the flows page shows: a span of months, a partner and a need (asked by GET, so the
page's address can be bookmarked and shared)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from linkwell.accounts.models import Organisation
from linkwell.directory.vocabularies import NEEDS
from linkwell.intelligence.flows.figures import Filters
from linkwell.intelligence.models import FlowCube, FlowMonth, FlowWellbeing
from linkwell.web.forms import LinkwellFormMixin

FIELDS = ("start", "end", "partner", "need")
DEFAULT_MONTHS = 12


def months() -> list[str]:
    """Every month with figures, oldest first."""
    found: set[str] = set()
    for model in (FlowMonth, FlowWellbeing):
        found.update(model.objects.values_list("month", flat=True).distinct())
    return sorted(found)


def partners() -> list[tuple[str, str]]:
    """The referring partners and the services' partners with figures, by name."""
    keys: set[Any] = set()
    cubes = (FlowCube.REFERRALS, FlowCube.RESPONSE)
    for found in FlowMonth.objects.filter(cube__in=cubes).values_list("partners", flat=True):
        keys.update(json.loads(found))
    keys.update(FlowWellbeing.objects.values_list("partner_id", flat=True).distinct())
    found = Organisation.objects.filter(pk__in=[k for k in keys if k]).order_by("name")
    return [(pk.hex, name) for pk, name in found.values_list("pk", "name")]


class QuickSelect(forms.Select):
    """A select written out in Python: with every partner as an option, the template engine's
    per-option cost was most of the page's time once its figures were kept."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{attributes}>{options}</select>")  # noqa: S308 (escaped)


class FlowFilterForm(LinkwellFormMixin, forms.Form):
    start = forms.ChoiceField(label=_("From the month"), widget=QuickSelect)
    end = forms.ChoiceField(label=_("Up to and including the month"), widget=QuickSelect)
    partner = forms.ChoiceField(
        label=_("Partner"),
        required=False,
        widget=QuickSelect,
        help_text=_("The referring partner, or for times to answer and wellbeing, the service's."),
    )
    need = forms.ChoiceField(label=_("Need"), required=False, widget=QuickSelect)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        available = months()
        choices = [(m, month_label(m)) for m in available]
        self.fields["start"].choices = choices
        self.fields["end"].choices = choices
        self.fields["partner"].choices = [("", _("All partners")), *partners()]
        self.fields["need"].choices = [("", _("All needs"))] + [
            (t.code, _(t.name)) for t in NEEDS.terms
        ]
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose a month from the list: there are figures for those months only"
            )
        self.fields["partner"].error_messages["invalid_choice"] = _(
            "Choose a partner from the list, or all partners"
        )
        self.fields["need"].error_messages["invalid_choice"] = _(
            "Choose a need from the list, or all needs"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Choose an end month that is the same as or after the start"))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(data["start"], data["end"], data.get("partner", ""), data.get("need", ""))


def month_label(month: str) -> str:
    """ "April 2026" for "2026-04", in the page's language."""
    year, number = month.split("-")
    return date_format(dt.date(int(year), int(number), 1), "F Y")


def submitted(params: Any) -> bool:
    return any(name in params for name in FIELDS)


def defaults() -> dict[str, str]:
    """The last twelve months with figures (or all there are)."""
    available = months()
    if not available:
        return {}
    return {"start": available[-DEFAULT_MONTHS:][0], "end": available[-1]}
