"""Every figure on a hub page can be downloaded as CSV: the same rows as the table shown
(suppressed cells as their text, never the hidden number)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def wants_csv(request: Any) -> bool:
    """A page's table as CSV: the same address with `?format=csv`."""
    return request.GET.get("format") == "csv"
