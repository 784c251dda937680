"""The SQL of the provision part (DuckDB over the attached operational database `app`).

Rules, in words:
- A service counts if it is active (its search rows' status).
- Based in an area: it has a location there (ward: the location's ward; LSOA: the 2011 LSOA
  of the location's postcode; constituency: the constituency of the location's ward).
- Serving an area: based there, or it names a ward, constituency or the whole place
  (ServiceArea) that contains the area. An LSOA is in its best-fit ward. A ward does not
  contain a constituency, so a service naming one ward serves that ward and its LSOAs, not
  the constituency (unless it is based there). A service naming no area serves none.
- per_10k = services serving / population x 10,000.
- Gap (high need, little provision): the area is in the most deprived fifth of the place's
  areas of its level by IMD 2019 rank, and no service serves it for the need and tier, or
  fewer per 10,000 people than the median of the place's areas of that level.
"""

AREAS = """
CREATE OR REPLACE TEMP TABLE hub_provision_area_list AS
WITH wards AS (
    SELECT w.id, w.code, w.name, w.place_id, w.constituency_id, w.population,
           w.population_year
    FROM app.places_ward w
),
rows AS (
    SELECT 'ward' AS level, w.code, w.name, w.place_id, w.id AS ward_id,
           w.constituency_id, coalesce(c.code, '') AS parent_code,
           w.population AS population,
           CASE WHEN w.population IS NULL THEN '' ELSE coalesce(w.population_year, '') END
               AS population_source
    FROM wards w LEFT JOIN app.places_constituency c ON c.id = w.constituency_id
    UNION ALL
    SELECT 'lsoa', sa.code, sa.name, sa.place_id, sa.ward_id, w.constituency_id,
           coalesce(w.code, ''), d.population,
           CASE WHEN d.population IS NULL THEN '' ELSE 'mid-2015 (IoD2019)' END
    FROM app.places_smallarea sa
    LEFT JOIN app.places_deprivation d ON d.small_area_id = sa.id
    LEFT JOIN wards w ON w.id = sa.ward_id
    WHERE sa.vintage = 2011
    UNION ALL
    SELECT 'constituency', c.code, c.name, c.place_id, NULL, c.id, '',
           sum(w.population),
           'sum of its wards in the place: '
               || string_agg(DISTINCT w.population_year, '; ' ORDER BY w.population_year)
    FROM app.places_constituency c
    JOIN wards w ON w.constituency_id = c.id
    GROUP BY c.id, c.code, c.name, c.place_id
)
SELECT row_number() OVER (ORDER BY level, code) AS area, *,
       -- the coverage keys that reach the area (a ward does not contain a constituency)
       'P' || place_id AS p_key, 'C' || constituency_id AS c_key,
       CASE WHEN level <> 'constituency' THEN 'W' || ward_id END AS w_key
FROM rows
"""

# Deprivation per area: an LSOA's own; a ward's or constituency's population-weighted mean
# over its LSOAs (each LSOA in its best-fit ward).
DEPRIVATION = """
CREATE OR REPLACE TEMP TABLE hub_provision_deprivation AS
WITH dep AS (
    SELECT sa.code, sa.ward_id, w.constituency_id, coalesce(d.population, 0) AS weight,
           d.imd_rank, d.imd_decile, d.income_decile, d.employment_decile,
           d.education_decile, d.health_decile, d.crime_decile, d.housing_services_decile,
           d.living_environment_decile
    FROM app.places_smallarea sa
    JOIN app.places_deprivation d ON d.small_area_id = sa.id
    LEFT JOIN app.places_ward w ON w.id = sa.ward_id
    WHERE sa.vintage = 2011
),
linked AS (
    SELECT a.area, dep.* FROM hub_provision_area_list a JOIN dep ON dep.code = a.code
    WHERE a.level = 'lsoa'
    UNION ALL
    SELECT a.area, dep.* FROM hub_provision_area_list a JOIN dep ON dep.ward_id = a.ward_id
    WHERE a.level = 'ward'
    UNION ALL
    SELECT a.area, dep.* FROM hub_provision_area_list a
    JOIN dep ON dep.constituency_id = a.constituency_id
    WHERE a.level = 'constituency'
)
SELECT area,
    {columns}
FROM linked GROUP BY area
"""

