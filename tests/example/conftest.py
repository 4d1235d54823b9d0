import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture
def home_page_model():
    """The pages of the shared fixtures (``homes``, ``service_pages``) under the example's home."""
    from example_site.home.models import HomePage

    return HomePage


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once per test module in a transaction rolled back after it.

    Each test runs in a savepoint inside that transaction (pytest-django's ``db``), so what one
    test changes is gone before the next; the module's tests share one load.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_data", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db):
    """The demo data (see ``demo_data``) for a test using the database."""


# The example's browser tests run last, as the plugin's do (see tests/browser/conftest.py).
from tests.browser.conftest import (  # noqa: E402, F401
    pytest_collection_modifyitems,
    pytest_runtest_makereport,
)
