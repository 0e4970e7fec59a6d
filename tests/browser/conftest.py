import pytest


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """The live server, started after and stopped before the test database
    (otherwise its thread still holds a PostgreSQL session at teardown)."""
    return live_server
