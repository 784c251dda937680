"""Building blocks for the pages' forms: fields, and the partials in templates/web/forms/.

- `DateInputField`, `DateOfBirthField`: a date as day, month and year boxes, GOV.UK's way.
- `LanguageField`: a language by name, stored as its ISO 639-1 code.
- `GPPracticeField`: a GP practice by name or postcode, stored as its ODS code.
- `errors_in_order`, `LinkwellFormMixin`, `LinkwellBoundField`: the error summary and each
  field's error, linked and described for screen readers.
"""

from linkwell.web.forms.choosers import GPPracticeField, LanguageField
from linkwell.web.forms.dates import (
    DateBoundField,
    DateInputField,
    DateInputWidget,
    DateOfBirthField,
)
from linkwell.web.forms.errors import (
    LinkwellBoundField,
    LinkwellFormMixin,
    errors_in_order,
    first_input_id,
)

__all__ = [
    "DateBoundField",
    "DateInputField",
    "DateInputWidget",
    "DateOfBirthField",
    "GPPracticeField",
    "LanguageField",
    "LinkwellBoundField",
    "LinkwellFormMixin",
    "errors_in_order",
    "first_input_id",
]
