"""Generate a national-scale world for the intelligence hub's benchmark into a fresh SQLite
database: a synthetic place of about 33,000 small areas (LSOA 2011 with deprivation, and the
same areas as 2021 LSOAs with census-style indicators), ~6,600 wards, ~660 constituencies,
GP practices, ~400 partners with their staff, 200,000 services (tier, partner, annual cost,
funding type, needs, a varied description, a located venue in a ward, areas served, search
rows, capacity), ~2M people, 10,000,000 referrals over five years with statuses, needs,
sources and answer times, a Community Connector programme with cases and SWEMWBS scores, and
contacts whose needs found no service. Every row is demo data (`is_demo` where the model has it).

The schema is the product's own (`linkwell migrate` on the fresh file). The rows are made by
DuckDB in set-based SQL and written through its SQLite extension, big tables without their
secondary indexes (re-created after): Python row by row would take hours at this size. Ids
are 32-hex keys numbered in insertion order (so the primary-key B-trees are appended to) and
every random choice is a hash of (row number, column, seed), so the same `--seed` and sizes
give the same database whatever the thread count. Search rows are written as
`linkwell.directory.search.points.rows_of` would (one per located link and area served).

    LINKWELL_DEV=1 .venv/bin/python benchmarks/generate_national.py \\
        --database /work/main/var/bench/hub_national.sqlite3

Prints a JSON summary (counts, seconds per phase) as its last line. SQLite only for now.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from hub_text import AUDIENCES, FORMATS, NEAR_COPY_SHARE, OPENERS  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LINKWELL_DEV", "1")

COLS = 200  # small areas per grid row (the place is a grid of squares over England's box)
SA_PER_WARD = 5  # along a row
WARDS_PER_CONSTITUENCY = (5, 2)  # ward rows x ward columns
LAT0, LAT1, LON0, LON1 = 50.0, 55.8, -5.5, 1.7
FIRE, POLICE = 45, 43  # referring organisations besides partners and practices
PARTNER_KINDS = ["voluntary", "voluntary", "nhs_trust", "council", "housing", "voluntary"]
# Id prefixes (the first 8 hex digits of a key), one per table.
TAG = {
    "org": 0x0A000001, "hsds": 0x0B000001, "service": 0x0C000001, "location": 0x0D000001,
    "link": 0x0E000001, "area": 0x0F000001, "attr": 0x10000001, "person": 0x11000001,
    "referral": 0x12000001, "case": 0x13000001, "admin": 0x14000001, "encounter": 0x15000001,
}  # fmt: skip
TODAY: list[dt.date] = [dt.date.today()]  # the --as-of date, once set
SORTED_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # ASCII order: references grow with rows
# Ordinary referrals' status by age in days (as generate_referrals.STATUS_BY_AGE).
STATUS_BY_AGE: list[tuple[int, list[tuple[str, float]]]] = [
    (3, [("draft", 2), ("sent", 55), ("received", 18), ("accepted", 12), ("waitlisted", 5),
         ("declined", 6), ("cancelled", 2)]),
    (14, [("draft", 1), ("sent", 14), ("received", 12), ("accepted", 25), ("in_progress", 22),
          ("waitlisted", 8), ("declined", 12), ("cancelled", 3), ("did_not_engage", 3)]),
    (90, [("sent", 2), ("received", 1), ("accepted", 6), ("in_progress", 26), ("completed", 33),
          ("waitlisted", 5), ("declined", 12), ("did_not_engage", 10), ("cancelled", 5)]),
    (10**6, [("sent", 0.5), ("received", 0.3), ("in_progress", 1.5), ("completed", 62),
             ("waitlisted", 0.7), ("declined", 13), ("did_not_engage", 15), ("cancelled", 7)]),
]  # fmt: skip
ANSWERED = ("accepted", "in_progress", "completed", "did_not_engage", "declined", "waitlisted")
SOURCES = [("gp", 45), ("fire", 15), ("housing", 15), ("police", 10), ("council", 8),
           ("connector", 7)]  # fmt: skip
DECLINE_CODES = [("no_capacity", 30), ("not_eligible", 25), ("person_declined", 20),
                 ("could_not_contact", 15), ("duplicate", 5), ("other", 5)]  # fmt: skip
REASONS = [
    "Lives alone; rarely sees anyone.", "Two falls this year.", "Cold house, bills.",
    "Wants to stop smoking.", "Behind on rent.", "Carer, exhausted.", "Low mood.",
]  # fmt: skip
GIVEN = [
    "Olivia", "Amelia", "Isla", "Ava", "Aisha", "Fatima", "Zofia", "Margaret", "Oliver",
    "George", "Noah", "Muhammad", "Ali", "Jakub", "John", "David",
]  # fmt: skip
FAMILY = [
    "Smith", "Jones", "Taylor", "Brown", "Khan", "Ahmed", "Hussain", "Kaur", "Singh", "Nowak",
    "Kowalski", "Shaw", "Holmes", "Kelly",
]  # fmt: skip
WARD_INDICATORS = [
    "gp_practices", "gp_practices_per_10k_pop", "imd_pop_mid2015", "imd_pop_weighted_mean_rank",
    "lsoa11_count", "lsoa11_in_national_decile1", "pct_aged_65_plus_2021",
    "pct_bad_or_very_bad_health_2021", "pct_pop_health_deprivation_decile1", "pct_pop_imd_decile1",
    "pct_pop_imd_decile1_2", "pct_pop_income_decile1", "population_mid2022",
]  # fmt: skip
CENSUS_INDICATORS = [
    "pct_age_4_and_under", "pct_age_5_to_9", "pct_age_10_to_15", "pct_age_16_to_19",
    "pct_age_20_to_24", "pct_age_25_to_34", "pct_age_35_to_49", "pct_age_50_to_64",
    "pct_age_65_to_74", "pct_age_75_to_84", "pct_age_85_plus", "pct_eth_asian", "pct_eth_black",
    "pct_eth_mixed", "pct_eth_other", "pct_eth_white", "pct_health_bad_health",
    "pct_health_fair_health", "pct_health_good_health", "pct_health_very_bad_health",
    "pct_health_very_good_health", "pct_sex_female", "pct_sex_male",
]  # fmt: skip


def _cases(expr: str, choices: list[tuple[str, float]]) -> str:
    """A SQL CASE picking a choice by the uniform number `expr` with these weights."""
    total = sum(w for _, w in choices)
    parts, acc = [], 0.0
    for value, weight in choices[:-1]:
        acc += weight / total
        parts.append(f"WHEN {expr} < {acc:.6f} THEN '{value}'")
    return f"(CASE {' '.join(parts)} ELSE '{choices[-1][0]}' END)"


def _list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


class Sizes:
    def __init__(self, args: argparse.Namespace) -> None:
        self.small_areas = args.small_areas
        self.rows = -(-args.small_areas // COLS)
        self.ward_cols = COLS // SA_PER_WARD
        self.wards = self.rows * self.ward_cols
        self.con_cols = self.ward_cols // WARDS_PER_CONSTITUENCY[1]
        self.constituencies = -(-self.rows // WARDS_PER_CONSTITUENCY[0]) * self.con_cols
        self.services = args.services
        self.partners = args.partners
        self.practices = args.practices
        self.people = args.people
        self.referrals = args.referrals
        self.programme = int(args.referrals * args.programme_share)
        self.encounters = int(args.referrals * args.unmet_share)
        self.years = args.years
        self.orgs = 2 + self.partners + FIRE + POLICE + self.practices
        self.first_fire = 2 + self.partners
        self.first_police = self.first_fire + FIRE
        self.first_practice = self.first_police + POLICE


def migrate(path: Path) -> None:
    """A fresh file with the product's schema."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    connection.close()


