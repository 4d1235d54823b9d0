"""The supervision agreement (issue 18 item 2): generated when an engagement leaves "pending",
the goals edited by the supervisor (each edit a version), acknowledged by everyone, shown in the
reader's language, printable, and removed with the application's free text."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, ModelLogEntry

from tests.factories import (
    AgreementTemplateFactory,
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    EngagementFactory,
    EngagementParticipantFactory,
    MeetingFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.utils import final_status
from tyonohjaus_plugin.actions.agreement import (
    ACKNOWLEDGED,
    GOALS_EDITED,
    AcknowledgeAgreementAction,
    AgreementRefused,
    EditAgreementGoalsAction,
)
from tyonohjaus_plugin.actions.base import NotPermitted
from tyonohjaus_plugin.actions.erase_person import ErasePersonAction
from tyonohjaus_plugin.actions.run_retention import due_counts, run_retention
from tyonohjaus_plugin.engagements.agreements import (
    agreement_context,
    ensure_agreement,
    ensure_agreements,
    terms_in,
)
from tyonohjaus_plugin.engagements.services import create_engagements
from tyonohjaus_plugin.models import (
    Agreement,
    AgreementAcknowledgement,
    AgreementTemplate,
    Application,
)
from tyonohjaus_plugin.privacy.anonymise import anonymise_application
from tyonohjaus_plugin.privacy.subject_access import export_person

pytestmark = pytest.mark.django_db

GOALS = "Jaksaminen ja oma tapa johtaa."


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def templates(locales):
    """The editors' template in Finnish and Swedish; none in English (built-in texts)."""
    return {
        "fi": AgreementTemplateFactory(
            locale=locales["fi"],
            title="Työnohjaussopimus",
            introduction="Johdanto.",
            confidentiality="Luottamuksellisuus FI.",
            evaluation="Arviointi FI.",
            cancellation="Peruminen FI.",
        ),
        "sv": AgreementTemplateFactory(
            locale=locales["sv"],
            translation_key=AgreementTemplate.objects.get(locale=locales["fi"]).translation_key,
            title="Handledningsavtal",
            confidentiality="Konfidentialitet SV.",
            evaluation="Utvärdering SV.",
            cancellation="Avbokning SV.",
        ),
    }


@pytest.fixture
def engaged(locales, templates):
    """A group engagement (applicant + member) with an internal supervisor and its agreement,
    and a planned meeting."""
    application = ApplicationFactory(format="group", goals=GOALS, status="matched")
    member = UserFactory(first_name="Maija", last_name="Jäsen")
    ApplicationParticipantFactory(application=application, user=member, status="confirmed")
    supervisor = SupervisorFactory(
        internal=True, user=user_with("access_admin", first_name="Tuula", last_name="Ohjaaja")
    )
    engagement = EngagementFactory(application=application, supervisor=supervisor)
    applicant = EngagementParticipantFactory(engagement=engagement)
    other = EngagementParticipantFactory(engagement=engagement, user=member)
    MeetingFactory(engagement=engagement)
    agreement = ensure_agreement(engagement)
    # A group's goals are written down together (the application's are not copied).
    agreement.goals = GOALS
    agreement.save(update_fields=["goals"])
    return {
        "engagement": engagement,
        "agreement": agreement,
        "supervisor": supervisor,
        "applicant": applicant,
        "member": other,
    }


@pytest.fixture
def admin_urls(client):
    client.get("/admin/")


def page_url(engagement, name="agreement", language="fi"):
    with translation.override(language):
        return reverse(f"tyonohjaus_plugin:{name}", args=[engagement.pk])


def admin_url(engagement, action):
    return reverse("tyonohjaus_engagements:agreement", args=[engagement.pk, action])


def detail_url(engagement):
    return reverse("tyonohjaus_engagements:detail", args=[engagement.pk])


# Generation