WEIGHTED = (
    "round(CASE WHEN sum(weight) > 0 THEN sum({c} * weight) / sum(weight) "
    "ELSE avg({c}) END, 2) AS {c}"
)

INDICATORS = """
CREATE OR REPLACE TEMP TABLE hub_provision_indicators AS
SELECT a.area, json_group_object(i.indicator, i.value) AS indicators
FROM hub_provision_area_list a
JOIN (
    SELECT area_type, area_code, indicator, arg_max(value, period) AS value
    FROM app.places_areaindicator
    GROUP BY area_type, area_code, indicator
) i ON i.area_code = a.code AND i.area_type = CASE a.level
        WHEN 'ward' THEN 'ward' WHEN 'lsoa' THEN 'lsoa21' ELSE 'constituency' END
GROUP BY a.area
"""

SERVICES = """
CREATE OR REPLACE TEMP TABLE hub_provision_services AS
SELECT as_key(sp.service_id) AS service, bit_or(CAST(sp.needs AS BIGINT)) AS needs,
       any_value(CAST(s.tier AS INTEGER)) AS tier
FROM app.directory_searchpoint sp
JOIN app.directory_service s ON as_key(s.id) = as_key(sp.service_id)
WHERE sp.status = 'active'
GROUP BY 1
"""

# Each active service's coverage, reduced to keys that do not overlap: a ward is dropped when
# the service also names the ward's constituency or whole place, a constituency when it names
# the whole place. An area (one ward, one constituency, one place) is then reached through at
# most one key of a service, so counts per key add up without counting a service twice, and
# no (area, service) pairs are made for coverage (tens of millions at national scale).
COVERAGE = """
CREATE OR REPLACE TEMP TABLE hub_provision_coverage AS
WITH named AS (
    SELECT DISTINCT as_key(service_id) AS service, coverage AS key,
           left(coverage, 1) AS kind, TRY_CAST(substr(coverage, 2) AS BIGINT) AS id
    FROM app.directory_searchpoint
    WHERE status = 'active' AND left(coverage, 1) IN ('W', 'C', 'P')
),
wards AS (
    SELECT w.id, w.constituency_id, w.place_id FROM app.places_ward w
)
SELECT n.service, n.key FROM named n
WHERE n.kind = 'P'
   OR (n.kind = 'C' AND NOT EXISTS (
        SELECT 1 FROM named p JOIN app.places_constituency c ON c.place_id = p.id
        WHERE p.kind = 'P' AND p.service = n.service AND c.id = n.id))
   OR (n.kind = 'W' AND NOT EXISTS (
        SELECT 1 FROM named o JOIN wards w ON w.constituency_id = o.id
        WHERE o.kind = 'C' AND o.service = n.service AND w.id = n.id)
       AND NOT EXISTS (
        SELECT 1 FROM named o JOIN wards w ON w.place_id = o.id
        WHERE o.kind = 'P' AND o.service = n.service AND w.id = n.id))
"""

