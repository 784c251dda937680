"""How the API reads what a client sends, before any schema sees it.

django-ninja's own parser hands the body to `json.loads` and query values on unchecked; a
NUL character then reaches PostgreSQL (which refuses it with an error, a 500) and a deeply
nested body exhausts the stack. Here both are bad input, answered 400 naming where.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser

from linkwell.core import untrusted_json

# The largest id a client may name for a row with an integer key (BigAutoField); anything
# larger cannot be stored, so is refused as a bad value rather than looked up.
DATABASE_ID_MAX = 2**63 - 1


class StrictParser(Parser):
    """The API's parser: strict JSON bodies (see `untrusted_json`), no NUL in query values."""

    def parse_body(self, request: HttpRequest) -> Any:
        return untrusted_json.loads(request.body)

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise ValidationError(
                    [{"loc": ("query", key), "msg": "holds a NUL character", "type": "nul"}]
                )
        return super().parse_querydict(data, list_fields, request)
