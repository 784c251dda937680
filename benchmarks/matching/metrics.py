"""Scores of the matching evaluation, as pure functions (no Django), so they can be tested alone.

Sets of need codes are compared per item and pooled: micro figures count every (item, code)
decision once, so a common need weighs more; macro F1 averages the per-code F1, so a rare need
(end of life, fire safety) weighs as much as loneliness.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class SetScores:
    precision: float
    recall: float
    f1: float
    macro_f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


def f1_of(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def set_scores(gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]]) -> SetScores:
    """Micro precision, recall and F1 of predicted against gold code sets (one pair per item),
    and macro F1 over every code that is gold or predicted somewhere.

    An item with nothing gold and nothing predicted counts for nothing (it is right, but
    there is no decision to count). Precision with nothing predicted at all is 0, as is recall
    with nothing gold."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must have one entry per item")
    per_code: dict[str, list[int]] = {}  # code -> [tp, fp, fn]
    tp = fp = fn = 0
    for gold_codes, predicted_codes in zip(gold, predicted, strict=True):
        g, p = set(gold_codes), set(predicted_codes)
        for code in g | p:
            counts = per_code.setdefault(code, [0, 0, 0])
            if code in g and code in p:
                counts[0] += 1
            elif code in p:
                counts[1] += 1
            else:
                counts[2] += 1
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    code_f1 = []
    for c_tp, c_fp, c_fn in per_code.values():
        c_p = c_tp / (c_tp + c_fp) if c_tp + c_fp else 0.0
        c_r = c_tp / (c_tp + c_fn) if c_tp + c_fn else 0.0
        code_f1.append(f1_of(c_p, c_r))
    return SetScores(
        precision=precision,
        recall=recall,
        f1=f1_of(precision, recall),
        macro_f1=sum(code_f1) / len(code_f1) if code_f1 else 0.0,
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
    )


def coverage_at(needs: Iterable[str], result_tags: Sequence[Iterable[str]], k: int = 5) -> float:
    """Share of the needs served by at least one of the first k results (each result given as
    the set of need codes its service is tagged with). No needs: 0, nothing to cover."""
    wanted = set(needs)
    if not wanted:
        return 0.0
    served: set[str] = set()
    for tags in result_tags[:k]:
        served |= set(tags)
    return len(wanted & served) / len(wanted)


def hit_at(need: str, result_tags: Sequence[Iterable[str]], k: int = 5) -> bool:
    """Whether one of the first k results is tagged with the need."""
    return any(need in set(tags) for tags in result_tags[:k])


def ndcg_at(relevant: Sequence[bool], k: int = 10, available: int | None = None) -> float:
    """nDCG@k with binary gains, against the ideal list: relevant at every one of the k places,
    or at the first `available` places when fewer relevant services exist at all (so a list
    shorter than it could be, or with misses, scores below 1). Nothing available: 0."""
    places = k if available is None else min(k, available)
    if places <= 0:
        return 0.0
    dcg = sum(1 / math.log2(rank + 2) for rank, hit in enumerate(relevant[:k]) if hit)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(places))
    return dcg / ideal


def mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0
