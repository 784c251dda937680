"""The benchmark's figures as Markdown: the table, the breakdown and the RESULTS.md section."""

from __future__ import annotations

from plain_search import MAX_WORDS, RADIUS_KM

SETS = ("tune", "heldout")
SET_LABEL = {"tune": "tune", "heldout": "held-out"}
TARGETS = {
    "inference_f1": 0.90,
    "coverage_top5": 0.95,
    "coverage_lead": 0.30,
    "search_hit_top5": 0.95,
}
NA = "not available"


def fmt(value: float | None) -> str:
    return NA if value is None else f"{value:.3f}"


def dig(figures: dict, *path: str) -> float | None:
    for key in path:
        if not isinstance(figures, dict) or key not in figures:
            return None
        figures = figures[key]
    return figures


def verdict(held: dict) -> dict[str, str]:
    """Held-out figures against the targets: "yes", "no" or "not available"."""

    def check(value: float | None, ok: bool) -> str:
        return NA if value is None else ("yes" if ok else "no")

    f1 = dig(held, "circumstances", "inference", "f1")
    cov = dig(held, "circumstances", "match", "coverage_top5")
    plain_cov = dig(held, "circumstances", "plain", "coverage_top5")
    hit = dig(held, "searches", "public", "hit_top5")
    return {
        "inference_f1": check(f1, f1 is not None and f1 >= TARGETS["inference_f1"]),
        "coverage_top5": check(
            cov,
            cov is not None
            and cov >= TARGETS["coverage_top5"]
            and cov - (plain_cov or 0) >= TARGETS["coverage_lead"],
        ),
        "search_hit_top5": check(hit, hit is not None and hit >= TARGETS["search_hit_top5"]),
    }


ROWS = [
    # label, target, new path, plain path, verdict key
    (
        "need inference F1 (micro)",
        "≥ 0.90",
        ("circumstances", "inference", "f1"),
        None,
        "inference_f1",
    ),
    ("need inference precision (micro)", "", ("circumstances", "inference", "precision"), None, ""),
    ("need inference recall (micro)", "", ("circumstances", "inference", "recall"), None, ""),
    ("need inference F1 (macro)", "", ("circumstances", "inference", "macro_f1"), None, ""),
    (
        "need coverage in the top 5",
        "≥ 0.95 and ≥ 0.30 above plain",
        ("circumstances", "match", "coverage_top5"),
        ("circumstances", "plain", "coverage_top5"),
        "coverage_top5",
    ),
    (
        "nDCG@10 of the match",
        "",
        ("circumstances", "match", "ndcg10"),
        ("circumstances", "plain", "ndcg10"),
        "",
    ),
    (
        "citizen search hit rate in the top 5",
        "≥ 0.95",
        ("searches", "public", "hit_top5"),
        ("searches", "plain", "hit_top5"),
        "search_hit_top5",
    ),
    (
        "citizen search nDCG@10",
        "",
        ("searches", "public", "ndcg10"),
        ("searches", "plain", "ndcg10"),
        "",
    ),
]


def markdown_table(figures: dict) -> str:
    verdicts = verdict(figures["heldout"])
    lines = [
        "| metric | target (held-out) | tune: new | tune: plain search "
        "| **held-out: new** | held-out: plain search | met? |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, target, new, plain, key in ROWS:
        cells = [label, target]
        for part in SETS:
            value = dig(figures[part], *new)
            cells.append(f"**{fmt(value)}**" if part == "heldout" else fmt(value))
            cells.append(fmt(dig(figures[part], *plain)) if plain else "n/a")
        cells.append(verdicts.get(key, "") if key else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def breakdown_table(figures: dict, heldout_rows: list[dict]) -> str:
    """Held-out inference F1 by language and by voice (where the lexicon is weakest)."""
    inference = dig(figures["heldout"], "circumstances", "inference")
    if not inference:
        return ""
    held = {"language": {}, "voice": {}}
    for row in heldout_rows:
        for kind in held:
            held[kind][row[kind]] = held[kind].get(row[kind], 0) + 1
    lines = ["| held-out circumstances by | items | need inference F1 |", "| --- | --- | --- |"]
    for kind, key in (("language", "by_language"), ("voice", "by_voice")):
        for name, f1 in inference[key].items():
            lines.append(f"| {kind}: {name} | {held[kind].get(name, 0)} | {f1:.3f} |")
    return "\n".join(lines)


def counts_line(figures: dict) -> str:
    parts = []
    for part in SETS:
        c = figures[part]["circumstances"]
        s = figures[part]["searches"]
        parts.append(
            f"{SET_LABEL[part]}: {c['items']} circumstances, {s['items']} searches; places refused "
            f"by the public page {s['public']['place_refused']}, by plain search "
            f"{s['plain']['place_refused']} (searches) and {c['plain']['place_refused']} "
            f"(circumstances)"
        )
    return "; ".join(parts) + "."


def section(figures: dict, table: str, breakdown: str) -> str:
    meta = figures["meta"]
    timing = dig(figures["heldout"], "circumstances", "match")
    timing_line = (
        f"Match time per circumstance on the demo directory (not the 100,000-service latency "
        f"target): p50 {timing['ms_p50']:.1f} ms, p95 {timing['ms_p95']:.1f} ms."
        if timing
        else "Match: not available in this run."
    )
    errors = "".join(f"\n- {name}: {text}" for name, text in meta["errors"].items())
    return f"""## Matching and search quality: people's words and places

`benchmarks/bench_matching.py` (labelled sets in `benchmarks/matching/`: how they were written
and the split rule are in its README; tune on the tune part only, the held-out part is the one
that counts). Run of {meta["run_at"]} on {meta["machine"]}, at commit {meta["commit"]}:
{meta["database"]}. Inferred needs are kept from confidence {meta["threshold"]:g}
from {meta["threshold_source"]}.

{table}

"new" is the code under test: `infer_needs` for inference, `linkwell.matching.match` (first 5
and 10 results) for coverage and nDCG, and the public search page `/services/?q=&postcode=`
for citizen searches. "plain search" is today's plain word search, re-implemented in the
benchmark so it stays fixed: every typed word (lower-case, at most {MAX_WORDS}) must be a whole
word of the service's name, organisation or description; ranked by words in the name, then
name; a place must be a full postcode of Bradford's place data, and then only services located
within {RADIUS_KM:g} km are kept (a town, an outward code or a Craven postcode is refused
and counts as a miss). For circumstances the plain search is given the whole text as its words.
Coverage: share of a circumstance's labelled needs with a service tagged with that need in the
top 5, averaged over circumstances. nDCG@10: gain 1 for a result tagged with a labelled need,
against an ideal list relevant at all 10 places (fewer when fewer such services exist).
{counts_line(figures)}

{breakdown}

{timing_line}{errors and chr(10) + chr(10) + "Not measured in this run:" + errors}
"""
