"""Fixtures shared by every test of the project."""

import pytest
from django.core.cache import caches
from django.test import Client

from preau.directory.factories import make_school


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    # Rate limits, the charte and progress are cached: each test starts from nothing, and the
    # cache shared with workers lives in the test's own folder (never the checkout's var/).
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def school(db):
    """A small school: director, 2 classes with a teacher, 3 pupils and 1 parent each."""
    return make_school(classes=2, pupils=3)


@pytest.fixture
def client_for():
    """A test client signed in as the given person."""

    def signed_in(person) -> Client:
        client = Client()
        client.force_login(person)
        return client

    return signed_in
