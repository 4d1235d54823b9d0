"""RELIABILITY test 26: the plugin's pages and admin views under a strict Content Security Policy
(``script-src 'self'`` and ``style-src 'self'`` with a nonce; tests/settings.py). The browser
records every ``securitypolicyviolation``; none may come from the plugin's markup. Wagtail admin's
own violations are listed (``pytest -s``) but not counted against the plugin."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import (
    ApplicationFactory,
    ApplicationRoundFactory,
    PrivacyNoticeFactory,
    UserFactory,
)
from tests.utils import group_for

pytestmark = pytest.mark.browser

TEMPLATES = Path(__file__).resolve().parents[2] / "tyonohjaus_plugin" / "templates"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|<style\b|\son[a-z]+=", re.IGNORECASE)
RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const target = event.target && event.target.closest ? event.target : null;
  window.__csp.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    plugin: Boolean(target && target.closest("[data-tyonohjaus-plugin]")),
    element: target ? target.outerHTML.slice(0, 120) : "",
  });
}, true);
"""


def test_no_plugin_template_has_inline_script_style_or_handler():
    """The static half: every script and style of the plugin is a file."""
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()}"
        for path in TEMPLATES.rglob("*.html")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if INLINE.search(line)
    ]
    assert found == []


def logged_in(new_browser_page, live_server, user):
    client = Client()
    client.force_login(user)
    page = new_browser_page()
    page.context.add_init_script(RECORDER)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return page


def violations(page):
    page.wait_for_timeout(300)  # the events are queued as tasks after the load
    return page.evaluate("window.__csp")


def visit(page, url):
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    header = response.headers.get("content-security-policy-report-only", "")
    # django-csp adds the nonce to the header only on pages that use request.csp_nonce.
    assert "script-src 'self'" in header and "unsafe-inline" not in header, header
    return violations(page)


def test_employee_pages_cause_no_violation(
    new_browser_page, live_server, live_service_pages, locales
):
    service = live_service_pages["fi"]
    service.applications_enabled = True
    service.save_revision().publish()
    PrivacyNoticeFactory(locale=locales["fi"])
    round = ApplicationRoundFactory(service_key=service.translation_key, name="Kevät 2027")
    user = UserFactory(email="emma@example.org")
    application = ApplicationFactory(round=round, applicant=user)
    page = logged_in(new_browser_page, live_server, user)
    found = {}
    found["service page with the form"] = visit(page, service.get_full_url())
    found["thank-you"] = visit(
        page, f"{live_server.url}/fi/hr/applications/{application.pk}/received/"
    )
    found["my applications"] = visit(page, f"{live_server.url}/fi/hr/my-applications/")
    found["edit"] = visit(page, f"{live_server.url}/fi/hr/applications/{application.pk}/edit/")
    visit(page, service.get_full_url())
    button = page.locator("#tyonohjaus-feedback button").first
    if button.count():
        button.click()
        page.wait_for_timeout(500)
        found["feedback answered"] = violations(page)
    anonymous = new_browser_page()
    anonymous.context.add_init_script(RECORDER)
    found["service page, anonymous"] = visit(anonymous, service.get_full_url())
    print({where: len(items) for where, items in found.items()})  # noqa: T201
    assert {where: items for where, items in found.items() if items} == {}


def test_admin_views_cause_no_violation_from_plugin_markup(new_browser_page, live_server, locales):
    hr = UserFactory(username="csp-hr")
    hr.groups.add(group_for("hr", name="CSP HR"))
    round = ApplicationRoundFactory(name="Kevät 2027", state="closed")
    application = ApplicationFactory(round=round)
    page = logged_in(new_browser_page, live_server, hr)
    urls = {
        "dashboard": "/admin/",
        "application listing": "/admin/tyonohjaus/applications/",
        "application detail": f"/admin/tyonohjaus/applications/inspect/{application.pk}/",
        "matching": "/admin/tyonohjaus/matching/",
        "matching board": f"/admin/tyonohjaus/matching/rounds/{round.pk}/",
    }
    plugin, wagtail = {}, {}
    for name, url in urls.items():
        for item in visit(page, live_server.url + url):
            (plugin if item["plugin"] else wagtail).setdefault(name, []).append(item)
    print("Wagtail admin's own CSP violations:", wagtail)  # noqa: T201
    assert plugin == {}
