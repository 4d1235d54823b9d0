"""Retention (RELIABILITY §5, tests 16 and 19): the policy's dates, the job run twice, the
statistics unchanged, one audit entry per run, the dry run, the check on the policy."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_q.models import Task
from wagtail.models import ModelLogEntry

from tests import privacy_scenario as scenario
from tests.factories import ApplicationFactory, ApplicationRoundFactory, UserFactory
from tyonohjaus_plugin.actions.run_retention import due_counts, run_retention
from tyonohjaus_plugin.checks import check_retention_policy
from tyonohjaus_plugin.jobs import SCHEDULES, ensure_schedules
from tyonohjaus_plugin.log_actions import ANONYMISED
from tyonohjaus_plugin.models import (
    AnonymisationRun,
    Application,
    ApplicationParticipant,
    FeedbackResponse,
)
from tyonohjaus_plugin.privacy import policy

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
#: Everything due a day after it ended: the scenario's applications are due now.
ONE_DAY_POLICY = dict.fromkeys(
    (
        "RETENTION_IDENTITY_DAYS",
        "RETENTION_FREE_TEXT_DAYS",
        "RETENTION_EVALUATION_COMMENT_DAYS",
        "RETENTION_AUDIT_LOG_DAYS",
    ),
    1,
)


def fi(msgid: str, placeholder: str) -> str:
    """The Finnish text before ``placeholder``: the admin pages render in the site's fi."""
    from django.utils import translation

    with translation.override("fi"):
        return translation.gettext(msgid).split(placeholder)[0]


ANONYMISED_ON = (
    "Anonymised on %(date)s: the people and the free text are gone, the statistics remain."
)
WILL_BE_REMOVED = (
    "The answers and the internal note will be removed on %(free_text)s; the people will be "
    "detached (anonymised) on %(identity)s."
)
KEPT_WHILE = (
    "Kept while the application runs. When it ends, the answers and the internal note are "
    "removed after %(free_text)s days and the people are detached after %(identity)s days."
)


def later(days):
    return timezone.now() + datetime.timedelta(days=days)


def run(days, **kwargs):
    out = io.StringIO()
    call_command("tyonohjaus_retention", f"--now={later(days).isoformat()}", stdout=out, **kwargs)
    return out.getvalue()


def everyone(data):
    applications = [data["completed"], data["group"], *data["others"]]
    people = {a.applicant_id for a in applications} | {m.pk for m in data["members"]}
    return applications, people


def test_purge_twice_leaves_no_people_no_free_text_and_the_same_statistics():
    """RELIABILITY test 16: programme end + N days, the job run twice."""
    round, data = scenario.build()
    applications, people = everyone(data)
    before = scenario.statistics(round)
    assert scenario.free_text_left(applications) > 0
    assert all(scenario.people_links(people).values())
    running_text = data["running"].situation

    first = run(366)
    assert "applications anonymised (people detached): 7" in first
    assert scenario.free_text_left(applications) == 0
    assert scenario.people_links(people) == dict.fromkeys(scenario.people_links(people), 0)
    assert scenario.statistics(round) == before
    assert not Task.objects.filter(group="tyonohjaus_plugin").exists()
    assert FeedbackResponse.objects.get(pk=data["old_feedback"].pk).comment == ""

    # Still running: untouched.
    running = Application.objects.get(pk=data["running"].pk)
    assert running.applicant_id is not None and running.situation == running_text
    assert running.anonymised_at is None

    runs, entries = AnonymisationRun.objects.count(), ModelLogEntry.objects.count()
    second = run(366)
    assert all(line.endswith(": 0") for line in second.splitlines()[1:]), second
    assert (AnonymisationRun.objects.count(), ModelLogEntry.objects.count()) == (runs, entries)
    assert scenario.statistics(round) == before


def test_free_text_goes_before_the_people():
    round, data = scenario.build()
    applications, people = everyone(data)
    run(200)  # past free text (180 days) and evaluation comments, before identities (365)
    assert scenario.free_text_left(applications) == 0
    assert FeedbackResponse.objects.get(pk=data["old_feedback"].pk).comment == ""
    assert FeedbackResponse.objects.exclude(comment="").count() == 1  # this year's stays
    assert scenario.people_links(people)["applications"] == len(applications)
    assert Application.objects.filter(anonymised_at__isnull=False).count() == 0
    assert "applications anonymised (people detached): 0" in run(200)


def test_nothing_is_due_before_the_programme_ends():
    round, data = scenario.build()
    round.programme_ends_on = timezone.localdate() + datetime.timedelta(days=300)
    round.save()
    output = run(366)
    assert "applications anonymised (people detached): 0" in output
    assert Application.objects.get(pk=data["completed"].pk).applicant_id is not None
    assert "applications anonymised (people detached): 7" in run(300 + 366)


def test_unit_is_kept_only_where_five_applied():
    round, data = scenario.build()
    run(366)
    units = dict(Application.objects.filter(round=round).values_list("pk", "unit_code"))
    assert {units[a.pk] for a in [data["completed"], data["group"], *data["others"][:3]]} == {
        "U-BIG"
    }
    assert {units[a.pk] for a in data["others"][3:]} == {""}  # two applied: would identify


def test_dry_run_changes_nothing_and_counts_what_the_run_does():
    round, data = scenario.build()
    applications, people = everyone(data)
    output = run(366, dry_run=True)
    assert "Dry run" in output and "applications anonymised (people detached): 7" in output
    assert AnonymisationRun.objects.count() == 0
    assert scenario.free_text_left(applications) > 0
    expected = due_counts(later(366))
    assert run_retention(later(366)) == expected


