"""A refresh whose part fails writes nothing of itself: the figures pages show stay those of
the last good refresh, and the failed run is kept with its error."""

import dataclasses

import pytest

from linkwell.intelligence import refresh
from linkwell.intelligence.models import HubRefresh, ProvisionArea
from linkwell.intelligence.models.refresh import RefreshStatus
from linkwell.intelligence.tests.provision.world import make_world

pytestmark = pytest.mark.usefixtures("live_db")


def test_a_failed_part_leaves_the_last_figures_and_records_the_error(monkeypatch):
    make_world()
    good = refresh.refresh_hub(via="test")
    areas = ProvisionArea.objects.count()
    assert good.status == RefreshStatus.DONE and areas > 0

    def broken(context):
        raise RuntimeError("the spend part broke")

    parts = [
        dataclasses.replace(part, build=broken) if part.name == "spend" else part
        for part in refresh.PARTS
    ]
    monkeypatch.setattr(refresh, "PARTS", parts)
    with pytest.raises(RuntimeError):
        refresh.refresh_hub(via="test")

    failed = HubRefresh.objects.order_by("-started_at", "-id").first()
    assert failed.status == RefreshStatus.FAILED
    assert failed.error == "RuntimeError: the spend part broke"
    assert ProvisionArea.objects.count() == areas
    assert refresh.latest_refresh() == good


def test_a_run_records_how_long_each_part_took():
    make_world()
    run = refresh.refresh_hub(via="test")
    parts = {part.name for part in refresh.PARTS}
    assert set(run.timings) == {"connect", "write", *parts}
    assert all(seconds >= 0 for seconds in run.timings.values())
    assert run.seconds >= run.timings["write"]
