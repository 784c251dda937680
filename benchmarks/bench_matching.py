"""Matching benchmark: how well people's words find the right help, against plain word search.

Scores the labelled sets in `benchmarks/matching/` (how they were written and split: its
README), the tune part and the held-out part apart (the held-out one is the one that counts):
  - need inference: micro precision, recall and F1 (and macro F1) of `infer_needs(text)`,
    keeping needs at or above the confidence the pages show;
  - need coverage in the top 5 of `linkwell.matching.match`: the share of a circumstance's
    labelled needs served by a service tagged with it among the first five results;
  - nDCG@10 of the match (gain 1 for a result tagged with any labelled need);
  - citizen searches: hit rate in the top 5 of the public search page (`/services/?q=&postcode=`,
    through Django's test client, exactly as a visitor asks: a place the page refuses is a miss),
    and its nDCG@10;
  - the same for today's plain word search, implemented on its own (`matching/plain_search.py`), so
    the baseline does not move when the code under test does.

The database is made as `scripts/start` makes it (migrate, the default place, the demo directory)
in a temporary SQLite file, unless `--database-url` names one already loaded. Prints a Markdown
table; `--json FILE` writes every figure; the section for RESULTS.md is written to
`benchmarks/matching/RESULTS-section.md` (`--section` to change, `--no-section` not to write).
`--part tune` scores and prints the tune part only (and each tune file apart), never reading
the held-out files: the run to use while tuning.

    .venv/bin/python benchmarks/bench_matching.py
    .venv/bin/python benchmarks/bench_matching.py --part tune --no-section
    .venv/bin/python benchmarks/bench_matching.py --json var/bench/matching.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "matching"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DATA))

from metrics import coverage_at, hit_at, mean, ndcg_at, set_scores  # noqa: E402
from plain_search import Listing, PlainSearch, read_postcodes, tokens  # noqa: E402
from report import (  # noqa: E402
    ROWS,
    SET_LABEL,
    SETS,
    TARGETS,
    breakdown_table,
    dig,
    fmt,
    markdown_table,
    verdict,
)
from report import section as results_section  # noqa: E402

TOP = 5
DEPTH = 10
# Today's default place: what today's search knows of postcodes (the baseline does not learn
# Craven's when the code under test does).
TODAY_POSTCODES = ROOT.parent / "shared" / "data" / "postcodes_bradford.csv"
THRESHOLD_NAMES = (
    "SHOWN_FROM",
    "SHOWN_CONFIDENCE",
    "SHOW_THRESHOLD",
    "SHOWN_THRESHOLD",
    "CONFIDENCE_THRESHOLD",
    "MIN_CONFIDENCE",
    "THRESHOLD",
)
DEFAULT_THRESHOLD = 0.5


def read_set(kind: str, part: str) -> list[dict]:
    """Every row of the part: `tune` is `<kind>_tune.jsonl` and any later tune file
    (`<kind>_tune2.jsonl`, ...); `heldout` is its one file."""
    rows: list[dict] = []
    for path in sorted(DATA.glob(f"{kind}_{part}*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


# --- the database --------------------------------------------------------------------------


def prepare_django(database_url: str | None, workdir: Path) -> str:
    """Point Django at the database (a fresh one loaded like scripts/start when none is given)
    and set it up. Returns a line saying what was loaded."""
    fresh = database_url is None
    url = database_url or f"sqlite:///{workdir / 'matching.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LINKWELL_DEV", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client then keeps each page's context
    logging.getLogger("django.request").setLevel(logging.ERROR)  # refused places are expected
    if not fresh:
        return f"database {url} (loaded earlier)"
    from django.conf import settings
    from django.core.management import call_command

    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0, **quiet)
    call_command("load_place", no_progress=True, **quiet)  # the default place, as scripts/start
    call_command("load_demo_directory", **quiet)
    folders = getattr(settings, "PLACE_DATA_DIRS", [settings.PLACE_DATA_DIR])
    return (
        f"fresh SQLite database: default place from {', '.join(str(f) for f in folders)}, "
        f"demo directory ({time.perf_counter() - started:.0f} s to load)"
    )


def service_tags() -> dict[str, set[str]]:
    """Every service's need codes, by service id (as text)."""
    from linkwell.directory import models as m
    from linkwell.directory import vocabularies as vocab

    tags: dict[str, set[str]] = {}
    rows = m.ServiceAttribute.objects.filter(
        taxonomy_term__taxonomy__key=vocab.NEEDS.key
    ).values_list("service_id", "taxonomy_term__code")
    for service_id, code in rows:
        tags.setdefault(str(service_id), set()).add(code)
    return tags


