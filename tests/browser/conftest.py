import pytest


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """The live server, started after and stopped before the test database
    (otherwise its thread still holds a PostgreSQL session at teardown)."""
    return live_server


def conferma(page):
    """Confirm the dialog an irreversible action opens (static/js/conferma.js)."""
    dialogo = page.get_by_role("dialog")
    dialogo.wait_for()
    dialogo.locator("button.btn-primary").click()
    dialogo.wait_for(state="detached")
