"""Loading a place (one folder, or several read as one) into the database: one transaction,
all or nothing, audited.

Every file is parsed and checked first (linkwell.places.parse); if anything is wrong a
PlaceDataError lists every problem and nothing is written. Writes are batched upserts keyed by the
source codes, so loading the same folder again updates rows in place and creates no duplicates;
rows of the place that are no longer in the files are removed.
"""

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from linkwell.audit.actions import record_event
from linkwell.places.models import (
    AreaIndicator,
    CommunityAsset,
    Constituency,
    Deprivation,
    GPPractice,
    Place,
    Postcode,
    PrimaryCareNetwork,
    SmallArea,
    Ward,
)
from linkwell.places.parse import PlaceData, parse_place
from linkwell.places.sources import PlaceDataError, Problems, source_dirs_text

__all__ = ["LoadReport", "PlaceDataError", "TableCounts", "load_place", "place_dirs"]

BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 250


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadReport:
    """What a load did, per table (keyed by model name), and how long it took."""

    place: Place
    created_place: bool
    tables: dict[str, TableCounts] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "place": self.place.slug,
            "created_place": self.created_place,
            "seconds": round(self.seconds, 2),
            "tables": {name: vars(counts) for name, counts in self.tables.items()},
        }


def load_place(
    directory: Path | str | Sequence[Path | str],
    *,
    actor: Any = None,
    slug: str | None = None,
    progress: bool = False,
) -> LoadReport:
    """Load (or reload) the place in `directory`, or in several folders read as one place
    (the files of a kind concatenated; a code in two folders is a problem).

    Raises PlaceDataError listing every problem.
    """
    started = time.perf_counter()
    directories = place_dirs(directory)
    problems = Problems()
    with _progress(progress) as step:
        step("Reading files")
        data = parse_place(directories, problems)
        if problems.items:
            raise PlaceDataError(problems.items)
        with transaction.atomic():
            report = _write(data, directories, slug or slugify(data.name), step)
            step("Audit")
            report.seconds = time.perf_counter() - started
            record_event(
                actor=actor,
                action="places.load_place",
                target=report.place,
                via="load_place",
                details={"source_dir": report.place.source_dir, **report.as_dict()},
            )
    return report


STEPS = 11


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    if not enabled:
        yield lambda description: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("Loading place", total=STEPS)

        def step(description: str) -> None:
            bar.update(task, description=description, advance=1)

        yield step
        bar.update(task, completed=STEPS)


def place_dirs(directory: Path | str | Sequence[Path | str]) -> list[Path]:
    """One folder or several, as a list of paths."""
    if isinstance(directory, (str, Path)):
        return [Path(directory)]
    return [Path(each) for each in directory]


def _write(
    data: PlaceData, directories: list[Path], slug: str, step: Callable[[str], None]
) -> LoadReport:
    place, created = Place.objects.select_for_update().get_or_create(
        slug=slug, defaults={"name": data.name}
    )
    place.name = data.name
    place.source_dir = source_dirs_text(directories)
    place.attributions = data.attributions
    place.loaded_at = timezone.now()
    place.save()
    report = LoadReport(place=place, created_place=created)
    tables = report.tables

    step("Constituencies")
    tables["constituencies"] = _upsert(Constituency, place, ("code",), _rows(data.constituencies))
    pcon_ids = _ids(Constituency, place, "code")

    step("Wards")
    wards = {
        code: {
            **_without(values, "constituency_code"),
            "constituency_id": pcon_ids.get(values["constituency_code"]),
        }
        for code, values in data.wards.items()
    }
    tables["wards"] = _upsert(Ward, place, ("code",), _rows(wards))
    ward_ids = _ids(Ward, place, "code")

    step("Small areas")
    areas = {
        key: {**_without(values, "ward_code"), "ward_id": ward_ids.get(values["ward_code"])}
        for key, values in data.small_areas.items()
    }
    tables["small_areas"] = _upsert(SmallArea, place, ("code", "vintage"), _rows(areas))
    area_ids = {
        (code, vintage): pk
        for pk, code, vintage in SmallArea.objects.filter(place=place).values_list(
            "pk", "code", "vintage"
        )
    }

    step("Deprivation")
    deprivation = {area_ids[(code, 2011)]: values for code, values in data.deprivation.items()}
    tables["deprivation"] = _upsert(
        Deprivation,
        place,
        ("small_area_id",),
        {(pk,): {"small_area_id": pk, **values} for pk, values in deprivation.items()},
        scope=models.Q(small_area__place=place),
    )

    step("Postcodes")
    postcodes = {
        (code,): {
            "postcode": code,
            "latitude": values["latitude"],
            "longitude": values["longitude"],
            "small_area_id": area_ids.get((values["lsoa21"], 2021)),
            "small_area_2011_id": area_ids.get((values["lsoa11"], 2011)),
            "ward_id": ward_ids.get(values["ward_code"]),
        }
        for code, values in data.postcodes.items()
    }
    tables["postcodes"] = _upsert(Postcode, place, ("postcode",), postcodes)

    step("Primary care")
    tables["pcns"] = _upsert(PrimaryCareNetwork, place, ("code",), _rows(data.pcns))
    pcn_ids = _ids(PrimaryCareNetwork, place, "code")
    practices = {
        code: {
            **_without(values, "pcn_code", "ward_code"),
            "pcn_id": pcn_ids.get(values["pcn_code"]),
            "ward_id": ward_ids.get(values["ward_code"]),
        }
        for code, values in data.practices.items()
    }
    tables["gp_practices"] = _upsert(GPPractice, place, ("code",), _rows(practices))

    step("Indicators")
    indicators = {
        key: {
            "area_type": key[0],
            "area_code": key[1],
            "indicator": key[2],
            "period": key[3],
            **values,
        }
        for key, values in data.indicators.items()
    }
    tables["indicators"] = _upsert(
        AreaIndicator, place, ("area_type", "area_code", "indicator", "period"), indicators
    )

    step("Community assets")
    assets = {
        (ref,): {
            "osm_ref": ref,
            **_without(values, "ward_code"),
            "ward_id": ward_ids.get(values["ward_code"]),
        }
        for ref, values in data.assets.items()
    }
    tables["assets"] = _upsert(CommunityAsset, place, ("osm_ref",), assets)
    return report


