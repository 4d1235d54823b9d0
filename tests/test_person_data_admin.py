"""HR's "Personal data" screens: who may open what, bad ids, the search, one audit entry per
export and per erasure (ids only), and an erasure through HTTP (RELIABILITY tests 17 and 19)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    EmployeeProfileFactory,
    UserFactory,
    external_supervisor,
)
from tests.test_admin_menu import submenu_labels
from tests.utils import final_status
from tyonohjaus_plugin.log_actions import PERSON_ERASED, PERSON_EXPORTED
from tyonohjaus_plugin.models import (
    Application,
    ApplicationParticipant,
    Delivery,
    Engagement,
    EngagementParticipant,
    ErasureTombstone,
    Meeting,
    PersonDataExport,
)
from tyonohjaus_plugin.templatetags.tyonohjaus_plugin_tags import tyonohjaus_admin_datetime

pytestmark = pytest.mark.django_db


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def admin_urls(client):
    client.get("/admin/")


@pytest.fixture
def person(locales):
    person = UserFactory(
        username="pia", first_name="Pia", last_name="Persona", email="pia@example.org"
    )
    EmployeeProfileFactory(user=person)
    ApplicationFactory(applicant=person)
    return person


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def urls(pk):
    return {
        "index": reverse("tyonohjaus_privacy:index"),
        "person": reverse("tyonohjaus_privacy:person", args=[pk]),
        "export_json": reverse("tyonohjaus_privacy:export_json", args=[pk]),
        "export_html": reverse("tyonohjaus_privacy:export_html", args=[pk]),
        "erase": reverse("tyonohjaus_privacy:erase", args=[pk]),
    }


#: Who gets what: "ok" (200), "403" (the admin's permission-denied page), "login" (a redirect
#: to the admin's login: anonymous, or a user without admin access).
MATRIX = {
    "anonymous": dict.fromkeys(("index", "person", "export_json", "export_html", "erase"), "login"),
    "employee": dict.fromkeys(("index", "person", "export_json", "export_html", "erase"), "login"),
    "hr without": dict.fromkeys(("index", "person", "export_json", "export_html", "erase"), "403"),
    "hr export": {
        "index": "ok",
        "person": "ok",
        "export_json": "ok",
        "export_html": "ok",
        "erase": "403",
    },
    "hr erase": {
        "index": "ok",
        "person": "ok",
        "export_json": "403",
        "export_html": "403",
        "erase": "ok",
    },
    "superuser": dict.fromkeys(("index", "person", "export_json", "export_html", "erase"), "ok"),
}


def make_users():
    return {
        "anonymous": None,
        "employee": UserFactory(),
        "hr without": user_with("access_admin", "view_application", "view_engagement"),
        "hr export": user_with("access_admin", "export_person_data"),
        "hr erase": user_with("access_admin", "erase_person"),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


def outcome(response):
    if response.status_code == 200:
        return "ok"
    if response.status_code == 403:
        assert "tyonohjaus_plugin/admin/permission_denied.html" in [
            t.name for t in response.templates
        ]
        return "403"
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return "login"
    return response.status_code


def test_permission_matrix_of_every_view(person, admin_urls):
    users = make_users()
    for role, expected in MATRIX.items():
        client = client_for(users[role])
        for name, url in urls(person.pk).items():
            assert outcome(client.get(url)) == expected[name], (role, name)
        # The erasure itself: refused for everyone but the two with the permission.
        response = client.post(urls(person.pk)["erase"])
        if expected["erase"] == "ok":
            assert response.status_code == 302, role
        else:
            assert outcome(response) == expected["erase"], (role, "erase POST")
            assert not ErasureTombstone.objects.exists(), role
    with translation.override("en"):
        assert "Personal data" in submenu_labels(users["hr export"])
        assert "Personal data" in submenu_labels(users["hr erase"])
        assert "Personal data" not in submenu_labels(users["hr without"])


def test_get_never_erases(person, admin_urls):
    client = client_for(user_with("access_admin", "erase_person", "export_person_data"))
    for url in urls(person.pk).values():
        client.get(url)
    assert not ErasureTombstone.objects.exists()
    assert Application.objects.get().applicant == person


def test_malformed_and_unknown_ids_are_404(person, admin_urls):
    client = client_for(UserFactory(is_superuser=True))
    prefix = reverse("tyonohjaus_privacy:index")
    for bad in ("abc", "0", "-1", "1.5", "²", str(2**63), "99999999"):
        for suffix in ("", "export.json", "export/", "erase/"):
            # (A path without its slash is first redirected to the one with it: APPEND_SLASH.)
            response = client.get(f"{prefix}{bad}/{suffix}", follow=True)
            assert response.status_code == 404, (bad, suffix)
    response = client.post(f"{prefix}99999999/erase/")
    assert final_status(client, response) == 404
    assert not ErasureTombstone.objects.exists()
    assert not ModelLogEntry.objects.filter(action__startswith="tyonohjaus_plugin.person").exists()


def test_search_by_name_username_or_email(person, admin_urls):
    other = UserFactory(username="aino", first_name="Aino", last_name="Lehto", email="a@x.org")
    client = client_for(user_with("access_admin", "export_person_data"))
    index = reverse("tyonohjaus_privacy:index")
    for query in ("Pia Persona", "pia", "pia@example", "PERSONA"):
        response = client.get(index, {"q": query})
        assert response.status_code == 200
        found = response.context["people"]
        assert [p.pk for p in found] == [person.pk], query
        assert found[0].has_data
    (aino,) = client.get(index, {"q": "Lehto"}).context["people"]
    assert aino.pk == other.pk and not aino.has_data
    # No query yet: the form only; an empty, too short or too long one: the field says so.
    assert client.get(index).context["people"] is None
    with translation.override("en"):
        for query, message in (
            ("  ", "Type a name, username or e-mail address to search."),
            ("p", "Type at least 2 characters."),
            ("x" * 101, "Type at most 100 characters."),
            ("a\x00b", "Null characters are not allowed."),
        ):
            response = client.get(index, {"q": query}, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 400, query
            assert response.context["people"] is None
            assert message in response.content.decode(), query


def test_the_person_page_counts_and_names_the_engagements(person, admin_urls):
    supervisor = external_supervisor("Ohjaaja Oona")
    own = Application.objects.get(applicant=person)
    engagement = Engagement.objects.create(
        application=own, supervisor=supervisor, state="in_progress", confirmed_at=timezone.now()
    )
    EngagementParticipant.objects.create(engagement=engagement, user=person)
    client = client_for(user_with("access_admin", "erase_person"))
    response = client.get(urls(person.pk)["person"])
    content = response.content.decode()
    held = {row["key"]: row["count"] for row in response.context["holdings"]}
    assert held["applications"] == 1 and held["engagements"] == 1 and held["profile"] == 1
    assert response.context["ends"] == [engagement]
    assert "Ohjaaja Oona" in content and "Pia Persona" in content
    assert "no-store" in response["Cache-Control"]


def audit_entries(action):
    return list(ModelLogEntry.objects.filter(action=action))


def assert_ids_only(entry, person):
    text = f"{entry.label} {entry.data}"
    for personal in (person.username, person.email, person.first_name, person.last_name):
        assert personal not in text, personal


def test_each_export_writes_one_audit_entry_with_ids_only(person, admin_urls):
    hr = user_with("access_admin", "export_person_data")
    client = client_for(hr)
    client.get(urls(person.pk)["person"])  # looking is not exporting
    assert audit_entries(PERSON_EXPORTED) == []
    for format, name in (("json", "export_json"), ("html", "export_html")):
        before = len(audit_entries(PERSON_EXPORTED))
        assert client.get(urls(person.pk)[name]).status_code == 200
        entries = audit_entries(PERSON_EXPORTED)
        assert len(entries) == before + 1
        entry = entries[0]
        record = PersonDataExport.objects.get(pk=entry.object_id)
        assert entry.label == f"Person data export #{record.pk}"
        assert entry.user_id == hr.pk
        assert entry.data == {"user_id": person.pk, "format": format}
        assert_ids_only(entry, person)


def make_in_progress_group(person):
    """The person's own individual application with an engagement in progress, and their
    membership in a colleague's group application."""
    supervisor = external_supervisor("Ohjaaja Oona")
    own = Application.objects.get(applicant=person)
    own.status = "matched"
    own.save()
    engagement = Engagement.objects.create(
        application=own, supervisor=supervisor, state="in_progress", confirmed_at=timezone.now()
    )
    EngagementParticipant.objects.create(engagement=engagement, user=person)
    starts = timezone.now() + datetime.timedelta(days=7)
    Meeting.objects.create(
        engagement=engagement,
        number=1,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )
    colleague = UserFactory(username="colleague")
    group = ApplicationFactory(
        round=ApplicationRoundFactory(),
        applicant=colleague,
        format="group",
        situation="COLLEAGUE-SITUATION",
        goals="COLLEAGUE-GOALS",
    )
    ApplicationParticipantFactory(application=group, user=person, status="confirmed")
    return own, engagement, supervisor, group


