"""Reading an Open Referral UK 3.0 feed, streamed: a URL of an ORUK API, or a file.

Files may be a JSON list of full services, a page envelope (`{"contents": [...]}`), a single
service, or ndjson (one service per line). JSON is read with ijson, so memory stays flat
however long the feed; a document that is not ORUK at all is refused before anything is read.
"""

import itertools
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson

from linkwell.directory.importers.lookups import Lookups
from linkwell.directory.importers.oruk_mapping import looks_like_a_service, map_service
from linkwell.directory.importers.problems import ImportSourceError, Problem
from linkwell.directory.records import ServiceRecord

NOT_ORUK = (
    "is not an Open Referral UK feed: expected a list of services, a page with 'contents', "
    "ndjson with one service per line, or the URL of an ORUK API"
)
CHILD_KEYS = {"service_at_locations", "schedules", "contacts", "attributes", "service_areas"}
USER_AGENT = "Linkwell directory import (+https://github.com/linkwell)"


@dataclass
class FetchFailure:
    """A service a feed listed but would not give in full: reported against its item."""

    service_id: str
    reason: str


@dataclass
class Feed:
    items: Iterator[Any]
    total: int | None
    source: str


def open_feed(source: str, *, timeout: float = 30, per_page: int = 100) -> Feed:
    """The services of a feed, lazily. Raises ImportSourceError if it cannot be read at all."""
    if is_url(source):
        feed = _open_url(source, timeout=timeout, per_page=per_page)
    elif Path(source).is_file():
        feed = _open_file(Path(source))
    else:
        raise ImportSourceError(f"{source}: no such file")
    items = iter(feed.items)
    first = next(items, None)
    if first is None:
        feed.items = iter(())
    elif isinstance(first, FetchFailure) or looks_like_a_service(first):
        feed.items = itertools.chain([first], items)
    else:
        raise ImportSourceError(f"{source} {NOT_ORUK}")
    return feed


def read_feed(
    feed: Feed, lookups: Lookups
) -> Iterator[tuple[int, ServiceRecord | None, list[Problem]]]:
    """(item number, record or None, problems) for every item of the feed."""
    for row, item in enumerate(feed.items, start=1):
        if isinstance(item, FetchFailure):
            yield row, None, [Problem(row, "id", item.reason)]
        else:
            yield (row, *map_service(item, row, lookups))


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def spooled(feed: Feed, path: Path) -> Feed:
    """The same feed, each item also written to `path` as it is read (one JSON per line).

    An import reads its source twice (checked first, then written: docs/adr/0019); a URL is
    fetched once, and the second reading is of `read_spool(path)`: exactly what was checked.
    """

    def items() -> Iterator[Any]:
        with path.open("w", encoding="utf-8") as spool:
            for item in feed.items:
                failed = isinstance(item, FetchFailure)
                spool.write("null\n" if failed else json.dumps(item) + "\n")
                yield item

    return Feed(items(), feed.total, feed.source)


def read_spool(path: Path, feed: Feed) -> Feed:
    """The items `spooled` wrote (a service fetched in vain comes back as a failure)."""

    def items() -> Iterator[Any]:
        with path.open(encoding="utf-8") as spool:
            for line in spool:
                item = json.loads(line)
                yield FetchFailure("", "could not be fetched") if item is None else item

    return Feed(items(), feed.total, feed.source)


# Files.


def _open_file(path: Path) -> Feed:
    with path.open("rb") as handle:
        head = handle.read(1 << 16).lstrip()
        handle.seek(0)
        first_line = handle.readline()
    if not head:
        raise ImportSourceError(f"{path}: the file is empty")
    if head[:1] == b"[":
        return Feed(_json_items(path, "item"), None, str(path))
    if head[:1] != b"{":
        raise ImportSourceError(f"{path} {NOT_ORUK}")
    try:
        first = json.loads(first_line)
    except ValueError:
        first = None
    if isinstance(first, dict) and "contents" not in first:
        if not looks_like_a_service(first):
            raise ImportSourceError(f"{path} {NOT_ORUK}")
        return Feed(_ndjson_items(path), _count_lines(path), str(path))
    return _open_object(path)


