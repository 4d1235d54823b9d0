"""The Django side of matching: the round as the engine's problem, runs and their proposals."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.factories import (
    ApplicationFactory,
    ApplicationRoundFactory,
    UserFactory,
    external_supervisor,
)
from tyonohjaus_plugin.actions.run_matching import MatchingAlreadyRunning, StartMatchRunAction
from tyonohjaus_plugin.matching.problem import (
    application_key,
    build_application_problem,
    build_problem,
    build_single_problem,
    supervisor_key,
)
from tyonohjaus_plugin.models import (
    Application,
    ApplicationParticipant,
    EmployeeProfile,
    MatchOverride,
    MatchProposal,
    MatchRun,
    MatchUnmatched,
    SupervisorCapacity,
    Theme,
)
from tyonohjaus_plugin.tasks import run_matching_task

pytestmark = pytest.mark.django_db


def with_unit(application, unit):
    EmployeeProfile.objects.create(user=application.applicant, unit_code=unit)
    return application


@pytest.fixture
def world(locales):
    round = ApplicationRoundFactory(name="Kevät 2027")
    change = Theme.objects.create(name="Muutos", locale=locales["fi"], sort_order=1)
    career = Theme.objects.create(name="Ura", locale=locales["fi"], sort_order=2)
    solo = with_unit(ApplicationFactory(round=round), "U1")
    solo.themes.set([career, change])
    group = with_unit(ApplicationFactory(round=round, format="group", languages=["sv"]), "U2")
    member = UserFactory()
    EmployeeProfile.objects.create(user=member, unit_code="U3")
    ApplicationParticipant.objects.create(
        application=group, round=round, user=member, role="co_applicant", status="confirmed"
    )
    invited = UserFactory()
    EmployeeProfile.objects.create(user=invited, unit_code="U9")
    ApplicationParticipant.objects.create(
        application=group, round=round, user=invited, role="co_applicant", status="invited"
    )
    done = ApplicationFactory(round=round, status="matched")
    anna = external_supervisor("Anna", unit_codes=["U1"], default_capacity=1)
    anna.themes.set([change])
    bertil = external_supervisor("Bertil", languages=["sv", "fi"], conflict_unit_codes=["U7"])
    cecilia = external_supervisor("Cecilia", default_capacity=1)
    SupervisorCapacity.objects.create(supervisor=cecilia, round=round, capacity=3)
    external_supervisor("Inactive", active=False)
    return {
        "round": round,
        "solo": solo,
        "group": group,
        "done": done,
        "themes": (change, career),
        "anna": anna,
        "bertil": bertil,
        "cecilia": cecilia,
        "member": member,
    }


def test_the_problem_holds_codes_and_ids_only(world):
    problem = build_problem(world["round"])
    units = {unit.id: unit for unit in problem.applications}
    assert set(units) == {application_key(world["solo"].pk), application_key(world["group"].pk)}
    solo = units[application_key(world["solo"].pk)]
    change, career = world["themes"]
    assert solo.themes == (str(change.translation_key), str(career.translation_key))
    assert solo.org_units == ("U1",)
    group = units[application_key(world["group"].pk)]
    # confirmed members only: the invited colleague's unit does not count yet
    assert (group.kind, group.size, group.org_units, group.langs) == (
        "group",
        2,
        ("U2", "U3"),
        ("sv",),
    )
    offers = {offer.id: offer for offer in problem.supervisors}
    assert supervisor_key(world["cecilia"].pk) in offers and len(offers) == 3  # inactive left out
    assert offers[supervisor_key(world["cecilia"].pk)].capacity == 3  # the round's own figure
    assert offers[supervisor_key(world["bertil"].pk)].org_units == ("U7",)
    text = repr(problem)
    for secret in ("Anna", "Bertil", "@example.org", world["solo"].situation):
        assert secret not in text


def test_the_supervisor_preference_becomes_pref(world):
    solo, group = world["solo"], world["group"]
    Application.objects.filter(pk=solo.pk).update(supervisor_preference="external")
    Application.objects.filter(pk=group.pk).update(supervisor_preference="internal")
    problem = build_problem(world["round"])
    prefs = {unit.id: unit.pref for unit in problem.applications}
    assert prefs == {application_key(solo.pk): "external", application_key(group.pk): "internal"}
    assert problem.weights.pref_match == 15
    Application.objects.filter(pk=solo.pk).update(supervisor_preference="none")
    assert {unit.pref for unit in build_problem(world["round"]).applications} == {"any", "internal"}
    group.refresh_from_db()
    (unit,) = build_single_problem(group)[0].applications
    assert unit.pref == "internal"
    (unit,) = build_application_problem(group, world["round"]).applications
    assert unit.pref == "internal"


def test_conflict_people_and_hr_overrides_become_conflicts_forbids_and_pins(world):
    world["cecilia"].conflict_users.add(world["member"])
    MatchOverride.objects.create(
        round=world["round"], application=world["solo"], supervisor=world["bertil"], kind="pin"
    )
    MatchOverride.objects.create(
        round=world["round"], application=world["solo"], supervisor=world["cecilia"], kind="forbid"
    )
    problem = build_problem(world["round"])
    solo, group = application_key(world["solo"].pk), application_key(world["group"].pk)
    assert problem.pins == {(solo, supervisor_key(world["bertil"].pk))}
    # HR's forbid and the conflict of interest stay apart, so "why unmatched" can tell them apart.
    assert problem.forbids == {(solo, supervisor_key(world["cecilia"].pk))}
    assert problem.conflicts == {(group, supervisor_key(world["cecilia"].pk))}


def hr_user():
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["run_matching", "view_application"])
    )
    return user


def test_a_run_writes_its_proposal_and_a_second_delivery_does_nothing(world, caplog):
    user = hr_user()
    run = StartMatchRunAction(world["round"], user=user).execute()
    assert run.state == "queued"
    caplog.set_level("INFO", logger="tyonohjaus_plugin")
    assert run_matching_task(run.pk) == 2
    # The operators' log line: ids and counts, no names.
    assert f"Matching run {run.pk}: 2 of 2 applications matched" in caplog.text
    assert "Anna" not in caplog.text and "Cecilia" not in caplog.text
    run.refresh_from_db()
    assert run.state == "done" and run.summary["matched"] == 2 and run.summary["applications"] == 2
    pairs = set(MatchProposal.objects.filter(run=run).values_list("application", "supervisor"))
    # solo: Anna is in its unit → Cecilia; the Swedish group: only Bertil speaks Swedish
    assert pairs == {
        (world["solo"].pk, world["cecilia"].pk),
        (world["group"].pk, world["bertil"].pk),
    }
    assert all(proposal.reasons for proposal in MatchProposal.objects.filter(run=run))
    assert run_matching_task(run.pk) == 0
    assert MatchProposal.objects.filter(run=run).count() == 2
    again = StartMatchRunAction(world["round"], user=user).execute()
    run_matching_task(again.pk)
    assert (
        set(MatchProposal.objects.filter(run=again).values_list("application", "supervisor"))
        == pairs
    )
    entries = ModelLogEntry.objects.filter(action="tyonohjaus_plugin.matching.started")
    assert sorted(entries.values_list("label", flat=True)) == [
        f"Matching run #{run.pk}",
        f"Matching run #{again.pk}",
    ]
    assert {entry.user_id for entry in entries} == {user.pk}


def test_unmatched_applications_keep_the_reason(world):
    world["bertil"].delete()
    run = StartMatchRunAction(world["round"]).execute()
    run_matching_task(run.pk)
    unmatched = MatchUnmatched.objects.get(run=run)
    assert unmatched.application_id == world["group"].pk
    assert unmatched.reason[0] == "no_shared_language"


def test_one_run_at_a_time_and_a_lost_run_can_be_replaced(world):
    first = StartMatchRunAction(world["round"]).execute()
    with pytest.raises(MatchingAlreadyRunning):
        StartMatchRunAction(world["round"]).execute()
    MatchRun.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    second = StartMatchRunAction(world["round"]).execute()
    first.refresh_from_db()
    assert (first.state, first.error) == ("failed", "stale")
    assert run_matching_task(first.pk) == 0  # the lost run's task, delivered late, does nothing
    assert second.state == "queued"


def test_a_run_killed_while_writing_leaves_no_proposal(world, monkeypatch):
    run = StartMatchRunAction(world["round"]).execute()

    def crash(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(MatchUnmatched.objects, "bulk_create", crash)
    with pytest.raises(SystemExit):
        run_matching_task(run.pk)
    assert not MatchProposal.objects.filter(run=run).exists()
    run.refresh_from_db()
    assert run.state == "running"


def test_starting_a_run_needs_the_permission(world):
    with pytest.raises(PermissionDenied):
        StartMatchRunAction(world["round"], user=UserFactory()).execute()
    assert not MatchRun.objects.exists()
