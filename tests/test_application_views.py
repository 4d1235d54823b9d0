"""Applying on the service page: the flows an employee goes through, and the refusals."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import ApplicationRoundFactory, PrivacyNoticeFactory, UserFactory
from tyonohjaus_plugin.models import Application, ApplicationParticipant, ApplicationStatus

pytestmark = pytest.mark.django_db

VALID = {
    "format": "individual",
    "languages": ["fi"],
    "situation": "Aloitin juuri esihenkilönä.",
    "goals": "Haluan jäsentää työtäni.",
    "supervisor_preference": "none",
    "consent": "on",
}


@pytest.fixture
def page(service_pages, locales):
    page = service_pages["fi"]
    page.applications_enabled = True
    page.save_revision().publish()
    PrivacyNoticeFactory(locale=locales["fi"])
    return page


@pytest.fixture
def round(page):
    return ApplicationRoundFactory(service_key=page.translation_key, name="Kevät 2027")


@pytest.fixture
def employee(client):
    user = UserFactory(email="emma@example.org")
    client.force_login(user)
    return user


def apply_url(page):
    return f"/fi/hr/apply/{page.pk}/"


def test_anonymous_sees_the_page_and_a_login_link(client, page, round):
    content = client.get(page.url).content.decode()
    assert "Kirjaudu ja hae" in content
    assert "/fi/login/?next=%2Ffi%2Ftyonohjaus%2F" in content
    assert '<form class="tyonohjaus-apply__form"' not in content
    assert client.post(apply_url(page), VALID).status_code == 302  # to the login page
    assert Application.objects.count() == 0


def test_individual_application_end_to_end(client, page, round, employee):
    content = client.get(page.url).content.decode()
    assert "Kierros Kevät 2027 on avoinna" in content
    assert 'class="tyonohjaus-apply__form"' in content

    response = client.post(apply_url(page), VALID)
    assert response.status_code == 303
    application = Application.objects.get()
    assert response["Location"] == f"/fi/hr/applications/{application.pk}/received/"
    assert (application.applicant, application.round, application.status) == (
        employee,
        round,
        ApplicationStatus.SUBMITTED,
    )
    receipt = client.get(response["Location"]).content.decode()
    assert "Hakemus vastaanotettu" in receipt
    after = client.get(page.url).content.decode()
    assert "Olemme vastaanottaneet hakemuksesi" in after
    assert 'class="tyonohjaus-apply__form"' not in after


def test_second_submit_answers_already_received_without_a_second_row(client, page, round, employee):
    client.post(apply_url(page), VALID)
    again = client.post(apply_url(page), {**VALID, "format": "individual"})
    assert again.status_code == 200
    assert "olimme jo vastaanottaneet" in again.content.decode().lower()
    assert Application.objects.count() == 1


def test_group_with_two_colleagues(client, page, round, employee):
    bo = UserFactory(email="bo@example.org")
    cia = UserFactory(email="cia@example.org")
    data = {**VALID, "format": "group", "co_applicants": "bo@example.org\ncia@example.org"}
    assert client.post(apply_url(page), data).status_code == 303
    statuses = dict(ApplicationParticipant.objects.values_list("user__email", "status"))
    assert statuses == {
        "emma@example.org": "confirmed",
        "bo@example.org": "invited",
        "cia@example.org": "invited",
    }
    # Invited colleagues take their place in the round when they confirm (README: co-applicants).
    assert not bo.tyonohjaus_participations.get().holds_place
    assert not cia.tyonohjaus_participations.get().holds_place


def test_errors_are_shown_at_the_fields_and_typed_text_is_kept(client, page, round, employee):
    data = {**VALID, "situation": "Tämä säilyy", "goals": "", "format": "group"}
    response = client.post(apply_url(page), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Tämä säilyy</textarea>" in content
    assert 'id="tyonohjaus-application-goals_error"' in content
    assert 'id="tyonohjaus-application-co_applicants_error"' in content
    assert 'role="alert"' in content  # the error summary
    assert Application.objects.count() == 0


def test_injected_fields_are_ignored(client, page, round, employee):
    other = UserFactory()
    client.post(apply_url(page), {**VALID, "status": "matched", "applicant": other.pk})
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.applicant == employee


def test_closed_round_without_off_round_refuses_with_409(client, page, round, employee):
    page.allow_off_round = False
    page.save_revision().publish()
    # Well before the test's transaction began: PostgreSQL judges by transaction_timestamp().
    round.closes_at = timezone.now() - datetime.timedelta(hours=1)
    round.save()
    response = client.post(apply_url(page), VALID)
    assert response.status_code == 409
    assert "Hakukierros on päättynyt" in response.content.decode()
    assert Application.objects.count() == 0


def test_outside_a_round_shows_next_opening_and_takes_off_round_applications(
    client, page, employee
):
    opens = timezone.now() + datetime.timedelta(days=30)
    ApplicationRoundFactory(
        service_key=page.translation_key,
        state="upcoming",
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=14),
    )
    content = client.get(page.url).content.decode()
    assert "Seuraava hakukierros avautuu" in content
    assert "off_round_reason" in content
    missing_reason = client.post(apply_url(page), VALID)
    assert missing_reason.status_code == 400
    response = client.post(apply_url(page), {**VALID, "off_round_reason": "Kriisi tiimissä"})
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.round is None and application.off_round_reason == "Kriisi tiimissä"


def test_receipt_page_of_someone_else_is_404(client, page, round, employee):
    client.post(apply_url(page), VALID)
    application = Application.objects.get()
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(f"/fi/hr/applications/{application.pk}/received/").status_code == 404
    assert client.get("/fi/hr/applications/999999/received/").status_code == 404


def test_csrf_is_enforced(page, round, employee):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(employee)
    assert csrf_client.post(apply_url(page), VALID).status_code == 403
    assert Application.objects.count() == 0


def test_page_without_the_section_refuses(client, service_pages, employee):
    page = service_pages["fi"]  # applications_enabled is off by default
    assert "tyonohjaus-apply" not in client.get(page.url).content.decode()
    assert client.post(apply_url(page), VALID).status_code == 404


def test_logged_in_get_with_the_form_is_bounded_and_constant(
    client, page, round, employee, django_assert_max_num_queries
):
    client.get(page.url)
    with django_assert_max_num_queries(12):
        response = client.get(page.url)
    assert 'class="tyonohjaus-apply__form"' in response.content.decode()
    # More rounds and more applications of other people change nothing.
    for _ in range(5):
        ApplicationRoundFactory(service_key=page.translation_key, state="closed")
    for _ in range(20):
        other = UserFactory()
        c = Client()
        c.force_login(other)
        c.post(apply_url(page), VALID)
    assert Application.objects.count() == 20
    with django_assert_max_num_queries(12):
        response = client.get(page.url)
    assert 'class="tyonohjaus-apply__form"' in response.content.decode()


def test_a_new_privacy_notice_version_is_shown_at_once(client, page, round, employee, locales):
    client.get(page.url)  # caches the current notice
    PrivacyNoticeFactory(locale=locales["fi"], version=2, title="Tietosuojaseloste 2027")
    assert "Tietosuojaseloste 2027" in client.get(page.url).content.decode()
    client.post(apply_url(page), VALID)
    assert Application.objects.get().consent_version == 2


def test_team_application_and_the_applicants_profile(client, page, round, employee, settings):
    settings.TYONOHJAUS_PLUGIN = {
        **settings.TYONOHJAUS_PLUGIN,
        "EMPLOYEE_PROFILE_RESOLVER": "tests.test_application_form.directory_resolver",
    }
    members = [UserFactory(email=f"member{n}@example.org") for n in range(4)]
    data = {**VALID, "format": "team", "co_applicants": " ".join(m.email for m in members)}
    assert client.post(apply_url(page), data).status_code == 303
    application = Application.objects.get()
    assert application.format == "team"
    assert application.participants.count() == 5
    assert employee.tyonohjaus_profile.unit_code == "H523"  # resolved at submission
