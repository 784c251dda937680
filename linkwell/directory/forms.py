"""Input of the public pages, checked before anything is looked up."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.places.queries import PostcodeError, normalise_postcode


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=200,
        help_text=_("For example: lunch club, debt advice, carers."),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=20,
        help_text=_("Optional. Shows services near you first, for example BD1 1AA."),
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_postcode(self) -> str:
        text = self.cleaned_data["postcode"].strip()
        if not text:
            return ""
        try:
            return normalise_postcode(text)
        except PostcodeError as exc:
            raise forms.ValidationError(
                _("Enter a full UK postcode, like BD1 1AA."), code="invalid_postcode"
            ) from exc
