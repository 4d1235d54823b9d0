"""Never a 500: ids that are not valid primary keys (too big for the database, negative, Unicode
digits such as "²" that ``str.isdigit()`` accepts and ``int()`` refuses) answer 404 or a form
error, on SQLite and PostgreSQL (issue 14, item 5; RELIABILITY test 21)."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry

from tests.factories import (
    ApplicationFactory,
    MatchRunFactory,
    ThemeFactory,
    UserFactory,
)
from tests.plugin_urls import ROLES, build_site, client_for, fill, plugin_routes
from tests.utils import APPLICATION_FORM as FORM
from tests.utils import final_status, group_for
from tyonohjaus_plugin.core.ids import MAX_PK, parse_pk
from tyonohjaus_plugin.models import Application, ApplicationRound, Supervisor

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 7 ", None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: int() takes them, ids never have them
        ("", None),
        (None, None),
        (HUGE, None),
        (str(MAX_PK), MAX_PK),
        (str(MAX_PK + 1), None),
        (12, 12),
        (True, None),
        ("1" * 10_000, None),
    ],
)
def test_parse_pk(value, expected):
    assert parse_pk(value) == expected


@pytest.fixture
def world(open_round, service_pages, locales):
    page, round = service_pages["fi"], open_round
    ThemeFactory(locale=locales["fi"])
    employee = UserFactory()
    application = ApplicationFactory(round=round, applicant=employee)
    hr = UserFactory()
    hr.groups.add(group_for("hr"))
    return {
        "page": page,
        "round": round,
        "employee": employee,
        "application": application,
        "hr": hr,
    }


def test_feedback_on_a_huge_page_id_is_404_for_anyone():
    response = Client().post(f"/fi/hr/feedback/{HUGE}/", {"helpful": "yes"})
    assert response.status_code == 404


def test_apply_on_a_huge_page_id_is_404(world):
    response = client_for(world["employee"]).post(f"/fi/hr/apply/{HUGE}/", FORM)
    assert response.status_code == 404


@pytest.mark.parametrize("theme", [HUGE, "²", "-3", "0"])
def test_a_bad_theme_id_on_apply_is_a_form_error(world, theme):
    applicant = UserFactory()
    page = world["page"]
    response = client_for(applicant).post(f"/fi/hr/apply/{page.pk}/", {**FORM, "themes": theme})
    assert response.status_code == 400
    assert response.context["application"]["form"].errors["themes"]
    assert not Application.objects.filter(applicant=applicant).exists()


@pytest.mark.parametrize("theme", [HUGE, "²"])
def test_a_bad_theme_id_on_edit_is_a_form_error(world, theme):
    application = world["application"]
    response = client_for(world["employee"]).post(
        f"/fi/hr/applications/{application.pk}/edit/", {**FORM, "themes": theme}
    )
    assert response.status_code == 400
    assert "themes" in response.context["form"].errors


@pytest.mark.parametrize("value", [HUGE, "²"])
def test_matching_confirm_with_a_bad_application_id_is_404(world, value):
    run = MatchRunFactory(round=world["round"])
    url = f"/admin/tyonohjaus/matching/runs/{run.pk}/confirm/?application={value}"
    client = client_for(world["hr"])
    assert final_status(client, client.get(url)) == 404


@pytest.mark.parametrize("view", ["change_status", "export"])
@pytest.mark.parametrize("value", [HUGE, "²"])
def test_bulk_views_ignore_ids_that_are_not_ids(world, view, value):
    url = f"/admin/bulk/tyonohjaus_plugin/application/{view}/?id={value}"
    response = client_for(world["hr"]).get(url)
    assert response.status_code == 200
    assert response.context["ignored"] == 1


@pytest.mark.parametrize(
    "url",
    [
        f"/fi/hr/applications/{HUGE}/received/",
        f"/fi/hr/applications/{HUGE}/edit/",
        f"/fi/hr/applications/{HUGE}/withdraw/",
        f"/admin/tyonohjaus/applications/inspect/{HUGE}/",
        f"/admin/tyonohjaus/applications/edit/{HUGE}/",
        f"/admin/tyonohjaus/applications/history/{HUGE}/",
        f"/admin/tyonohjaus/applications/{HUGE}/status/",
        f"/admin/tyonohjaus/matching/rounds/{HUGE}/",
        f"/admin/tyonohjaus/engagements/{HUGE}/",
    ],
)
def test_huge_ids_in_paths_are_404(world, url):
    client = client_for(world["hr"])
    assert final_status(client, client.get(url)) in (404, 405)  # 405: a POST-only view
    assert final_status(client, client.post(url)) == 404


# -- every plugin URL, every role, random ids and parameters (hypothesis) ------------------------

#: Values for ids, tokens and parameters: real ids (to reach the code behind the lookups), numbers
#: no database column holds, signs, Unicode digits, empty and very long strings, any text.
BAD_IDS = [HUGE, str(MAX_PK + 1), "-1", "0", "²", "١٢", "", "9" * 400, "1e3", " 1", "0x10"]
PARAMETERS = (
    "id", "application", "themes", "status", "expected_status", "pair", "supervisor", "next",
    "p", "q", "view", "export", "decision", "format", "languages", "co_applicants", "helpful",
    "comment", "starts_at", "ends_at", "round", "ordering", "locale", "answer", "goals_reached",
)  # fmt: skip
EXAMPLES = 250


def values(ids, tokens):
    real = st.sampled_from([str(pk) for pk in ids] + tokens)
    return st.one_of(
        real,
        st.sampled_from(BAD_IDS),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(max_size=30),
        st.text(alphabet="0123456789²³¹٠١٢", min_size=1, max_size=25),
    )


@pytest.fixture
def site(service_pages, locales):
    return build_site(service_pages["fi"], locales)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_plugin_url_answers_5xx_to_random_ids_and_parameters(site, data):
    """Any exception in a view is raised by the test client: the property is "no exception and
    no 5xx". ``pytest --hypothesis-show-statistics`` prints the number of examples run. The rows
    persist between examples (one database per test), so a delete or withdraw in one example is a
    missing id in the next one: both are inputs worth trying."""
    users, ids, tokens, page, _real = site
    routes = ROUTES + [page.url.lstrip("/")]
    route = data.draw(st.sampled_from(routes), label="route")
    path = fill(route, lambda _converter, _name: data.draw(values(ids, tokens)))
    role = data.draw(st.sampled_from(ROLES), label="role")
    method = data.draw(st.sampled_from(["get", "post"]), label="method")
    params = data.draw(
        st.dictionaries(
            st.sampled_from(PARAMETERS), st.lists(values(ids, tokens), max_size=3), max_size=4
        ),
        label="params",
    )
    client = client_for(users[role])
    if method == "get":
        response = client.get(path, params)
    else:
        response = client.post(path, params)
    assert response.status_code < 500, (method, path, params, role)


ROUTES: list[str] = []


@pytest.fixture(autouse=True, scope="module")
def _routes():
    ROUTES[:] = plugin_routes()


def test_every_plugin_url_with_a_bad_id(site):
    """The same without chance: each route with an id, a too-big and a Unicode-digit id, GET
    and POST, as the superuser (who passes every permission check and reaches every lookup)."""
    users, ids, tokens, page, _real = site
    client = client_for(users["superuser"])
    checked = 0
    for route in plugin_routes():
        if "<" not in route:
            continue
        for bad in (HUGE, "²"):
            path = fill(route, lambda _converter, _name, bad=bad: bad)
            assert client.get(path).status_code < 500, path
            assert client.post(path).status_code < 500, path
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("model", ["theme", "privacynotice", "provider"])
def test_the_snippet_choosers_take_only_ids(site, model):
    """Wagtail's chooser URLs of the plugin's snippets: chosen/<str:pk>/, ?id= and create."""
    users, *_rest = site
    client = client_for(users["hr"])
    base = f"/admin/snippets/choose/tyonohjaus_plugin/{model}"
    assert final_status(client, client.get(f"{base}/chosen/%C2%B2/")) == 404
    assert final_status(client, client.get(f"{base}/chosen/{HUGE}/")) == 404
    response = client.get(f"{base}/chosen-multiple/", {"id": ["²", HUGE, "-1"]})
    assert response.status_code == 200
    assert final_status(client, client.post(f"{base}/create/")) in (403, 404)


def test_deleting_a_supervisor_or_round_still_in_use_is_refused_not_a_500(site):
    """The plugin's records are not in Wagtail's reference index: PROTECT was a 500."""
    users, *_rest, real = site
    client = client_for(users["superuser"])
    for url in (
        f"/admin/tyonohjaus/supervisors/delete/{real['supervisors']}/",
        f"/admin/tyonohjaus/rounds/delete/{real['rounds']}/",
        f"/admin/tyonohjaus_plugin/privacy-notices/delete/{real['privacy']}/",
    ):
        response = client.post(url)
        # 302: Wagtail's own refusal where its reference index knows the use (to the dashboard).
        assert response.status_code in (302, 409), url
    supervisor_delete = f"/admin/tyonohjaus/supervisors/delete/{real['supervisors']}/"
    assert client.post(supervisor_delete).status_code == 409
    assert Supervisor.objects.filter(pk=real["supervisors"]).exists()
    assert ApplicationRound.objects.filter(pk=real["rounds"]).exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.delete").exists()
