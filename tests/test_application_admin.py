"""HR's applications admin: who sees what, the workflow, bulk actions, exports and the audit log."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import GroupPagePermission, ModelLogEntry, Page

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    UserFactory,
)
from tests.utils import final_status, group_for
from tyonohjaus_plugin.models import Application, ApplicationExport

pytestmark = pytest.mark.django_db

ADMIN = "/admin/tyonohjaus/applications/"
SITUATION = "Esihenkilön vaihdos kuormittaa minua salaisesti"
GOALS = "Tavoitteena luottamuksellinen selkeys"


def group_with(name, codenames):
    group = Group.objects.create(name=name)
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    return group


@pytest.fixture
def people(db):
    """One user per role; page editors may edit every page but get nothing of applications."""
    editor_group = group_with("Service page editors", ["access_admin"])
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=editor_group,
            page=Page.get_first_root_node(),
            permission=Permission.objects.get(codename=codename),
        )
    users = {
        "employee": UserFactory(username="employee"),
        "editor": UserFactory(username="editor"),
        "assistant": UserFactory(username="assistant"),
        "hr": UserFactory(username="hr"),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    users["editor"].groups.add(editor_group)
    # HR and the assistant with their application permissions only.
    assistant = group_for("hr_assistant", models=["application"], name="Test HR assistants")
    users["assistant"].groups.add(assistant)
    users["hr"].groups.add(group_for("hr", models=["application"], name="Test HR"))
    return users


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def applications(db):
    round = ApplicationRoundFactory(name="Kevät 2027")
    return [
        ApplicationFactory(round=round, situation=SITUATION, goals=GOALS),
        ApplicationFactory(round=round, format="group", status="in_review"),
        ApplicationFactory(round=None, off_round_reason="Kiireellinen tilanne"),
    ]


def export_rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(body.decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


# -- permission matrix ---------------------------------------------------------------------------

VIEWS = {
    "list": ("get", lambda a: ADMIN),
    "detail": ("get", lambda a: f"{ADMIN}inspect/{a.pk}/"),
    "edit": ("get", lambda a: f"{ADMIN}edit/{a.pk}/"),
    "history": ("get", lambda a: f"{ADMIN}history/{a.pk}/"),
    "status": ("post", lambda a: f"{ADMIN}{a.pk}/status/"),
    "export": ("get", lambda a: f"{ADMIN}?export=csv"),
    "bulk": (
        "get",
        lambda a: f"/admin/bulk/tyonohjaus_plugin/application/change_status/?id={a.pk}",
    ),
    "bulk_export": (
        "get",
        lambda a: f"/admin/bulk/tyonohjaus_plugin/application/export/?id={a.pk}",
    ),
    "add": ("get", lambda a: f"{ADMIN}new/"),
    "delete": ("get", lambda a: f"{ADMIN}delete/{a.pk}/"),
}
LOGIN = 302  # anonymous users are sent to the login page
#: role → view → expected status. 404: the object is outside the user's permitted queryset.
EXPECTED = {
    "anonymous": dict.fromkeys(VIEWS, LOGIN),
    "employee": dict.fromkeys(VIEWS, LOGIN),  # no admin access: Wagtail redirects to login
    "editor": {
        "list": 403, "detail": 404, "edit": 404, "history": 404, "status": 403,
        "export": 403, "bulk": 403, "bulk_export": 403, "add": 302, "delete": 302,
    },
    "assistant": {
        "list": 200, "detail": 200, "edit": 200, "history": 200, "status": 302,
        "export": 403, "bulk": 200, "bulk_export": 403, "add": 302, "delete": 302,
    },
    "hr": {
        "list": 200, "detail": 200, "edit": 200, "history": 200, "status": 302,
        "export": 200, "bulk": 200, "bulk_export": 200, "add": 302, "delete": 302,
    },
    "superuser": {
        "list": 200, "detail": 200, "edit": 200, "history": 200, "status": 302,
        "export": 200, "bulk": 200, "bulk_export": 200, "add": 302, "delete": 302,
    },
}  # fmt: skip


@pytest.mark.parametrize("role", list(EXPECTED))
def test_permission_matrix(role, people, applications):
    application = applications[0]
    client = client_for(people.get(role))
    deviations = []
    for view, (method, url) in VIEWS.items():
        if method == "post":
            response = client.post(url(application), {"status": "in_review"})
        else:
            response = client.get(url(application))
        status = final_status(client, response)
        if status != EXPECTED[role][view]:
            deviations.append((view, status, EXPECTED[role][view]))
        if EXPECTED[role][view] in (302, 403, 404) and not getattr(response, "streaming", False):
            assert SITUATION not in response.content.decode(), (role, view)
    assert deviations == []
    # add/delete never exist for applications, not even for superusers
    assert Application.objects.count() == 3


def test_page_editor_reads_no_application(people, applications):
    client = client_for(people["editor"])
    for application in applications:
        for path in (f"{ADMIN}inspect/{application.pk}/", f"{ADMIN}history/{application.pk}/"):
            assert final_status(client, client.get(path)) == 404
    menu = client.get("/admin/").content.decode()
    assert ADMIN not in menu


def test_foreign_and_missing_ids_are_404_for_hr(people, applications):
    client = client_for(people["hr"])
    assert final_status(client, client.get(f"{ADMIN}inspect/999999/")) == 404
    response = client.post(f"{ADMIN}999999/status/", {"status": "in_review"})
    assert final_status(client, response) == 404


# -- free text ------------------------------------------------------------------------------------


def test_hr_reads_free_text_and_the_assistant_does_not(people, applications):
    application = applications[0]
    hr = client_for(people["hr"]).get(f"{ADMIN}inspect/{application.pk}/").content.decode()
    assert SITUATION in hr and GOALS in hr
    assistant = client_for(people["assistant"]).get(f"{ADMIN}inspect/{application.pk}/")
    content = assistant.content.decode()
    assert assistant.status_code == 200
    assert SITUATION not in content and GOALS not in content
    assert application.applicant.email in content  # administrative data stays visible


def test_listing_shows_no_free_text(people, applications):
    content = client_for(people["hr"]).get(ADMIN).content.decode()
    assert "Application #" in content or "Hakemus" in content
    assert SITUATION not in content and GOALS not in content


# -- listing --------------------------------------------------------------------------------------


def listed_ids(client, query=""):
    response = client.get(f"{ADMIN}results/{query}")
    assert response.status_code == 200
    return {
        application.pk
        for application in Application.objects.all()
        if f"{ADMIN}inspect/{application.pk}/" in response.content.decode()
    }


def test_filters_and_search(people, applications):
    individual, group, off_round = applications
    client = client_for(people["hr"])
    assert listed_ids(client) == {a.pk for a in applications}
    assert listed_ids(client, "?status=in_review") == {group.pk}
    assert listed_ids(client, "?status=in_review&status=submitted") == {a.pk for a in applications}
    assert listed_ids(client, "?format=group") == {group.pk}
    assert listed_ids(client, "?off_round=true") == {off_round.pk}
    assert listed_ids(client, f"?round={individual.round_id}") == {individual.pk, group.pk}
    assert listed_ids(client, "?language=sv") == set()
    applicant = individual.applicant
    applicant.first_name, applicant.last_name = "Saara", "Virtanen"
    applicant.save()
    assert listed_ids(client, "?q=saara+virtanen") == {individual.pk}
    # free text is not searchable
    assert listed_ids(client, "?q=salaisesti") == set()


def test_unit_filter_matches_any_member(people, applications):
    from tyonohjaus_plugin.models import EmployeeProfile

    group = applications[1]
    member = UserFactory()
    ApplicationParticipantFactory(application=group, user=member, status="confirmed")
    EmployeeProfile.objects.create(user=member, unit_code="H123", unit_name="Kemian laitos")
    client = client_for(people["hr"])
    assert listed_ids(client, "?unit=h123") == {group.pk}
    assert listed_ids(client, "?unit=kemian") == {group.pk}


# -- workflow -------------------------------------------------------------------------------------


def test_status_change_is_guarded_logged_and_visible_in_history(people, applications):
    application = applications[0]
    client = client_for(people["hr"])
    response = client.post(
        f"{ADMIN}{application.pk}/status/", {"status": "in_review", "expected_status": "submitted"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "in_review"
    entries = ModelLogEntry.objects.filter(action="tyonohjaus_plugin.application.status_changed")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user_id == people["hr"].pk
    assert entry.data == {"from": "submitted", "to": "in_review"}
    assert entry.label == f"Application #{application.pk}"
    assert application.events.filter(kind="status_changed", status="in_review").exists()
    history = client.get(f"{ADMIN}history/{application.pk}/").content.decode()
    assert "tyonohjaus_plugin" not in history or "status" in history


def test_stale_and_invalid_transitions_are_refused_with_409(people, applications):
    application = applications[0]
    client = client_for(people["hr"])
    stale = client.post(
        f"{ADMIN}{application.pk}/status/", {"status": "in_review", "expected_status": "in_review"}
    )
    assert stale.status_code == 409
    jump = client.post(f"{ADMIN}{application.pk}/status/", {"status": "completed"})
    assert jump.status_code == 409
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not ModelLogEntry.objects.filter(
        action="tyonohjaus_plugin.application.status_changed"
    ).exists()


def test_rejecting_frees_places_and_reconsidering_takes_them_back(people, applications):
    application = applications[0]
    client = client_for(people["hr"])
    client.post(f"{ADMIN}{application.pk}/status/", {"status": "rejected"})
    assert not application.participants.filter(holds_place=True).exists()
    client.post(f"{ADMIN}{application.pk}/status/", {"status": "in_review"})
    assert application.participants.filter(holds_place=True).count() == 1


def test_reconsidering_refuses_when_the_person_applied_again(people, applications):
    application = applications[0]
    client = client_for(people["hr"])
    client.post(f"{ADMIN}{application.pk}/status/", {"status": "rejected"})
    ApplicationFactory(round=application.round, applicant=application.applicant)
    response = client.post(f"{ADMIN}{application.pk}/status/", {"status": "in_review"})
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.status == "rejected"


def test_assistant_edits_the_note_and_it_is_logged_without_its_text(people, applications):
    application = applications[0]
    client = client_for(people["assistant"])
    response = client.post(f"{ADMIN}edit/{application.pk}/", {"hr_note": "Soitettu, odottaa"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.hr_note == "Soitettu, odottaa"
    entry = ModelLogEntry.objects.get(action="tyonohjaus_plugin.application.note_edited")
    assert entry.user_id == people["assistant"].pk
    assert "Soitettu" not in str(entry.data) and "Soitettu" not in entry.label


def test_viewing_the_detail_is_logged_once_per_view(people, applications):
    application = applications[0]
    client = client_for(people["assistant"])
    client.get(f"{ADMIN}inspect/{application.pk}/")
    client.get(f"{ADMIN}inspect/{application.pk}/")
    entries = ModelLogEntry.objects.filter(action="tyonohjaus_plugin.application.viewed")
    assert entries.count() == 2
    assert all(entry.data == {"confidential": False, "screen": "application"} for entry in entries)
    client_for(people["hr"]).get(f"{ADMIN}inspect/{application.pk}/")
    expected = {"confidential": True, "screen": "application"}
    assert entries.filter(user=people["hr"]).get().data == expected


# -- bulk -----------------------------------------------------------------------------------------


def test_bulk_status_change_touches_only_permitted_and_allowed(people, applications):
    submitted, in_review, off_round = applications
    client = client_for(people["hr"])
    ids = f"id={submitted.pk}&id={in_review.pk}&id=999999&id=abc"
    url = f"/admin/bulk/tyonohjaus_plugin/application/change_status/?{ids}"
    confirm = client.get(url)
    assert confirm.status_code == 200
    response = client.post(url, {"status": "in_review"})
    assert response.status_code == 302
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {
        submitted.pk: "in_review",
        in_review.pk: "in_review",
        off_round.pk: "submitted",
    }
    assert (
        ModelLogEntry.objects.filter(action="tyonohjaus_plugin.application.status_changed").count()
        == 1
    )


def test_bulk_by_someone_without_the_permission_changes_nothing(people, applications):
    ids = "&".join(f"id={a.pk}" for a in applications)
    url = f"/admin/bulk/tyonohjaus_plugin/application/change_status/?{ids}"
    for role in ("editor", "employee"):
        client_for(people[role]).post(url, {"status": "rejected"})
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted", "in_review"}


# -- exports --------------------------------------------------------------------------------------


def test_csv_export_is_logged_and_confidential_only_with_permission(people, applications):
    hr = client_for(people["hr"])
    response = hr.get(f"{ADMIN}?export=csv&status=submitted&q=example.org")
    rows = export_rows(response)
    assert len(rows) == 1 + 2
    assert SITUATION in {cell for row in rows for cell in row}
    record = ApplicationExport.objects.get()
    assert (record.format, record.row_count, record.confidential) == ("csv", 2, True)
    entry = ModelLogEntry.objects.get(action="tyonohjaus_plugin.application.exported")
    assert entry.user_id == people["hr"].pk
    assert entry.data["filters"] == {"status": ["submitted"], "search": True}
    assert "example.org" not in str(entry.data) and "example.org" not in entry.label


def test_xlsx_export_of_hr_and_no_free_text_for_an_exporting_assistant(people, applications):
    rows, sheet = export_rows(client_for(people["hr"]).get(f"{ADMIN}?export=xlsx"))
    assert len(rows) == 4
    assert SITUATION in {cell for row in rows for cell in row}
    assert isinstance(rows[1][0], int)  # the id stays a number
    people["assistant"].user_permissions.add(Permission.objects.get(codename="export_applications"))
    rows, sheet = export_rows(client_for(people["assistant"]).get(f"{ADMIN}?export=xlsx"))
    cells = {cell for row in rows for cell in row}
    assert len(rows) == 4
    assert SITUATION not in cells and GOALS not in cells and "Kiireellinen tilanne" not in cells


def test_bulk_export_only_exports_permitted_selection(people, applications):
    client = client_for(people["hr"])
    url = f"/admin/bulk/tyonohjaus_plugin/application/export/?id={applications[0].pk}&id=424242"
    response = client.post(url, {"format": "csv"})
    rows = export_rows(response)
    assert [row[0] for row in rows[1:]] == [str(applications[0].pk)]
    assert ApplicationExport.objects.get().row_count == 1


def test_no_log_entry_holds_a_name_or_free_text(people, applications):
    """Every HR action in a row; then no label or data of any entry names anyone or quotes text."""
    import json

    from tyonohjaus_plugin.models import Supervisor

    first, second, _off_round = applications
    first.applicant.first_name, first.applicant.last_name = "Ulpukka", "Vänskä"
    first.applicant.save()
    client = client_for(people["hr"])
    client.get(f"{ADMIN}inspect/{first.pk}/")
    client.post(f"{ADMIN}{first.pk}/status/", {"status": "in_review"})
    client.post(f"{ADMIN}edit/{first.pk}/", {"hr_note": "Soitin Ulpukalle"})
    ids = f"id={first.pk}&id={second.pk}"
    client.post(
        f"/admin/bulk/tyonohjaus_plugin/application/change_status/?{ids}", {"status": "waitlisted"}
    )
    b"".join(client.get(f"{ADMIN}?export=csv&q=Ulpukka").streaming_content)
    supervisor = Supervisor.objects.create(
        kind="external", name="Ulla Ohjaaja", email="ulla@example.org"
    )
    from wagtail.log_actions import log

    log(instance=supervisor, action="tyonohjaus_plugin.supervisor.created", user=people["hr"])
    entries = list(ModelLogEntry.objects.filter(action__startswith="tyonohjaus_plugin."))
    assert {entry.action for entry in entries} >= {
        "tyonohjaus_plugin.application.viewed",
        "tyonohjaus_plugin.application.status_changed",
        "tyonohjaus_plugin.application.note_edited",
        "tyonohjaus_plugin.application.exported",
        "tyonohjaus_plugin.supervisor.created",
    }
    secrets = ["Ulpukka", "Vänskä", "Ulla", "example.org", SITUATION, GOALS, "Soitin"]
    for entry in entries:
        text = entry.label + json.dumps(entry.data, ensure_ascii=False)
        assert not [secret for secret in secrets if secret in text], (entry.action, text)
        assert entry.user_id == people["hr"].pk


def test_bulk_footer_offers_only_the_actions_the_user_may_use(people, applications):
    change = "/admin/bulk/tyonohjaus_plugin/application/change_status/"
    export = "/admin/bulk/tyonohjaus_plugin/application/export/"
    hr = client_for(people["hr"]).get(ADMIN).content.decode()
    assert change in hr and export in hr
    assistant = client_for(people["assistant"]).get(ADMIN).content.decode()
    assert change in assistant and export not in assistant
