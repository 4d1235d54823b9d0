"""Subject access (RELIABILITY test 17): a person's export holds 100 % of their own rows and
nothing of anyone else's, in the employee's download and page and in HR's export."""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import (
    AgreementAcknowledgementFactory,
    AgreementFactory,
    ApplicationEventFactory,
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    DeliveryFactory,
    EmployeeProfileFactory,
    ThemeFactory,
    UserFactory,
    external_supervisor,
)
from tyonohjaus_plugin.models import (
    ApplicationEvent,
    Delivery,
    Engagement,
    EngagementParticipant,
    EvaluationAnswer,
    Meeting,
)
from tyonohjaus_plugin.privacy.subject_access import export_person

pytestmark = pytest.mark.django_db

#: Strings that belong to other people: none may reach the person's export.
OTHERS = (
    "OTHER-SITUATION-MARK",
    "OTHER-GOALS-MARK",
    "OTHER-WISHES-MARK",
    "OTHER-AVAILABILITY-MARK",
    "OTHER-HRNOTE-MARK",
    "OTHER-EVAL-MARK",
    "Othermark",
    "otto-mark@example.org",
    "ottomark",
    "Qmarker",
    "quentin-mark@example.org",
    "quentinmark",
)
#: The person's own free text: all of it must be there.
OWN = ("PIA-SITUATION", "PIA-GOALS", "PIA-EVAL-OWN", "PIA-EVAL-GROUP")
HR_NOTE = "PIA-HR-NOTE"


def engage(application, supervisor, people, meetings):
    engagement = Engagement.objects.create(
        application=application,
        supervisor=supervisor,
        round=application.round,
        state="in_progress",
        confirmed_at=timezone.now(),
    )
    participants = {
        user.pk: EngagementParticipant.objects.create(engagement=engagement, user=user)
        for user in people
    }
    start = timezone.now() - datetime.timedelta(days=30)
    for number in range(1, meetings + 1):
        starts = start + datetime.timedelta(days=14 * number)
        Meeting.objects.create(
            engagement=engagement,
            number=number,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=90),
            state="held" if number == 1 else "planned",
        )
    return engagement, participants


def evaluate(engagement, participant, score, comment):
    return EvaluationAnswer.objects.create(
        engagement=engagement,
        participant=participant,
        goals_reached=score,
        comment=comment,
        answered_on=datetime.date(2026, 11, 30),
    )


@pytest.fixture
def world(locales):
    """Pia: applicant of one individual application and member of Otto's group application,
    both with an engagement, meetings, evaluations and deliveries; Otto and Quentin's text and
    names are the markers that must stay out of Pia's export."""
    pia = UserFactory(
        username="pia", first_name="Pia", last_name="Persona", email="pia@example.org"
    )
    otto = UserFactory(
        username="ottomark", first_name="Otto", last_name="Othermark", email="otto-mark@example.org"
    )
    quentin = UserFactory(
        username="quentinmark",
        first_name="Quentin",
        last_name="Qmarker",
        email="quentin-mark@example.org",
    )
    EmployeeProfileFactory(user=pia, unit_code="H100", unit_name="Henkilöstöpalvelut")
    EmployeeProfileFactory(user=otto, unit_code="OTHER-UNIT-MARK")
    round = ApplicationRoundFactory(name="Syksy 2026", name_translations={"en": "Autumn 2026"})
    theme = ThemeFactory(name="Muutos työssä")
    own = ApplicationFactory(
        round=round,
        applicant=pia,
        status="matched",
        situation="PIA-SITUATION",
        goals="PIA-GOALS",
        hr_note=HR_NOTE,
    )
    own.themes.add(theme)
    group = ApplicationFactory(
        round=ApplicationRoundFactory(),
        applicant=otto,
        format="group",
        status="matched",
        situation="OTHER-SITUATION-MARK",
        goals="OTHER-GOALS-MARK",
        supervisor_wishes="OTHER-WISHES-MARK",
        availability="OTHER-AVAILABILITY-MARK",
        hr_note="OTHER-HRNOTE-MARK",
    )
    for user in (pia, quentin):
        ApplicationParticipantFactory(
            application=group, user=user, status="confirmed", invited_at=timezone.now()
        )
    for application in (own, group):
        ApplicationEventFactory(application=application, kind="submitted", status="submitted")
        ApplicationEventFactory(application=application, kind="status_changed", status="matched")
    supervisor = external_supervisor("Ohjaaja Oona")
    own_engagement, own_people = engage(own, supervisor, [pia], meetings=2)
    group_engagement, group_people = engage(group, supervisor, [otto, pia, quentin], meetings=3)
    evaluate(own_engagement, own_people[pia.pk], 4, "PIA-EVAL-OWN")
    evaluate(group_engagement, group_people[pia.pk], 5, "PIA-EVAL-GROUP")
    evaluate(group_engagement, group_people[otto.pk], 2, "OTHER-EVAL-MARK")
    meeting = group_engagement.meetings.first()
    for user, kind in ((pia, "invitation"), (pia, "meeting_reminder"), (otto, "invitation")):
        DeliveryFactory(kind=kind, target_id=meeting.pk, recipient=f"u{user.pk}")
    DeliveryFactory(kind="receipt", target_id=own.pk, recipient=f"u{pia.pk}")
    return {
        "pia": pia,
        "otto": otto,
        "own": own,
        "group": group,
        "engagements": (own_engagement, group_engagement),
    }