def test_generation_copies_the_templates_of_each_language_and_the_built_in_texts(engaged):
    agreement = engaged["agreement"]
    assert agreement.version == 1
    assert agreement.terms["fi"]["confidentiality"] == "Luottamuksellisuus FI."
    assert agreement.terms["fi"]["source"] == "template"
    assert agreement.terms["sv"]["title"] == "Handledningsavtal"
    # No English template: the built-in English texts, with confidentiality's limits.
    assert agreement.terms["en"]["source"] == "default"
    assert agreement.terms["en"]["title"] == "Supervision agreement"
    assert "safety" in agreement.terms["en"]["confidentiality"]
    assert "24 hours" in agreement.terms["en"]["cancellation"]


def test_a_group_agreement_does_not_show_the_applicants_goals_to_colleagues(locales):
    """The applicant's answers are confidential to the supervisor and HR: a group's goals are
    written down together in the first meeting, not copied from the application."""
    group = EngagementFactory(application__format="group", application__goals="Minun omat.")
    assert ensure_agreement(group).goals == ""
    single = EngagementFactory(application__format="individual", application__goals="Omat.")
    assert ensure_agreement(single).goals == "Omat."


def test_a_template_edited_later_does_not_change_an_agreement(engaged, templates):
    templates["fi"].confidentiality = "Uusi teksti."
    templates["fi"].save()
    agreement = Agreement.objects.get(pk=engaged["agreement"].pk)
    assert terms_in(agreement, "fi")["confidentiality"] == "Luottamuksellisuus FI."
    # Generating again keeps the one agreement as it was.
    assert ensure_agreement(engaged["engagement"]).pk == agreement.pk
    assert Agreement.objects.count() == 1


def test_without_any_template_the_built_in_texts_are_used_in_each_language(locales):
    engagement = EngagementFactory()
    agreement = ensure_agreement(engagement)
    assert {terms["source"] for terms in agreement.terms.values()} == {"default"}
    assert terms_in(agreement, "en")["title"] == "Supervision agreement"
    # A reader of a language the agreement has no texts in gets the default language's.
    agreement.terms = {"fi": {**agreement.terms["fi"], "title": "Sopimus"}}
    assert terms_in(agreement, "sv")["title"] == "Sopimus"
    assert terms_in(agreement, "de")["title"] == "Sopimus"


def test_leaving_pending_generates_the_agreement_with_the_applications_goals(
    locales, templates, direct_planning
):
    application = ApplicationFactory(
        round=ApplicationRoundFactory(state="closed"), goals="Omat tavoitteet"
    )
    supervisor = SupervisorFactory()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        (engagement,) = create_engagements(
            [(locked, supervisor.pk)], run=None, user=None, now=timezone.now()
        )
    agreement = Agreement.objects.get(engagement=engagement)
    assert agreement.goals == "Omat tavoitteet"
    assert agreement.terms["sv"]["title"] == "Handledningsavtal"


def test_the_context_has_parties_format_meetings_and_acknowledgements(engaged):
    context = agreement_context(engaged["agreement"], "sv")
    assert context["terms"]["title"] == "Handledningsavtal"
    assert context["supervisor_name"] == "Tuula Ohjaaja"
    assert context["supervisor_kind"] == "Intern"
    assert "Maija Jäsen" in context["participant_names"]
    assert context["meeting_count"] == engaged["engagement"].meeting_count
    assert context["interval_weeks"] == 3
    assert len(context["meetings"]) == 1
    assert [p["acknowledged_at"] for p in context["people"]] == [None, None, None]


# The flow through HTTP


