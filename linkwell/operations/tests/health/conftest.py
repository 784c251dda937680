import pytest
from django.db import connection


@pytest.fixture
def no_place(db):
    """No place loaded, within this test's transaction: the browser tests in the same process
    leave the real place committed. The rows come back when the test's transaction is rolled
    back; foreign keys are checked only at commit, which never comes."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM places_place")
