"""`export_feed` writes the directory as the documents GET /services/{id} answers."""

import json

import pytest
from django.core.management import call_command

from linkwell.directory import models as m
from linkwell.directory.tests import oruk_directory
from linkwell.directory.tests.oruk_validation import problems

directory = oruk_directory.directory


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_the_export_holds_every_service_as_the_api_shows_it(client, directory, tmp_path, fmt):
    path = tmp_path / f"feed.{fmt}"
    call_command("export_feed", output=str(path), format=fmt)

    text = path.read_text(encoding="utf-8")
    documents = (
        json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
    )
    assert sorted(d["name"] for d in documents) == sorted(directory)
    for document in documents:
        assert problems(document, "service.json") == []
        assert document == client.get(f"/api/v1/services/{document['id']}").json()


def test_the_export_goes_to_standard_output_without_a_file(directory, capsys):
    call_command("export_feed", format="ndjson")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(directory)


def test_an_exported_feed_imports_back_in_place(directory, tmp_path, user):
    from linkwell.directory.importers.runner import import_feed

    path = tmp_path / "feed.json"
    call_command("export_feed", output=str(path))
    before = {s.id: (s.name, s.minimum_age, s.tier) for s in m.Service.objects.all()}

    import_feed(str(path), actor=user)

    after = {s.id: (s.name, s.minimum_age, s.tier) for s in m.Service.objects.all()}
    assert after == before
    assert m.Location.objects.count() == 5
