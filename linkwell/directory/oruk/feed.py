"""The whole (or a filtered) directory as a stream of ORUK service documents.

Shared by `GET /services?format=ndjson` and `manage.py export_feed`; each document is exactly
what `GET /services/{id}` returns, so an export can be read back by the ORUK importer.
"""

import json
from collections.abc import Iterator

from linkwell.directory import queries
from linkwell.directory.oruk import documents as oruk


def service_documents(filters: queries.ServiceFilters | None = None) -> Iterator[oruk.Doc]:
    """Every matching service, fully nested, in the search's order, fetched in chunks."""
    results = queries.search_services(filters or queries.ServiceFilters())
    for service in results.iterate(queries.service_detail_queryset()):
        yield oruk.service(service)


def _dumps(doc: oruk.Doc) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def ndjson_lines(documents: Iterator[oruk.Doc]) -> Iterator[str]:
    """One JSON document per line."""
    for doc in documents:
        yield _dumps(doc) + "\n"


def json_array_chunks(documents: Iterator[oruk.Doc]) -> Iterator[str]:
    """A JSON array of the documents, written piece by piece."""
    yield "["
    for i, doc in enumerate(documents):
        yield ("," if i else "") + "\n" + _dumps(doc)
    yield "\n]\n"
