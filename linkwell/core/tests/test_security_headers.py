"""Security headers: a Content-Security-Policy on every page (only this site's own scripts and
styles, the map's tile server for images, no framing), and production settings that pass
`check --deploy` while development keeps serving plain HTTP on localhost."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import content_security_policy, csp_source

ROOT = Path(__file__).resolve().parents[3]
SECRET = "x" * 10 + "production-secret-for-the-deploy-check-0123456789abcdefghij"

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("url", ["/", "/services/?q=lunch", "/admin/login/", "/accounts/login/"])
def test_pages_carry_the_content_security_policy(client, db, url):
    response = client.get(url, follow=True)

    assert response.status_code == 200
    policy = policy_of(response)
    for directive, values in EXPECTED.items():
        assert policy[directive] == values, directive
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_images_may_come_from_the_map_tile_server_only_besides_this_site(client, db):
    policy = policy_of(client.get("/"))

    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]


@pytest.mark.parametrize(
    ("tiles", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "https://*.tiles.example.org"),
        ("http://localhost:8080/tiles/{z}/{x}/{y}.png", "http://localhost:8080"),
        ("/static/tiles/{z}/{x}/{y}.png", None),
        ("", None),
    ],
)
def test_the_tile_servers_host_is_the_one_image_source_added(tiles, source):
    img_src = content_security_policy(tiles)["DIRECTIVES"]["img-src"]

    assert csp_source(tiles) == source
    assert img_src == ["'self'", "data:", *([source] if source else [])]


@pytest.mark.parametrize(
    "tiles", ["javascript:alert(1)//{z}", "ftp://tiles.example/{z}", "https://a b/{z}"]
)
def test_a_tile_url_that_is_not_a_web_address_is_an_error(tiles):
    with pytest.raises(ImproperlyConfigured, match="LINKWELL_MAP_TILES_URL"):
        csp_source(tiles)


def test_the_api_docs_load_swagger_from_this_site_under_the_same_policy(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr.net" not in page
    assert policy_of(response)["script-src"] == ["'self'"]


def test_pages_may_not_be_framed(client, db):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_behind_a_proxy_https_requests_get_hsts_and_plain_ones_are_redirected(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = client.get("/about/")
    secure = client.get("/about/", headers={"X-Forwarded-Proto": "https"})

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/about/"
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- Settings as a real process reads them from its environment -------------------------

SHOW = textwrap.dedent(
    """
    import json
    from config import settings as s
    print(json.dumps({name: getattr(s, name) for name in [
        "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE", "CSRF_TRUSTED_ORIGINS", "API_TOKEN_DAYS",
    ]} | {"CACHE": s.CACHES["default"]["BACKEND"]}))
    """
)


def _environment(**values: str) -> dict[str, str]:
    """This process's environment without any Linkwell, Django or cache settings, plus `values`."""
    mine = (
        "LINKWELL_",
        "DJANGO_",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "CACHE_URL",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(mine) and k != "REDIS_URL"}
    env["LINKWELL_VAR_DIR"] = str(Path(os.environ.get("TMPDIR", "/tmp")) / "linkwell-settings")
    return env | values


def _settings_for(**values: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=_environment(**values),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PRODUCTION = {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "linkwell.example"}


def test_production_is_https_only_with_a_year_of_hsts_and_a_shared_cache():
    shown = json.loads(_settings_for(**PRODUCTION).stdout)

    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert shown["SECURE_HSTS_PRELOAD"] is False
    assert shown["SESSION_COOKIE_SECURE"] is shown["CSRF_COOKIE_SECURE"] is True
    assert shown["SECURE_PROXY_SSL_HEADER"] is None
    assert shown["CACHE"] == "django.core.cache.backends.db.DatabaseCache"
    assert shown["API_TOKEN_DAYS"] == 90


def test_development_serves_plain_http_without_hsts():
    shown = json.loads(_settings_for(LINKWELL_DEV="1").stdout)

    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_HSTS_SECONDS"] == 0
    assert shown["SESSION_COOKIE_SECURE"] is False


def test_behind_a_proxy_the_operator_sets_its_header_origins_and_redirect():
    shown = json.loads(
        _settings_for(
            **PRODUCTION,
            LINKWELL_PROXY_SSL_HEADER="X-Forwarded-Proto",
            LINKWELL_SSL_REDIRECT="off",
            LINKWELL_HSTS_PRELOAD="yes",
            CSRF_TRUSTED_ORIGINS="https://linkwell.example, https://www.linkwell.example",
            LINKWELL_API_TOKEN_DAYS="30",
            REDIS_URL="redis://cache.internal:6379/0",
        ).stdout
    )

    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_HSTS_PRELOAD"] is True
    assert shown["CSRF_TRUSTED_ORIGINS"] == [
        "https://linkwell.example",
        "https://www.linkwell.example",
    ]
    assert shown["API_TOKEN_DAYS"] == 30
    assert shown["CACHE"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LINKWELL_SSL_REDIRECT", "maybe"),
        ("LINKWELL_HSTS_SECONDS", "a year"),
        ("LINKWELL_PROXY_SSL_HEADER", "X-Forwarded-Proto: https"),
        ("CSRF_TRUSTED_ORIGINS", "linkwell.example"),
        ("LINKWELL_API_TOKEN_DAYS", "1000"),
        ("CACHE_URL", "memcached://cache:11211"),
    ],
)
def test_a_mistyped_setting_stops_the_start_instead_of_being_ignored(name, value):
    done = _settings_for(**PRODUCTION, **{name: value})

    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert name in done.stderr


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    done = subprocess.run(  # noqa: S603 (our own console script)
        [
            str(Path(sys.executable).parent / "linkwell"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env=_environment(**PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout
