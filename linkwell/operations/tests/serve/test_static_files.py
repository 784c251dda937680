"""Production static files: content-hashed names (so they may be cached for ever) with
compressed copies, served by WhiteNoise; the pages still render with them, which needs every
file a template names to be in collectstatic's manifest."""

import re

import pytest
from django.test import Client

PRODUCTION_STATIC = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture
def production_static(settings, collected_static):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC}
    settings.STATIC_ROOT = collected_static
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return collected_static


def _static_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


@pytest.mark.parametrize(
    ("path", "signed_in"),
    [
        ("/", False),
        ("/services/", False),
        ("/accounts/login/", False),
        ("/api/v1/docs", False),
        ("/admin/", True),
        ("/hub/", True),
    ],
)
def test_pages_render_with_hashed_static_names(
    db, production_static, django_user_model, path, signed_in
):
    client = Client()
    if signed_in:
        client.force_login(django_user_model.objects.create_superuser("root", "r@x.test", "pw"))
    response = client.get(path)

    assert response.status_code == 200
    urls = _static_urls(response.content.decode())
    assert urls
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), f"{url} has no content hash"


def test_hashed_files_are_cached_for_ever_and_sent_compressed(db, production_static):
    css = next(
        url for url in _static_urls(Client().get("/").content.decode()) if url.endswith(".css")
    )

    response = Client().get(css, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
