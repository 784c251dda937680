import json

import pytest
from django.core.management import call_command

from linkwell.directory import models as m
from linkwell.directory.importers.runner import import_feed
from linkwell.directory.tests.import_support import service_doc, write_json

pytestmark = pytest.mark.django_db


def exported(path):
    call_command("export_feed", "--output", str(path), "--format", "ndjson")
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_an_exported_feed_imports_back_to_the_same_feed(tmp_path, place_data, user):
    import_feed(write_json(tmp_path / "feed.json", [service_doc(n) for n in (1, 2)]), actor=user)
    first = exported(tmp_path / "first.ndjson")
    for model in (m.Service, m.Location, m.Organization):
        model.objects.all().delete()

    report = import_feed(str(tmp_path / "first.ndjson"), actor=user)

    assert (report.problems, report.created) == ([], 2)
    second = exported(tmp_path / "second.ndjson")
    assert list(_diff(first, second)) == []


def test_reimporting_an_export_changes_nothing(tmp_path, place_data, user):
    import_feed(write_json(tmp_path / "feed.json", [service_doc(n) for n in (1, 2)]), actor=user)
    first = exported(tmp_path / "first.ndjson")

    report = import_feed(str(tmp_path / "first.ndjson"), actor=user)

    assert (report.problems, report.created, report.updated) == ([], 0, 2)
    assert exported(tmp_path / "second.ndjson") == first


def _diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            yield from _diff(a.get(k), b.get(k), f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _diff(x, y, f"{path}[{i}]")
    elif a != b:
        yield path, a, b