def test_edit_makes_a_new_version_and_everyone_acknowledges_again(client, engaged, admin_urls):
    engagement, agreement = engaged["engagement"], engaged["agreement"]
    applicant = engaged["applicant"].user
    client.force_login(applicant)
    response = client.post(page_url(engagement, "agreement_acknowledge"), {"version": 1})
    assert response.status_code == 303
    assert AgreementAcknowledgement.objects.filter(participant=engaged["applicant"]).count() == 1

    supervisor = engaged["supervisor"].user
    client.force_login(supervisor)
    response = client.post(
        admin_url(engagement, "goals"), {"goals": "Yhdessä sovitut tavoitteet.", "version": 1}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.version, agreement.goals) == (2, "Yhdessä sovitut tavoitteet.")
    # The same edit sent twice is no third version.
    client.post(
        admin_url(engagement, "goals"), {"goals": "Yhdessä sovitut tavoitteet.", "version": 1}
    )
    agreement.refresh_from_db()
    assert agreement.version == 2

    client.force_login(applicant)
    page = client.get(page_url(engagement))
    assert "Yhdessä sovitut tavoitteet." in page.content.decode()
    assert b'name="version" value="2"' in page.content  # asked to acknowledge again
    # A form read before the edit is refused: read it again.
    stale = client.post(page_url(engagement, "agreement_acknowledge"), {"version": 1})
    assert stale.status_code == 409
    assert "Read it again" in stale.content.decode() or "Lue se uudelleen" in stale.content.decode()
    for _twice in range(2):
        response = client.post(page_url(engagement, "agreement_acknowledge"), {"version": 2})
        assert response.status_code == 303
    versions = AgreementAcknowledgement.objects.filter(participant=engaged["applicant"])
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]  # version 1 kept

    client.force_login(supervisor)
    for _twice in range(2):
        assert client.post(admin_url(engagement, "acknowledge"), {"version": 2}).status_code == 302
    assert AgreementAcknowledgement.objects.filter(by_supervisor=True, version=2).count() == 1
    detail = client.get(detail_url(engagement)).content.decode()
    assert "tyonohjaus-engagement-agreement" in detail

    # The audit log holds ids and versions, never the goals.
    entries = ModelLogEntry.objects.filter(action__in=[GOALS_EDITED, ACKNOWLEDGED])
    assert entries.count() == 4  # one edit, three acknowledgements
    for entry in entries:
        assert "tavoitteet" not in str(entry.data)
        assert set(entry.data) <= {"agreement", "version", "participant", "by_supervisor"}


def test_a_stale_version_is_refused_for_the_supervisor_too(client, engaged, admin_urls):
    engagement = engaged["engagement"]
    client.force_login(engaged["supervisor"].user)
    client.post(admin_url(engagement, "goals"), {"goals": "Uudet.", "version": 1})
    response = client.post(admin_url(engagement, "acknowledge"), {"version": 1})
    assert response.status_code == 409
    edit = client.post(admin_url(engagement, "goals"), {"goals": "Vanhasta.", "version": 1})
    assert edit.status_code == 409
    assert Agreement.objects.get(engagement=engagement).goals == "Uudet."


def test_too_long_goals_are_refused_at_the_field_keeping_the_text(client, engaged, admin_urls):
    client.force_login(engaged["supervisor"].user)
    text = "x" * 4001
    response = client.post(admin_url(engaged["engagement"], "goals"), {"goals": text, "version": 1})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_agreement_goals-error"' in body
    assert text in body
    assert Agreement.objects.get(pk=engaged["agreement"].pk).version == 1


def test_an_ended_engagement_cannot_be_acknowledged(client, engaged):
    engagement = engaged["engagement"]
    engagement.state = "completed"
    engagement.save()
    client.force_login(engaged["applicant"].user)
    response = client.post(page_url(engagement, "agreement_acknowledge"), {"version": 1})
    assert response.status_code == 409
    assert not AgreementAcknowledgement.objects.exists()
    assert b'name="version"' not in client.get(page_url(engagement)).content


def test_an_external_supervisor_edits_and_acknowledges_by_link_only_their_own(engaged):
    external = SupervisorFactory()
    engagement = EngagementFactory(supervisor=external)
    agreement = ensure_agreement(engagement)
    EditAgreementGoalsAction(agreement, supervisor=external, goals="Sovittu.", version=1).execute()
    agreement.refresh_from_db()
    assert agreement.version == 2
    AcknowledgeAgreementAction(agreement, supervisor=external, version=2).execute()
    assert agreement.acknowledgements.get().user is None
    with pytest.raises(NotPermitted):
        EditAgreementGoalsAction(
            engaged["agreement"], supervisor=external, goals="Ei.", version=1
        ).execute()
    with pytest.raises(NotPermitted):
        AcknowledgeAgreementAction(engaged["agreement"], supervisor=external, version=1).execute()