# (area, service, covered) for every service based in an area; covered: it also reaches the
# area through its coverage (so it is counted there, not again here).
BASED = """
CREATE OR REPLACE TEMP TABLE hub_provision_based AS
WITH located AS (
    SELECT DISTINCT sv.service, l.ward_id, w.constituency_id, pc.small_area_2011_id
    FROM hub_provision_services sv
    JOIN app.directory_serviceatlocation sal ON as_key(sal.service_id) = sv.service
    JOIN app.directory_location l ON as_key(l.id) = as_key(sal.location_id)
    LEFT JOIN app.places_ward w ON w.id = l.ward_id
    LEFT JOIN (
        SELECT replace(upper(postcode), ' ', '') AS key, small_area_2011_id
        FROM app.places_postcode
    ) pc ON pc.key = nullif(replace(upper(l.postcode), ' ', ''), '')
),
lsoa_ids AS (
    SELECT a.area, sa.id AS small_area_id
    FROM hub_provision_area_list a
    JOIN app.places_smallarea sa ON sa.code = a.code AND sa.vintage = 2011
    WHERE a.level = 'lsoa'
),
based AS (
    SELECT a.area, l.service FROM hub_provision_area_list a
    JOIN located l ON l.ward_id = a.ward_id WHERE a.level = 'ward'
    UNION
    SELECT a.area, l.service FROM hub_provision_area_list a
    JOIN located l ON l.constituency_id = a.constituency_id WHERE a.level = 'constituency'
    UNION
    SELECT s.area, l.service FROM lsoa_ids s
    JOIN located l ON l.small_area_2011_id = s.small_area_id
),
-- Joined by service first, then the key tested against the area's own keys: a join on the
-- key alone would pair every area with every service naming the whole place (hundreds of
-- millions of rows nationally, spilled to disk for minutes).
reached AS (
    SELECT DISTINCT b.area, b.service
    FROM based b
    JOIN hub_provision_area_list a ON a.area = b.area
    JOIN hub_provision_coverage c ON c.service = b.service
    WHERE c.key IN (a.p_key, a.c_key, a.w_key)
)
SELECT b.area, b.service, r.service IS NOT NULL AS covered
FROM based b LEFT JOIN reached r ON r.area = b.area AND r.service = b.service
"""

# Counts by area, need and tier (0 = all tiers), dense (every area, need and tier), with
# per 10,000 and the gap flag; left for the indicators part as `hub_provision_areas` (a table of
# the in-memory database, not TEMP: the indicators part reads it on its own connection).
COUNTS = """
CREATE OR REPLACE TABLE hub_provision_areas AS
WITH grouped AS (
    SELECT 'key' AS kind, c.key, NULL::BIGINT AS area, sv.needs, sv.tier,
           count(*) AS serving, 0 AS based
    FROM hub_provision_coverage c JOIN hub_provision_services sv USING (service)
    GROUP BY ALL
    UNION ALL
    SELECT 'area', NULL, b.area, sv.needs, sv.tier,
           count(*) FILTER (WHERE NOT b.covered), count(*)
    FROM hub_provision_based b JOIN hub_provision_services sv USING (service)
    GROUP BY ALL
),
by_need AS (
    SELECT g.kind, g.key, g.area, n.code AS need, g.tier, sum(g.serving) AS serving,
           sum(g.based) AS based
    FROM grouped g JOIN hub_provision_needs n ON n.bit IS NULL OR (g.needs & n.bit) <> 0
    GROUP BY ALL
),
by_tier AS (
    SELECT kind, key, area, need, tier, sum(serving) AS serving, sum(based) AS based
    FROM by_need WHERE tier BETWEEN 1 AND 4 GROUP BY ALL
    UNION ALL
    SELECT kind, key, area, need, 0, sum(serving), sum(based) FROM by_need GROUP BY ALL
),
key_counts AS (SELECT key, need, tier, serving FROM by_tier WHERE kind = 'key'),
area_counts AS (SELECT area, need, tier, serving, based FROM by_tier WHERE kind = 'area'),
quintiles AS (
    SELECT a.area, NTILE(5) OVER (PARTITION BY a.level, a.place_id ORDER BY d.imd_rank)
        AS quintile
    FROM hub_provision_area_list a JOIN hub_provision_deprivation d USING (area)
    WHERE d.imd_rank IS NOT NULL
),
dense AS (
    SELECT a.area, a.level, a.code, a.place_id, a.population, n.code AS need, t.tier,
           coalesce(b.based, 0)::INTEGER AS services_based,
           (coalesce(p.serving, 0) + coalesce(c.serving, 0) + coalesce(w.serving, 0)
               + coalesce(b.serving, 0))::INTEGER AS services_serving,
           q.quintile
    FROM hub_provision_area_list a
    CROSS JOIN hub_provision_needs n
    CROSS JOIN (SELECT unnest([0, 1, 2, 3, 4]) AS tier) t
    LEFT JOIN key_counts p ON p.key = a.p_key AND p.need = n.code AND p.tier = t.tier
    LEFT JOIN key_counts c ON c.key = a.c_key AND c.need = n.code AND c.tier = t.tier
    LEFT JOIN key_counts w ON w.key = a.w_key AND w.need = n.code AND w.tier = t.tier
    LEFT JOIN area_counts b ON b.area = a.area AND b.need = n.code AND b.tier = t.tier
    LEFT JOIN quintiles q ON q.area = a.area
),
rated AS (
    SELECT *, CASE WHEN population > 0
                   THEN services_serving * 10000.0 / population END AS per_10k
    FROM dense
),
medians AS (
    SELECT level, place_id, need, tier, median(per_10k) AS median_per_10k
    FROM rated GROUP BY ALL
)
SELECT d.area, d.level, d.code, d.need, d.tier, d.population, d.services_based,
       d.services_serving, d.per_10k, m.median_per_10k, d.quintile,
       coalesce(d.quintile = 1 AND (d.services_serving = 0 OR d.per_10k < m.median_per_10k),
                false) AS gap
FROM rated d JOIN medians m USING (level, place_id, need, tier)
"""

