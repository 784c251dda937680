"""The public search page over HTTP from a production server, 100,000 services.

Target: `/services/` p95 under 150 ms (one gunicorn worker, sync, sequential requests; client
side, the HTML read in full) for words only, words with a postcode, and a need with a
postcode (5 km, the page's default distance). Same database, server and options as
`bench_oruk_http.py` (see there: `--database-url`, `--code`, `--rounds`). `--with-api` also
times the ORUK API for the same searches (20 a page): the search's share of the page's time.

    .venv/bin/python benchmarks/bench_search_page.py --database sqlite
    .venv/bin/python benchmarks/bench_search_page.py --database-url sqlite:///var/bench/oruk_http_100000.sqlite3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_directory import SEARCHES, sample_postcodes
from bench_oruk_http import NEEDS, common_arguments, markdown, measure, need_term_id, report

TARGETS = {"words": 150, "words_postcode": 150, "need_postcode": 150}
LABELS = {
    "words": "words (`q`)",
    "words_postcode": "words + postcode, 5 km",
    "need_postcode": "need + postcode, 5 km",
}
# The same searches through the ORUK API (`--with-api`).
API_LABELS = {f"api_{kind}": f"{label}: ORUK API, 20 a page" for kind, label in LABELS.items()}


def page_urls(requests: int) -> dict[str, list[str]]:
    postcodes = sample_postcodes(max(requests, 50), seed=15)

    def url(**params: object) -> str:
        return "/services/?" + urlencode(params)

    return {
        "words": [url(q=SEARCHES[i % len(SEARCHES)]) for i in range(requests)],
        "words_postcode": [
            url(q=SEARCHES[i % len(SEARCHES)], postcode=postcodes[i], distance=5)
            for i in range(requests)
        ],
        "need_postcode": [
            url(need=NEEDS[i % len(NEEDS)], postcode=postcodes[-1 - i], distance=5)
            for i in range(requests)
        ],
    }


def api_urls(pages: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each page address as the ORUK API's search for the same thing, 20 a page."""
    names = {"q": "search", "postcode": "postcode", "need": "taxonomy_term_id"}
    found: dict[str, list[str]] = {}
    for kind, urls in pages.items():
        found[f"api_{kind}"] = []
        for url in urls:
            params = dict(parse_qsl(url.split("?", 1)[1]))
            api = {names[k]: v for k, v in params.items() if k in names}
            if "taxonomy_term_id" in api:
                api["taxonomy_term_id"] = need_term_id(api["taxonomy_term_id"])
            if "distance" in params:
                api["proximity"] = int(params["distance"]) * 1000
            found[f"api_{kind}"].append("/api/v1/services?" + urlencode({**api, "per_page": 20}))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common_arguments(parser)
    parser.add_argument(
        "--with-api", action="store_true", help="also time the same searches in the ORUK API"
    )
    args = parser.parse_args()
    kinds = page_urls(args.requests)
    labels = dict(LABELS)
    if args.with_api:
        kinds |= api_urls(kinds)
        labels |= API_LABELS
    runs = measure(args, kinds, "/services/", "public search page over HTTP")
    report(args, runs, markdown(runs, TARGETS, labels).replace("(50 a page)", "(the page)"))


if __name__ == "__main__":
    main()
