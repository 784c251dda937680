"""Place look-ups over HTTP (mounted at /api/v1/places/): thin wrappers over places.queries."""

import json

from django.http import HttpResponse
from ninja import Router, Schema, Status

from linkwell.places import queries

router = Router(tags=["places"])
BOUNDARIES_MAX_AGE = 24 * 60 * 60  # boundaries change only when the place data is reloaded


class Error(Schema):
    detail: str


class PostcodeOut(Schema):
    postcode: str
    latitude: float
    longitude: float
    small_area_code: str | None
    small_area_name: str | None
    ward_code: str | None
    ward_name: str | None
    constituency_code: str | None
    constituency_name: str | None
    locality: str | None
    imd_decile: int | None


class AreaRef(Schema):
    code: str
    name: str


class SmallAreaRef(Schema):
    code: str
    name: str
    vintage: int


class PointOut(Schema):
    latitude: float
    longitude: float
    ward: AreaRef | None
    constituency: AreaRef | None
    small_area: SmallAreaRef | None
    locality: str | None


class WardOut(Schema):
    code: str
    name: str
    constituency_code: str | None
    constituency_name: str | None
    locality: str
    latitude: float | None
    longitude: float | None
    population: int | None
    population_year: str


class ConstituencyOut(Schema):
    code: str
    name: str
    boundary_set: str
    ward_count: int


class AttributionOut(Schema):
    place: str
    name: str
    attributions: str
    loaded_at: str | None


@router.get(
    "postcodes/{postcode}",
    response={200: PostcodeOut, 400: Error, 404: Error},
    summary="Look up a postcode's ward, constituency, small area and IMD decile",
)
def get_postcode(request, postcode: str):
    try:
        found = queries.lookup_postcode(postcode)
    except queries.PostcodeError as error:
        return Status(400, {"detail": f"postcode: {error}"})
    if found is None:
        code = queries.normalise_postcode(postcode)
        return Status(404, {"detail": f"postcode {code} is not in the place data"})
    return Status(200, found)


class PlaceOut(Schema):
    text: str
    label: str
    kind: str
    latitude: float
    longitude: float
    postcode: str
    wards: list[AreaRef]


PLACE_TEXT_MAX = 200


@router.get(
    "find",
    response={200: PlaceOut, 400: Error},
    summary="A place as people say it: a postcode, its first half (BD1) or a town or ward name",
)
def find_place(request, q: str):
    if len(q) > PLACE_TEXT_MAX:
        return Status(400, {"detail": f"q: at most {PLACE_TEXT_MAX} characters"})
    try:
        match = queries.find_place(q)
    except queries.PlaceNotUnderstood as error:
        return Status(400, {"detail": f"q: {error}"})
    by_pk = {ward.pk: ward for ward in queries.list_wards().filter(pk__in=match.ward_ids)}
    wards = [by_pk[pk] for pk in match.ward_ids if pk in by_pk]
    return Status(
        200,
        {
            **{name: getattr(match, name) for name in ("text", "label", "kind", "postcode")},
            "latitude": match.latitude,
            "longitude": match.longitude,
            "wards": [{"code": ward.code, "name": ward.name} for ward in wards],
        },
    )


@router.get(
    "lookup",
    response={200: PointOut, 400: Error},
    summary="The ward and small area containing a WGS84 point",
)
def lookup_point(request, lat: float, lon: float):
    for name, value, limit in (("lat", lat, 90), ("lon", lon, 180)):
        if not -limit <= value <= limit:
            return Status(400, {"detail": f"{name}: {value} is outside -{limit}..{limit}"})
    areas = queries.area_for_point(lat, lon)
    ward, area = areas.ward, areas.small_area
    constituency = ward.constituency if ward else None
    return Status(
        200,
        {
            "latitude": lat,
            "longitude": lon,
            "ward": ward,
            "constituency": constituency,
            "small_area": area,
            "locality": (ward.locality or None) if ward else None,
        },
    )


@router.get("wards", response=list[WardOut], summary="Wards with constituency and locality")
def list_wards(request):
    return [
        {
            "code": ward.code,
            "name": ward.name,
            "constituency_code": ward.constituency.code if ward.constituency else None,
            "constituency_name": ward.constituency.name if ward.constituency else None,
            "locality": ward.locality,
            "latitude": ward.latitude,
            "longitude": ward.longitude,
            "population": ward.population,
            "population_year": ward.population_year,
        }
        for ward in queries.list_wards()
    ]


@router.get(
    "wards.geojson",
    response={200: dict},
    url_name="places_wards_geojson",
    summary="Ward boundaries as GeoJSON (simplified, for maps)",
)
def ward_boundaries(request):
    body = json.dumps(queries.ward_boundaries(), separators=(",", ":"))
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = f"public, max-age={BOUNDARIES_MAX_AGE}"
    return response


@router.get("constituencies", response=list[ConstituencyOut], summary="Constituencies")
def list_constituencies(request):
    return [
        {
            "code": constituency.code,
            "name": constituency.name,
            "boundary_set": constituency.boundary_set,
            "ward_count": constituency.ward_count,
        }
        for constituency in queries.list_constituencies()
    ]


@router.get(
    "attributions",
    response=list[AttributionOut],
    summary="Credits the product must show for each loaded place's data",
)
def list_attributions(request):
    return [
        {
            "place": place.slug,
            "name": place.name,
            "attributions": place.attributions,
            "loaded_at": place.loaded_at.isoformat() if place.loaded_at else None,
        }
        for place in queries.list_places()
    ]
