"""HR's matching board: permissions, pins, forbids, re-run, confirm, off-round, auto-start."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    SupervisorFactory,
    UserFactory,
    external_supervisor,
)
from tests.utils import final_status
from tyonohjaus_plugin.actions.close_round import CloseRoundAction
from tyonohjaus_plugin.actions.confirm_match_run import ConfirmMatchRunAction
from tyonohjaus_plugin.actions.matching_refused import SUPERSEDED, MatchingRefused
from tyonohjaus_plugin.actions.run_matching import StartMatchRunAction
from tyonohjaus_plugin.jobs import SCHEDULES, ensure_schedules
from tyonohjaus_plugin.models import (
    Application,
    ApplicationEvent,
    EmployeeProfile,
    Engagement,
    MatchOverride,
    MatchProposal,
    MatchRun,
    MatchUnmatched,
    Supervisor,
    Theme,
)
from tyonohjaus_plugin.tasks import close_due_rounds_task, run_matching_task

pytestmark = pytest.mark.django_db


def external(name, **fields):
    fields.setdefault("default_capacity", 1)
    return external_supervisor(name, **fields)


def person(unit):
    user = UserFactory()
    EmployeeProfile.objects.create(user=user, unit_code=unit)
    return user


def user_with(*codenames):
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def world(locales):
    round = ApplicationRoundFactory(name="Kevät 2027", state="closed")
    change = Theme.objects.create(name="Muutos", locale=locales["fi"], sort_order=1)
    Theme.objects.create(
        name="Förändring",
        locale=locales["sv"],
        sort_order=1,
        translation_key=change.translation_key,
    )
    first = ApplicationFactory(round=round, applicant=person("U1"))
    first.themes.set([change])
    group = ApplicationFactory(round=round, applicant=person("U2"), format="group")
    member, invited = person("U3"), person("U4")
    for user, status in ((member, "confirmed"), (invited, "invited")):
        ApplicationParticipantFactory(application=group, user=user, status=status)
    third = ApplicationFactory(round=round, applicant=person("U5"))
    anna = external("Anna")
    anna.themes.set([change])
    bertil = external("Bertil")
    return {
        "round": round,
        "first": first,
        "group": group,
        "third": third,
        "member": member,
        "invited": invited,
        "anna": anna,
        "bertil": bertil,
        "change": change,
    }


@pytest.fixture
def hr(client):
    user = user_with("access_admin", "run_matching", "view_application")
    client.force_login(user)
    return user


def run_now(round, user=None):
    run = StartMatchRunAction(round, user=user).execute()
    run_matching_task(run.pk)
    run.refresh_from_db()
    assert run.state == "done", run.error
    return run


def pairs(run):
    return set(MatchProposal.objects.filter(run=run).values_list("application", "supervisor"))


def board_url(round, view=None):
    url = reverse("tyonohjaus_matching:round", args=[round.pk])
    return f"{url}?view={view}" if view else url


# --- permissions --------------------------------------------------------------------------


def test_only_hr_with_the_matching_permission_reaches_the_board(client, world):
    round, first, anna = world["round"], world["first"], world["anna"]
    run = run_now(round)
    off_round = ApplicationFactory(round=None)
    override = MatchOverride.objects.create(
        round=round, application=first, supervisor=anna, kind="forbid"
    )
    gets = [
        reverse("tyonohjaus_matching:index"),
        board_url(round),
        board_url(round, "supervisors"),
        board_url(round, "unmatched"),
        board_url(round, "overrides"),
        reverse("tyonohjaus_matching:status", args=[round.pk]),
        reverse("tyonohjaus_matching:choose", args=[round.pk, first.pk]),
        reverse("tyonohjaus_matching:confirm", args=[run.pk]),
        reverse("tyonohjaus_matching:off_round", args=[off_round.pk]),
    ]
    posts = [
        (reverse("tyonohjaus_matching:start", args=[round.pk]), {}),
        (
            reverse("tyonohjaus_matching:override", args=[round.pk]),
            {"pair": f"pin:{first.pk}:{anna.pk}"},
        ),
        (reverse("tyonohjaus_matching:remove", args=[override.pk]), {}),
        (reverse("tyonohjaus_matching:confirm", args=[run.pk]), {}),
        (
            reverse("tyonohjaus_matching:off_round", args=[off_round.pk]),
            {"supervisor": anna.pk},
        ),
    ]
    people = {
        "employee": user_with(),
        "admin user without matching": user_with("access_admin"),
        "HR assistant": user_with("access_admin", "view_application", "change_application"),
        "matching without the list": user_with("access_admin", "run_matching"),
        "HR": user_with("access_admin", "run_matching", "view_application"),
    }
    found = {}
    for name, user in people.items():
        client.force_login(user)
        found[name] = [client.get(url).status_code for url in gets]
        if name != "HR":
            found[name] += [client.post(url, data).status_code for url, data in posts]
    client.logout()
    anonymous = [client.get(url).status_code for url in gets]
    assert set(anonymous) == {302}  # to the admin login
    assert found["HR"] == [200] * len(gets)
    for name in people:
        if name != "HR":
            assert set(found[name]) <= {302, 403}, (name, found[name])
            assert 403 in found[name] or set(found[name]) == {302}, name
    # Nobody without the permission changed anything.
    assert MatchRun.objects.count() == 1
    assert list(MatchOverride.objects.values_list("kind", flat=True)) == ["forbid"]
    assert not Engagement.objects.exists()


def test_the_matching_menu_item_shows_only_with_the_permission(client, world, hr):
    assert reverse("tyonohjaus_matching:index") in client.get(reverse("wagtailadmin_home")).text
    client.force_login(user_with("access_admin", "view_application"))
    assert reverse("tyonohjaus_matching:index") not in client.get(reverse("wagtailadmin_home")).text


# --- the board ----------------------------------------------------------------------------


def test_hr_runs_matching_and_reads_why_in_their_language(client, world, hr):
    response = client.post(reverse("tyonohjaus_matching:start", args=[world["round"].pk]))
    assert response.status_code == 302
    run = MatchRun.objects.get()
    assert run.started_by == hr
    # The test settings run django-q2 synchronously after the commit; do it explicitly here.
    run_matching_task(run.pk)
    run.refresh_from_db()
    assert run.summary["matched"] == 2 and run.summary["applications"] == 3

    page = client.get(board_url(world["round"]), HTTP_ACCEPT_LANGUAGE="fi").text
    # The theme reason names the theme in the active language, by its translation key.
    assert "Muutos" in page
    assert world["first"].situation not in page  # free text never reaches the board
    unmatched = client.get(board_url(world["round"], "unmatched")).text
    (row,) = MatchUnmatched.objects.filter(run=run)
    assert row.reason[0] == "all_full"
    assert str(row.application_id) in unmatched
    status = client.get(reverse("tyonohjaus_matching:status", args=[world["round"].pk])).json()
    assert status["state"] == "done" and status["run"] == run.pk


@pytest.mark.parametrize("preference", ["internal", "none"])
def test_the_supervisor_preference_decides_and_hr_reads_it(client, world, hr, preference):
    """The form's "internal / external / no preference" reaches the engine; the board says why."""
    iida = SupervisorFactory(internal=True, default_capacity=1)
    EmployeeProfile.objects.create(user=iida.user, unit_code="U9")
    first, third = world["first"], world["third"]
    Application.objects.filter(pk=third.pk).update(supervisor_preference=preference)
    profile = UserProfile.get_for_user(hr)
    profile.preferred_language = "en"
    profile.save()
    proposed = dict(pairs(run_now(world["round"], hr)))
    page = client.get(board_url(world["round"])).text
    asked = "The applicant asked for an internal supervisor"
    if preference == "internal":
        # Iida is worth 15 to the third application and 0 to the others (the externals: -25).
        assert proposed[third.pk] == iida.pk
        assert page.count(asked) == 1
    else:
        assert asked not in page
    assert proposed[first.pk] == world["anna"].pk