def public_listings() -> dict[str, Listing]:
    """The services the public search may show (public statuses, reviewed recently enough),
    with their words and located points."""
    from django.db.models import Q

    from linkwell.directory import models as m
    from linkwell.directory import presentation

    services = m.Service.objects.filter(status__in=presentation.PUBLIC_STATUSES).filter(
        Q(assured_date=None) | Q(assured_date__gte=presentation.public_review_cutoff())
    )
    listings = {}
    for service_id, name, organisation, description in services.values_list(
        "id", "name", "organization__name", "description"
    ):
        name_words = set(tokens(name))
        listings[str(service_id)] = Listing(
            name=name,
            name_words=name_words,
            words=name_words | set(tokens(organisation)) | set(tokens(description)),
        )
    points = m.ServiceAtLocation.objects.exclude(location__latitude=None).values_list(
        "service_id", "location__latitude", "location__longitude"
    )
    for service_id, latitude, longitude in points:
        if str(service_id) in listings:
            listings[str(service_id)].points.append((latitude, longitude))
    return listings


# --- the code under test, through small adapters ---------------------------------------------


class Unavailable(Exception):
    """The function under test is not there (not written yet, or not importable)."""


def shown_threshold() -> tuple[float, str]:
    """The confidence from which the pages show an inferred need: the needs module's own
    constant when it has one, else 0.5."""
    from linkwell.directory import needs

    modules = [needs, getattr(needs, "inference", None)]
    for name in THRESHOLD_NAMES:
        for module in modules:
            value = getattr(module, name, None)
            if isinstance(value, int | float):
                return float(value), f"{module.__name__}.{name}"
    return DEFAULT_THRESHOLD, "the default (linkwell.directory.needs has no such constant)"


def inferred_codes(text: str, language: str, threshold: float) -> set[str]:
    from linkwell.directory.needs import infer_needs

    return {
        need.code for need in infer_needs(text, language=language) if need.confidence >= threshold
    }


def run_match(text: str, place: str) -> list[str]:
    """The first results of `linkwell.matching.match` for the text and place, as service ids.
    A refusal (a place not understood, say) is an empty list; Unavailable when there is no
    match function to call."""
    try:
        import linkwell.matching as matching

        match = matching.match
        request_type = getattr(matching, "MatchRequest", None)
    except (ImportError, AttributeError) as error:
        raise Unavailable(f"linkwell.matching.match: {error}") from None
    try:
        if request_type is not None:
            result = match(request_type(text=text, place=place or "", limit=DEPTH))
        else:
            result = match(text=text, place=place or "", limit=DEPTH)
    except (ValueError, LookupError):  # MatchRefused, PlaceNotUnderstood and kin
        return []
    items = getattr(result, "results", result)
    if isinstance(items, dict):
        items = items.get("results", [])
    ids = []
    for item in items:
        value = item.get("service_id") if isinstance(item, dict) else item.service_id
        ids.append(str(value))
    return ids


def public_search(client, words: str, place: str) -> list[str] | None:
    """The first page of the public search page's results for the words and place, as service
    ids; None when the page refuses the input (a place it does not understand)."""
    from django.urls import reverse

    from linkwell.web.find_support.forms import ServiceSearchForm

    fields = ServiceSearchForm.base_fields
    place_field = "postcode" if "postcode" in fields else "place"
    params = {"q": words}
    if place:
        params[place_field] = place
    response = client.get(reverse("directory:service_list"), params)
    if response.status_code != 200:
        return None
    context = response.context
    if "summaries" in context:
        return [str(summary.service.id) for summary in context["summaries"]]
    return [str(service.id) for service in context["page"].items]


# --- scoring -------------------------------------------------------------------------------


@dataclass
class Setup:
    tags: dict[str, set[str]]
    listings: dict[str, Listing]
    plain: PlainSearch
    threshold: float
    client: object
    errors: dict[str, str] = field(default_factory=dict)

    def tags_of(self, ids: list[str]) -> list[set[str]]:
        return [self.tags.get(service_id, set()) for service_id in ids]

    def available(self, needs: set[str]) -> int:
        """Public services tagged with any of the needs (the ideal list's length, at most 10)."""
        return sum(1 for sid in self.listings if self.tags.get(sid, set()) & needs)


