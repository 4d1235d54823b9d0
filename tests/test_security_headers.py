"""RELIABILITY test 2 and issue 14 item 9: the security headers on every plugin URL, and
``Cache-Control: private, no-store`` with ``Vary: Cookie`` on every page with personal data."""

import pytest
from django.utils.cache import has_vary_header

from tests.plugin_urls import ROLES, build_site, client_for, fill, plugin_routes, real_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(service_pages, locales):
    return build_site(service_pages["fi"], locales)


def assert_security_headers(response, where):
    assert response.get("X-Frame-Options") == "DENY", where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin"), (
        where
    )


def assert_personal(response, where):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (where, response.get("Cache-Control"))
    assert has_vary_header(response, "Cookie"), where


@pytest.mark.parametrize("role", ROLES)
def test_every_plugin_url_carries_the_security_headers(site, role):
    """Each route with ids of rows that exist, GET and POST, whatever the answer (200, 302 to
    the login, 403, 404, 405): 100 % carry the headers."""
    users, _ids, _tokens, page, real = site
    client = client_for(users[role])
    routes = [*plugin_routes(), page.url.lstrip("/")]
    for route in routes:
        path = fill(route, real_value(route, real))
        for method in (client.get, client.post):
            response = method(path)
            assert_security_headers(response, (role, method.__name__, path, response.status_code))
    assert len(routes) > 90


def test_every_personal_page_is_private_and_not_stored(site, django_capture_on_commit_callbacks):
    users, _ids, tokens, page, real = site
    employee, colleague = client_for(users["employee"]), client_for(users["employee"])
    colleague.force_login(users["employee"].__class__.objects.get(username="colleague"))
    application = real["applications"]
    pages = {
        "service page, signed in": employee.get(page.url),
        "form with errors": employee.post(f"/fi/hr/apply/{page.pk}/", {"format": "x"}),
        "thank-you": employee.get(f"/fi/hr/applications/{application}/received/"),
        "my applications": employee.get("/fi/hr/my-applications/"),
        "edit": employee.get(f"/fi/hr/applications/{application}/edit/"),
        "my data": employee.get("/fi/hr/my-data.json"),
        "people search": employee.get("/fi/hr/people/?q=col"),
        "invitation": colleague.get(f"/fi/hr/invitations/{tokens[0]}/"),
        "evaluation": employee.get(f"/fi/hr/evaluations/{tokens[1]}/"),
        "feedback answer": employee.post(f"/fi/hr/feedback/{page.pk}/", {"answer": "yes"}),
    }
    for name, response in pages.items():
        assert response.status_code in (200, 303, 400), (name, response.status_code)
        assert_security_headers(response, name)
        assert_personal(response, name)


def test_the_service_page_is_cacheable_for_anonymous_visitors(site):
    """Nothing personal on it without a login: shared caches may keep it (per Vary: Cookie)."""
    *_rest, page, _real = site
    response = client_for(None).get(page.url)
    assert response.status_code == 200
    assert_security_headers(response, "anonymous service page")
    assert "no-store" not in response.get("Cache-Control", "")
