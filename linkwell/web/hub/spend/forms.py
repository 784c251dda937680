"""What the tiers and spend page shows: the operating model's tiers or a partner's own scheme,
rows by partner or by department (asked by GET, so the address can be shared)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.intelligence.spend import queries
from linkwell.web.forms import LinkwellFormMixin


class SpendForm(LinkwellFormMixin, forms.Form):
    scheme = forms.ChoiceField(
        label=_("Tiers"),
        required=False,
        help_text=_("The operating model's tiers 1 to 4, or the scheme a partner mapped in."),
        error_messages={"invalid_choice": _("Choose tiers from the list")},
    )
    by = forms.ChoiceField(
        label=_("Rows"),
        required=False,
        choices=[
            ("department", _("Partner, or its department where given")),
            ("partner", _("Partner")),
        ],
        error_messages={"invalid_choice": _("Choose rows by partner or by department")},
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["scheme"].choices = [
            ("", _("Operating model tiers 1 to 4")),
            *queries.schemes(),
        ]