def score_circumstances(rows: list[dict], setup: Setup, *, details: bool) -> dict:
    gold, predicted, by_language, by_voice = [], [], {}, {}
    match_cov, match_ndcg, plain_cov, plain_ndcg, match_ms = [], [], [], [], []
    plain_refused = match_empty = 0
    inference_ok = match_ok = True
    misses = []
    for row in rows:
        needs = set(row["needs"])
        place = row.get("postcode", "")
        if inference_ok:
            try:
                got = inferred_codes(row["text"], row["language"], setup.threshold)
            except Exception as error:  # the placeholder or a half-built lexicon may raise
                setup.errors["infer_needs"] = f"{type(error).__name__}: {error}"
                inference_ok = False
        if inference_ok:
            gold.append(needs)
            predicted.append(got)
            by_language.setdefault(row["language"], ([], []))
            by_voice.setdefault(row["voice"], ([], []))
            for bucket in (by_language[row["language"]], by_voice[row["voice"]]):
                bucket[0].append(needs)
                bucket[1].append(got)
        ids: list[str] = []
        if match_ok:
            started = time.perf_counter()
            try:
                ids = run_match(row["text"], place)
            except Unavailable as error:
                setup.errors["match"] = str(error)
                match_ok = False
            except Exception as error:
                setup.errors.setdefault("match", f"{type(error).__name__}: {error}")
                ids = []
            match_ms.append((time.perf_counter() - started) * 1000)
        if match_ok:
            tags = setup.tags_of(ids)
            match_empty += not ids
            match_cov.append(coverage_at(needs, tags, TOP))
            match_ndcg.append(
                ndcg_at([bool(t & needs) for t in tags], DEPTH, setup.available(needs))
            )
        plain_ids = setup.plain.search(row["text"], place)
        plain_refused += plain_ids is None
        plain_tags = setup.tags_of(plain_ids or [])
        plain_cov.append(coverage_at(needs, plain_tags, TOP))
        plain_ndcg.append(
            ndcg_at([bool(t & needs) for t in plain_tags], DEPTH, setup.available(needs))
        )
        if details and inference_ok and (got != needs or (match_ok and match_cov[-1] < 1)):
            misses.append(
                {
                    "id": row["id"],
                    "needs": sorted(needs),
                    "inferred": sorted(got),
                    "coverage_top5": round(match_cov[-1], 3) if match_ok else None,
                }
            )
    out: dict = {"items": len(rows), "plain": {}}
    if inference_ok:
        scores = set_scores(gold, predicted)
        out["inference"] = {
            "precision": scores.precision,
            "recall": scores.recall,
            "f1": scores.f1,
            "macro_f1": scores.macro_f1,
            "by_language": {k: set_scores(*v).f1 for k, v in sorted(by_language.items())},
            "by_voice": {k: set_scores(*v).f1 for k, v in sorted(by_voice.items())},
            "by_need": {
                code: set_scores([g & {code} for g in gold], [p & {code} for p in predicted]).f1
                for code in sorted(set().union(*gold, *predicted))
            },
        }
    if match_ok:
        out["match"] = {
            "coverage_top5": mean(match_cov),
            "ndcg10": mean(match_ndcg),
            "no_results": match_empty,
            "ms_p50": statistics.median(match_ms),
            "ms_p95": sorted(match_ms)[int(0.95 * (len(match_ms) - 1))],
        }
    out["plain"] = {
        "coverage_top5": mean(plain_cov),
        "ndcg10": mean(plain_ndcg),
        "place_refused": plain_refused,
    }
    if details:
        out["misses"] = misses
    return out


def score_searches(rows: list[dict], setup: Setup, *, details: bool) -> dict:
    hits, ndcgs, plain_hits, plain_ndcgs = [], [], [], []
    refused = plain_refused = 0
    misses = []
    for row in rows:
        need, words, place = row["need"], row["words"], row["place"]
        available = setup.available({need})
        ids = public_search(setup.client, words, place)
        refused += ids is None
        tags = setup.tags_of(ids or [])
        hits.append(hit_at(need, tags, TOP))
        ndcgs.append(ndcg_at([need in t for t in tags], DEPTH, available))
        plain_ids = setup.plain.search(words, place)
        plain_refused += plain_ids is None
        plain_tags = setup.tags_of(plain_ids or [])
        plain_hits.append(hit_at(need, plain_tags, TOP))
        plain_ndcgs.append(ndcg_at([need in t for t in plain_tags], DEPTH, available))
        if details and not hits[-1]:
            misses.append(
                {
                    "id": row["id"],
                    "words": words,
                    "place": place,
                    "need": need,
                    "refused": ids is None,
                }
            )
    out = {
        "items": len(rows),
        "public": {"hit_top5": mean(hits), "ndcg10": mean(ndcgs), "place_refused": refused},
        "plain": {
            "hit_top5": mean(plain_hits),
            "ndcg10": mean(plain_ndcgs),
            "place_refused": plain_refused,
        },
    }
    if details:
        out["misses"] = misses
    return out


