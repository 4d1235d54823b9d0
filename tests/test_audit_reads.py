"""Every page that shows an application's confidential answers writes exactly one audit-log entry
(RELIABILITY test 19): the engagement's detail for its supervisor and for HR, and the application's
detail, all through ``core.views.AuditedReadMixin``. Through HTTP."""

import json

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.test_engagement_admin import make_engagements, make_supervisor, user_with

pytestmark = pytest.mark.django_db

VIEWED = "tyonohjaus_plugin.application.viewed"


@pytest.fixture
def engagement(client):
    client.get("/admin/")  # load the admin URLs and viewsets
    supervisor = make_supervisor(first_name="Sirkka", last_name="Ohjaaja")
    (engagement,) = make_engagements(supervisor, 1)
    applicant = engagement.application.applicant
    applicant.first_name, applicant.last_name = "Ulpukka", "Vänskä"
    applicant.save()
    engagement.application.situation = "Esihenkilö vaihtuu ja tiimi on hajalla."
    engagement.application.save()
    return engagement


def entries():
    return ModelLogEntry.objects.filter(action=VIEWED).order_by("pk")


def assert_no_personal_data(entry, engagement):
    application = engagement.application
    text = entry.label + json.dumps(entry.data, ensure_ascii=False)
    secrets = ["Ulpukka", "Vänskä", "Sirkka", application.situation, application.goals]
    secrets.append(application.applicant.email)
    assert not [secret for secret in secrets if secret and secret in text], text


def detail(engagement):
    return reverse("tyonohjaus_engagements:detail", args=[engagement.pk])


def test_the_supervisor_reading_the_answers_is_logged_once_per_view(client, engagement):
    user = engagement.supervisor.user
    client.force_login(user)
    for views in (1, 2):
        response = client.get(detail(engagement))
        assert response.status_code == 200
        assert engagement.application.situation in response.text
        assert entries().count() == views
    for entry in entries():
        assert entry.user_id == user.pk
        assert entry.content_type.model == "application"
        assert entry.object_id == str(engagement.application_id)
        assert entry.label == f"Application #{engagement.application_id}"
        assert entry.data == {"confidential": True, "screen": "engagement"}
        assert_no_personal_data(entry, engagement)


def test_hr_reading_the_answers_is_logged_and_hr_without_them_is_not(client, engagement):
    hr = user_with(
        "access_admin", "view_engagement", "view_application", "view_confidential_application"
    )
    client.force_login(hr)
    assert engagement.application.situation in client.get(detail(engagement)).text
    (entry,) = entries()
    assert entry.user_id == hr.pk
    assert_no_personal_data(entry, engagement)

    # The same page without the answers (no confidential permission) writes nothing.
    client.force_login(user_with("access_admin", "view_engagement", "view_application"))
    response = client.get(detail(engagement))
    assert response.status_code == 200
    assert engagement.application.situation not in response.text
    assert entries().count() == 1


def test_a_page_shown_again_with_errors_counts_and_a_redirect_does_not(client, engagement):
    client.force_login(engagement.supervisor.user)
    meeting = engagement.meetings.first()
    move = reverse("tyonohjaus_engagements:meeting", args=[meeting.pk, "move"])
    # An unreadable date: the detail page again, with the answers and the error (HTTP 400).
    response = client.post(move, {f"m{meeting.pk}-day": "x", f"m{meeting.pk}-at": "10:00"})
    assert response.status_code == 400
    assert engagement.application.situation in response.text
    assert entries().count() == 1
    # A change that succeeds answers with a redirect: no page shown, nothing logged.
    cancel = reverse("tyonohjaus_engagements:meeting", args=[meeting.pk, "cancel"])
    assert client.post(cancel).status_code == 302
    assert entries().count() == 1


def test_the_application_detail_uses_the_same_entry(client, engagement):
    hr = user_with("access_admin", "view_application", "view_confidential_application")
    client.force_login(hr)
    url = reverse("tyonohjaus_applications:inspect", args=[engagement.application_id])
    assert engagement.application.situation in client.get(url).text
    (entry,) = entries()
    assert (entry.user_id, entry.data) == (hr.pk, {"confidential": True, "screen": "application"})
    assert_no_personal_data(entry, engagement)
