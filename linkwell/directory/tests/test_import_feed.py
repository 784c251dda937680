import json

import pytest
from django.core.management import call_command

from linkwell.audit.models import AuditEvent
from linkwell.directory import models as m
from linkwell.directory.importers.problems import ImportSourceError
from linkwell.directory.importers.runner import import_feed
from linkwell.directory.tests.import_support import service_doc, write_json, write_ndjson

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(tmp_path, place_data):
    return write_json(tmp_path / "feed.json", [service_doc(n) for n in range(1, 4)])


def test_a_good_feed_imports_whole(feed, user):
    report = import_feed(feed, actor=user)

    assert (report.status, report.created, report.problems) == ("committed", 3, [])
    assert m.Service.objects.count() == 3
    service = m.Service.objects.get(name="Test lunch club 1")
    assert service.organization.name == "Example Community Trust"
    assert (service.tier, service.tier_in_scheme, service.tier_scheme.key) == (
        1,
        "0",
        "review-2017",
    )
    assert service.annual_cost == 12500
    assert service.commissioning == "external"
    assert service.partner.name == "Test Council"
    assert service.minimum_age == 60
    location = service.service_at_locations.get().location
    assert (location.postcode, location.ward.name) == ("BD1 1AA", "City")
    assert location.addresses.get().city == "Bradford"
    assert service.service_areas.get().ward.code == "E05001347"
    assert service.schedules.get().byday == "TU"
    assert service.phones.get().number == "01274 000000"
    assert service.languages.get().code == "ur"
    assert service.cost_options.get().amount == 3.5
    assert service.funding.get().source == "Test grant"
    assert list(service.attributes.values_list("taxonomy_term__code", flat=True)) == ["loneliness"]


def test_reimporting_a_feed_updates_in_place(feed, tmp_path, user):
    import_feed(feed, actor=user)
    changed = [service_doc(1, name="Renamed lunch club"), service_doc(2), service_doc(3)]

    report = import_feed(write_json(tmp_path / "feed.json", changed), actor=user)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert m.Service.objects.count() == 3
    assert m.Location.objects.count() == 3
    assert m.Schedule.objects.count() == 3
    assert m.Service.objects.filter(name="Renamed lunch club").exists()
    assert not m.Service.objects.filter(name="Test lunch club 1").exists()


def test_the_same_services_from_another_source_are_written_again(feed, tmp_path, user):
    import_feed(feed, actor=user)
    copy = tmp_path / "copy.json"
    copy.write_bytes((tmp_path / "feed.json").read_bytes())

    report = import_feed(str(copy), actor=user)

    assert (report.updated, report.unchanged) == (3, 0)
    assert set(m.Service.objects.values_list("source", flat=True)) == {str(copy)}


def test_reimporting_an_unchanged_feed_leaves_its_services_alone(feed, user):
    import_feed(feed, actor=user)
    before = dict(m.Service.objects.values_list("pk", "updated_at"))
    saved = AuditEvent.objects.filter(action="directory.service.saved").count()

    report = import_feed(feed, actor=user)

    assert (report.status, report.created, report.updated, report.unchanged) == (
        "committed",
        0,
        0,
        3,
    )
    assert "0 created, 0 updated, 3 unchanged" in report.summary()
    assert dict(m.Service.objects.values_list("pk", "updated_at")) == before
    assert AuditEvent.objects.filter(action="directory.service.saved").count() == saved
    assert m.ImportRun.objects.latest("pk").unchanged == 3


def test_a_service_another_writer_changed_is_written_again_by_the_next_import(feed, user):
    from linkwell.directory.actions import save_services
    from linkwell.directory.importers.lookups import Lookups
    from linkwell.directory.importers.oruk_mapping import map_service

    import_feed(feed, actor=user)
    record, problems = map_service(service_doc(2), 2, Lookups.load())
    assert problems == []
    record.description = "Changed by hand."
    save_services([record], actor=user, via="test")

    report = import_feed(feed, actor=user)

    assert (report.updated, report.unchanged) == (1, 2)
    assert m.Service.objects.get(name="Test lunch club 2").description == (
        "A weekly lunch club (test data)."
    )


def test_a_crosswalk_change_is_written_by_the_next_import_of_the_same_feed(feed, user):
    import_feed(feed, actor=user)
    level = m.TierLevel.objects.get(scheme__key="review-2017", code="0")
    level.tier = 2
    level.save()

    report = import_feed(feed, actor=user)

    assert (report.updated, report.unchanged) == (3, 0)
    assert set(m.Service.objects.values_list("tier", flat=True)) == {2}


