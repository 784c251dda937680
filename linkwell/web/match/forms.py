"""The "what could help" and "tell us what you need" forms: shapes only; `matching` refuses
what it cannot match, naming the field, and the page puts that at the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.directory import vocabularies as vocab
from linkwell.matching.requests import MAX_TEXT
from linkwell.web.work.forms import WorkForm

# A refusal of `match` names its request field; these are the form's.
FIELDS = {"text": "text", "needs": "needs", "place": "place", "age": "age"}


class MatchForm(WorkForm):
    """Words about a person, where they are, and (once read) the needs to match."""

    text = forms.CharField(
        label=_("What is going on for them"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In your own words, up to 5,000 characters. Not saved anywhere."),
    )
    place = forms.CharField(
        label=_("Postcode or place"),
        required=False,
        max_length=100,
        help_text=_("A postcode (BD5 0BQ), the first half of one (BD1), or a town (Skipton)."),
        widget=forms.TextInput(attrs={"class": "input-medium", "autocomplete": "postal-code"}),
    )
    age = forms.IntegerField(
        label=_("Age (optional)"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": _("Enter their age in years, like 72."),
            "min_value": _("Enter an age from 0 to 120."),
            "max_value": _("Enter an age from 0 to 120."),
        },
        widget=forms.NumberInput(attrs={"class": "input-small", "inputmode": "numeric"}),
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs to match"),
        required=False,
        choices=[(t.code, t.name) for t in vocab.NEEDS.terms],
        widget=forms.CheckboxSelectMultiple,
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, with_age: bool = True, **kwargs: Any) -> None:
        """`with_age` False: the public page, in the person's own voice, without an age."""
        super().__init__(*args, **kwargs)
        if not with_age:
            del self.fields["age"]
            self.fields["text"].label = _("What is going on for you")
            self.fields["text"].help_text = _(
                "In your own words, up to 5,000 characters. Not saved anywhere."
            )
            self._bound_fields_cache.clear()  # bound fields keep the label they were made with
            if not self.is_bound:
                self.describe_fields()

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text") or ""
        if len(text) > MAX_TEXT:
            raise forms.ValidationError(
                _("Shorten the text: at most 5,000 characters (this is %(n)s)."),
                params={"n": f"{len(text):,}"},
            )
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not (data.get("text") or "").strip() and not data.get("needs"):
            self.add_error("text", _("Tell us what is going on, or tick at least one need."))
        return data