def serialized(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def assert_all_own_rows(data, world):
    pia, own, group = world["pia"], world["own"], world["group"]
    assert data["user"]["username"] == "pia" and data["profile"]["unit_code"] == "H100"
    assert [a["id"] for a in data["applications"]] == [own.pk]
    assert [m["id"] for m in data["memberships"]] == [group.pk]
    (mine,) = data["applications"]
    assert mine["answers"]["situation"] == "PIA-SITUATION"
    assert mine["answers"]["themes"] == ["Muutos työssä"]
    assert mine["round"] == "Syksy 2026" and mine["anonymised"] is False
    (membership,) = data["memberships"]
    assert membership["role"] == "co_applicant" and membership["membership_status"] == "confirmed"
    assert "answers" not in membership and "hr_internal_note" not in membership
    # Every history event of both applications.
    events = len(mine["history"]) + len(membership["history"])
    assert events == ApplicationEvent.objects.filter(application__in=[own, group]).count() == 4
    engagements = {e["id"]: e for e in data["engagements"]}
    assert set(engagements) == {e.pk for e in world["engagements"]}
    meetings = sum(len(e["meetings"]) for e in data["engagements"])
    assert meetings == Meeting.objects.filter(engagement__in=world["engagements"]).count() == 5
    assert {e["evaluation"]["comment"] for e in data["engagements"]} == {
        "PIA-EVAL-OWN",
        "PIA-EVAL-GROUP",
    }
    assert {e["supervisor"] for e in data["engagements"]} == {"Ohjaaja Oona"}
    assert {d["id"] for d in data["deliveries"]} == set(
        Delivery.objects.filter(recipient=f"u{pia.pk}").values_list("pk", flat=True)
    )
    assert len(data["deliveries"]) == 3
    # Local time with its offset (Helsinki).
    start = data["engagements"][0]["meetings"][0]["starts_at"]
    assert start.utcoffset() in (datetime.timedelta(hours=2), datetime.timedelta(hours=3))


def assert_nothing_of_others(text: str, where: str):
    for marker in OTHERS:
        assert marker not in text, (marker, where)
    assert "OTHER-UNIT-MARK" not in text


def test_export_has_every_own_row_and_nothing_of_others(world):
    with translation.override("fi"):
        employee = export_person(world["pia"])
        hr = export_person(world["pia"], for_hr=True)
    for data in (employee, hr):
        assert_all_own_rows(data, world)
        text = serialized(data)
        assert_nothing_of_others(text, "dict")
        for own in OWN:
            assert own in text
    assert HR_NOTE not in serialized(employee)
    assert hr["applications"][0]["hr_internal_note"] == HR_NOTE


def test_labels_and_round_names_are_in_the_readers_language(world):
    with translation.override("en"):
        data = export_person(world["pia"])
    (mine,) = data["applications"]
    assert mine["round"] == "Autumn 2026"
    assert mine["status_label"] == "Matched"
    assert mine["answers"]["languages"] == [{"code": "fi", "label": "Finnish"}]


def test_the_queries_do_not_grow_with_the_rows(world, django_assert_num_queries):
    pia = world["pia"]
    # 11: the answers after first meetings and the agreement acknowledgements (issue 18) are
    # one query each.
    with django_assert_num_queries(11):
        export_person(pia, for_hr=True)
    # Another application with its engagement, meetings, evaluation, messages and an agreement
    # acknowledgement: the same count.
    more = ApplicationFactory(round=ApplicationRoundFactory(), applicant=pia, status="matched")
    more.themes.add(ThemeFactory())
    ApplicationEventFactory(application=more)
    engagement, people = engage(more, external_supervisor("Toinen"), [pia], meetings=4)
    evaluate(engagement, people[pia.pk], 3, "")
    DeliveryFactory(kind="receipt", target_id=more.pk, recipient=f"u{pia.pk}")
    AgreementAcknowledgementFactory(
        agreement=AgreementFactory(engagement=engagement),
        by_supervisor=False,
        participant=engagement.participants.get(user=pia),
        user=pia,
    )
    with CaptureQueriesContext(connection) as queries:
        data = export_person(pia, for_hr=True)
    assert len(queries) == 11
    assert len(data["applications"]) == 2 and len(data["engagements"]) == 3
    assert [ack["version"] for ack in data["agreement_acknowledgements"]] == [1]


def test_the_employees_download_and_page_hold_their_rows_only(world):
    client = Client()
    client.force_login(world["pia"])
    response = client.get("/fi/hr/my-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    text = response.content.decode()
    data = json.loads(text)
    assert [a["id"] for a in data["applications"]] == [world["own"].pk]
    assert [m["id"] for m in data["memberships"]] == [world["group"].pk]
    assert_nothing_of_others(text, "employee JSON")
    assert HR_NOTE not in text
    assert all(own in text for own in OWN)

    page = client.get("/fi/hr/my-data/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    html = page.content.decode()
    assert_nothing_of_others(html, "employee HTML")
    assert HR_NOTE not in html
    assert all(own in html for own in OWN)
    assert "Ohjaaja Oona" in html and "Tavoitteet" in html  # the labels are translated
    # The page links the download, and My applications links the page.
    assert reverse("tyonohjaus_plugin:download_my_data") in html
    mine = client.get("/fi/hr/my-applications/").content.decode()
    assert reverse("tyonohjaus_plugin:my_data") in mine


def test_hr_export_holds_the_note_and_nothing_of_others(world, client):
    hr = UserFactory()
    hr.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "export_person_data"])
    )
    client.force_login(hr)
    client.get("/admin/")  # loads the admin URLs
    pia = world["pia"]
    for name in ("tyonohjaus_privacy:export_json", "tyonohjaus_privacy:export_html"):
        response = client.get(reverse(name, args=[pia.pk]))
        assert response.status_code == 200, name
        text = response.content.decode()
        assert_nothing_of_others(text, name)
        assert HR_NOTE in text and all(own in text for own in OWN), name
    data = json.loads(client.get(reverse("tyonohjaus_privacy:export_json", args=[pia.pk])).content)
    assert data["for_hr"] is True
    assert data["applications"][0]["hr_internal_note"] == HR_NOTE


def test_their_own_actions_in_the_audit_log_are_in_the_export(world):
    from wagtail.log_actions import log

    from tyonohjaus_plugin.models import Engagement

    engagement = Engagement.objects.filter(application__applicant=world["pia"]).get()
    log(instance=engagement, action="tyonohjaus_plugin.engagement.evaluated", user=world["pia"])
    log(instance=engagement, action="tyonohjaus_plugin.meeting.moved", user=world["otto"])
    with translation.override("en"):
        data = export_person(world["pia"])
    assert [(a["action"], a["object"]) for a in data["actions"]] == [
        ("tyonohjaus_plugin.engagement.evaluated", f"Engagement #{engagement.pk}")
    ]
    assert data["actions"][0]["action_label"] == "End evaluation answered"