def test_a_participant_version_check_happens_under_the_lock(engaged):
    agreement = engaged["agreement"]
    stale = Agreement.objects.get(pk=agreement.pk)  # read before the edit
    EditAgreementGoalsAction(
        agreement, user=engaged["supervisor"].user, goals="Uudet.", version=1
    ).execute()
    with pytest.raises(AgreementRefused):
        AcknowledgeAgreementAction(
            stale, user=engaged["applicant"].user, participant=engaged["applicant"], version=1
        ).execute()


# Who sees what


def test_participants_see_their_agreement_and_nobody_else_does(client, engaged):
    engagement = engaged["engagement"]
    for participant in (engaged["applicant"], engaged["member"]):
        client.force_login(participant.user)
        response = client.get(page_url(engagement))
        assert response.status_code == 200
        assert GOALS in response.content.decode()
    outsider = UserFactory()
    client.force_login(outsider)
    for name in ("agreement", "agreement_print"):
        assert client.get(page_url(engagement, name)).status_code == 404
    assert (
        client.post(page_url(engagement, "agreement_acknowledge"), {"version": 1}).status_code
        == 404
    )
    assert not AgreementAcknowledgement.objects.exists()
    # The supervisor is no participant: their way is the admin.
    client.force_login(engaged["supervisor"].user)
    assert client.get(page_url(engagement)).status_code == 404
    client.logout()
    for name in ("agreement", "agreement_print"):
        response = client.get(page_url(engagement, name))
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(page_url(engagement, "agreement_acknowledge"), {"version": 1})
    assert response.status_code == 302 and not AgreementAcknowledgement.objects.exists()