def test_a_second_start_while_running_is_refused_with_409(client, world, hr):
    StartMatchRunAction(world["round"], user=hr).execute()
    response = client.post(reverse("tyonohjaus_matching:start", args=[world["round"].pk]))
    assert response.status_code == 409
    assert MatchRun.objects.count() == 1


def test_pin_forbid_rerun_keeps_the_rest_and_confirm_creates_engagements(client, world, hr):
    round, first, group, third = world["round"], world["first"], world["group"], world["third"]
    anna = world["anna"]
    external("Carl")
    external("Dora")
    first_run = run_now(round, hr)
    proposed = dict(pairs(first_run))
    # Anna covers the first application's theme; capacity 1 each, four supervisors.
    assert proposed[first.pk] == anna.pk and len(proposed) == 3

    # Forbid the group's pair, pin the third application to the group's supervisor.
    group_sup = proposed[group.pk]
    url = reverse("tyonohjaus_matching:override", args=[round.pk])
    assert client.post(url, {"pair": f"forbid:{group.pk}:{group_sup}"}).status_code == 302
    pinned_sup = proposed[third.pk]
    assert client.post(url, {"pair": f"pin:{third.pk}:{pinned_sup}"}).status_code == 302
    assert set(MatchOverride.objects.values_list("kind", "application", "supervisor")) == {
        ("forbid", group.pk, group_sup),
        ("pin", third.pk, pinned_sup),
    }

    second_run = run_now(round, hr)
    again = dict(pairs(second_run))
    assert again[third.pk] == pinned_sup
    assert again.get(group.pk) != group_sup
    assert again[first.pk] == anna.pk  # untouched by the overrides, so kept
    assert second_run.summary["kept"] >= 2 and second_run.summary["previous"] == 3

    # The old run can no longer be confirmed.
    with pytest.raises(MatchingRefused) as refusal:
        ConfirmMatchRunAction(first_run, user=hr).execute()
    assert refusal.value.reason == SUPERSEDED

    # Confirm only the first application, then the rest.
    confirm = reverse("tyonohjaus_matching:confirm", args=[second_run.pk])
    assert "1" in client.get(confirm, {"application": [first.pk]}).text
    client.post(confirm, {"application": [first.pk]})
    engagement = Engagement.objects.get()
    assert (engagement.application, engagement.supervisor) == (first, anna)
    assert engagement.confirmed_by == hr and engagement.round == round
    first.refresh_from_db()
    assert first.status == "matched"
    assert ApplicationEvent.objects.filter(application=first, status="matched").count() == 1

    client.post(confirm)
    assert Engagement.objects.count() == len(again)
    group_engagement = Engagement.objects.filter(application=group).first()
    if group_engagement is not None:
        # The applicant and the confirmed co-applicant take part; the invited one does not.
        people = set(group_engagement.participants.values_list("user", flat=True))
        assert people == {group.applicant_id, world["member"].pk}
    # A second confirm of the same run creates nothing.
    outcome = ConfirmMatchRunAction(second_run, user=hr).execute()
    assert outcome == {"confirmed": 0, "skipped": len(again)}
    assert Engagement.objects.count() == len(again)

    actions = list(ModelLogEntry.objects.values_list("action", flat=True))
    assert actions.count("tyonohjaus_plugin.matching.pinned") == 1
    assert actions.count("tyonohjaus_plugin.matching.forbidden") == 1
    assert actions.count("tyonohjaus_plugin.matching.confirmed") == 3
    assert actions.count("tyonohjaus_plugin.application.status_changed") == len(again)
    labels = " ".join(ModelLogEntry.objects.values_list("label", flat=True))
    assert "Anna" not in labels and "@" not in labels

    # After confirming, a new run leaves confirmed applications and their places alone.
    later = run_now(round, hr)
    assert later.summary["applications"] == 3 - len(again)


