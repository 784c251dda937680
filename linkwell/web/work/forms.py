"""Input for the referral pages: shapes only (types, lengths, choices). The rules (a valid NHS
number, consent before sharing, the allowed moves) live in the actions, whose refusals the
views put back at the field they name (`errors.Refused.field`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.web.contact_requests.forms import TOO_LONG, DescribedFormMixin, plain_text


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs={"class": "input-medium", **(attrs or {})}, format="%Y-%m-%d")


DATE_ERRORS = {"invalid": _("Enter a real date, like 2026-03-31.")}


class PlainTextForm(forms.Form):
    """Plain text in every text field; the browser's own length limits are dropped, so pasted
    text is never cut silently (the server says how much is too much)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and isinstance(data.get(name), str):
                try:
                    data[name] = plain_text(data[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data

    def refuse(self, field: str, message: str) -> None:
        """An action's refusal, shown at the field it names (or for the whole form)."""
        self.add_error(field if field in self.fields else None, message)


class WorkForm(DescribedFormMixin, PlainTextForm):
    """A work page's form, its fields described (hint and error ids) for the templates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a bound form is described when cleaned, once set up
            self.describe_fields()

    def refuse(self, field: str, message: str) -> None:
        super().refuse(field, message)
        self.describe_fields()


def text_field(
    label: Any, limit: int, *, required: bool = False, rows: int = 0, **extra: Any
) -> Any:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=widget,
        error_messages={"max_length": TOO_LONG, **extra.pop("error_messages", {})},
        **extra,
    )