def _open_object(path: Path) -> Feed:
    """A page envelope (streamed from its `contents`), or one service on its own."""
    keys: set[str] = set()
    total = None
    with path.open("rb") as handle:
        try:
            for prefix, event, value in ijson.parse(handle):
                if prefix == "" and event == "map_key":
                    keys.add(value)
                    if value == "contents":
                        break
                elif prefix == "total_items" and event == "number":
                    total = int(value)
        except ijson.JSONError as error:
            raise ImportSourceError(f"{path}: not valid JSON ({error})") from None
    if "contents" in keys:
        return Feed(_json_items(path, "contents.item"), total, str(path))
    if looks_like_a_service(dict.fromkeys(keys)):
        return Feed(_json_items(path, ""), 1, str(path))
    raise ImportSourceError(f"{path} {NOT_ORUK}")


def _json_items(path: Path, prefix: str) -> Iterator[Any]:
    with path.open("rb") as handle:
        try:
            yield from ijson.items(handle, prefix, use_float=True)
        except ijson.JSONError as error:
            raise ImportSourceError(f"{path}: not valid JSON ({error})") from None


def _ndjson_items(path: Path) -> Iterator[Any]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except ValueError as error:
                yield FetchFailure("", f"line {number} is not valid JSON ({error})")


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


# URLs.


def _services_url(source: str) -> str:
    parts = urllib.parse.urlsplit(source)
    path = parts.path.rstrip("/")
    if not path.endswith("/services"):
        path += "/services"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def fetch_json(url: str, *, timeout: float) -> Any:
    request = urllib.request.Request(  # noqa: S310 (only http(s) reaches here)
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise ImportSourceError(f"{url} answered HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise ImportSourceError(f"{url} could not be reached ({error.reason})") from None
    except TimeoutError:
        raise ImportSourceError(f"{url} did not answer within {timeout:g} seconds") from None
    except ValueError as error:
        raise ImportSourceError(f"{url} did not return JSON ({error})") from None


def _page(services_url: str, number: int, per_page: int, timeout: float) -> dict:
    url = f"{services_url}?page={number}&per_page={per_page}"
    page = fetch_json(url, timeout=timeout)
    if not isinstance(page, dict) or not isinstance(page.get("contents"), list):
        raise ImportSourceError(f"{url} {NOT_ORUK}")
    return page


def _open_url(source: str, *, timeout: float, per_page: int) -> Feed:
    services_url = _services_url(source)
    first = _page(services_url, 1, per_page, timeout)
    total = first.get("total_items")
    return Feed(
        _url_items(services_url, first, per_page, timeout),
        total if isinstance(total, int) else None,
        source,
    )


def _url_items(services_url: str, first: dict, per_page: int, timeout: float) -> Iterator[Any]:
    page, number = first, 1
    while True:
        for item in page["contents"]:
            yield _full_service(services_url, item, timeout)
        total_pages = page.get("total_pages")
        if (
            not page["contents"]
            or page.get("last_page") is True
            or (isinstance(total_pages, int) and number >= total_pages)
        ):
            return
        number += 1
        page = _page(services_url, number, per_page, timeout)


def _full_service(services_url: str, item: Any, timeout: float) -> Any:
    """List items need not carry child arrays (HSDS API rules): fetch those in full."""
    if not isinstance(item, dict) or CHILD_KEYS & item.keys() or not item.get("id"):
        return item
    url = f"{services_url}/{urllib.parse.quote(str(item['id']))}"
    try:
        return fetch_json(url, timeout=timeout)
    except ImportSourceError as error:
        return FetchFailure(str(item["id"]), str(error))
