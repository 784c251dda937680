"""The hub's DuckDB reads the operational database and nothing else: once connected, its SQL
(indicator definitions included) cannot read or write files, load extensions or attach
databases, nor change the settings that would allow it."""

import duckdb
import pytest

from linkwell.intelligence import analytics

pytestmark = pytest.mark.usefixtures("live_db")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY (SELECT 1) TO '/tmp/linkwell-hub-escape.csv'",
        "ATTACH '/tmp/linkwell-hub-other.db' AS other",
        "INSTALL httpfs",
        "SET enable_external_access = true",
        "SET threads = 64",
    ],
)
def test_the_hub_s_sql_reaches_no_file_extension_or_setting(sql):
    con = analytics.connect()
    try:
        with pytest.raises((duckdb.PermissionException, duckdb.InvalidInputException)):
            analytics.cursor(con).execute(sql)
        (places,) = con.execute("SELECT count(*) FROM app.places_place").fetchone()
        assert places >= 0  # the attached database still reads
    finally:
        con.close()


def test_every_connection_works_in_utc():
    con = analytics.connect()
    try:
        other = analytics.cursor(con)
        (zone,) = other.execute("SELECT current_setting('TimeZone')").fetchone()
        assert zone == "UTC"
    finally:
        con.close()
