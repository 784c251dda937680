import pytest

from linkwell.places import testing


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="root", password="s3cret-Passw0rd")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", ["place", "ward", "smallarea", "postcode", "gppractice", "areaindicator"]
)
def test_place_data_can_be_browsed_in_the_admin(admin_client, db, place_data, model):
    response = admin_client.get(f"/admin/places/{model}/")
    assert response.status_code == 200


def test_place_data_cannot_be_edited_in_the_admin(admin_client, db, place_data):
    response = admin_client.get("/admin/places/postcode/", {"q": testing.KNOWN_POSTCODE})
    assert testing.KNOWN_POSTCODE in response.content.decode()
    assert admin_client.get("/admin/places/ward/add/").status_code == 403
