"""Errors shown the GOV.UK way: every one at once in a summary at the top, each a link to the
box to fix, and again beside that box ("Error: ..."), tied to it for screen readers.

- `errors_in_order(form)`: [(field_id, message)], the form's own errors first (no field:
  field_id ""), then each field's in the order the fields are shown.
- `LinkwellBoundField`: knows which input an error links to (a date's first wrong box, a
  radio group's first radio). Hints and errors have Django's ids, `<id>_helptext` and
  `<id>_error`, which Django's own `aria-describedby` names.
- `LinkwellFormMixin`: a form using both; `form.error_summary` is `errors_in_order(form)`.
"""

from django import forms
from django.forms.boundfield import BoundField


class LinkwellBoundField(BoundField):
    """A field that knows which input its error links to.

    Its hint and error ids are Django's own (`<id>_helptext`, `<id>_error`), so Django's
    `aria-describedby` on the input (or, for a group of inputs, on its fieldset) points at them.
    """

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}_helptext" if self.auto_id else ""

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}_error" if self.auto_id else ""

    @property
    def error_target_id(self) -> str:
        """The id of the input the error summary links to."""
        return first_input_id(self)


class LinkwellFormMixin:
    """Mix into a Form or ModelForm: `class MyForm(LinkwellFormMixin, forms.Form)`."""

    bound_field_class = LinkwellBoundField

    @property
    def error_summary(self) -> list[tuple[str, str]]:
        return errors_in_order(self)


def first_input_id(bound_field: BoundField) -> str:
    """The id of a field's first input (a radio group's first radio, a date's day box)."""
    widget, auto_id = bound_field.field.widget, bound_field.auto_id
    if not auto_id:
        return ""
    if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple: the first option
        return widget.id_for_label(auto_id, "0")
    if isinstance(widget, forms.MultiWidget):
        return auto_id + widget.widgets_names[0]
    return bound_field.id_for_label or auto_id


def errors_in_order(form: forms.BaseForm) -> list[tuple[str, str]]:
    """(field_id, message) for every error of the form, in the order a person reads the page.

    The form's own errors come first, with field_id "" (nothing to link to); so do errors of
    hidden fields, which the person cannot fix. Then each visible field's, in field order.
    """
    ordered: list[tuple[str, str]] = [("", str(message)) for message in form.non_field_errors()]
    by_field: list[tuple[str, str]] = []
    for bound_field in form:
        messages = form.errors.get(bound_field.name, [])
        if bound_field.is_hidden:
            ordered.extend(("", str(message)) for message in messages)
        else:
            target = (
                bound_field.error_target_id
                if isinstance(bound_field, LinkwellBoundField)
                else first_input_id(bound_field)
            )
            by_field.extend((target, str(message)) for message in messages)
    return ordered + by_field
