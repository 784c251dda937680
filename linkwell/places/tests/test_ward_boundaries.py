"""Ward outlines for maps: GeoJSON from the place data, simplified and cacheable."""

import pytest
from shapely.geometry import shape

from linkwell.places.models import Ward
from linkwell.places.queries import ward_boundaries

pytestmark = pytest.mark.django_db


def _points(coordinates) -> int:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return 1
    return sum(_points(c) for c in coordinates)


def test_every_ward_with_a_boundary_is_a_named_feature(client, place_data):
    response = client.get("/api/v1/places/wards.geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age=86400" in response["Cache-Control"]
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    wards = dict(Ward.objects.exclude(geometry=None).values_list("code", "name"))
    assert {
        f["properties"]["code"]: f["properties"]["name"] for f in collection["features"]
    } == wards


def _decimals(coordinates) -> int:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return max(len(repr(c).partition(".")[2]) for c in coordinates)
    return max(_decimals(c) for c in coordinates)


def test_outlines_are_no_finer_than_a_map_shows_and_keep_their_shape(place_data):
    for ward in Ward.objects.exclude(geometry=None):
        feature = next(f for f in ward_boundaries()["features"] if f["id"] == ward.code)
        original, simple = shape(ward.geometry), shape(feature["geometry"])
        assert _points(feature["geometry"]["coordinates"]) <= _points(ward.geometry["coordinates"])
        assert _decimals(feature["geometry"]["coordinates"]) <= 5  # about a metre
        assert simple.symmetric_difference(original).area < 0.02 * original.area
