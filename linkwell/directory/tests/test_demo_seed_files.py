"""The demo directory's data files: readable, consistent with the vocabularies, sourced."""

from collections import Counter

import pytest

from linkwell.directory import vocabularies as vocab
from linkwell.directory.demo.common import (
    activity_kinds,
    operating_tier,
    seed_services,
    source_note,
)
from linkwell.directory.demo.common import data_file as read_data_file
from linkwell.directory.models import Service
from linkwell.directory.records import ServiceRecord

SEEDS = seed_services()
KINDS = activity_kinds()
LIFE_STAGE_CODES = {t.code for t in vocab.LIFE_STAGES.terms}
THREAD_CODES = {t.code for t in vocab.GOLDEN_THREADS.terms}


def test_every_seed_service_points_at_the_passage_it_comes_from():
    missing = [s["key"] for s in SEEDS if not s.get("source", "").strip()]

    assert missing == []
    assert all(s["source"].split()[0] in {"REVIEW", "SELFCARE", "GGI"} for s in SEEDS)


def test_seed_service_keys_are_unique():
    counts = Counter(s["key"] for s in SEEDS + KINDS)

    assert [key for key, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("spec", SEEDS + KINDS, ids=lambda s: s["key"])
def test_every_listing_uses_only_known_codes(spec):
    assert set(spec.get("needs", [])) <= set(vocab.NEED_CODES)
    assert spec.get("needs"), "every listing meets at least one need"
    assert set(spec.get("stages", [])) <= LIFE_STAGE_CODES
    assert spec.get("stages"), "every listing names a life stage"
    assert set(spec.get("threads", [])) <= THREAD_CODES
    assert operating_tier(spec["tier"]) in {1, 2, 3, 4}


def test_an_unknown_tier_in_a_data_file_is_reported():
    with pytest.raises(ValueError, match="review-2017:9"):
        operating_tier("review-2017:9")


def test_every_organisation_named_by_a_listing_is_described():
    organisations = read_data_file("organizations.yaml")
    named = {s.get("organization") or s["partner"] for s in SEEDS} | {
        k["organization"] for k in KINDS
    }

    assert named - set(organisations) == set()


def test_invented_details_are_named_by_service_record_field():
    fields = set(ServiceRecord.__dataclass_fields__) | {f.name for f in Service._meta.get_fields()}
    named = {field for spec in SEEDS for field in spec.get("invented", [])}

    assert named <= fields


def test_source_notes_name_the_document_and_fit_the_source_field():
    notes = [source_note(spec["source"]) for spec in SEEDS]

    assert all("seeds/00" in note for note in notes)
    assert max(len(note) for note in notes) <= Service._meta.get_field("source").max_length
