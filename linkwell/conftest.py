import pytest


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="s3cret-Passw0rd")


@pytest.fixture(scope="session")
def place_data(django_db_setup, django_db_blocker):
    """The default place (settings.PLACE_DATA_DIR), loaded once per test database.

    Request it together with `db` (or `transactional_db` is NOT supported: that flushes it):
    `def test_x(db, place_data): ...`. Returns the Place. Tests must not change place rows.
    """
    from django.conf import settings

    from linkwell.places.actions import load_place
    from linkwell.places.models import Place

    with django_db_blocker.unblock():
        place = Place.objects.filter(source_dir=str(settings.PLACE_DATA_DIR.resolve())).first()
        if place is None or place.loaded_at is None:
            place = load_place(settings.PLACE_DATA_DIR).place
    return place
