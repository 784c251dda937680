"""What the map and the provision table show: the level of area, the need measure, the need
and tier (and on the map, life stage and partner for the markers). Asked by GET, so a view
can be bookmarked and shared; a wrong value gives an error saying what to choose."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linkwell.accounts.models import Organisation
from linkwell.directory import vocabularies as vocab
from linkwell.directory.models import Service
from linkwell.intelligence.provision import queries
from linkwell.intelligence.provision.measures import (
    ALL_NEEDS,
    DEFAULT_MEASURE,
    LEVELS,
    TIERS,
    need_codes,
    need_label,
    tier_label,
)
from linkwell.web.forms import LinkwellFormMixin

LEVEL_LABELS = {
    "ward": _("Wards"),
    "lsoa": _("Small areas (2011 LSOAs, as IMD 2019)"),
    "constituency": _("Constituencies"),
}
DEFAULTS: dict[str, Any] = {
    "level": "ward",
    "measure": DEFAULT_MEASURE,
    "need": ALL_NEEDS,
    "tier": 0,
    "life_stage": "",
    "partner": "",
}


class QuickSelect(forms.Select):
    """A select drawn in Python: the same HTML as Django's, without a template included per
    option (a hundred partners and needs took tens of milliseconds a page)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = [
            format_html(
                '<option value="{}"{}>{}</option>',
                option["value"],
                flatatt(option["attrs"]),
                option["label"],
            )
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        ]
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(options)),  # noqa: S308 (each option escaped above)
        )


class ProvisionForm(LinkwellFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("Areas"), required=False, widget=QuickSelect)
    measure = forms.ChoiceField(
        label=_("Need measure"),
        required=False,
        help_text=_("What the areas are shaded or sorted by."),
        widget=QuickSelect,
    )
    need = forms.ChoiceField(label=_("Need"), required=False, widget=QuickSelect)
    tier = forms.TypedChoiceField(
        label=_("Tier"), coerce=int, required=False, empty_value=0, widget=QuickSelect
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["level"].choices = [(level, LEVEL_LABELS[level]) for level in LEVELS]
        level = (data or {}).get("level") or DEFAULTS["level"]
        measures = queries.measures_for(level if level in LEVELS else DEFAULTS["level"])
        self.fields["measure"].choices = [(m.key, m.label) for m in measures] or [
            (DEFAULT_MEASURE, str(_("IMD 2019 rank")))
        ]
        codes = [ALL_NEEDS] + [code for code in need_codes() if code != ALL_NEEDS]
        self.fields["need"].choices = [(code, need_label(code)) for code in codes]
        self.fields["tier"].choices = [(tier, tier_label(tier)) for tier in TIERS]

    def clean_measure(self) -> str:
        return self.cleaned_data.get("measure") or DEFAULT_MEASURE

    def choice(self) -> dict[str, Any]:
        """The figures asked for: the valid answers, defaults for the rest."""
        chosen = dict(DEFAULTS)
        if self.is_bound:
            self.is_valid()
            for name, value in self.cleaned_data.items():
                if value not in (None, ""):
                    chosen[name] = value
        return chosen


class MapForm(ProvisionForm):
    life_stage = forms.ChoiceField(
        label=_("Life stage"),
        required=False,
        help_text=_("Which services are marked."),
        widget=QuickSelect,
    )
    partner = forms.ChoiceField(label=_("Partner"), required=False, widget=QuickSelect)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["life_stage"].choices = [("", gettext("Any life stage"))] + [
            (term.code, gettext(term.name)) for term in vocab.LIFE_STAGES.terms
        ]
        # The partners of some service (a subquery: a join and DISTINCT read every service).
        with_services = Service.objects.filter(partner__isnull=False).values("partner_id")
        partners = Organisation.objects.filter(pk__in=with_services)
        self.fields["partner"].choices = [("", gettext("Any partner"))] + [
            (str(pk), name) for pk, name in partners.order_by("name").values_list("pk", "name")
        ]
