"""The map's outlines are kept between requests, and made again when the areas change: a
place loaded again, or areas added or removed without a reload."""

import pytest

from linkwell.intelligence.provision import shapes
from linkwell.places.models import Place, Ward

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [0, 0.1], [0.1, 0.1], [0.1, 0], [0, 0]]]}


@pytest.mark.django_db
def test_outlines_follow_the_wards_there_are_now():
    # Another place may be in the database (committed once per database by `place_data`):
    # only this test's wards are looked at.
    place = Place.objects.create(slug="testshire", name="Testshire")
    Ward.objects.create(place=place, code="E05900001", name="Upper", geometry=SQUARE)
    first = set(shapes.outlines("ward"))
    assert "E05900001" in first
    assert set(shapes.outlines("ward")) == first  # kept

    Ward.objects.create(place=place, code="E05900002", name="Lower", geometry=SQUARE)
    assert set(shapes.outlines("ward")) - first == {"E05900002"}

    Ward.objects.filter(code="E05900002").delete()
    assert set(shapes.outlines("ward")) == first