def test_a_confirmed_place_is_taken_off_the_next_run(world, hr):
    round = world["round"]
    run = run_now(round, hr)
    ConfirmMatchRunAction(run, user=hr).execute()
    newcomer = ApplicationFactory(round=round, applicant=person("U8"))
    later = run_now(round, hr)
    # Anna and Bertil (capacity 1) are taken by confirmed engagements: nobody is left.
    assert later.summary["applications"] == 2  # the one left unmatched and the newcomer
    assert later.summary["matched"] == 0
    reasons = dict(MatchUnmatched.objects.filter(run=later).values_list("application", "reason"))
    assert reasons[newcomer.pk][0] == "all_full"


def test_an_infeasible_pin_and_tampered_ids_are_refused(client, world, hr):
    round, first, anna = world["round"], world["first"], world["anna"]
    swedish = external("Sven", languages=["sv"])
    url = reverse("tyonohjaus_matching:override", args=[round.pk])
    response = client.post(url, {"pair": f"pin:{first.pk}:{swedish.pk}"})
    assert response.status_code == 409
    assert "rule" in response.text or "sään" in response.text
    other_round = ApplicationFactory(round=ApplicationRoundFactory(state="closed"))
    assert client.post(url, {"pair": f"pin:{other_round.pk}:{anna.pk}"}).status_code == 409
    assert client.post(url, {"pair": f"pin:{first.pk}:999999"}).status_code == 409
    for data in ({"pair": f"pin:x:{anna.pk}"}, {"pair": "delete:1:2"}, {}):
        assert final_status(client, client.post(url, data)) == 404
    assert not MatchOverride.objects.exists()
    choose = reverse("tyonohjaus_matching:choose", args=[round.pk, other_round.pk])
    assert final_status(client, client.get(choose)) == 404