def test_the_admin_panel_shows_goals_only_with_the_confidential_permission(
    client, engaged, admin_urls
):
    engagement = engaged["engagement"]
    hr_confidential = user_with(
        "access_admin", "view_engagement", "view_application", "view_confidential_application"
    )
    hr = user_with("access_admin", "view_engagement", "change_engagement")
    for user, sees_goals, can_edit in (
        (engaged["supervisor"].user, True, True),
        (hr_confidential, True, False),
        (hr, False, False),
    ):
        client.force_login(user)
        for url in (detail_url(engagement), admin_url(engagement, "print")):
            response = client.get(url)
            assert response.status_code == 200
            assert (GOALS in response.content.decode()) is sees_goals
        assert ('name="goals"' in client.get(detail_url(engagement)).content.decode()) is can_edit
    # A printable page with the goals is a read of confidential text: audit-logged.
    reads = ModelLogEntry.objects.filter(
        action="tyonohjaus_plugin.application.viewed", data__screen="agreement"
    )
    readers = sorted(entry.user_id for entry in reads)
    assert readers == sorted([engaged["supervisor"].user.pk, hr_confidential.pk])
    # HR may not write the goals nor acknowledge for the supervisor.
    assert (
        client.post(admin_url(engagement, "goals"), {"goals": "HR", "version": 1}).status_code
        == 403
    )
    assert client.post(admin_url(engagement, "acknowledge"), {"version": 1}).status_code == 403
    assert Agreement.objects.get(pk=engaged["agreement"].pk).version == 1
    # Another supervisor sees nothing of it.
    other = SupervisorFactory(internal=True, user=user_with("access_admin"))
    client.force_login(other.user)
    assert final_status(client, client.get(admin_url(engagement, "print"))) == 404
    response = client.post(admin_url(engagement, "goals"), {"goals": "X", "version": 1})
    assert final_status(client, response) == 404
    # A participant has no admin.
    client.force_login(engaged["applicant"].user)
    response = client.get(admin_url(engagement, "print"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_unknown_admin_actions_and_methods_are_refused(client, engaged, admin_urls):
    client.force_login(engaged["supervisor"].user)
    engagement = engaged["engagement"]
    assert final_status(client, client.get(admin_url(engagement, "nonsense"))) == 404
    assert client.get(admin_url(engagement, "goals")).status_code == 405
    assert client.post(admin_url(engagement, "print")).status_code == 405


@pytest.mark.parametrize(
    ("language", "title", "label"),
    [
        ("fi", "Työnohjaussopimus", "Luottamuksellisuus FI."),
        ("sv", "Handledningsavtal", "Konfidentialitet SV."),
        ("en", "Supervision agreement", "safety"),
    ],
)
def test_the_printable_page_is_in_the_readers_language(client, engaged, language, title, label):
    client.force_login(engaged["applicant"].user)
    response = client.get(page_url(engaged["engagement"], "agreement_print", language))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert f"<h1>{title}</h1>" in body
    assert label in body
    assert GOALS in body
    assert "agreement_print.css" in body


# Retention


def test_anonymising_the_application_empties_the_agreement_goals(engaged):
    anonymise_application(engaged["engagement"].application_id, timezone.now())
    assert Agreement.objects.get(pk=engaged["agreement"].pk).goals == ""


def test_the_retention_run_empties_the_goals_with_the_applications_free_text(engaged, settings):
    application = engaged["engagement"].application
    Application.objects.filter(pk=application.pk).update(
        status="completed", status_changed_at=timezone.now() - datetime.timedelta(days=200)
    )
    application.round.programme_ends_on = timezone.localdate() - datetime.timedelta(days=200)
    application.round.save()
    now = timezone.now()
    expected = due_counts(now)["free_text"]
    counts = run_retention(now)
    assert counts["free_text"] == expected == 2  # the application's answers and the goals
    assert Agreement.objects.get(pk=engaged["agreement"].pk).goals == ""
    assert run_retention(now)["free_text"] == 0


def test_the_subject_access_export_has_the_persons_own_acknowledgements(engaged):
    applicant = engaged["applicant"]
    AcknowledgeAgreementAction(
        engaged["agreement"], user=applicant.user, participant=applicant, version=1
    ).execute()
    AcknowledgeAgreementAction(
        engaged["agreement"], user=engaged["member"].user, participant=engaged["member"], version=1
    ).execute()
    exported = export_person(applicant.user)
    (ack,) = exported["agreement_acknowledgements"]
    assert ack["engagement_id"] == engaged["engagement"].pk
    assert ack["version"] == 1
    assert ack["acknowledged_at"] is not None


def test_erasure_removes_the_persons_link_from_their_acknowledgements(engaged):
    member = engaged["member"]
    AcknowledgeAgreementAction(
        engaged["agreement"], user=member.user, participant=member, version=1
    ).execute()
    hr = user_with("erase_person")
    ErasePersonAction(member.user.pk, user=hr).execute()
    ack = AgreementAcknowledgement.objects.get()
    assert ack.user is None
    assert ack.version == 1  # the record that the version was acknowledged stays


def test_the_template_is_a_translatable_snippet_in_the_menu(client, admin_urls, locales):
    editor = user_with(
        "access_admin",
        "add_agreementtemplate",
        "change_agreementtemplate",
        "view_agreementtemplate",
    )
    client.force_login(editor)
    url = reverse(AgreementTemplate.snippet_viewset.get_url_name("add"))
    response = client.post(
        url + "?locale=fi",
        {
            "title": "Sopimus",
            "introduction": "",
            "confidentiality": "Luottamus.",
            "evaluation": "Arvio.",
            "cancellation": "Peruutus.",
        },
    )
    assert response.status_code == 302
    template = AgreementTemplate.objects.get()
    assert template.locale == Locale.objects.get(language_code="fi")
    engagement = EngagementFactory()
    assert ensure_agreement(engagement).terms["fi"]["title"] == "Sopimus"


def test_generation_leaves_no_unsaved_agreement_on_the_callers_engagement(locales):
    engagement = EngagementFactory()
    ensure_agreements([engagement])
    assert engagement.agreement.pk is not None  # read from the database, not a cached row
