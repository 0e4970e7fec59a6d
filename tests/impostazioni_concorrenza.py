"""Settings of the server started by tests/test_concorrenza.py: the project's own (the
SQLite of ``make run``), with the test suite's fast password hasher (the users are
made by the factories under tests/conftest.py's ``_fast_passwords``)."""

from peg.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