def test_exactly_one_audit_entry_per_run_with_ids_and_counts_only():
    """RELIABILITY test 19 for anonymisation: one entry, no names or free text."""
    round, data = scenario.build()
    run(366)
    entries = ModelLogEntry.objects.filter(action=ANONYMISED)
    assert entries.count() == 1
    entry = entries.get()
    run_row = AnonymisationRun.objects.get()
    assert entry.object_id == str(run_row.pk) and entry.label == f"Anonymisation run #{run_row.pk}"
    assert entry.data["identities"] == 7 and set(entry.data) == set(run_row.counts)
    assert all(isinstance(value, int) for value in entry.data.values())
    assert run_row.trigger == "command"
    names = {u.username for u in [*data["members"]]} | {
        a.applicant.username for a in [data["completed"], *data["others"]]
    }
    assert not any(name in entry.label + str(entry.data) for name in names)
    assert scenario.MARK not in entry.label + str(entry.data)


def test_the_schedule_runs_the_job():
    ensure_schedules()
    assert SCHEDULES["tyonohjaus_plugin.retention"] == (
        "tyonohjaus_plugin.tasks.run_retention_task",
        60,
    )
    from tyonohjaus_plugin.tasks import run_retention_task

    round, data = scenario.build()
    with override_settings(TYONOHJAUS_PLUGIN=ONE_DAY_POLICY):
        counts = run_retention_task()
    assert counts["identities"] == 7
    assert AnonymisationRun.objects.get().trigger == "schedule"


def test_anonymised_application_is_frozen_and_shown_as_such(admin_client):
    round, data = scenario.build()
    run(366)
    application = Application.objects.get(pk=data["completed"].pk)
    from tyonohjaus_plugin.models.workflow import StatusChangeNotAllowed

    rejected = Application.objects.get(pk=data["others"][0].pk)
    with pytest.raises(StatusChangeNotAllowed):
        rejected.change_status("in_review")
    response = admin_client.get(f"/admin/tyonohjaus/applications/inspect/{application.pk}/")
    if response.status_code == 404:  # the listing's URL prefix differs per site
        from django.urls import reverse

        response = admin_client.get(
            reverse("tyonohjaus_applications:inspect", args=[application.pk])
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert fi(ANONYMISED_ON, "%(date)s") in html and scenario.MARK not in html
    listing = admin_client.get(
        __import__("django.urls").urls.reverse("tyonohjaus_applications:index")
    )
    assert listing.status_code == 200 and fi("Anonymised", "%") in listing.content.decode()


def test_detail_says_when_the_data_goes(admin_client):
    from django.urls import reverse

    round = scenario.finished_round(programme_ends_on=None)
    application = scenario.ended_application(round, status="rejected", days_ago=1)
    dates = application.retention_dates()
    assert dates["free_text"] == round.closes_at + 180 * DAY or dates["free_text"] == (
        application.status_changed_at + 180 * DAY
    )
    running = ApplicationFactory(round=ApplicationRoundFactory())
    assert running.retention_dates() is None
    html = admin_client.get(
        reverse("tyonohjaus_applications:inspect", args=[application.pk])
    ).content.decode()
    assert fi(WILL_BE_REMOVED, "%(free_text)s") in html
    html = admin_client.get(
        reverse("tyonohjaus_applications:inspect", args=[running.pk])
    ).content.decode()
    assert fi(KEPT_WHILE, "%(free_text)s") in html


def test_dashboard_counts_what_the_next_run_anonymises(admin_client):
    round, data = scenario.build()
    with override_settings(TYONOHJAUS_PLUGIN=ONE_DAY_POLICY):
        assert policy.next_run_counts()["identities"] == 7
        html = admin_client.get("/admin/").content.decode()
    from django.utils import translation

    with translation.override("fi"):
        expected = translation.ngettext(
            "anonymise %(count)s application (detach its people)",
            "anonymise %(count)s applications (detach their people)",
            7,
        ) % {"count": 7}
    assert expected in html


@pytest.mark.parametrize(
    "settings_value, fragment",
    [
        ({"RETENTION_FREE_TEXT_DAYS": 400}, "RETENTION_FREE_TEXT_DAYS"),
        ({"RETENTION_AUDIT_LOG_DAYS": 500}, "RETENTION_AUDIT_LOG_DAYS"),
        ({"RETENTION_EVALUATION_COMMENT_DAYS": 366}, "RETENTION_EVALUATION_COMMENT_DAYS"),
        (
            {
                "RETENTION_IDENTITY_DAYS": 0,
                "RETENTION_FREE_TEXT_DAYS": 0,
                "RETENTION_EVALUATION_COMMENT_DAYS": 0,
                "RETENTION_AUDIT_LOG_DAYS": 0,
            },
            "at least 1 day",
        ),
    ],
)
def test_check_rejects_an_inconsistent_policy(settings_value, fragment):
    with override_settings(TYONOHJAUS_PLUGIN=settings_value):
        errors = check_retention_policy(None)
    assert errors and all(e.id == "tyonohjaus_plugin.E010" for e in errors)
    assert any(fragment in e.msg for e in errors)


def test_default_policy_passes_the_check():
    assert check_retention_policy(None) == []


def test_bad_now_is_a_clear_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--now"):
        call_command("tyonohjaus_retention", "--now=tomorrow")


def test_members_of_anonymised_group_keep_their_places():
    round, data = scenario.build()
    run(366)
    places = ApplicationParticipant.objects.filter(application=data["group"])
    assert places.count() == 3 and not places.exclude(user=None).exists()
    assert UserFactory._meta.model.objects.filter(pk=data["members"][0].pk).exists()
