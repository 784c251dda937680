import pytest
from django.db import connection, transaction


@pytest.fixture
def no_place(db):
    """No place loaded, for this test only: the browser tests in the same process leave the
    real place committed. Deleted within a savepoint that is rolled back after the test, before
    the test's own end checks the foreign keys."""
    savepoint = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM places_place")
    yield
    transaction.savepoint_rollback(savepoint)
