import os

import pytest
from django.apps import apps
from django.conf import settings
from wagtail.models import Locale, Page, Site

from tests.factories import ProviderFactory
from tests.utils import make_service_page, translate_page

# The example project's own tests need its app and settings; they run on their own:
# pytest --ds=tests.example.settings tests/example
collect_ignore = [] if apps.is_installed("example_site.home") else ["example"]


def pytest_runtest_setup(item):
    """``@pytest.mark.postgres`` tests skip on SQLite, except in CI, where a skip would hide a
    test that never ran: there the SQLite run deselects them (``-m "not postgres"``) and the
    PostgreSQL run must run them all, so reaching one without PostgreSQL is a failure."""
    if item.get_closest_marker("postgres") is None:
        return
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: PostgreSQL-only tests must not be skipped)")
    pytest.skip(reason)


@pytest.fixture
def home_page_model():
    """The site's home page model (the example project's tests use the example's)."""
    from tests.testapp.models import HomePage

    return HomePage


@pytest.fixture
def locales(db):
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in ("fi", "sv", "en")
    }


@pytest.fixture
def homes(locales, home_page_model):
    """The site's home page in fi (site root) with its sv and en translations."""
    # Transactional tests (browser tests with a live server) flush the tables, including the
    # root page that Wagtail's migrations create, so make it again when it is gone.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locales["fi"])
    )
    fi_home = home_page_model(title="Intranet", slug="intranet", locale=locales["fi"])
    root.add_child(instance=fi_home)
    fi_home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": fi_home},
    )
    Site.clear_site_root_paths_cache()
    homes = {"fi": fi_home}
    for code in ("sv", "en"):
        home = fi_home.copy_for_translation(locales[code])
        home.save_revision().publish()
        homes[code] = home
    return homes


@pytest.fixture
def providers(locales):
    fi = ProviderFactory(locale=locales["fi"], name="Henkilöstöpalvelut")
    return {
        "fi": fi,
        "sv": ProviderFactory(
            locale=locales["sv"], translation_key=fi.translation_key, name="Personaltjänster"
        ),
        "en": ProviderFactory(
            locale=locales["en"], translation_key=fi.translation_key, name="HR Services"
        ),
    }


@pytest.fixture
def service_pages(homes, providers, locales):
    """The työnohjaus page in fi with sv and en translations, each with its own provider."""
    fi = make_service_page(homes["fi"], provider=providers["fi"])
    return {
        "fi": fi,
        "sv": translate_page(
            fi,
            locales["sv"],
            title="Arbetshandledning",
            slug="arbetshandledning",
            lead="Stöd i förtroende.",
            provider=providers["sv"],
        ),
        "en": translate_page(
            fi,
            locales["en"],
            title="Work supervision",
            slug="work-supervision",
            lead="Confidential support for your work.",
            provider=providers["en"],
        ),
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (the language switcher and Wagtail cache entries)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_round(service_pages, locales):
    """The Finnish service page taking applications: a privacy notice and this open round."""
    from tests.factories import ApplicationRoundFactory, PrivacyNoticeFactory

    page = service_pages["fi"]
    page.applications_enabled = True
    page.save_revision().publish()
    PrivacyNoticeFactory(locale=locales["fi"])
    return ApplicationRoundFactory(service_key=page.translation_key, name="Kevät 2027")


@pytest.fixture
def open_service_page(open_round, service_pages):
    """The Finnish service page of ``open_round``."""
    return service_pages["fi"]


@pytest.fixture
def direct_planning(settings):
    """A confirm plans the whole series at once, without the supervisor's declaration and the
    people's choice of the first time (the settings' "off" path): for tests about meetings,
    invitations and the outbox that start from planned meetings."""
    settings.TYONOHJAUS_PLUGIN = {
        **settings.TYONOHJAUS_PLUGIN,
        "CONFLICT_DECLARATION": False,
        "AGREED_MEETING_TIMES": False,
    }
