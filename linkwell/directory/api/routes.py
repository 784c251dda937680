"""The Open Referral UK 3.0 API (HSDS 3.0, UK profile), at the API root: /api/v1/.

Thin: parameters are parsed in `api_params`, reads are in `queries`, documents are made in
`oruk`, and errors are shaped in `api_errors`. Anonymous and read-only; CORS is open for
/api/v1/ (django-cors-headers, settings.CORS_URLS_REGEX).
"""

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router
from ninja.errors import HttpError

from linkwell.directory import queries
from linkwell.directory.api import docs as api_docs
from linkwell.directory.api.params import PAGE_DOC, PER_PAGE_DOC, BadParameter, ServiceQuery
from linkwell.directory.oruk import documents as oruk
from linkwell.directory.oruk import feed
from linkwell.directory.search.results import MAX_PAGE

router = Router(tags=["Open Referral UK"])


def _paging(page: int, per_page: int) -> tuple[int, int]:
    return page, min(per_page, settings.API_MAX_PER_PAGE)


def _envelope(page: queries.Page, contents: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "total_items": page.total_items,
        "total_pages": page.total_pages,
        "page_number": page.page_number,
        "size": page.size,
        "first_page": page.first_page,
        "last_page": page.last_page,
        "empty": page.empty,
        "contents": contents,
    }


def _not_found(kind: str, object_id: uuid.UUID) -> HttpError:
    return HttpError(404, f"no {kind} has id {object_id}")


@router.get(
    "/",
    summary="API details",
    description="Which standard and profile this feed follows.",
    openapi_extra=api_docs.responses(
        {
            "type": "object",
            "properties": {
                "version": {"type": "string"},
                "profile": {"type": "string", "format": "uri"},
                "openapi_url": {"type": "string", "format": "uri"},
            },
            "required": ["version", "profile", "openapi_url"],
        }
    ),
)
def api_details(request: HttpRequest) -> dict[str, str]:
    return oruk.api_details()


@router.get(
    "/services",
    summary="List services",
    description="Paged services (one-to-one fields and organization). With format=ndjson, "
    "every matching service fully nested, one JSON document per line, for bulk sync.",
    openapi_extra=api_docs.responses(
        api_docs.page_of(api_docs.schema("service_list.json")), ndjson=True
    ),
)
def list_services(
    request: HttpRequest,
    params: Query[ServiceQuery],
    page: int = Query(1, ge=1, le=MAX_PAGE, description=PAGE_DOC),
    per_page: int = Query(50, ge=1, description=PER_PAGE_DOC),
    format: str | None = Query(None, description="json (default) or ndjson."),
) -> Any:
    filters = params.filters()
    if format not in (None, "", "json", "ndjson"):
        raise BadParameter("format", f"{format!r} is not json or ndjson")
    if format == "ndjson":
        lines = feed.ndjson_lines(feed.service_documents(filters))
        return StreamingHttpResponse(lines, content_type="application/x-ndjson")
    page, per_page = _paging(page, per_page)
    results = queries.search_services(filters)
    found = queries.paginate(results, page, per_page, queries.service_summary_queryset())
    return _envelope(found, [oruk.service_summary(s) for s in found])


@router.get(
    "/services/{id}",
    summary="Get a service",
    description="One service with everything it holds.",
    openapi_extra=api_docs.responses(api_docs.schema("service.json"), not_found=True),
)
def get_service(request: HttpRequest, id: uuid.UUID) -> dict[str, Any]:
    service = queries.get_service(id)
    if service is None:
        raise _not_found("service", id)
    return oruk.service(service)


@router.get(
    "/service_at_locations",
    summary="List services at locations",
    description="Paged service-at-location links with their location and service.",
    openapi_extra=api_docs.responses(
        api_docs.page_of(api_docs.schema("service_at_location_list.json"))
    ),
)
def list_service_at_locations(
    request: HttpRequest,
    params: Query[ServiceQuery],
    page: int = Query(1, ge=1, le=MAX_PAGE, description=PAGE_DOC),
    per_page: int = Query(50, ge=1, description=PER_PAGE_DOC),
) -> dict[str, Any]:
    page, per_page = _paging(page, per_page)
    results = queries.search_service_at_locations(params.filters())
    found = queries.paginate(
        results, page, per_page, queries.service_at_location_summary_queryset()
    )
    return _envelope(found, [oruk.service_at_location_summary(s) for s in found])


@router.get(
    "/service_at_locations/{id}",
    summary="Get a service at a location",
    description="The link with its location and fully nested service.",
    openapi_extra=api_docs.responses(api_docs.schema("service_at_location.json"), not_found=True),
)
def get_service_at_location(request: HttpRequest, id: uuid.UUID) -> dict[str, Any]:
    found = queries.get_service_at_location(id)
    if found is None:
        raise _not_found("service_at_location", id)
    return oruk.service_at_location(found)


@router.get(
    "/taxonomies",
    summary="List taxonomies",
    openapi_extra=api_docs.responses(api_docs.page_of(api_docs.schema("taxonomy.json"))),
)
def list_taxonomies(
    request: HttpRequest,
    page: int = Query(1, ge=1, le=MAX_PAGE, description=PAGE_DOC),
    per_page: int = Query(50, ge=1, description=PER_PAGE_DOC),
) -> dict[str, Any]:
    page, per_page = _paging(page, per_page)
    found = queries.paginate(queries.Results(queries.list_taxonomies()), page, per_page)
    return _envelope(found, [oruk.taxonomy(t) for t in found])


@router.get(
    "/taxonomies/{id}",
    summary="Get a taxonomy",
    openapi_extra=api_docs.responses(api_docs.schema("taxonomy.json"), not_found=True),
)
def get_taxonomy(request: HttpRequest, id: uuid.UUID) -> dict[str, Any]:
    found = queries.get_taxonomy(id)
    if found is None:
        raise _not_found("taxonomy", id)
    return oruk.taxonomy(found)


@router.get(
    "/taxonomy_terms",
    summary="List taxonomy terms",
    openapi_extra=api_docs.responses(api_docs.page_of(api_docs.schema("taxonomy_term.json"))),
)
def list_taxonomy_terms(
    request: HttpRequest,
    page: int = Query(1, ge=1, le=MAX_PAGE, description=PAGE_DOC),
    per_page: int = Query(50, ge=1, description=PER_PAGE_DOC),
) -> dict[str, Any]:
    page, per_page = _paging(page, per_page)
    found = queries.paginate(queries.Results(queries.list_taxonomy_terms()), page, per_page)
    return _envelope(found, [oruk.taxonomy_term(t) for t in found])


@router.get(
    "/taxonomy_terms/{id}",
    summary="Get a taxonomy term",
    openapi_extra=api_docs.responses(api_docs.schema("taxonomy_term.json"), not_found=True),
)
def get_taxonomy_term(request: HttpRequest, id: uuid.UUID) -> dict[str, Any]:
    found = queries.get_taxonomy_term(id)
    if found is None:
        raise _not_found("taxonomy_term", id)
    return oruk.taxonomy_term(found)
