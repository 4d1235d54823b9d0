"""RELIABILITY test 21: oversized and malformed input over HTTP. A 5 MiB body and 1,001 fields
are a 400 with nothing stored (Django's DATA_UPLOAD_MAX_MEMORY_SIZE and
DATA_UPLOAD_MAX_NUMBER_FIELDS), text one character over a limit is a form error, and generated
dates and member lists never produce a 5xx."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.plugin_urls import build_site, client_for
from tests.utils import APPLICATION_FORM as FORM
from tyonohjaus_plugin.models import Application, FeedbackResponse
from tyonohjaus_plugin.models.applications import GOALS_MAX_LENGTH, SITUATION_MAX_LENGTH

pytestmark = pytest.mark.django_db

FIVE_MIB = 5 * 1024 * 1024
HYPOTHESIS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def page(open_service_page):
    return open_service_page


@pytest.fixture
def employee(client):
    user = UserFactory(email="emma@example.org")
    client.force_login(user)
    return user


def urlencoded(fields):
    return "&".join(f"{name}={value}" for name, value in fields)


def test_a_5_mib_body_is_400_and_nothing_is_stored(client, page, employee):
    body = urlencoded([*[(k, "on") for k in ("format", "consent")], ("situation", "x" * FIVE_MIB)])
    response = client.post(
        f"/fi/hr/apply/{page.pk}/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert Application.objects.count() == 0
    feedback = Client().post(
        f"/fi/hr/feedback/{page.pk}/", body, content_type="application/x-www-form-urlencoded"
    )
    assert feedback.status_code == 400
    assert FeedbackResponse.objects.count() == 0


def test_1001_fields_are_400_and_nothing_is_stored(client, page, employee):
    fields = [*FORM.items()][:5] + [(f"f{n}", "x") for n in range(1001)]
    body = urlencoded((name, value if isinstance(value, str) else "fi") for name, value in fields)
    response = client.post(
        f"/fi/hr/apply/{page.pk}/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "limit"), [("situation", SITUATION_MAX_LENGTH), ("goals", GOALS_MAX_LENGTH)]
)
def test_text_one_character_over_the_limit_is_a_form_error(client, page, employee, field, limit):
    response = client.post(f"/fi/hr/apply/{page.pk}/", {**FORM, field: "ä" * (limit + 1)})
    assert response.status_code == 400
    assert field in response.context["application"]["form"].errors
    assert Application.objects.count() == 0
    exact = client.post(f"/fi/hr/apply/{page.pk}/", {**FORM, field: "ä" * limit})
    assert exact.status_code == 303


# -- hypothesis: member lists and dates over HTTP (500 examples in all) ---------------------------

ADDRESS = st.one_of(
    st.sampled_from(["colleague@example.org", "employee@example.org", "root@example.org"]),
    st.emails(),
    st.text(max_size=40),
)


@settings(HYPOTHESIS, max_examples=250)
@given(members=st.lists(ADDRESS, max_size=6), separator=st.sampled_from([" ", ",", ";", "\n"]))
def test_generated_member_lists_never_5xx(site, members, separator):
    users, _ids, _tokens, page, _real = site
    applicant = UserFactory()  # a fresh applicant: each example reaches the member checks
    data = {**FORM, "format": "group", "co_applicants": separator.join(members)}
    response = client_for(applicant).post(f"/fi/hr/apply/{page.pk}/", data)
    assert response.status_code in (303, 400, 409), response.status_code


DATE_TEXT = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(str),
    st.text(alphabet="0123456789-.:/ T", max_size=25),
    st.sampled_from(["9999-12-31", "0001-01-01", "2027-02-29", "2026-03-29", "2026-10-25", ""]),
)
TIME_TEXT = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")), st.text(max_size=8))


@settings(HYPOTHESIS, max_examples=250)
@given(
    which=st.sampled_from(["move", "round"]),
    day=DATE_TEXT,
    other_day=DATE_TEXT,
    at=TIME_TEXT,
)
def test_generated_dates_never_5xx(site, which, day, other_day, at):
    """Meeting moves (across DST, at the end of the calendar) and round dates."""
    users, _ids, _tokens, _page, real = site
    client = client_for(users["superuser"])
    if which == "move":
        meeting = real["meetings"]
        url = f"/admin/tyonohjaus/engagements/meetings/{meeting}/move/"
        data = {f"m{meeting}-day": day, f"m{meeting}-at": at}
    else:
        url = reverse("tyonohjaus_rounds:add")
        data = {
            "name": "Syksy",
            "service": "",
            "opens_at": f"{day} {at}",
            "closes_at": f"{other_day} {at}",
            "programme_starts_on": day,
            "programme_ends_on": other_day,
            "target_places": "5",
        }
    response = client.post(url, data)
    assert response.status_code < 500, (url, data)


@pytest.fixture
def site(service_pages, locales):
    return build_site(service_pages["fi"], locales)


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_round_dates_outside_the_years_are_a_form_error(site, day):
    """Year 1 in Helsinki is before year 1 in UTC: it was an OverflowError (500)."""
    users, *_rest = site
    data = {
        "name": "Syksy",
        "opens_at": f"{day} 00:00",
        "closes_at": f"{day} 23:59",
        "programme_starts_on": day,
        "programme_ends_on": day,
    }
    response = client_for(users["superuser"]).post(reverse("tyonohjaus_rounds:add"), data)
    assert response.status_code == 200
    assert "opens_at" in response.context["form"].errors