def test_erasure_through_http(person, admin_urls):
    own, engagement, supervisor, group = make_in_progress_group(person)
    hr = user_with("access_admin", "erase_person")
    client = client_for(hr)
    confirm = client.get(urls(person.pk)["erase"])
    assert confirm.status_code == 200
    assert confirm.context["ends"] == [engagement]
    assert 'name="csrfmiddlewaretoken"' in confirm.content.decode()

    response = client.post(urls(person.pk)["erase"])
    assert response.status_code == 302 and response["Location"] == urls(person.pk)["person"]

    tombstone = ErasureTombstone.objects.get(user_id=person.pk)
    own.refresh_from_db()
    assert own.status == "withdrawn" and own.applicant_id is None and own.situation == ""
    assert own.anonymised_at is not None
    engagement.refresh_from_db()
    assert engagement.state == "cancelled"
    # The supervisor is told: cancellations on their way (the send job runs after the commit).
    pending = Delivery.objects.filter(
        kind="invitation", recipient=f"s{supervisor.pk}", state="pending"
    )
    assert pending.exists()
    assert not Delivery.objects.filter(recipient=f"u{person.pk}").exists()
    # Detached from the colleague's group; the colleague's answers untouched.
    group.refresh_from_db()
    assert group.situation == "COLLEAGUE-SITUATION" and group.goals == "COLLEAGUE-GOALS"
    assert group.applicant.username == "colleague"
    assert not ApplicationParticipant.objects.filter(user=person).exists()
    assert group.participants.count() == 2  # the place stays, without the person

    (entry,) = audit_entries(PERSON_ERASED)
    assert entry.user_id == hr.pk and entry.object_id == str(tombstone.pk)
    assert entry.data["user_id"] == person.pk
    assert_ids_only(entry, person)

    page = client.get(response["Location"])
    assert page.context["erased_at"] == tombstone.erased_at
    assert tyonohjaus_admin_datetime(tombstone.erased_at) in page.content.decode()
    messages = [str(m) for m in page.context["messages"]]
    assert len(messages) == 1