def _rows(by_code: dict[Any, dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """{code: fields} or {(code, vintage): fields} -> {(key...): fields including the key}."""
    rows = {}
    for key, values in by_code.items():
        if isinstance(key, tuple):
            rows[key] = {"code": key[0], "vintage": key[1], **values}
        else:
            rows[(key,)] = {"code": key, **values}
    return rows


def _without(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name not in names}


def _ids(model: type[models.Model], place: Place, key: str) -> dict[str, int]:
    return dict(model.objects.filter(place=place).values_list(key, "pk"))


def _update(model: type[models.Model], objs: list[models.Model], fields: tuple[str, ...]) -> None:
    """Save changed fields. One UPDATE per batch when every row gets the same values (a row
    moving between places), else bulk_update, whose CASE expressions grow with the batch."""
    same = {name: getattr(objs[0], name) for name in fields}
    if all(getattr(obj, name) == value for obj in objs for name, value in same.items()):
        pks = [obj.pk for obj in objs]
        for start in range(0, len(pks), BATCH_SIZE):
            model.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).update(**same)
    else:
        model.objects.bulk_update(objs, list(fields), batch_size=UPDATE_BATCH_SIZE)


def _upsert(
    model: type[models.Model],
    place: Place,
    key_fields: tuple[str, ...],
    rows: dict[tuple, dict[str, Any]],
    *,
    scope: models.Q | None = None,
) -> TableCounts:
    """Create, update (only what changed) and delete rows of `place` so they equal `rows`.

    Existing rows are matched on `key_fields` across the whole table, as codes are unique
    everywhere; a row another place held moves to this one.
    """
    counts = TableCounts()
    has_place = scope is None  # models without a place FK are scoped by `scope` instead
    existing = {
        tuple(getattr(obj, name) for name in key_fields): obj for obj in model.objects.all()
    }
    value_fields = sorted({name for values in rows.values() for name in values} - set(key_fields))
    if has_place:
        value_fields.append("place_id")
    to_create: list[models.Model] = []
    to_update: dict[tuple[str, ...], list[models.Model]] = {}  # by the fields that changed
    for key, values in rows.items():
        if has_place:
            values = {**values, "place_id": place.pk}
        obj = existing.get(key)
        if obj is None:
            to_create.append(model(**values))
            continue
        changed = tuple(name for name in value_fields if getattr(obj, name) != values.get(name))
        if not changed:
            counts.unchanged += 1
            continue
        for name in changed:
            setattr(obj, name, values.get(name))
        to_update.setdefault(changed, []).append(obj)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    for changed, objs in to_update.items():
        _update(model, objs, changed)
    counts.created = len(to_create)
    counts.updated = sum(len(objs) for objs in to_update.values())
    in_scope = (
        set(model.objects.filter(scope).values_list("pk", flat=True)) if scope is not None else None
    )
    stale = [
        obj.pk
        for key, obj in existing.items()
        if key not in rows
        and (obj.pk in in_scope if in_scope is not None else obj.place_id == place.pk)
    ]
    for start in range(0, len(stale), BATCH_SIZE):
        model.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    counts.deleted = len(stale)
    return counts
