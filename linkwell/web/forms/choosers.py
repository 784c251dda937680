"""Fields that offer a long list to pick from and also take what a person types instead: a
language by its name, a GP practice by its name or postcode. Each stores a code.

Both render as a `<select>` (one option per choice, a blank one first). A page may enhance it
into a type-ahead box that posts the typed text under the same name when nothing in the list
was picked; the field then looks that text up, so the form works with or without script.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from linkwell.core.languages import is_language_code, language_choices, language_code
from linkwell.places.models import GPPractice, Place
from linkwell.places.queries import (
    find_gp_practice,
    find_gp_practices,
    gp_practice_choices,
    gp_practice_label,
    practice_display_name,
)


class LanguageField(forms.ChoiceField):
    """A language, picked by name ("Urdu (اردو)") or typed ("urdu", "اردو", "ur"); cleans to
    its ISO 639-1 code ("ur"), or "" when optional and left empty."""

    default_error_messages = {
        "required": _("Select a language"),
        "invalid_choice": _("Select a language from the list, or enter its name"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Language"))
        kwargs.setdefault("choices", _language_choices)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        text = super().to_python(value).strip()
        if not text or is_language_code(text):
            return text
        return language_code(text) or text

    def valid_value(self, value) -> bool:
        return is_language_code(value)


def _language_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a language")), *language_choices()]


class GPPracticeField(forms.ChoiceField):
    """A GP practice, picked from the list ("Name, Town POSTCODE") or found by what is typed
    (its name, postcode, outward code or ODS code); cleans to its ODS code ("B83005").

    place: offer only that place's practices (default: every loaded place's).
    """

    default_error_messages = {
        "required": _("Select a GP practice"),
        "invalid_choice": _(
            "Select a GP practice from the list, or search by its name or postcode"
        ),
        "ambiguous": _(
            "More than one GP practice matches ‘%(text)s’: select yours from the list"  # noqa: RUF001
        ),
    }

    def __init__(self, *, place: Place | None = None, **kwargs):
        self.place = place
        kwargs.setdefault("label", _("GP practice"))
        kwargs.setdefault("choices", self._choices)
        super().__init__(**kwargs)

    def _choices(self) -> list[tuple[str, str]]:
        return [("", _("Choose a GP practice")), *gp_practice_choices(self.place)]

    def to_python(self, value) -> str:
        text = " ".join(super().to_python(value).split())
        if not text:
            return ""
        practice = find_gp_practice(text)
        if practice is not None and (self.place is None or practice.place_id == self.place.pk):
            return practice.code
        found = find_gp_practices(text, place=self.place)
        exact = [p for p in found if text.casefold() in _names(p)]
        if len(exact) == 1 or len(found) == 1:
            return (exact or found)[0].code
        if len(found) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"text": text}
            )
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
        )

    def valid_value(self, value) -> bool:
        practice = find_gp_practice(value)
        return practice is not None and (self.place is None or practice.place_id == self.place.pk)


def _names(practice: GPPractice) -> set[str]:
    return {
        practice.name.casefold(),
        practice_display_name(practice.name).casefold(),
        gp_practice_label(practice).casefold(),
    }
