"""The public search page over HTTP from a production server, 100,000 services.

Target: `/services/` p95 under 150 ms (one gunicorn worker, sync, sequential requests; client
side, the HTML read in full) for words only, words with a postcode, and a need with a
postcode (5 km, the page's default distance). Same database, server and options as
`bench_oruk_http.py` (see there: `--database-url`, `--code`, `--rounds`).

    .venv/bin/python benchmarks/bench_search_page.py --database sqlite
    .venv/bin/python benchmarks/bench_search_page.py --database-url sqlite:///var/bench/oruk_http_100000.sqlite3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_directory import SEARCHES, sample_postcodes
from bench_oruk_http import NEEDS, common_arguments, markdown, measure, report

TARGETS = {"words": 150, "words_postcode": 150, "need_postcode": 150}
LABELS = {
    "words": "words (`q`)",
    "words_postcode": "words + postcode, 5 km",
    "need_postcode": "need + postcode, 5 km",
}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common_arguments(parser)
    args = parser.parse_args()
    runs = measure(args, page_urls(args.requests), "/services/", "public search page over HTTP")
    report(args, runs, markdown(runs, TARGETS, LABELS).replace("(50 a page)", "(the page)"))


if __name__ == "__main__":
    main()