TABLES = [
    "accounts_organisation", "accounts_user", "accounts_membership", "places_place",
    "places_constituency", "places_ward", "places_smallarea", "places_deprivation",
    "places_areaindicator", "places_gppractice", "directory_organization", "directory_service",
    "directory_serviceattribute", "directory_location", "directory_serviceatlocation",
    "directory_servicearea", "directory_searchpoint", "referrals_servicecapacity",
    "referrals_programme", "referrals_person", "referrals_referral", "referrals_case",
    "referrals_programmeallowance", "outcomes_administration", "referrals_encounter",
    "referrals_encounterneed",
]  # fmt: skip


def drop_indexes(path: Path) -> list[str]:
    """Drop the written tables' secondary indexes; return their definitions."""
    db = sqlite3.connect(path)
    marks = ",".join("?" * len(TABLES))
    found = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name",
        TABLES,
    ).fetchall()
    for name, _sql in found:
        db.execute(f'DROP INDEX "{name}"')
    db.commit()
    db.close()
    return [sql for _name, sql in found]


def create_indexes(path: Path, ddls: list[str]) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA cache_size = -2000000")  # 2 GB of page cache for the sorts
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    for ddl in ddls:
        db.execute(ddl)
    db.commit()
    db.close()


def duck(path: Path, threads: int) -> Any:
    import duckdb

    module = importlib.import_module("duckdb_extension_sqlite_scanner")
    ext = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    con = duckdb.connect(
        ":memory:",
        config={
            "threads": threads,
            "memory_limit": "6GB",
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    con.execute(f"LOAD '{ext / 'sqlite_scanner.duckdb_extension'}'")
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"ATTACH '{path}' AS s (TYPE sqlite)")
    return con


def macros(con: Any, z: Sizes, seed: int, now: dt.datetime) -> None:
    """Deterministic helpers: uniform numbers by (row, column, seed), keys, and the grid."""
    m = con.execute
    m(f"CREATE MACRO u(i, salt) AS (hash(i, salt, {seed}) >> 11)::DOUBLE / 9007199254740992.0")
    m("CREATE MACRO key(tag, i) AS printf('%08x%024x', tag, i)")
    m("CREATE MACRO ts(x) AS strftime(x, '%Y-%m-%d %H:%M:%S')")
    m(f"CREATE MACRO now_() AS TIMESTAMP '{now:%Y-%m-%d %H:%M:%S}'")
    # Grid: small area a (0-based) -> its ward (1-based id) and its cell's corner.
    m(f"CREATE MACRO sa_row(a) AS a // {COLS}")
    m(f"CREATE MACRO sa_col(a) AS a % {COLS}")
    m(f"CREATE MACRO sa_ward(a) AS sa_row(a) * {z.ward_cols} + sa_col(a) // {SA_PER_WARD} + 1")
    rows_per, cols_per = WARDS_PER_CONSTITUENCY
    m(
        f"CREATE MACRO ward_con(w) AS ((w - 1) // {z.ward_cols}) // {rows_per} * {z.con_cols}"
        f" + LEAST(((w - 1) % {z.ward_cols}) // {cols_per}, {z.con_cols - 1}) + 1"
    )
    m(f"CREATE MACRO dlat() AS {(LAT1 - LAT0) / z.rows}")
    m(f"CREATE MACRO dlon() AS {(LON1 - LON0) / COLS}")
    m(
        'CREATE MACRO square(x0, y0, x1, y1) AS printf(\'{"type": "Polygon", "coordinates":'
        " [[[%.5f, %.5f], [%.5f, %.5f], [%.5f, %.5f], [%.5f, %.5f], [%.5f, %.5f]]]}',"
        " x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)"
    )
    # People: their small area (0-based), practice (0-based, or NULL) by person number.
    m(f"CREATE MACRO p_area(p) AS CAST(floor({z.small_areas} * u(p, 'area')) AS BIGINT)")
    m(
        f"CREATE MACRO p_practice(p) AS CASE WHEN u(p, 'nogp') < 0.03 THEN NULL ELSE "
        f"CAST(floor({z.practices} * u(p, 'gp')) AS BIGINT) END"
    )
    # Services: needs (indices into the NEEDS vocabulary) by service number.
    m("CREATE MACRO s_count(s) AS 1 + (u(s, 'k') < 0.35)::INT + (u(s, 'k') < 0.12)::INT")
    m("CREATE MACRO s_n1(s) AS CAST(floor(24 * u(s, 'n1')) AS INT)")
    m("CREATE MACRO s_n2(s) AS (s_n1(s) + 1 + CAST(floor(7 * u(s, 'n2')) AS INT)) % 24")
    m("CREATE MACRO s_n3(s) AS (s_n2(s) + 1 + CAST(floor(7 * u(s, 'n3')) AS INT)) % 24")
    m(
        "CREATE MACRO s_need(s, x) AS CASE WHEN s_count(s) = 1 OR x < 0.5 THEN s_n1(s) "
        "WHEN s_count(s) = 2 OR x < 0.8 THEN s_n2(s) ELSE s_n3(s) END"
    )
    m("CREATE MACRO org_user(o, k) AS 10 + 2 * o + k")


def phase_places(con: Any, z: Sizes) -> None:
    x = con.execute
    x(
        "INSERT INTO s.places_place (id, slug, name, source_dir, attributions, loaded_at) VALUES "
        "(1, 'bench-england', 'Bench England (synthetic)', '', "
        "'Synthetic benchmark data: no real places or people.', ts(now_()))"
    )
    x(
        f"""INSERT INTO s.places_constituency (id, code, name, boundary_set, geometry, place_id)
        SELECT c + 1, printf('E14%06d', c + 1), printf('Bench Constituency %03d', c + 1), '2024',
          square({LON0} + (c % {z.con_cols}) * dlon() * {SA_PER_WARD * WARDS_PER_CONSTITUENCY[1]},
                 {LAT0} + (c // {z.con_cols}) * dlat() * {WARDS_PER_CONSTITUENCY[0]},
                 {LON0} + (c % {z.con_cols} + 1) * dlon() * {SA_PER_WARD * WARDS_PER_CONSTITUENCY[1]},
                 LEAST({LAT1}, {LAT0} + (c // {z.con_cols} + 1) * dlat() * {WARDS_PER_CONSTITUENCY[0]})),
          1
        FROM range({z.constituencies}) t(c)"""  # noqa: E501
    )
    # Deprivation: a smooth pattern plus noise, ranked (1 = most deprived).
    x(
        f"""CREATE TEMP TABLE areas AS
        SELECT a, sa_ward(a) AS ward,
          1000 + CAST(floor(1000 * u(a, 'pop')) AS INT) AS population,
          0.6 * sin(sa_row(a) / 7.0) * cos(sa_col(a) / 9.0) + 0.8 * u(a, 'dep') AS score
        FROM range({z.small_areas}) t(a)"""
    )
    x(
        """CREATE TEMP TABLE ranked AS SELECT *,
          row_number() OVER (ORDER BY score DESC, a) AS imd_rank,
          row_number() OVER (ORDER BY score + 0.5 * u(a, 'inc') DESC, a) AS income,
          row_number() OVER (ORDER BY score + 0.5 * u(a, 'emp') DESC, a) AS employment,
          row_number() OVER (ORDER BY score + 0.8 * u(a, 'edu') DESC, a) AS education,
          row_number() OVER (ORDER BY score + 0.6 * u(a, 'hea') DESC, a) AS health,
          row_number() OVER (ORDER BY score + 1.2 * u(a, 'cri') DESC, a) AS crime,
          row_number() OVER (ORDER BY 1.5 * u(a, 'hou') DESC, a) AS housing,
          row_number() OVER (ORDER BY score + 1.0 * u(a, 'liv') DESC, a) AS living
        FROM areas"""
    )
    n = z.small_areas
    x(
        f"""INSERT INTO s.places_ward (id, code, name, locality, latitude, longitude, population,
          population_year, geometry, constituency_id, place_id, local_authority_code,
          local_authority_name)
        SELECT w + 1, printf('E05%06d', w + 1), printf('Bench Ward %04d', w + 1),
          printf('Bench Constituency %03d', ward_con(w + 1)),
          {LAT0} + (w // {z.ward_cols} + 0.5) * dlat(),
          {LON0} + ((w % {z.ward_cols}) * {SA_PER_WARD} + {SA_PER_WARD / 2}) * dlon(),
          pop, 'mid-2022',
          square({LON0} + (w % {z.ward_cols}) * {SA_PER_WARD} * dlon(),
                 {LAT0} + (w // {z.ward_cols}) * dlat(),
                 {LON0} + (w % {z.ward_cols} + 1) * {SA_PER_WARD} * dlon(),
                 {LAT0} + (w // {z.ward_cols} + 1) * dlat()),
          ward_con(w + 1), 1, printf('E08%06d', (ward_con(w + 1) - 1) // 2 + 1),
          printf('Bench Authority %03d', (ward_con(w + 1) - 1) // 2 + 1)
        FROM range({z.wards}) t(w)
        LEFT JOIN (SELECT ward, CAST(round(sum(population) * 1.06) AS INT) AS pop
                   FROM areas GROUP BY ward) p ON p.ward = w + 1
        ORDER BY w"""
    )
    for vintage, offset in ((2011, 0), (2021, n)):
        x(
            f"""INSERT INTO s.places_smallarea (id, code, name, vintage, ward_share, msoa_code,
              msoa_name, local_authority_code, local_authority_name, geometry, place_id, ward_id)
            SELECT {offset} + a + 1, printf('E01%06d', a + 1),
              printf('Bench %04d%s', a // 5 + 1, chr(CAST(65 + a % 5 AS INT))), {vintage}, 1.0,
              printf('E02%06d', a // 5 + 1), printf('Bench %04d', a // 5 + 1),
              printf('E08%06d', (ward_con(sa_ward(a)) - 1) // 2 + 1),
              printf('Bench Authority %03d', (ward_con(sa_ward(a)) - 1) // 2 + 1),
              square({LON0} + sa_col(a) * dlon(), {LAT0} + sa_row(a) * dlat(),
                     {LON0} + (sa_col(a) + 1) * dlon(), {LAT0} + (sa_row(a) + 1) * dlat()),
              1, sa_ward(a)
            FROM range({n}) t(a) ORDER BY a"""
        )
    x(
        f"""INSERT INTO s.places_deprivation (id, edition, imd_rank, imd_decile, income_decile,
          employment_decile, education_decile, health_decile, crime_decile,
          housing_services_decile, living_environment_decile, domain_ranks, population,
          population_0_15, population_60_plus, small_area_id)
        SELECT a + 1, 'IoD2019', imd_rank, CAST(ceil(imd_rank * 10.0 / {n}) AS INT),
          CAST(ceil(income * 10.0 / {n}) AS INT), CAST(ceil(employment * 10.0 / {n}) AS INT),
          CAST(ceil(education * 10.0 / {n}) AS INT), CAST(ceil(health * 10.0 / {n}) AS INT),
          CAST(ceil(crime * 10.0 / {n}) AS INT), CAST(ceil(housing * 10.0 / {n}) AS INT),
          CAST(ceil(living * 10.0 / {n}) AS INT),
          printf('{{"income": %d, "employment": %d, "education_skills_training": %d, '
                 '"health_deprivation_disability": %d, "crime": %d, '
                 '"barriers_housing_services": %d, "living_environment": %d}}',
                 income, employment, education, health, crime, housing, living),
          population, CAST(population * (0.12 + 0.12 * u(a, 'kids')) AS INT),
          CAST(population * (0.15 + 0.15 * u(a, 'old')) AS INT), a + 1
        FROM ranked ORDER BY a"""
    )
    values = ", ".join(f"('{name}')" for name in CENSUS_INDICATORS)
    x(f"CREATE TEMP TABLE census(indicator) AS VALUES {values}")
    x(
        f"""INSERT INTO s.places_areaindicator (area_type, area_code, area_name, indicator,
          period, value, unit, source, place_id)
        SELECT 'lsoa21', printf('E01%06d', a + 1), printf('Bench %04d%s', a // 5 + 1,
          chr(CAST(65 + a % 5 AS INT))), indicator, '2021', round(100 * u(a, indicator), 2), '%',
          'Synthetic (benchmark)', 1
        FROM range({n}) t(a), census ORDER BY a, indicator"""
    )
    values = ", ".join(f"('{name}')" for name in WARD_INDICATORS)
    x(f"CREATE TEMP TABLE ward_ind(indicator) AS VALUES {values}")
    x(
        f"""INSERT INTO s.places_areaindicator (area_type, area_code, area_name, indicator,
          period, value, unit, source, place_id)
        SELECT 'ward', printf('E05%06d', w + 1), printf('Bench Ward %04d', w + 1), indicator,
          '', CASE WHEN indicator LIKE 'pct%' THEN round(100 * u(w, indicator), 2)
                   ELSE round(10000 * u(w, indicator), 0) END,
          CASE WHEN indicator LIKE 'pct%' THEN '%' ELSE '' END, 'Synthetic (benchmark)', 1
        FROM range({z.wards}) t(w), ward_ind ORDER BY w, indicator"""
    )
    x(
        f"""INSERT INTO s.places_gppractice (id, code, name, postcode, latitude, longitude,
          in_district, place_id, pcn_id, ward_id)
        SELECT g + 1, printf('B%05d', g + 1), printf('Bench Surgery %04d', g + 1), '',
          {LAT0} + (sa_row(a) + 0.5) * dlat(), {LON0} + (sa_col(a) + 0.5) * dlon(), 1, 1, NULL,
          sa_ward(a)
        FROM (SELECT g, CAST(floor({n} * u(g, 'gpa')) AS BIGINT) AS a
              FROM range({z.practices}) t(g)) ORDER BY g"""
    )


def phase_accounts(con: Any, z: Sizes) -> None:
    """Organisations in a fixed order (0 partnership, 1 Connect Well, partners, fire, police,
    practices), two staff each (user id = 10 + 2 * org + k)."""
    x = con.execute
    kinds = _list(PARTNER_KINDS)
    x(
        f"""CREATE TEMP TABLE orgs AS SELECT o,
          CASE WHEN o = 0 THEN 'Bench Partnership' WHEN o = 1 THEN 'Connect Well'
               WHEN o < {z.first_fire} THEN printf('Bench Partner %03d', o - 1)
               WHEN o < {z.first_police} THEN printf('Bench Fire and Rescue %02d', o - {z.first_fire} + 1)
               WHEN o < {z.first_practice} THEN printf('Bench Police %02d', o - {z.first_police} + 1)
               ELSE printf('Bench Surgery %04d', o - {z.first_practice} + 1) END AS name,
          CASE WHEN o = 0 THEN 'other' WHEN o = 1 THEN 'voluntary'
               WHEN o < {z.first_fire} THEN {kinds}[(o - 2) % {len(PARTNER_KINDS)} + 1]
               WHEN o < {z.first_police} THEN 'fire' WHEN o < {z.first_practice} THEN 'police'
               ELSE 'gp_practice' END AS kind,
          CASE WHEN o = 0 THEN 'partnership_admin' WHEN o = 1 THEN 'connector'
               WHEN o < {z.first_fire} THEN 'provider_editor' ELSE 'practitioner' END AS role
        FROM range({z.orgs}) t(o)"""  # noqa: E501
    )
    start = ts_years_ago(z.years)
    x(
        f"""INSERT INTO s.accounts_organisation (id, name, kind, ods_code, is_demo, created_at,
          parent_id)
        SELECT key({TAG["org"]}, o), name, kind,
          CASE WHEN kind = 'gp_practice' THEN printf('B%05d', o - {z.first_practice} + 1)
               ELSE '' END, 1, '{start}', NULL
        FROM orgs ORDER BY o"""
    )
    x(
        f"""INSERT INTO s.accounts_user (id, password, last_login, is_superuser, username,
          first_name, last_name, email, is_staff, is_active, date_joined, is_demo)
        SELECT org_user(o, k), '!', NULL, 0, printf('staff%d', org_user(o, k)), '', '',
          printf('staff%d@bench.test', org_user(o, k)), 0, 1, '{start}', 1
        FROM orgs, range(2) t(k) ORDER BY o, k"""
    )
    x(
        f"""INSERT INTO s.accounts_membership (role, created_at, user_id, organisation_id)
        SELECT role, '{start}', org_user(o, k), key({TAG["org"]}, o)
        FROM orgs, range(2) t(k) ORDER BY o, k"""
    )


def ts_years_ago(years: int) -> str:
    return f"{TODAY[0].year - years - 1}-01-01 00:00:00"


def _service_facts(con: Any, z: Sizes) -> None:
    """Service facts kept for the other tables (one row per service, the programme last)."""
    n = z.services
    con.execute(
        f"""CREATE TEMP TABLE svc AS SELECT s,
          CASE WHEN s = {n} THEN {z.partners}
               ELSE CAST(floor({z.partners} * pow(u(s, 'partner'), 1.4)) AS INT) END AS p,
          CASE WHEN s = {n} THEN 2 ELSE
            CAST(1 + (u(s, 'tier') >= 0.35)::INT + (u(s, 'tier') >= 0.65)::INT
                 + (u(s, 'tier') >= 0.90)::INT AS INT) END AS tier,
          CASE WHEN u(s, 'virtual') < 0.05 THEN NULL
               ELSE CAST(floor({z.small_areas} * u(s, 'loc')) AS BIGINT) END AS a,
          u(s, 'cov') AS cov,
          CASE WHEN s = {n} THEN 2 ELSE s_count(s) END AS k,
          CASE WHEN s = {n} THEN 0 ELSE s_n1(s) END AS n1,
          CASE WHEN s = {n} THEN 10 ELSE s_n2(s) END AS n2, s_n3(s) AS n3
        FROM range({n + 1}) t(s)"""
    )
    con.execute(
        """CREATE TEMP TABLE svc_needs AS
        SELECT s, n1 AS n FROM svc UNION SELECT s, n2 FROM svc WHERE k >= 2
        UNION SELECT s, n3 FROM svc WHERE k >= 3"""
    )


def _descriptions(con: Any, z: Sizes, need_terms: list[tuple[str, str]]) -> None:
    """`descr(s, description)`: hub_text's pieces by hash; a few services (NEAR_COPY_SHARE)
    reword the text of the previous service with the same first need in the same ward."""
    labels = _list([code.replace("_", " ") for code, _ in need_terms])
    openers = _list([o.replace("{need}", "%s") for o in OPENERS])
    con.execute(
        f"""CREATE TEMP TABLE descr AS
        WITH t AS (
          SELECT s, n1, sa_ward(a) AS ward, printf('%s %s %s %s',
              printf({openers}[CAST(floor({len(OPENERS)} * u(s, 'op')) AS INT) + 1],
                     {labels}[n1 + 1]),
              {_list(FORMATS)}[CAST(floor({len(FORMATS)} * u(s, 'fmt')) AS INT) + 1],
              {_list(AUDIENCES)}[CAST(floor({len(AUDIENCES)} * u(s, 'aud')) AS INT) + 1],
              CASE WHEN a IS NULL THEN 'Online.'
                   ELSE printf('In Bench Ward %04d.', sa_ward(a)) END) AS text
          FROM svc WHERE s < {z.services}),
        c AS (SELECT *, lag(text) OVER (PARTITION BY n1, ward ORDER BY s) AS previous FROM t)
        SELECT s, CASE WHEN previous IS NOT NULL AND u(s, 'copy') < {NEAR_COPY_SHARE}
            THEN replace(replace(previous, 'sessions', 'meetings'), '. For ', '. Open to ')
            ELSE text END AS description FROM c
        UNION ALL SELECT {z.services}, 'Social prescribing.'"""
    )


def phase_services(con: Any, z: Sizes, need_terms: list[tuple[str, str]],
                   stage_terms: list[str]) -> None:  # fmt: skip
    """Services 0..N-1 of the partners, and N the Connector programme (Connect Well)."""
    x = con.execute
    labels = _list([code.replace("_", " ") for code, _ in need_terms])
    rows = ", ".join(f"({i}, '{term}')" for i, (_, term) in enumerate(need_terms))
    x(f"CREATE TEMP TABLE need_terms AS SELECT * FROM (VALUES {rows}) v(n, term)")
    start = ts_years_ago(z.years)
    n = z.services
    x(
        f"""INSERT INTO s.directory_organization (created_at, updated_at, id, name, description,
          email, website, logo, uri, is_demo, created_by_id, parent_organization_id, partner_id,
          updated_by_id)
        SELECT '{start}', '{start}', key({TAG["hsds"]}, p), name, 'A partner of the benchmark.',
          '', '', '', '', 1, NULL, NULL, key({TAG["org"]}, o), NULL
        FROM (SELECT o - 2 AS p, o, name FROM orgs WHERE o >= 2 AND o < {z.first_fire}
              UNION ALL SELECT {z.partners}, 1, name FROM orgs WHERE o = 1) ORDER BY p"""
    )
    _service_facts(con, z)
    _descriptions(con, z, need_terms)
    x(
        f"""INSERT INTO s.directory_service (created_at, updated_at, id, name, description, url,
          email, status, fees, accreditations, minimum_age, maximum_age, assured_date,
          assurer_email, alert, last_modified, tier, tier_in_scheme, annual_cost, funding_type,
          commissioning, evidence_rating, is_demo, demo_fields, source, search_terms,
          search_rowid, created_by_id, department_id, organization_id, partner_id,
          updated_by_id, tier_scheme_id, eligibility_description, import_fingerprint)
        SELECT '{start}', '{start}', key({TAG["service"]}, s),
          CASE WHEN s = {n} THEN 'Community Connectors'
               ELSE printf('Bench %s service %06d', {labels}[n1 + 1], s + 1) END,
          description,
          '', '',
          CASE WHEN s = {n} THEN 'active' ELSE
            {_cases("u(s, 'status')", [("active", 93), ("inactive", 4), ("temporarily closed", 2), ("defunct", 1)])} END,
          '', '', NULL, NULL,
          CAST(DATE '{TODAY[0]}' - CAST(floor(700 * u(s, 'assured')) AS INT) AS VARCHAR),
          '', '', '{start}', tier, '',
          CASE WHEN s = {n} THEN 250000 WHEN u(s, 'nocost') < 0.08 THEN NULL
               ELSE round(([15000, 40000, 120000, 400000])[tier] * exp(2 * u(s, 'cost') - 1), 2) END,
          CASE WHEN s = {n} THEN 'recurrent' ELSE
            {_cases("u(s, 'funding')", [("recurrent", 70), ("short_term", 25), ("", 5)])} END,
          {_cases("u(s, 'comm')", [("external", 50), ("internal", 40), ("", 10)])},
          'not_rated', 1, '["tier", "annual_cost", "funding_type"]', 'bench:national', '',
          s + 1, NULL, NULL, key({TAG["hsds"]}, p), key({TAG["org"]}, p + 2), NULL, NULL, NULL,
          NULL
        FROM svc JOIN descr USING (s) ORDER BY s"""  # noqa: E501
    )
    x(
        f"""INSERT INTO s.directory_serviceattribute (id, value, label, service_id,
          taxonomy_term_id)
        SELECT key({TAG["attr"]}, row_number() OVER (ORDER BY s, n)), '', '',
          key({TAG["service"]}, s), term
        FROM svc_needs JOIN need_terms USING (n) ORDER BY s, n"""
    )
    if stage_terms:
        x(
            f"""INSERT INTO s.directory_serviceattribute (id, value, label, service_id,
              taxonomy_term_id)
            SELECT key({TAG["attr"]}, 100000000 + s), '', '', key({TAG["service"]}, s),
              {_list(stage_terms)}[CAST(floor({len(stage_terms)} * u(s, 'stage')) AS INT) + 1]
            FROM svc WHERE u(s, 'has_stage') < 0.5 ORDER BY s"""
        )
    x(
        f"""INSERT INTO s.directory_location (created_at, updated_at, id, location_type, url,
          name, description, latitude, longitude, external_identifier,
          external_identifier_type, postcode, is_demo, created_by_id, updated_by_id, ward_id,
          organization_id)
        SELECT '{start}', '{start}', key({TAG["location"]}, s),
          CASE WHEN a IS NULL THEN 'virtual' ELSE 'physical' END, '',
          printf('Venue %06d', s + 1), '',
          CASE WHEN a IS NULL THEN NULL ELSE {LAT0} + (sa_row(a) + u(s, 'dy')) * dlat() END,
          CASE WHEN a IS NULL THEN NULL ELSE {LON0} + (sa_col(a) + u(s, 'dx')) * dlon() END,
          '', '', '', 1, NULL, NULL, CASE WHEN a IS NULL THEN NULL ELSE sa_ward(a) END,
          key({TAG["hsds"]}, p)
        FROM svc ORDER BY s"""
    )
    x(
        f"""INSERT INTO s.directory_serviceatlocation (id, description, location_id, service_id)
        SELECT key({TAG["link"]}, s), '', key({TAG["location"]}, s), key({TAG["service"]}, s)
        FROM svc ORDER BY s"""
    )
    # Areas served: own ward (and up to two neighbours), the constituency, the whole place,
    # or none named (then "everywhere" in search).
    x(
        f"""CREATE TEMP TABLE served AS
        WITH base AS (
          SELECT s, cov, COALESCE(sa_ward(a), 1 + CAST(floor({z.wards} * u(s, 'vw')) AS BIGINT)) AS w
          FROM svc)
        SELECT s, w AS ward, NULL::BIGINT AS con, NULL::BIGINT AS place FROM base WHERE cov < 0.45
        UNION ALL SELECT s, w + 1, NULL, NULL FROM base
          WHERE cov < 0.30 AND w % {z.ward_cols} <> 0
        UNION ALL SELECT s, w + {z.ward_cols}, NULL, NULL FROM base
          WHERE cov < 0.15 AND w + {z.ward_cols} <= {z.wards}
        UNION ALL SELECT s, NULL, ward_con(w), NULL FROM base WHERE cov >= 0.45 AND cov < 0.70
        UNION ALL SELECT s, NULL, NULL, 1 FROM base WHERE cov >= 0.70 AND cov < 0.80"""  # noqa: E501
    )
    x(
        f"""INSERT INTO s.directory_servicearea (id, name, description, extent, extent_type, uri,
          constituency_id, place_id, service_id, ward_id)
        SELECT key({TAG["area"]}, row_number() OVER (ORDER BY s, ward, con, place)), '', '', '',
          '', '', con, place, key({TAG["service"]}, s), ward
        FROM served ORDER BY s, ward, con, place"""
    )
    # Search rows, as points.rows_of makes them.
    x(
        f"""INSERT INTO s.directory_searchpoint (link_id, service_key, coverage, latitude,
          longitude, status, assured_date, minimum_age, maximum_age, needs, life_stages, days,
          free, step_free, online, in_person, languages, service_id)
        WITH masks AS (SELECT s, CAST(sum(1 << n) AS BIGINT) AS needs FROM svc_needs GROUP BY s),
        keys AS (
          SELECT s, CASE WHEN ward IS NOT NULL THEN 'W' || ward
                         WHEN con IS NOT NULL THEN 'C' || con ELSE 'P' || place END AS coverage
          FROM served
          UNION ALL SELECT s, '*' FROM svc WHERE s NOT IN (SELECT s FROM served))
        SELECT CASE WHEN l.latitude IS NULL THEN NULL ELSE key({TAG["link"]}, keys.s) END,
          keys.s + 1, coverage, l.latitude, l.longitude, v.status, v.assured_date, NULL, NULL,
          masks.needs, 0, 0, 0, 0, (l.location_type = 'virtual')::INT,
          (l.location_type = 'physical')::INT, '', key({TAG["service"]}, keys.s)
        FROM keys JOIN masks USING (s)
        JOIN s.directory_location l ON l.id = key({TAG["location"]}, keys.s)
        JOIN s.directory_service v ON v.id = key({TAG["service"]}, keys.s)
        ORDER BY keys.s, coverage"""
    )
    x(
        f"""INSERT INTO s.referrals_servicecapacity (service_id, mode, places, unit,
          response_days, updated_at)
        SELECT key({TAG["service"]}, s), mode,
          CASE WHEN mode = 'places' THEN 5 + CAST(floor(36 * u(s, 'places')) AS INT) END, 'week',
          14, '{start}'
        FROM (SELECT s, CASE WHEN u(s, 'cap') < 0.30 THEN 'places'
                             WHEN u(s, 'cap') < 0.35 THEN 'waiting_list'
                             WHEN u(s, 'cap') < 0.37 THEN 'closed' END AS mode
              FROM svc WHERE s < {n}) WHERE mode IS NOT NULL ORDER BY s"""
    )
    x(
        f"""INSERT INTO s.referrals_programme (service_id, practice_cap, programme_cap,
          grant_year_start_month, max_sessions)
        VALUES (key({TAG["service"]}, {n}), 50, {max(1300, z.programme // z.years + 1)}, 4, 6)"""
    )


def phase_people(con: Any, z: Sizes) -> None:
    started = (TODAY[0] - dt.timedelta(days=z.years * 365 + 30)).isoformat()
    sexes = [("female", 58), ("male", 40), ("prefer_not_to_say", 1), ("", 1)]
    groups = [("white", 62), ("asian", 28), ("black", 2), ("mixed", 2), ("other", 1),
              ("prefer_not_to_say", 1), ("", 4)]  # fmt: skip
    con.execute(
        f"""INSERT INTO s.referrals_person (id, given_name, family_name, birth_date, nhs_number,
          postcode, preferred_language, interpreter_needed, phone, email, address,
          accessibility_needs, is_demo, created_at, created_by_id, gp_practice_id,
          organisation_id, small_area_id, ward_id, name_key, ethnic_group, sex)
        SELECT key({TAG["person"]}, p), g, f,
          CAST(DATE '{TODAY[0]}' - CAST(365.25 * (18 + 80 * pow(u(p, 'age'), 0.8)) AS INT)
               AS VARCHAR),
          '', printf('ZZ%d %dZZ', p % 99 + 1, p % 9 + 1), '', 0, '', '', '', '', 1,
          '{started} 09:00:00', NULL, p_practice(p) + 1, NULL, {z.small_areas} + p_area(p) + 1,
          sa_ward(p_area(p)), lower(g || ' ' || f),
          {_cases("u(p, 'eth')", groups)}, {_cases("u(p, 'sex')", sexes)}
        FROM (SELECT p, {_list(GIVEN)}[CAST(floor({len(GIVEN)} * u(p, 'given')) AS INT) + 1] AS g,
                 {_list(FAMILY)}[CAST(floor({len(FAMILY)} * u(p, 'family')) AS INT) + 1] AS f
              FROM range({z.people}) t(p))
        ORDER BY p"""
    )


def _reference(expr: str) -> str:
    digits = " || ".join(
        f"substr('{SORTED_ALPHABET}', CAST(({expr} // {31**k}) % 31 AS INT) + 1, 1)"
        for k in range(7, -1, -1)
    )
    return f"('LW-' || substr({digits}, 1, 4) || '-' || substr({digits}, 5, 4))"


def phase_referrals(con: Any, z: Sizes, start: int, stop: int) -> None:
    """Ordinary referrals numbered [start, stop) (the programme's come first)."""
    horizon = z.years * 365 * 86400
    status_sql = "CASE " + " ".join(
        f"WHEN age_days < {limit} THEN {_cases('us', table)}" for limit, table in STATUS_BY_AGE
    ) + " END"  # fmt: skip
    kind_sql = _cases("u(i, 'kind')", SOURCES)
    housing, council = PARTNER_KINDS.index("housing"), PARTNER_KINDS.index("council")
    per = len(PARTNER_KINDS)
    con.execute(
        f"""INSERT INTO s.referrals_referral (id, reference, need, reason, status,
          status_changed_at, referrer_label, safeguarding, legal_basis, decline_reason,
          outcome, snomed_code, idempotency_key, sent_at, due_at, answered_at, escalated_at,
          waitlisted_at, completed_at, programme_year, created_at, capacity_period_id,
          encounter_id, from_case_id, gp_practice_id, person_id, referrer_id,
          referrer_organisation_id, service_id, submission_id, decline_reason_code)
        WITH a AS (
          SELECT i, CAST(floor({z.people} * u(i, 'person')) AS BIGINT) AS p,
            CAST(floor({z.services} * pow(u(i, 'service'), 2.2)) AS BIGINT) AS s,
            {horizon} * pow(u(i, 'age'), 1.25) AS age_s, u(i, 'status') AS us, {kind_sql} AS kind
          FROM range({start}, {stop}) t(i)),
        b AS (
          SELECT *, age_s / 86400 AS age_days, now_() - to_seconds(age_s) AS created,
            p_practice(p) AS practice FROM a),
        c AS (
          SELECT *, {status_sql} AS status0,
            CASE kind
              WHEN 'gp' THEN {z.first_practice} + COALESCE(practice, i % {z.practices})
              WHEN 'fire' THEN {z.first_fire} + CAST(floor({FIRE} * u(i, 'o')) AS INT)
              WHEN 'police' THEN {z.first_police} + CAST(floor({POLICE} * u(i, 'o')) AS INT)
              WHEN 'housing' THEN 2 + LEAST({z.partners - 1},
                 {housing} + {per} * CAST(floor({z.partners // per} * u(i, 'o')) AS INT))
              WHEN 'council' THEN 2 + LEAST({z.partners - 1},
                 {council} + {per} * CAST(floor({z.partners // per} * u(i, 'o')) AS INT))
              ELSE 1 END AS org
          FROM b),
        d AS (
          SELECT *, CASE WHEN status0 IN ('sent', 'received') AND (u(s, 'cap') >= 0.30
                           AND u(s, 'cap') < 0.35) THEN 'waitlisted' ELSE status0 END AS status,
            CASE WHEN status0 = 'draft' THEN NULL ELSE created + INTERVAL 60 SECOND END AS sent
          FROM c),
        e AS (
          SELECT *, CASE WHEN status IN {ANSWERED} THEN LEAST(now_() - INTERVAL 1 HOUR,
                      sent + to_seconds(86400 * -ln(1 - u(i, 'answer')) * 4)) END AS answered
          FROM d),
        f AS (
          SELECT *, CASE WHEN status = 'completed' THEN LEAST(now_() - INTERVAL 1 HOUR,
                      answered + to_seconds(86400 * (7 + 80 * u(i, 'done')))) END AS completed
          FROM e)
        SELECT key({TAG["referral"]}, i), {_reference("(i + 1)")},
          {_list([c for c in NEED_CODES])}[s_need(s, u(i, 'need')) + 1],
          {_list(REASONS)}[CAST(floor({len(REASONS)} * u(i, 'reason')) AS INT) + 1],
          status, ts(COALESCE(completed, answered, sent, created)),
          printf('staff%d', org_user(org, (i % 2))), 0, '',
          CASE WHEN status = 'declined' THEN 'Declined by the service.' ELSE '' END, '', '', '',
          ts(sent), ts(sent + INTERVAL 14 DAY), ts(answered),
          CASE WHEN status IN ('sent', 'received') AND sent + INTERVAL 14 DAY < now_()
               THEN ts(sent + INTERVAL 14 DAY + INTERVAL 1 HOUR) END,
          CASE WHEN status = 'waitlisted' THEN ts(COALESCE(answered, sent)) END, ts(completed),
          NULL, ts(created), NULL, NULL, NULL,
          CASE WHEN kind = 'gp' THEN org - {z.first_practice} + 1 END,
          key({TAG["person"]}, p), org_user(org, (i % 2)), key({TAG["org"]}, org),
          key({TAG["service"]}, s), NULL,
          CASE WHEN status = 'declined' THEN {_cases("u(i, 'why')", DECLINE_CODES)} ELSE '' END
        FROM f ORDER BY i"""
    )


NEED_CODES: list[str] = []  # the NEEDS vocabulary's codes, in bit order (set in generate)


def phase_programme(con: Any, z: Sizes, now: dt.datetime) -> None:
    """Connector referrals 0..P-1 (to service N), their cases, allowances and scores."""
    x = con.execute
    horizon = z.years * 365 * 86400
    n = z.services
    x(
        f"""CREATE TEMP TABLE prog AS
        WITH a AS (
          SELECT i, CAST(floor({z.people} * u(i, 'person')) AS BIGINT) AS p,
            {horizon} * pow(u(i, 'age'), 1.1) AS age_s, u(i, 'status') AS us
          FROM range({z.programme}) t(i)),
        b AS (
          SELECT *, age_s / 86400 AS age_days, now_() - to_seconds(age_s) AS created,
            COALESCE(p_practice(p), i % {z.practices}) AS practice FROM a),
        c AS (
          SELECT *, CASE
              WHEN age_days < 10 AND us < 0.5 THEN (CASE WHEN us < 0.35 THEN 'sent' ELSE 'received' END)
              WHEN us > 0.95 THEN 'declined'
              WHEN age_days < 365 AND us < 0.85 THEN (CASE WHEN age_days < 21 THEN 'accepted' ELSE 'in_progress' END)
              WHEN us < 0.88 * 0.95 + 0.05 THEN 'completed' ELSE 'did_not_engage' END AS status,
            created + INTERVAL 60 SECOND AS sent
          FROM b),
        d AS (
          SELECT *, CASE WHEN status NOT IN ('sent', 'received') THEN LEAST(now_() - INTERVAL 2 HOUR,
                      sent + to_seconds(86400 * (1 + 9 * u(i, 'open')))) END AS answered
          FROM c)
        SELECT *, CASE WHEN status IN ('completed', 'did_not_engage') THEN LEAST(
                      now_() - INTERVAL 1 HOUR,
                      answered + to_seconds(86400 * (30 + 126 * u(i, 'held')))) END AS ended,
          make_date(year(created) - (month(created) < 4)::INT, 4, 1) AS grant_year,
          org_user(1, i % 2) AS connector
        FROM d"""  # noqa: E501
    )
    x(
        f"""INSERT INTO s.referrals_referral (id, reference, need, reason, status,
          status_changed_at, referrer_label, safeguarding, legal_basis, decline_reason,
          outcome, snomed_code, idempotency_key, sent_at, due_at, answered_at, escalated_at,
          waitlisted_at, completed_at, programme_year, created_at, capacity_period_id,
          encounter_id, from_case_id, gp_practice_id, person_id, referrer_id,
          referrer_organisation_id, service_id, submission_id, decline_reason_code)
        SELECT key({TAG["referral"]}, i), {_reference("(i + 1)")},
          CASE WHEN u(i, 'need') < 0.6 THEN 'loneliness' ELSE 'mental_wellbeing' END,
          'Lives alone; rarely sees anyone.', status,
          ts(COALESCE(ended, answered, sent)),
          printf('staff%d', org_user({z.first_practice} + practice, i % 2)), 0, '',
          CASE WHEN status = 'declined' THEN 'Outside the programme.' ELSE '' END, '',
          '871731000000106', '', ts(sent), ts(sent + INTERVAL 14 DAY), ts(answered),
          CASE WHEN status IN ('sent', 'received') AND sent + INTERVAL 14 DAY < now_()
               THEN ts(sent + INTERVAL 14 DAY + INTERVAL 1 HOUR) END, NULL,
          CASE WHEN status = 'completed' THEN ts(ended) END,
          CASE WHEN status = 'declined' THEN NULL ELSE CAST(grant_year AS VARCHAR) END,
          ts(created), NULL, NULL, NULL, practice + 1, key({TAG["person"]}, p),
          org_user({z.first_practice} + practice, i % 2),
          key({TAG["org"]}, {z.first_practice} + practice), key({TAG["service"]}, {n}), NULL,
          CASE WHEN status = 'declined' THEN 'not_eligible' ELSE '' END
        FROM prog ORDER BY i"""
    )
    x(
        f"""INSERT INTO s.referrals_case (id, status, opened_at, what_matters, next_follow_up,
          discharged_at, discharge_outcome, sessions_held, connector_id, person_id,
          programme_id, referral_id)
        SELECT key({TAG["case"]}, i), CASE WHEN ended IS NULL THEN 'active' ELSE 'discharged' END,
          ts(answered), '', CASE WHEN ended IS NULL
            THEN CAST(DATE '{now.date()}' + CAST(floor(49 * u(i, 'fu')) AS INT) - 21 AS VARCHAR) END,
          ts(ended), '', CAST(floor(7 * u(i, 'held')) AS INT), connector,
          key({TAG["person"]}, p), key({TAG["service"]}, {n}), key({TAG["referral"]}, i)
        FROM prog WHERE answered IS NOT NULL AND status <> 'declined' ORDER BY i"""  # noqa: E501
    )
    x(
        f"""INSERT INTO s.referrals_programmeallowance (practice_code, year_start, cap, taken,
          programme_id)
        SELECT printf('B%05d', practice + 1), CAST(grant_year AS VARCHAR), 50,
          LEAST(50, count(*)), key({TAG["service"]}, {n})
        FROM prog WHERE answered IS NOT NULL AND status <> 'declined'
        GROUP BY practice, grant_year ORDER BY practice, grant_year"""
    )
    _scores(con, z)


def _scores(con: Any, z: Sizes) -> None:
    """SWEMWBS baseline for most cases, follow-up for most that ended: scored by the product's
    own instrument (raw total -> metric and band, looked up)."""
    from linkwell.outcomes import instruments

    instrument = instruments.get("swemwbs")
    items = [item.id for item in instrument.items]
    table = []
    for total in range(len(items), 5 * len(items) + 1):
        answers = {item: 1 for item in items}
        left = total - len(items)
        for item in items:
            add = min(4, left)
            answers[item] += add
            left -= add
        score = instruments.score(instrument, answers)
        table.append(f"({total}, {score.metric}, '{score.band}')")
    con.execute(f"CREATE TEMP TABLE scale(total, metric, band) AS VALUES {', '.join(table)}")
    item_sql = ", ".join(
        f"GREATEST(1, LEAST(5, CAST(round(level + 1.6 * (u(j, '{it}') - 0.5)) AS INT))) AS {it}"
        for it in items
    )
    total_sql = " + ".join(items)
    answers_sql = (
        "'{' || " + " || ', ' || ".join(f"'\"{it}\": ' || {it}" for it in items) + " || '}'"
    )
    con.execute(
        f"""INSERT INTO s.outcomes_administration (id, instrument, instrument_version,
          timepoint, mode, status, language, answers, total, metric, band, subscales,
          started_at, completed_at, due_on, reminded_at, is_demo, case_id, organisation_id,
          person_id, recorded_by_id, referral_id)
        WITH t AS (
          SELECT 2 * i AS j, i, 'baseline' AS timepoint, answered + INTERVAL 2 DAY AS at_,
            1.4 + 3.2 * u(i, 'level') AS level0, 0.0 AS gain, p, connector FROM prog
          WHERE answered IS NOT NULL AND status <> 'declined' AND u(i, 'base') < 0.96
          UNION ALL
          SELECT 2 * i + 1, i, 'follow_up', ended, 1.4 + 3.2 * u(i, 'level'),
            0.35 + 0.9 * (u(i, 'gain') - 0.4), p, connector FROM prog
          WHERE ended IS NOT NULL AND u(i, 'base') < 0.96
            AND u(i, 'fol') < CASE status WHEN 'completed' THEN 0.78 ELSE 0.25 END),
        v AS (SELECT *, level0 + gain AS level FROM t),
        w AS (SELECT j, i, timepoint, at_, p, connector, {item_sql} FROM v)
        SELECT key({TAG["admin"]}, j), 'swemwbs', '{instrument.version}', timepoint,
          'connector', 'complete', 'en', {answers_sql}, w.total, scale.metric, scale.band, '{{}}',
          ts(at_), ts(at_), NULL, NULL, 1, key({TAG["case"]}, i), NULL, key({TAG["person"]}, p),
          connector, NULL
        FROM (SELECT *, {total_sql} AS total FROM w) w JOIN scale USING (total) ORDER BY j"""
    )


def phase_unmet(con: Any, z: Sizes) -> None:
    """Contacts whose needs were recorded with no referral made (no service found)."""
    horizon = z.years * 365 * 86400
    kinds = [("safe_and_well", 30), ("gp_appointment", 40), ("tenancy_check", 15),
             ("police_attendance", 10), ("other", 5)]  # fmt: skip
    con.execute(
        f"""CREATE TEMP TABLE enc AS SELECT e,
          CAST(floor({z.people} * u(e, 'eperson')) AS BIGINT) AS p,
          now_() - to_seconds({horizon} * u(e, 'eage')) AS at_, {_cases("u(e, 'ekind')", kinds)} AS kind,
          CAST(floor(24 * u(e, 'eneed')) AS INT) AS n
        FROM range({z.encounters}) t(e)"""  # noqa: E501
    )
    con.execute(
        f"""INSERT INTO s.referrals_encounter (id, kind, note, occurred_at, created_at,
          organisation_id, practitioner_id, person_id)
        SELECT key({TAG["encounter"]}, e), kind, '', ts(at_), ts(at_),
          key({TAG["org"]}, {z.first_fire}), org_user({z.first_fire}, 0), key({TAG["person"]}, p)
        FROM enc ORDER BY e"""
    )
    con.execute(
        f"""INSERT INTO s.referrals_encounterneed (need, urgency, encounter_id)
        SELECT {_list(NEED_CODES)}[n + 1], 'routine', key({TAG["encounter"]}, e)
        FROM enc ORDER BY e"""
    )


def generate(args: argparse.Namespace) -> dict[str, Any]:
    path = Path(args.database).resolve()
    z = Sizes(args)
    seconds: dict[str, float] = {}
    started = mark = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal mark
        now_ = time.perf_counter()
        seconds[name] = round(now_ - mark, 1)
        print(f"  {name:<34} {seconds[name]:7.1f} s", file=sys.stderr, flush=True)
        mark = now_

    migrate(path)
    phase("migrate")
    from linkwell.directory import vocabularies as vocab

    NEED_CODES[:] = [t.code for t in vocab.NEEDS.terms]
    db = sqlite3.connect(path)
    terms = dict(
        db.execute(
            "SELECT t.code, t.id FROM directory_taxonomyterm t JOIN directory_taxonomy x "
            "ON x.id = t.taxonomy_id WHERE x.key = ?",
            [vocab.NEEDS.key],
        ).fetchall()
    )
    stages = [
        row[0]
        for row in db.execute(
            "SELECT t.id FROM directory_taxonomyterm t JOIN directory_taxonomy x "
            "ON x.id = t.taxonomy_id WHERE x.key = ? ORDER BY t.code",
            [vocab.LIFE_STAGES.key],
        )
    ]
    db.close()
    need_terms = [(code, terms[code]) for code in NEED_CODES]
    ddls = drop_indexes(path)
    now = dt.datetime.combine(args.as_of or dt.date.today(), dt.time(9))
    TODAY[:] = [now.date()]
    con = duck(path, args.threads)
    macros(con, z, args.seed, now)
    phase_places(con, z)
    phase("place: areas, wards, deprivation")
    phase_accounts(con, z)
    phase("organisations and staff")
    phase_services(con, z, need_terms, stages)
    phase(f"{z.services} services, areas, search rows")
    phase_people(con, z)
    phase(f"{z.people} people")
    phase_programme(con, z, now)
    phase(f"{z.programme} connector referrals, cases")
    step = args.chunk
    for first in range(z.programme, z.referrals, step):
        phase_referrals(con, z, first, min(z.referrals, first + step))
        print(f"    referrals to {min(z.referrals, first + step):,}", file=sys.stderr, flush=True)
    phase(f"{z.referrals - z.programme} referrals")
    phase_unmet(con, z)
    phase(f"{z.encounters} contacts with unmet needs")
    counts = {
        table: con.execute(f"SELECT count(*) FROM s.{table}").fetchone()[0] for table in TABLES
    }
    con.close()
    create_indexes(path, ddls)
    phase(f"re-create {len(ddls)} indexes")
    seconds["total"] = round(time.perf_counter() - started, 1)
    return {
        "database": str(path),
        "seed": args.seed,
        "as_of": now.date().isoformat(),
        "sizes": {
            "small_areas_2011": z.small_areas,
            "wards": z.wards,
            "constituencies": z.constituencies,
            "services": z.services + 1,
        },
        "counts": counts,
        "bytes": path.stat().st_size,
        "seconds": seconds,
    }


def redescribe(args: argparse.Namespace) -> dict[str, Any]:
    """Rewrite the services' descriptions of a world made before descriptions were varied
    (the same text a fresh generation with these sizes and seed gives)."""
    from linkwell.directory import vocabularies as vocab

    path = Path(args.database).resolve()
    z = Sizes(args)
    started = time.perf_counter()
    need_terms = [(t.code, "") for t in vocab.NEEDS.terms]
    now = dt.datetime.combine(args.as_of or dt.date.today(), dt.time(9))
    con = duck(path, args.threads)
    macros(con, z, args.seed, now)
    _service_facts(con, z)
    _descriptions(con, z, need_terms)
    rows = con.execute(f"SELECT description, key({TAG['service']}, s) FROM descr").fetchall()
    con.close()
    db = sqlite3.connect(path)
    db.executemany("UPDATE directory_service SET description = ? WHERE id = ?", rows)
    db.commit()
    db.close()
    return {"services": len(rows), "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="var/bench/hub_national.sqlite3")
    parser.add_argument("--small-areas", type=int, default=33_000)
    parser.add_argument("--services", type=int, default=200_000)
    parser.add_argument("--partners", type=int, default=400)
    parser.add_argument("--practices", type=int, default=6_500)
    parser.add_argument("--people", type=int, default=2_000_000)
    parser.add_argument("--referrals", type=int, default=10_000_000)
    parser.add_argument("--programme-share", type=float, default=0.03)
    parser.add_argument("--unmet-share", type=float, default=0.05)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="default: today")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--chunk", type=int, default=2_000_000, help="referrals a statement")
    parser.add_argument(
        "--redescribe", action="store_true", help="only rewrite an existing world's descriptions"
    )
    args = parser.parse_args()
    if args.redescribe:
        import django

        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.database).resolve()}"
        django.setup()
        print(json.dumps(redescribe(args)))
        return
    print(json.dumps(generate(args)))


if __name__ == "__main__":
    main()
