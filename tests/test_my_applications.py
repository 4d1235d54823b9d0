"""My applications: status and history, withdraw until the round closes, own data download."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from tyonohjaus_plugin.models import Application, ApplicationParticipant

pytestmark = pytest.mark.django_db

FORM = {
    "languages": ["fi"],
    "situation": "Hakijan oma tilanne",
    "goals": "Hakijan omat tavoitteet",
    "supervisor_preference": "none",
    "consent": "on",
}


@pytest.fixture
def world(open_round, service_pages, locales):
    page, round = service_pages["fi"], open_round
    applicant = UserFactory(email="anna@example.org")
    member = UserFactory(email="bo@example.org")
    client = Client()
    client.force_login(applicant)
    data = {**FORM, "format": "group", "co_applicants": "bo@example.org"}
    assert client.post(f"/fi/hr/apply/{page.pk}/", data).status_code == 303
    return page, round, applicant, member, client


def test_list_shows_status_history_and_withdraw(world):
    page, round, applicant, member, client = world
    response = client.get("/fi/hr/my-applications/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    content = response.content.decode()
    assert "Kevät 2027" in content and "Lähetetty" in content
    assert "Hakemus lähetetty" in content  # the history
    assert "Peru hakemus" in content


def test_member_sees_it_without_the_withdraw_button(world):
    page, round, applicant, member, client = world
    other = Client()
    other.force_login(member)
    content = other.get("/fi/hr/my-applications/").content.decode()
    assert "Kevät 2027" in content
    assert "Peru hakemus" not in content


def test_withdraw_frees_every_place(world):
    page, round, applicant, member, client = world
    application = Application.objects.get()
    response = client.post(f"/fi/hr/applications/{application.pk}/withdraw/")
    assert response.status_code == 303
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert not ApplicationParticipant.objects.filter(holds_place=True).exists()
    assert list(application.events.values_list("kind", flat=True)) == ["submitted", "withdrawn"]
    again = client.post(f"/fi/hr/applications/{application.pk}/withdraw/")
    assert again.status_code == 409


def test_withdraw_is_refused_after_the_round_closes_and_for_others(world):
    page, round, applicant, member, client = world
    application = Application.objects.get()
    other = Client()
    other.force_login(member)  # a member, not the applicant
    assert other.post(f"/fi/hr/applications/{application.pk}/withdraw/").status_code == 404
    # Well before the test's transaction began: PostgreSQL judges by transaction_timestamp().
    round.closes_at = timezone.now() - datetime.timedelta(hours=1)
    round.save()
    assert client.post(f"/fi/hr/applications/{application.pk}/withdraw/").status_code == 409
    application.refresh_from_db()
    assert application.status == "submitted"


def test_after_the_close_the_list_offers_no_change_but_says_whom_to_ask(world):
    page, round, applicant, member, client = world
    application = Application.objects.get()
    edit = f"/fi/hr/applications/{application.pk}/edit/"
    withdraw = f"/fi/hr/applications/{application.pk}/withdraw/"
    content = client.get("/fi/hr/my-applications/").text
    assert edit in content and withdraw in content
    round.closes_at = timezone.now() - datetime.timedelta(hours=1)
    round.save()
    content = client.get("/fi/hr/my-applications/").text
    # Links that would only be refused are not offered; the applicant learns whom to ask.
    assert edit not in content and withdraw not in content
    assert "Ota yhteyttä henkilöstöpalveluihin" in content


def test_own_data_download_has_all_own_rows_and_nothing_of_others(world):
    page, round, applicant, member, client = world
    outsider = UserFactory(email="cia@example.org")
    outsider_client = Client()
    outsider_client.force_login(outsider)
    outsider_client.post(
        f"/fi/hr/apply/{page.pk}/", {**FORM, "format": "individual", "situation": "Cian salaisuus"}
    )

    response = client.get("/fi/hr/my-data.json")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["user"]["email"] == "anna@example.org"
    (mine,) = data["applications"]
    assert mine["role"] == "applicant"
    assert mine["answers"]["situation"] == "Hakijan oma tilanne"
    assert [event["event"] for event in mine["history"]] == ["submitted"]
    assert "Cian salaisuus" not in response.content.decode()

    member_client = Client()
    member_client.force_login(member)
    member_data = json.loads(member_client.get("/fi/hr/my-data.json").content)
    assert member_data["applications"] == []  # the member's own applications: none
    (theirs,) = member_data["memberships"]
    assert theirs["role"] == "co_applicant" and theirs["membership_status"] == "invited"
    assert "answers" not in theirs  # the applicant's free text is not the member's data
    assert "Hakijan oma tilanne" not in json.dumps(member_data)


def test_anonymous_is_sent_to_login(client):
    for url in ("/fi/hr/my-applications/", "/fi/hr/my-data.json"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_applicant_edits_answers_until_the_round_closes(world):
    page, round, applicant, member, client = world
    application = Application.objects.get()
    form = client.get(f"/fi/hr/applications/{application.pk}/edit/").content.decode()
    assert "Hakijan oma tilanne</textarea>" in form
    assert 'name="format"' not in form and 'name="co_applicants"' not in form
    data = {**FORM, "situation": "Päivitetty tilanne", "format": "individual", "status": "matched"}
    assert client.post(f"/fi/hr/applications/{application.pk}/edit/", data).status_code == 303
    application.refresh_from_db()
    assert application.situation == "Päivitetty tilanne"
    assert (application.format, application.status) == ("group", "submitted")  # not editable
    assert application.participants.count() == 2
    assert list(application.events.values_list("kind", flat=True)) == ["submitted", "edited"]

    bad = client.post(f"/fi/hr/applications/{application.pk}/edit/", {**FORM, "goals": ""})
    assert bad.status_code == 400
    assert "tyonohjaus-application-goals_error" in bad.content.decode()

    # Well before the test's transaction began: PostgreSQL judges by transaction_timestamp().

    round.closes_at = timezone.now() - datetime.timedelta(hours=1)
    round.save()
    late = client.post(f"/fi/hr/applications/{application.pk}/edit/", FORM)
    assert late.status_code == 409
    application.refresh_from_db()
    assert application.situation == "Päivitetty tilanne"


def test_others_cannot_open_the_edit_page(world):
    page, round, applicant, member, client = world
    application = Application.objects.get()
    other = Client()
    other.force_login(member)
    assert other.get(f"/fi/hr/applications/{application.pk}/edit/").status_code == 404
    assert other.post(f"/fi/hr/applications/{application.pk}/edit/", FORM).status_code == 404