def test_a_pin_beyond_the_places_left_is_refused(client, world, hr):
    round, first, third, anna = world["round"], world["first"], world["third"], world["anna"]
    url = reverse("tyonohjaus_matching:override", args=[round.pk])
    assert client.post(url, {"pair": f"pin:{first.pk}:{anna.pk}"}).status_code == 302
    assert client.post(url, {"pair": f"pin:{third.pk}:{anna.pk}"}).status_code == 409
    # Moving the application's pin replaces it instead of adding a second one.
    bertil = world["bertil"]
    assert client.post(url, {"pair": f"pin:{first.pk}:{bertil.pk}"}).status_code == 302
    assert list(MatchOverride.objects.values_list("application", "supervisor")) == [
        (first.pk, bertil.pk)
    ]
    remove = reverse("tyonohjaus_matching:remove", args=[MatchOverride.objects.get().pk])
    assert client.post(remove).status_code == 302
    assert not MatchOverride.objects.exists()
    assert ModelLogEntry.objects.filter(
        action="tyonohjaus_plugin.matching.override_removed"
    ).exists()


def test_the_chooser_lists_rules_broken_and_places_left(client, world, hr):
    swedish = external("Sven", languages=["sv"])
    world["anna"].conflict_users.add(world["first"].applicant)
    page = client.get(
        reverse("tyonohjaus_matching:choose", args=[world["round"].pk, world["first"].pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).text
    assert "Sven" in page and "No shared language" in page
    assert "Conflict of interest" in page
    assert f"pin:{world['first'].pk}:{swedish.pk}" not in page  # no Pin button for a broken pair
    assert f"pin:{world['first'].pk}:{world['bertil'].pk}" in page


def test_unmatched_reasons_tell_a_conflict_from_a_forbid(world, hr):
    round, first = world["round"], world["first"]
    world["anna"].conflict_users.add(first.applicant)
    world["bertil"].conflict_users.add(first.applicant)
    run = run_now(round, hr)
    reason = MatchUnmatched.objects.get(run=run, application=first).reason
    assert reason[0] == "conflict_of_interest"
    world["bertil"].conflict_users.clear()
    MatchOverride.objects.create(
        round=round, application=first, supervisor=world["bertil"], kind="forbid"
    )
    run = run_now(round, hr)
    reason = MatchUnmatched.objects.get(run=run, application=first).reason
    assert reason[0] == "excluded" and reason[1] == {"forbidden": 1, "conflicts": 1}


# --- off-round ------------------------------------------------------------------------------


def test_an_off_round_application_gets_the_best_supervisor_with_room(client, world, hr):
    application = ApplicationFactory(round=None, applicant=person("U7"))
    application.themes.set([world["change"]])
    url = reverse("tyonohjaus_matching:off_round", args=[application.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    # Anna covers the theme: she is first.
    assert page.index("Anna") < page.index("Bertil")
    response = client.post(url, {"supervisor": world["anna"].pk})
    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert engagement.supervisor == world["anna"] and engagement.round is None
    assert Application.objects.get(pk=application.pk).status == "matched"
    assert final_status(client, client.post(url, {"supervisor": world["anna"].pk})) == 404

    # Anna's only place is taken now: the next one gets Bertil, and Anna is refused.
    second = ApplicationFactory(round=None, applicant=person("U6"))
    second.themes.set([world["change"]])
    url = reverse("tyonohjaus_matching:off_round", args=[second.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Bertil" in page and "Anna" not in page
    assert client.post(url, {"supervisor": world["anna"].pk}).status_code == 409
    assert final_status(client, client.post(url, {"supervisor": "x"})) == 404
    assert Engagement.objects.count() == 1
    assert (
        ModelLogEntry.objects.filter(
            action="tyonohjaus_plugin.matching.confirmed_off_round"
        ).count()
        == 1
    )


@pytest.mark.usefixtures("direct_planning")  # the series planned at the confirm
def test_an_off_round_confirm_without_free_meeting_times_is_refused(client, world, hr, monkeypatch):
    """A calendar with no free slot refuses the confirm (409, nothing created), never a 500."""
    from tyonohjaus_plugin.engagements import plans
    from tyonohjaus_plugin.scheduling import PlanError

    def full(*args, **kwargs):
        raise PlanError("no free slot")

    monkeypatch.setattr(plans, "plan_free_meetings", full)
    application = ApplicationFactory(round=None, applicant=person("U7"))
    url = reverse("tyonohjaus_matching:off_round", args=[application.pk])
    response = client.post(url, {"supervisor": world["anna"].pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "No free meeting times" in response.text
    assert not Engagement.objects.exists()
    assert Application.objects.get(pk=application.pk).status != "matched"


# --- automatic start and schedules --------------------------------------------------------


def test_closing_a_round_starts_matching(world, django_capture_on_commit_callbacks):
    round = ApplicationRoundFactory(state="open")
    ApplicationFactory(round=round)
    with django_capture_on_commit_callbacks(execute=True):
        CloseRoundAction(round).execute()
    run = MatchRun.objects.get(round=round)
    assert run.started_by is None
    # The test settings run django-q2 synchronously: the run has finished.
    assert run.state == "done" and run.summary["matched"] == 1


def test_the_schedule_closes_overdue_rounds_once(world, django_capture_on_commit_callbacks):
    now = timezone.now()
    overdue = ApplicationRoundFactory(
        state="open",
        opens_at=now - datetime.timedelta(days=9),
        closes_at=now - datetime.timedelta(minutes=1),
    )
    later = ApplicationRoundFactory(state="open")
    with django_capture_on_commit_callbacks(execute=True):
        assert close_due_rounds_task() == 1
    overdue.refresh_from_db()
    later.refresh_from_db()
    assert (overdue.state, later.state) == ("closed", "open")
    assert MatchRun.objects.filter(round=overdue).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert close_due_rounds_task() == 0
    assert MatchRun.objects.filter(round=overdue).count() == 1


def test_schedules_are_created_once_and_duplicates_removed(db):
    ensure_schedules()
    first = {name: Schedule.objects.filter(name=name).count() for name in SCHEDULES}
    name = next(iter(SCHEDULES))
    Schedule.objects.create(name=name, func="x.y", schedule_type=Schedule.MINUTES, minutes=1)
    outcome = ensure_schedules()
    assert first == dict.fromkeys(SCHEDULES, 1)
    assert outcome[name] == "updated"
    assert Schedule.objects.filter(name=name).count() == 1
    assert Schedule.objects.get(name=name).func == SCHEDULES[name][0]
    assert ensure_schedules() == dict.fromkeys(SCHEDULES, "unchanged")


def test_an_empty_round_and_a_round_without_supervisors_finish_cleanly(world, hr):
    empty = run_now(ApplicationRoundFactory(state="closed"), hr)
    assert empty.summary["applications"] == 0 and empty.summary["matched"] == 0
    Supervisor.objects.update(active=False)
    run = run_now(world["round"], hr)
    assert run.summary["matched"] == 0
    reasons = list(MatchUnmatched.objects.filter(run=run).values_list("reason", flat=True))
    assert [code for code, _params in reasons] == ["no_supervisors"] * 3


def test_a_queued_run_whose_task_was_lost_is_queued_again(world, hr, monkeypatch):
    from tyonohjaus_plugin.actions import run_matching

    monkeypatch.setattr(run_matching, "_enqueue", lambda run_id: None)  # the broker lost it
    run = StartMatchRunAction(world["round"], user=hr).execute()
    close_due_rounds_task()
    run.refresh_from_db()
    assert run.state == "queued"  # too recent to call lost
    MatchRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    close_due_rounds_task()  # the test settings run the re-queued task synchronously
    run.refresh_from_db()
    assert run.state == "done" and run.summary["matched"] == 2