@pytest.mark.parametrize("shape", ["envelope", "ndjson", "single"])
def test_page_envelopes_ndjson_and_single_services_are_read(shape, tmp_path, place_data, user):
    items = [service_doc(n) for n in range(1, 3)]
    if shape == "envelope":
        path = write_json(tmp_path / "page.json", {"total_items": 2, "contents": items})
    elif shape == "ndjson":
        path = write_ndjson(tmp_path / "feed.ndjson", items)
    else:
        path, items = write_json(tmp_path / "one.json", items[0]), items[:1]

    report = import_feed(path, actor=user)

    assert report.created == len(items)
    assert m.Service.objects.count() == len(items)


def test_every_problem_in_a_half_broken_feed_is_reported_and_nothing_committed(
    tmp_path, place_data, user
):
    broken_schedule = service_doc(4)
    broken_schedule["schedules"][0]["opens_at"] = "noon"
    items = [
        service_doc(1),
        service_doc(2, id="not-a-uuid"),
        service_doc(3, name="", status="open"),
        broken_schedule,
        service_doc(5, organization={"id": "7d6f3c2a-0000-4000-8000-000000000001"}),
        service_doc(6),
    ]

    report = import_feed(write_json(tmp_path / "feed.json", items), actor=user)

    found = {(p.row, p.field) for p in report.problems}
    assert found == {
        (2, "id"),
        (3, "name"),
        (3, "status"),
        (4, "schedules[0].opens_at"),
        (5, "organization.name"),
        (5, "organization.description"),
    }
    assert "'not-a-uuid' is not a UUID" in [p.reason for p in report.problems if p.row == 2]
    assert report.status == "refused"
    assert m.Service.objects.count() == 0
    run = m.ImportRun.objects.get()
    assert (run.status, run.rows_read, len(run.errors)) == ("refused", 6, 6)
    assert AuditEvent.objects.filter(action="directory.import.refused").count() == 1


def test_partial_commits_only_the_good_services(tmp_path, place_data, user):
    items = [service_doc(1), service_doc(2, status="open"), service_doc(3)]

    report = import_feed(write_json(tmp_path / "feed.json", items), actor=user, partial=True)

    assert report.status == "committed"
    assert [p.row for p in report.problems] == [2]
    assert set(m.Service.objects.values_list("name", flat=True)) == {
        "Test lunch club 1",
        "Test lunch club 3",
    }


def test_a_dry_run_reports_but_commits_nothing(feed, user):
    report = import_feed(feed, actor=user, dry_run=True)

    assert (report.status, report.created, report.committed) == ("dry_run", 3, False)
    assert m.Service.objects.count() == 0
    assert m.ImportRun.objects.get().dry_run


def test_the_same_service_twice_in_one_feed_is_reported(tmp_path, place_data, user):
    path = write_json(tmp_path / "feed.json", [service_doc(1), service_doc(1)])

    report = import_feed(path, actor=user)

    assert [(p.row, p.field, p.reason) for p in report.problems] == [
        (2, "id", "the same service as row 1")
    ]


@pytest.mark.parametrize(
    "document",
    [{"type": "FeatureCollection", "features": []}, [{"title": "a book"}], "just text", [1, 2]],
)
def test_a_document_that_is_not_oruk_is_refused_outright(document, tmp_path, place_data, user):
    path = tmp_path / "other.json"
    path.write_text(json.dumps(document))

    with pytest.raises(ImportSourceError, match="is not an Open Referral UK feed"):
        import_feed(str(path), actor=user)

    assert m.ImportRun.objects.count() == 0


def test_the_command_exits_with_1_and_lists_problems(tmp_path, place_data, capsys):
    path = write_ndjson(tmp_path / "feed.ndjson", [service_doc(1, status="open")])

    with pytest.raises(SystemExit) as exit_info:
        call_command("import_feed", path, "--no-progress")

    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "row 1, status: 'open' is not one of" in out
    assert "Nothing was committed" in out


def test_a_feed_that_breaks_off_midway_fails_and_commits_nothing(tmp_path, place_data, user):
    text = json.dumps([service_doc(1), service_doc(2)])
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2 + 200])

    report = import_feed(str(path), actor=user, partial=True)

    assert report.status == "failed"
    assert report.problems[-1].field == "source"
    assert "not valid JSON" in report.problems[-1].reason
    assert m.Service.objects.count() == 0
    assert m.ImportRun.objects.get().status == "failed"


def test_a_big_import_refreshes_the_planners_statistics_on_postgresql(feed, user, monkeypatch):
    from django.db import connection

    from linkwell.directory.importers import runner

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL keeps planner statistics that an import makes stale")
    analysed = []
    real_execute = connection.cursor().__class__.execute

    def spy(self, sql, params=None):
        if str(sql).startswith("ANALYZE"):
            analysed.append(str(sql))
        return real_execute(self, sql, params)

    monkeypatch.setattr(connection.cursor().__class__, "execute", spy)
    monkeypatch.setattr(runner, "REFRESH_STATISTICS_AFTER", 1)
    import_feed(feed, actor=user)

    assert len(analysed) == 1
    assert '"directory_service"' in analysed[0]
    assert '"directory_serviceatlocation"' in analysed[0]
