"""A server process builds its long-lived caches before its first request and freezes them out
of the garbage collector's sight, so the first person does not wait for them and no request
pays for walking them."""

import gc

import pytest

from config.warmup import warm_up
from linkwell.directory.needs import inference
from linkwell.places import queries as places

pytestmark = pytest.mark.django_db


@pytest.fixture
def cold_caches():
    inference._matcher.cache_clear()
    places._gazetteer.cache_clear()
    yield
    gc.unfreeze()


def test_warm_up_builds_the_need_matcher_and_place_names_then_freezes_them(place_data, cold_caches):
    warm_up()

    assert inference._matcher.cache_info().currsize == 1
    assert places._gazetteer.cache_info().currsize == 1
    assert gc.get_freeze_count() > 0
    # what it built is among what was frozen: nothing young is left to collect
    assert gc.get_count()[2] == 0


def test_warm_up_with_no_place_loaded_still_builds_the_matcher(cold_caches):
    warm_up()

    assert inference._matcher.cache_info().currsize == 1
    assert gc.get_freeze_count() > 0