# One row per area: its figures packed as need -> [[based, serving, gap] x 5 tiers] (JSON
# text written by string operations: DuckDB's nested lists and to_json took most of a national
# refresh), for the needs with anything to say (a count or a gap).
CELL = (
    "'[' || max(services_based) FILTER (WHERE tier = {t}) || ',' || "
    "max(services_serving) FILTER (WHERE tier = {t}) || ',' || "
    "max(gap::INTEGER) FILTER (WHERE tier = {t}) || ']'"
)
PACKED = """
WITH per_need AS (
    SELECT area, '"' || need || '":[' || {cells} || ']' AS text
    FROM hub_provision_areas
    GROUP BY area, need
    HAVING max(services_serving) > 0 OR max(services_based) > 0 OR bool_or(gap)
),
figures AS (
    SELECT area, '{{' || string_agg(text, ',') || '}}' AS figures FROM per_need GROUP BY area
)
SELECT a.level, a.code, a.name, a.place_id, a.parent_code, a.population,
       a.population_source, d.imd_rank, q.quintile,
       coalesce(to_json(d)::VARCHAR, '{{}}') AS deprivation,
       coalesce(i.indicators::VARCHAR, '{{}}') AS indicators,
       coalesce(f.figures, '{{}}') AS figures
FROM hub_provision_area_list a
LEFT JOIN hub_provision_deprivation d USING (area)
LEFT JOIN (SELECT DISTINCT area, quintile FROM hub_provision_areas) q USING (area)
LEFT JOIN hub_provision_indicators i USING (area)
LEFT JOIN figures f USING (area)
ORDER BY a.level, a.code
""".format(cells=" || ',' || ".join(CELL.format(t=t) for t in range(5)))  # noqa: S608 (no input)

SNAPSHOT = """
SELECT level, need,
       coalesce(list(code ORDER BY code) FILTER (WHERE gap), []) AS gaps,
       coalesce(to_json(map(list(code) FILTER (WHERE per_10k > 0),
                            list(round(per_10k, 3)) FILTER (WHERE per_10k > 0))),
                '{}')::VARCHAR AS per_10k
FROM hub_provision_areas WHERE tier = 0
GROUP BY level, need
"""
