"""The cache behind the contact form's rate limits is shared by every worker: a table in the
database by default (made by `migrate`), Redis when CACHE_URL or REDIS_URL says so. A second
process counting requests from the same address therefore uses up the same allowance."""

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from config.settings import CACHE_TABLE, cache_config
from linkwell.core.tests.other_process import database_url
from linkwell.referrals import protection

ROOT = Path(__file__).resolve().parents[3]
DATABASE_CACHE = cache_config("")


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "db.DatabaseCache", CACHE_TABLE),
        ("db://", "db.DatabaseCache", CACHE_TABLE),
        ("redis://cache.internal:6379/1", "redis.RedisCache", "redis://cache.internal:6379/1"),
        (
            "rediss://:secret@cache.internal/0",
            "redis.RedisCache",
            "rediss://:secret@cache.internal/0",
        ),
        ("unix:///run/redis.sock", "redis.RedisCache", "unix:///run/redis.sock"),
        ("locmem://", "locmem.LocMemCache", "linkwell"),
    ],
)
def test_the_cache_url_chooses_the_backend(url, backend, location):
    chosen = cache_config(url)

    assert chosen["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert chosen["LOCATION"] == location


def test_tests_keep_their_own_memory_unless_a_cache_url_is_given():
    assert cache_config("", testing=True)["BACKEND"].endswith("LocMemCache")
    assert cache_config("db://", testing=True)["BACKEND"].endswith("DatabaseCache")


@pytest.mark.parametrize("url", ["memcached://cache:11211", "redis", "file:///tmp/cache"])
def test_an_unknown_cache_url_is_an_error_not_a_silent_fallback(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_config(url)


def test_migrate_made_the_cache_table(db):
    assert CACHE_TABLE in connection.introspection.table_names()


def _request(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {"default": DATABASE_CACHE}
    cache.clear()
    yield cache
    cache.clear()


def test_counts_on_the_database_cache_last_the_whole_window(db, database_cache, settings):
    """Django's database cache cuts an incremented entry's life to five minutes; the limit
    must still hold for the hour."""
    settings.REFERRALS_RATE_LIMIT_PER_IP = 2
    settings.REFERRALS_RATE_LIMIT_WINDOW_SECONDS = 60 * 60
    request = _request("203.0.113.7")
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        protection.count_submission(request)
        protection.count_submission(request)
        assert protection.rate_limited(request)
    with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
        assert protection.rate_limited(request)
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        assert not protection.rate_limited(request)


OTHER_WORKER = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from django.conf import settings
    from django.test import RequestFactory
    from linkwell.referrals import protection
    print(settings.CACHES["default"]["BACKEND"])
    protection.count_submission(RequestFactory().post("/", REMOTE_ADDR=sys.argv[1]))
    """
)


def _count_in_another_process(address: str, settings) -> str:
    """Count one request in a separate worker process, with the default (production) cache."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "REDIS_URL", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        LINKWELL_DEV="1",
        SECRET_KEY=settings.SECRET_KEY,  # the rate-limit keys are HMACs with it
        DATABASE_URL=database_url(),
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", OTHER_WORKER, address],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_rate_limit_holds_across_worker_processes(live_db, database_cache, settings):
    settings.REFERRALS_RATE_LIMIT_PER_IP = 3
    address = "198.51.100.33"
    request = _request(address)
    protection.count_submission(request)
    protection.count_submission(request)
    assert not protection.rate_limited(request)

    backend = _count_in_another_process(address, settings)

    assert backend == "django.core.cache.backends.db.DatabaseCache"
    assert protection.rate_limited(request)
    assert not protection.rate_limited(_request("198.51.100.34"))