def part_table(figures: dict, part: str) -> str:
    """One part's figures (new beside plain search), with no column for the other part."""
    label = SET_LABEL[part]
    lines = [
        f"| metric | target (held-out) | {label}: new | {label}: plain search |",
        "| --- | --- | --- | --- |",
    ]
    for metric, target, new, plain, _key in ROWS:
        value = fmt(dig(figures[part], *new))
        plain_value = fmt(dig(figures[part], *plain)) if plain else "n/a"
        lines.append(f"| {metric} | {target} | {value} | {plain_value} |")
    return "\n".join(lines)


def tune_files_table(setup: Setup) -> str:
    """The tune part file by file: inference F1, coverage in the top 5 and search hit rate, so a
    newer tune file written blind can be read apart from the ones tuned on longest."""
    lines = [
        "| tune file | items | need inference F1 | coverage in the top 5 | search hit rate top 5 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for path in sorted(DATA.glob("*_tune*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        if path.name.startswith("circumstances"):
            c = score_circumstances(rows, setup, details=False)
            cells = [fmt(dig(c, "inference", "f1")), fmt(dig(c, "match", "coverage_top5")), ""]
        else:
            s = score_searches(rows, setup, details=False)
            cells = ["", "", fmt(dig(s, "public", "hit_top5"))]
        lines.append(f"| `{path.name}` | {len(rows)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    import sqlite3

    return (
        f"{os.cpu_count()} CPU, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def commit() -> str:
    import subprocess

    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="A database loaded earlier (default: make one).")
    parser.add_argument("--json", type=Path, help="Write every figure to this file.")
    parser.add_argument(
        "--section",
        type=Path,
        default=DATA / "RESULTS-section.md",
        help="Where to write the section for benchmarks/RESULTS.md.",
    )
    parser.add_argument("--no-section", action="store_true", help="Do not write the section.")
    parser.add_argument(
        "--part",
        choices=("tune", "heldout", "both"),
        default="both",
        help="Score only this part (default both). `tune` reads, scores and prints nothing of "
        "the held-out sets, so tuning runs cannot peek at them; the section is written only "
        "for both.",
    )
    args = parser.parse_args()
    parts = SETS if args.part == "both" else (args.part,)

    with tempfile.TemporaryDirectory(prefix="bench-matching-") as workdir:
        database = prepare_django(args.database_url, Path(workdir))
        print(database, flush=True)
        from django.test import Client

        threshold, source = shown_threshold()
        listings = public_listings()
        setup = Setup(
            tags=service_tags(),
            listings=listings,
            plain=PlainSearch(listings, read_postcodes(TODAY_POSTCODES)),
            threshold=threshold,
            client=Client(),
        )
        figures: dict = {}
        for part in parts:
            details = part == "tune"  # item by item for the tune part only
            figures[part] = {
                "circumstances": score_circumstances(
                    read_set("circumstances", part), setup, details=details
                ),
                "searches": score_searches(read_set("searches", part), setup, details=details),
            }
            print(f"scored {SET_LABEL[part]}", flush=True)
    figures["meta"] = {
        "run_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "commit": commit(),
        "database": database,
        "public_services": len(listings),
        "threshold": threshold,
        "threshold_source": source,
        "errors": setup.errors,
        "targets": TARGETS,
        "parts": list(parts),
    }
    if "heldout" in parts:
        figures["meta"]["verdict_heldout"] = verdict(figures["heldout"])
    if args.part == "both":
        table = markdown_table(figures)
        breakdown = breakdown_table(figures, read_set("circumstances", "heldout"))
        print()
        print(table)
        print()
        print(breakdown)
    else:
        table = part_table(figures, args.part)
        print()
        print(table)
        if args.part == "tune":
            print()
            print(tune_files_table(setup))
    print()
    for name, text in setup.errors.items():
        print(f"not measured: {name}: {text}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    if not args.no_section and args.part == "both":
        args.section.write_text(results_section(figures, table, breakdown), encoding="utf-8")
        print(f"section for RESULTS.md: {args.section}")


if __name__ == "__main__":
    main()
