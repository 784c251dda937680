"""A refresh whose part fails writes nothing of itself: the figures pages show stay those of
the last good refresh, and the failed run is kept with its error."""

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

    steps = [(name, broken if name == "spend" else build) for name, build in refresh.STEPS]
    monkeypatch.setattr(refresh, "STEPS", steps)
    with pytest.raises(RuntimeError):
        refresh.refresh_hub(via="test")

    failed = HubRefresh.objects.order_by("-started_at", "-id").first()
    assert failed.status == RefreshStatus.FAILED
    assert failed.error == "RuntimeError: the spend part broke"
    assert ProvisionArea.objects.count() == areas
    assert refresh.latest_refresh() == good
