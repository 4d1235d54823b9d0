"""Browser and accessibility test harness: Playwright (sync API) driving Debian's Chromium.

* ``browser``: one headless Chromium for the session (``/usr/bin/chromium``, nothing is downloaded).
  Missing browser: the tests are skipped locally, but fail when the ``CI`` variable is set.
* ``new_browser_page(**context_options)``: a page in a fresh browser context (closed after the
  test); ``browser_page`` is one with the default options.
* ``live_service_pages``: the fi/sv/en service pages served by pytest-django's ``live_server``,
  with the default Wagtail ``Site`` pointing at the live server, so canonical URLs are real ones.
* ``axe``: runs axe-core (bundled in axe-playwright-python) on a page; see ``AxeChecker``.

A failing test leaves full-page screenshots of its open pages in ``SCREENSHOT_DIR/failures``.

While Playwright's sync API is running, its asyncio loop counts as running in the test thread,
so Django would refuse ORM calls (``SynchronousOnlyOperation``) in fixtures and in the database
flush after each test. ``browser`` therefore sets ``DJANGO_ALLOW_ASYNC_UNSAFE`` for as long as
Playwright runs, and ``pytest_collection_modifyitems`` below moves the browser tests to the end
of the run so that no other test runs with that loop and that setting.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots for a person to look at; not test input, so a fixed /tmp path is fine.
SCREENSHOT_DIR = Path("/tmp/tyonohjaus-screens")  # noqa: S108
PLUGIN_CONTAINER = "[data-tyonohjaus-plugin]"
SERIOUS_IMPACTS = ("serious", "critical")
LANGUAGES = ("fi", "sv", "en")

_REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last (after pytest-django's own reordering); see the docstring."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so that fixtures can see whether the test failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


# Browser --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium for the whole session."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        reason = (
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) "
            "to run the browser tests; Playwright's own browser downloads are not used"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so browser tests must not be skipped: {reason}", pytrace=False)
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as playwright:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_browser_page(browser, request):
    """Factory: ``new_browser_page(java_script_enabled=False, ...)`` opens a page in a new context.

    Keyword arguments go to ``Browser.new_context``. Contexts are closed after the test; if the
    test failed, each open page is first saved as a screenshot in ``SCREENSHOT_DIR/failures``.
    """
    contexts = []

    def make(**context_options):
        context_options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make

    call_report = request.node.stash.get(_REPORTS, {}).get("call")
    failed = call_report is not None and call_report.failed
    for context in contexts:
        if failed:
            for number, page in enumerate(context.pages):
                save_screenshot(page, f"failures/{_safe_name(request.node.nodeid)}-{number}.png")
        context.close()


@pytest.fixture
def browser_page(new_browser_page):
    """A page with JavaScript on, in a fresh browser context."""
    return new_browser_page()


def save_screenshot(page, name):
    """Save a full-page PNG as ``SCREENSHOT_DIR/name`` and return its path."""
    path = SCREENSHOT_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def _safe_name(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:150]


# Live server ----------------------------------------------------------------------------------


@pytest.fixture
def live_service_pages(service_pages, live_server):
    """The fi/sv/en service pages, with the default Site on the live server's host and port.

    Wagtail builds full (canonical) URLs from the Site, so ``page.get_full_url()`` is then the
    page's address on the live server.
    """
    from django.core.cache import cache
    from wagtail.models import Site

    parts = urlsplit(live_server.url)
    site = Site.objects.get(is_default_site=True)
    site.hostname = parts.hostname
    site.port = parts.port
    site.save()
    Site.clear_site_root_paths_cache()
    cache.clear()
    for page in service_pages.values():
        assert page.get_full_url().startswith(f"{live_server.url}/"), page.get_full_url()
    return service_pages


# Accessibility --------------------------------------------------------------------------------


class AxeChecker:
    """Runs axe-core in a page and returns violations (lists of axe result dicts)."""

    def __init__(self):
        self._axe = Axe()

    def run(self, page, context=None, options=None):
        """The full axe results for ``page``; ``context`` and ``options`` as in ``axe.run``.

        axe-playwright-python's ``Axe.run`` writes the context into the script with ``repr``;
        here both go to ``page.evaluate`` as JSON arguments instead.
        """
        page.evaluate(self._axe.axe_script)
        return page.evaluate(
            "([context, options]) => axe.run(context || document, options)",
            [context, options or {}],
        )

    def plugin_violations(self, page):
        """Violations of any impact inside the plugin's container (``[data-tyonohjaus-plugin]``)."""
        assert page.locator(PLUGIN_CONTAINER).count() > 0, f"no {PLUGIN_CONTAINER} on {page.url}"
        return self.run(page, context={"include": [[PLUGIN_CONTAINER]]})["violations"]

    def serious_page_violations(self, page):
        """Serious and critical violations on the whole page."""
        violations = self.run(page)["violations"]
        return [violation for violation in violations if violation["impact"] in SERIOUS_IMPACTS]

    def assert_accessible(self, page, where=""):
        """The project's bar: nothing inside the plugin, nothing serious on the whole page."""
        self.assert_none(self.plugin_violations(page), f"inside {PLUGIN_CONTAINER} {where}")
        self.assert_none(
            self.serious_page_violations(page), f"(serious/critical) on the page {where}"
        )

    @classmethod
    def assert_none(cls, violations, where=""):
        """Fail with a readable list of the violations, if there are any."""
        if violations:
            pytest.fail(cls.report(violations, where))

    @staticmethod
    def report(violations, where=""):
        """A readable list of violations for an assertion message."""
        lines = [f"{len(violations)} axe violation(s){' ' + where if where else ''}:"]
        for violation in violations:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                f" <{violation['helpUrl']}>"
            )
            for node in violation["nodes"]:
                target = " >>> ".join(
                    " ".join(part) if isinstance(part, list) else part for part in node["target"]
                )
                lines.append(f"    target: {target}")
                lines.append(f"      html: {node['html']}")
                summary = (node.get("failureSummary") or "").replace("\n", "\n            ")
                if summary:
                    lines.append(f"      why:  {summary}")
        return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    return AxeChecker()


@pytest.fixture
def admin_page_for(new_browser_page, live_server):
    """Factory: ``admin_page_for(user)`` is a page logged in as ``user``, admin in English."""
    from django.test import Client
    from wagtail.users.models import UserProfile

    def make(user):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"  # Wagtail admin's own language setting
        profile.save()
        client = Client()
        client.force_login(user)
        page = new_browser_page()
        cookie = client.cookies["sessionid"].value
        page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        return page

    return make
