"""HR's panel on the Wagtail admin home: numbers, links, permissions, queries, escaping."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from wagtail.models import GroupPagePermission
from wagtail.users.models import UserProfile

from tests.factories import (
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    PrivacyNoticeFactory,
    UserFactory,
)
from tests.test_feedback_reports import XSS_PAYLOADS
from tyonohjaus_plugin.applications.admin import dashboard
from tyonohjaus_plugin.applications.admin.dashboard import (
    ApplicationsDashboardPanel,
    applications_url,
)
from tyonohjaus_plugin.models import Application, ApplicationParticipant, PrivacyNotice

pytestmark = pytest.mark.django_db

HOME = "/admin/"
HEADING = "Work supervision applications"
ALL_CLEAR = "All caught up: no application is waiting for HR."


def notice():
    return PrivacyNotice.objects.first() or PrivacyNoticeFactory()


def make_application(
    round,
    status="submitted",
    format="individual",
    *,
    changed_days_ago=0.0,
    submitted_days_ago=None,
    status_changed=True,
    co_applicants=(),
):
    """An application in ``round`` (None: off-round); ``co_applicants``: their statuses."""
    now = timezone.now()
    if submitted_days_ago is None:
        submitted_days_ago = changed_days_ago
    applicant = UserFactory()
    application = Application.objects.create(
        service_key=round.service_key if round else uuid.uuid4(),
        round=round,
        applicant=applicant,
        format=format,
        languages=["fi"],
        consent_notice=notice(),
        consent_version=1,
        status=status,
        submitted_at=now - datetime.timedelta(days=submitted_days_ago),
        status_changed_at=(
            now - datetime.timedelta(days=changed_days_ago) if status_changed else None
        ),
    )
    holds = status not in ("rejected", "withdrawn", "completed")
    ApplicationParticipant.objects.create(
        application=application,
        round=round,
        user=applicant,
        role="applicant",
        status="confirmed",
        holds_place=holds,
    )
    for participant_status in co_applicants:
        ApplicationParticipantFactory(
            application=application,
            round=round,
            status=participant_status,
            holds_place=holds and participant_status != "declined",
        )
    return application


def admin_user(django_user_model, username, codenames, language="en", time_zone=""):
    user = django_user_model.objects.create_user(username, password="pw")
    if codenames:
        group = Group.objects.create(name=f"Group of {username}")
        group.permissions.add(*Permission.objects.filter(codename__in=codenames))
        user.groups.add(group)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.current_time_zone = time_zone
    profile.save()
    return user


@pytest.fixture
def hr_user(django_user_model):
    return admin_user(django_user_model, "hr", ["access_admin", "view_application"])


@pytest.fixture
def hr_client(client, hr_user):
    client.force_login(hr_user)
    return client


@pytest.fixture
def seeded():
    """A mix in which every number depends on one rule of the panel."""
    now = timezone.now()
    open_round = ApplicationRoundFactory(
        name="Kevät 2027", closes_at=now + datetime.timedelta(days=3, hours=1)
    )
    # Waiting for review: status_changed_at counts, not submitted_at (10 days) ...
    make_application(open_round, changed_days_ago=3, submitted_days_ago=10)
    # ... and an old row without status_changed_at falls back to submitted_at: the oldest, 5 days.
    make_application(
        open_round,
        format="group",
        submitted_days_ago=5,
        status_changed=False,
        co_applicants=["invited", "confirmed"],  # the one unconfirmed group
    )
    make_application(open_round, "in_review", changed_days_ago=20)  # in review too long
    make_application(open_round, "in_review", changed_days_ago=3, submitted_days_ago=30)
    make_application(
        open_round, "in_review", "team", changed_days_ago=1, co_applicants=["confirmed"]
    )
    make_application(open_round, "withdrawn", "team", co_applicants=["invited"])  # not active

    closed_round = ApplicationRoundFactory(
        name="Syksy 2026",
        state="closed",
        opens_at=now - datetime.timedelta(days=90),
        closes_at=now - datetime.timedelta(days=30),
    )
    make_application(closed_round, "in_review", changed_days_ago=2)  # unmatched
    make_application(closed_round, "waitlisted", changed_days_ago=25)  # unmatched
    make_application(closed_round, "waitlisted", "group", co_applicants=["declined"])  # unmatched
    make_application(closed_round, "matched", co_applicants=())
    make_application(closed_round, "rejected")

    matched_round = ApplicationRoundFactory(
        state="matched",
        opens_at=now - datetime.timedelta(days=200),
        closes_at=now - datetime.timedelta(days=150),
    )
    make_application(matched_round, "in_progress")
    ApplicationRoundFactory(
        name="Syksy 2027",
        state="upcoming",
        opens_at=now + datetime.timedelta(days=60),
        closes_at=now + datetime.timedelta(days=90),
    )
    make_application(None, "waitlisted", changed_days_ago=40)  # off-round: never "unmatched"
    return open_round, closed_round


def linked(content, params, text):
    """``text`` appears, linked to the listing with ``params`` once the listing exists."""
    url = applications_url(params)
    if url:
        assert f'<a href="{escape(url)}">{text}</a>' in content, (params, text)
    else:
        assert text in content, text


def test_hr_sees_the_numbers_with_links(hr_client, seeded):
    open_round, closed_round = seeded
    response = hr_client.get(HOME)
    assert response.status_code == 200
    content = response.content.decode()
    assert HEADING in content
    # The open round, with the time left and its own counts.
    assert "Kevät 2027" in content and "(in 3\xa0days)" in content
    assert "Syksy 2027" not in content  # upcoming
    active = [
        ("status", s) for s in ("submitted", "in_review", "matched", "in_progress", "waitlisted")
    ]
    linked(content, [("round", open_round.pk), *active], "5 active applications")
    linked(content, [("round", open_round.pk), ("status", "submitted")], "2 waiting for review")
    linked(content, [("round", open_round.pk), ("unconfirmed", 1)], "1 unconfirmed group")
    # What needs HR.
    linked(
        content,
        [("status", "submitted"), ("ordering", "status_changed_at")],
        "2 applications waiting for review",
    )
    assert "(the oldest has waited 5 days)" in content
    linked(
        content,
        [("status", "in_review"), ("ordering", "status_changed_at")],
        "1 application in review for more than 14 days",
    )
    linked(
        content,
        [("unconfirmed", 1)],
        "1 group or team still waiting for a colleague to confirm",
    )
    linked(content, [("unmatched", 1)], "3 applications without a supervisor in closed rounds")
    assert ALL_CLEAR not in content


def test_panel_speaks_the_admin_language_and_time_zone(django_user_model, client, seeded):
    open_round, _ = seeded
    user = admin_user(
        django_user_model,
        "hr_ny",
        ["access_admin", "view_application"],
        language="fi",
        time_zone="America/New_York",
    )
    client.force_login(user)
    content = client.get(HOME).content.decode()
    closes_at = open_round.closes_at
    # The plugin's one admin format (``tyonohjaus_admin_datetime``).
    with translation.override("fi"):
        in_new_york = date_format(
            timezone.localtime(closes_at, ZoneInfo("America/New_York")), "SHORT_DATETIME_FORMAT"
        )
        in_helsinki = date_format(
            timezone.localtime(closes_at, ZoneInfo("Europe/Helsinki")), "SHORT_DATETIME_FORMAT"
        )
    assert in_new_york in content and in_helsinki not in content
    assert "3\xa0päivää" in content  # Django's own Finnish for the time left


def test_nothing_pending_is_one_friendly_line(hr_client):
    ApplicationRoundFactory(state="upcoming")
    content = hr_client.get(HOME).content.decode()
    assert HEADING in content
    assert ALL_CLEAR in content
    assert "No round is open for applications." in content
    assert "waiting for review" not in content


def test_open_round_without_applications_is_all_clear(hr_client):
    ApplicationRoundFactory(name="Kevät 2027")
    content = hr_client.get(HOME).content.decode()
    assert "Kevät 2027" in content and "0 active applications" in content
    assert ALL_CLEAR in content


def test_user_with_admin_access_only_does_not_see_it(django_user_model, client, seeded):
    client.force_login(admin_user(django_user_model, "plain", ["access_admin"]))
    response = client.get(HOME)
    assert response.status_code == 200
    content = response.content.decode()
    assert HEADING not in content and "Kevät 2027" not in content


def test_page_editor_does_not_see_it(django_user_model, client, homes, seeded):
    editor = admin_user(django_user_model, "editor", ["access_admin"])
    group = editor.groups.get()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=homes["fi"], permission=Permission.objects.get(codename=codename)
        )
    client.force_login(editor)
    response = client.get(HOME)
    assert response.status_code == 200
    assert HEADING not in response.content.decode()


def test_confidential_permission_alone_does_not_open_it(django_user_model, client, seeded):
    user = admin_user(django_user_model, "conf", ["access_admin", "view_confidential_application"])
    client.force_login(user)
    assert HEADING not in client.get(HOME).content.decode()


def test_superuser_sees_it(django_user_model, client, seeded):
    superuser = django_user_model.objects.create_superuser("root", password="pw")
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(superuser)
    content = client.get(HOME).content.decode()
    assert HEADING in content and "3 applications without a supervisor" in content


def test_panel_renders_nothing_for_a_user_without_permission(django_user_model):
    request = RequestFactory().get(HOME)
    request.user = admin_user(django_user_model, "plain", ["access_admin"])
    assert ApplicationsDashboardPanel().render_html({"request": request}) == ""
    panels = []
    dashboard.add_applications_panel(request, panels)
    assert panels == []


def render_panel(user):
    request = RequestFactory().get(HOME)
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        with translation.override("en"):
            html = ApplicationsDashboardPanel().render_html({"request": request})
    return html, len(queries)


def seed_batch(open_round, closed_round, count):
    kinds = [
        {"round": open_round, "status": "submitted", "changed_days_ago": 4},
        {"round": open_round, "status": "in_review", "changed_days_ago": 30},
        {"round": open_round, "format": "group", "co_applicants": ["invited"]},
        {"round": closed_round, "status": "waitlisted"},
        {"round": None, "status_changed": False, "submitted_days_ago": 2},
    ]
    for index in range(count):
        kind = dict(kinds[index % len(kinds)])
        make_application(kind.pop("round"), **kind)


def test_query_count_does_not_grow_with_applications(hr_user):
    now = timezone.now()
    open_rounds = [ApplicationRoundFactory() for _ in range(2)]
    closed_round = ApplicationRoundFactory(
        state="closed",
        opens_at=now - datetime.timedelta(days=40),
        closes_at=now - datetime.timedelta(days=10),
    )
    assert dashboard.can_view_applications(hr_user)  # load the permission cache first
    seed_batch(open_rounds[0], closed_round, 3)
    html, few = render_panel(hr_user)
    assert "2 applications waiting for review" in html
    seed_batch(open_rounds[1], closed_round, 30)
    html, many = render_panel(hr_user)
    assert "20 applications waiting for review" in html  # 2 of the first 3, 18 of the 30
    assert "6 applications without a supervisor in closed rounds" in html
    assert few == many <= 3  # two aggregate queries today


def test_round_names_are_escaped(hr_client):
    for payload in XSS_PAYLOADS:
        round = ApplicationRoundFactory(name=payload[:100])
        make_application(round)
    content = hr_client.get(HOME).content.decode()
    assert HEADING in content
    for payload in XSS_PAYLOADS:
        assert payload not in content
        assert escape(payload[:100]) in content


def test_links_wait_for_the_listing(monkeypatch):
    def missing(name):
        raise NoReverseMatch(name)

    monkeypatch.setattr(dashboard, "reverse", missing)
    assert applications_url([("status", "submitted")]) == ""
    monkeypatch.setattr(dashboard, "reverse", lambda name: "/admin/tyonohjaus/applications/")
    assert applications_url([("status", "submitted"), ("status", "in_review"), ("round", 7)]) == (
        "/admin/tyonohjaus/applications/?status=submitted&status=in_review&round=7"
    )
    assert applications_url() == "/admin/tyonohjaus/applications/"


def test_counts_render_without_links_while_the_listing_is_missing(monkeypatch, hr_client, seeded):
    def missing(name):
        raise NoReverseMatch(name)

    monkeypatch.setattr(dashboard, "reverse", missing)
    content = hr_client.get(HOME).content.decode()
    assert "2 applications waiting for review" in content
    assert "?status=" not in content and "unmatched=1" not in content
