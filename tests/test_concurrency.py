"""Races proven with real threads and real transactions (RELIABILITY.md §2.1–2.4).

Every worker thread has its own database connection (Django keeps one per thread), connects
before a barrier so the burst really overlaps, and closes the connection when it is done.
Run with ``pytest -s`` to see the figures of each test.
"""

import queue
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from tyonohjaus_plugin.actions import submit_application as submit_module
from tyonohjaus_plugin.actions.close_round import CloseRoundAction
from tyonohjaus_plugin.actions.respond_to_invitation import (
    InAnotherApplication,
    RespondToInvitationAction,
)
from tyonohjaus_plugin.actions.submit_application import (
    AlreadyApplied,
    ApplicationData,
    RoundNotAccepting,
    SubmitApplicationAction,
)
from tyonohjaus_plugin.models import (
    Application,
    ApplicationEvent,
    ApplicationFormat,
    ApplicationParticipant,
    ApplicationRound,
    ParticipantRole,
    PrivacyNotice,
    RoundState,
)

pytestmark = [
    pytest.mark.workers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # concurrency is proven on PostgreSQL; SQLite serialises writers
]

#: Seconds any thread may wait at a barrier or be joined before the test gives up.
TIMEOUT = 60

_seen = threading.local()


@dataclass
class Outcome:
    item: object
    application: Application | None = None
    error: Exception | None = None
    #: ``transaction_timestamp()`` of the submission's own transaction, as the action read it.
    started_at: datetime | None = None


@pytest.fixture(autouse=True)
def _record_transaction_start(monkeypatch):
    """Let each thread see the transaction start its submission compared with ``closes_at``."""
    real = submit_module.transaction_started_at

    def recording():
        _seen.started_at = real()
        return _seen.started_at

    monkeypatch.setattr(submit_module, "transaction_started_at", recording)


@pytest.fixture
def notice():
    # Transactional tests flush every table, Wagtail's initial locale included.
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    return PrivacyNotice.objects.create(
        version=1,
        title="Tietosuojaseloste",
        body="<p>Luottamuksellinen.</p>",
        effective_from=date(2026, 1, 1),
        locale=locale,
    )


def make_users(django_user_model, prefix, count):
    return django_user_model.objects.bulk_create(
        django_user_model(username=f"{prefix}{n}", email=f"{prefix}{n}@example.org")
        for n in range(count)
    )


def open_round(name):
    now = timezone.now()
    return ApplicationRound.objects.create(
        service_key=uuid.uuid4(),
        name=name,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        state=RoundState.OPEN,
    )


def submit(round, user, notice, *, format=ApplicationFormat.INDIVIDUAL, co_applicants=()):
    return SubmitApplicationAction(
        user=user,
        service_key=round.service_key,
        round=round,
        data=ApplicationData(format=format, languages=["fi"], co_applicants=list(co_applicants)),
        notice=notice,
    ).execute()


def run_concurrently(work, items, *, workers, on_start=None):
    """Run ``work(item)`` for every item on ``workers`` threads; one Outcome per item, in order.

    ``on_start`` is called just before each item starts (to trigger something mid-burst).
    """
    tasks = queue.SimpleQueue()
    for index, item in enumerate(items):
        tasks.put((index, item))
    outcomes = [None] * len(items)
    barrier = threading.Barrier(workers, timeout=TIMEOUT)

    def worker():
        try:
            connection.ensure_connection()
            barrier.wait()
            while True:
                try:
                    index, item = tasks.get_nowait()
                except queue.Empty:
                    return
                if on_start is not None:
                    on_start()
                _seen.started_at = None
                outcome = Outcome(item)
                try:
                    outcome.application = work(item)
                except Exception as exc:  # noqa: BLE001 - every outcome is judged by the test
                    outcome.error = exc
                outcome.started_at = _seen.started_at
                outcomes[index] = outcome
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, name=f"worker-{n}") for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    assert None not in outcomes, "a worker died before recording its outcome"
    return outcomes


def unexpected(outcomes, *allowed):
    return [
        repr(o.error) for o in outcomes if o.error is not None and not isinstance(o.error, allowed)
    ]


BURST_RUNS = 5
BURST_SIZE = 200
BURST_WORKERS = 32


def test_round_close_in_the_middle_of_a_burst(django_user_model, notice):
    """≥ 200 people submit while HR closes the round: nothing lost, nothing late, no 5xx."""
    users = make_users(django_user_model, "burst", BURST_SIZE)
    figures = []
    began = time.monotonic()
    for run in range(BURST_RUNS):
        round = open_round(f"Burst {run}")
        started = Counter()
        started_lock = threading.Lock()
        close_now = threading.Event()
        closed = {}

        def on_start(started=started, started_lock=started_lock, close_now=close_now):
            with started_lock:
                started["n"] += 1
                if started["n"] == BURST_SIZE // 2:
                    close_now.set()

        def close(round=round, close_now=close_now, closed=closed):
            try:
                connection.ensure_connection()
                if close_now.wait(TIMEOUT):
                    closed["round"] = CloseRoundAction(round).execute()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                closed["error"] = exc
            finally:
                connection.close()

        closer = threading.Thread(target=close, name="close-round")
        closer.start()
        outcomes = run_concurrently(
            lambda user, round=round: submit(round, user, notice),
            users,
            workers=BURST_WORKERS,
            on_start=on_start,
        )
        closer.join(TIMEOUT)
        assert "error" not in closed, closed.get("error")
        assert "round" in closed, "the round was not closed during the burst"

        round.refresh_from_db()
        assert round.state == RoundState.CLOSED
        assert round.closes_at == closed["round"].closes_at
        # No 5xx: every submission was either taken or refused as late.
        assert unexpected(outcomes, RoundNotAccepting) == []
        accepted = [o for o in outcomes if o.error is None]
        refused = [o for o in outcomes if o.error is not None]
        # 0 lost: every application a person was told about is stored, and nothing else is.
        returned = {o.application.pk for o in accepted}
        stored = dict(Application.objects.filter(round=round).values_list("pk", "submitted_at"))
        lost = len(returned - set(stored))
        assert lost == 0
        assert set(stored) == returned
        # 0 late: nothing stored whose transaction started at or after the close.
        late = sum(1 for submitted_at in stored.values() if submitted_at >= round.closes_at)
        assert late == 0
        # Each stored time is the transaction start that was checked; each refusal started late.
        assert all(stored[o.application.pk] == o.started_at for o in accepted)
        assert all(o.started_at is not None for o in outcomes)
        assert [o.started_at for o in refused if o.started_at < round.closes_at] == []
        duplicates = (
            Application.objects.filter(round=round)
            .values("applicant")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        assert duplicates == 0
        # The close really landed inside the burst.
        assert accepted and refused
        figures.append((len(accepted), len(refused), lost, late, duplicates))

    elapsed = time.monotonic() - began
    print(  # noqa: T201
        f"\nround close: runs={BURST_RUNS} submissions/run={BURST_SIZE} "
        f"accepted={[f[0] for f in figures]} refused={[f[1] for f in figures]} "
        f"lost={sum(f[2] for f in figures)} late={sum(f[3] for f in figures)} "
        f"duplicates={sum(f[4] for f in figures)} errors=0 in {elapsed:.1f}s"
    )


DOUBLE_RUNS = 3
DOUBLE_CLICKS = 25


def test_identical_submissions_make_one_application(django_user_model, notice):
    """25 identical submissions at once: one row, 24 clean "already received"."""
    round = open_round("Double submit")
    people = make_users(django_user_model, "double", DOUBLE_RUNS)
    figures = []
    for person in people:
        outcomes = run_concurrently(
            lambda _click, person=person: submit(round, person, notice),
            range(DOUBLE_CLICKS),
            workers=DOUBLE_CLICKS,
        )
        assert unexpected(outcomes, AlreadyApplied) == []
        created = [o.application for o in outcomes if o.error is None]
        assert len(created) == 1
        (application,) = created
        rows = Application.objects.filter(round=round, applicant=person)
        assert list(rows.values_list("pk", flat=True)) == [application.pk]
        assert ApplicationParticipant.objects.filter(round=round, user=person).count() == 1
        assert ApplicationEvent.objects.filter(application=application).count() == 1
        again = [o.error for o in outcomes if o.error is not None]
        assert len(again) == DOUBLE_CLICKS - 1
        assert {error.application.pk for error in again} == {application.pk}
        figures.append((rows.count(), len(again)))

    print(  # noqa: T201
        f"\ndouble submit: runs={DOUBLE_RUNS} clicks/run={DOUBLE_CLICKS} "
        f"rows={[f[0] for f in figures]} already_applied={[f[1] for f in figures]} errors=0"
    )


GROUP_RUNS = 3
GROUP_APPLICATIONS = 60
GROUP_POOL = 40
GROUP_WORKERS = 30


def test_overlapping_groups_never_share_a_person(django_user_model, notice):
    """60 group applications from 40 people at once, then every colleague confirms at once:
    nobody in two, no partial group. Naming a colleague refuses nothing (README: co-applicants);
    the place is taken at the confirm, where the unique place per round decides."""
    pool = make_users(django_user_model, "pool", GROUP_POOL)
    figures = []
    for run in range(GROUP_RUNS):
        round = open_round(f"Groups {run}")
        rng = random.Random(20260 + run)  # noqa: S311 - a fixed seed for test data
        groups = []
        for _ in range(GROUP_APPLICATIONS):
            members = rng.sample(pool, 1 + rng.randint(1, 3))
            groups.append((members[0], members[1:]))

        outcomes = run_concurrently(
            lambda group, round=round: submit(
                round, group[0], notice, format=ApplicationFormat.GROUP, co_applicants=group[1]
            ),
            groups,
            workers=GROUP_WORKERS,
        )
        assert unexpected(outcomes, AlreadyApplied) == []
        accepted = [o for o in outcomes if o.error is None]
        refusals = Counter(type(o.error).__name__ for o in outcomes if o.error is not None)

        invited = list(
            ApplicationParticipant.objects.filter(
                round=round, role=ParticipantRole.CO_APPLICANT
            ).select_related("user")
        )
        rng.shuffle(invited)
        answers = run_concurrently(
            lambda participant: RespondToInvitationAction(
                participant, user=participant.user, confirm=True
            ).execute(),
            invited,
            workers=GROUP_WORKERS,
        )
        assert unexpected(answers, InAnotherApplication) == []
        told = sum(1 for o in answers if o.error is not None)

        holding = ApplicationParticipant.objects.filter(round=round, holds_place=True)
        in_two = holding.values("user").annotate(n=Count("pk")).filter(n__gt=1).count()
        assert in_two == 0
        # Each colleague told "in another application" was left invited, holding nothing.
        assert (
            ApplicationParticipant.objects.filter(
                round=round, status="invited", holds_place=False
            ).count()
            == told
        )
        assert not ApplicationParticipant.objects.filter(
            round=round, status="invited", holds_place=True
        ).exists()

        # Every stored application is one that was accepted, with exactly its own people.
        stored = {}
        for application_id, user_id, role in ApplicationParticipant.objects.filter(
            round=round
        ).values_list("application_id", "user_id", "role"):
            stored.setdefault(application_id, set()).add((user_id, role))
        expected = {
            o.application.pk: {(o.item[0].pk, ParticipantRole.APPLICANT)}
            | {(member.pk, ParticipantRole.CO_APPLICANT) for member in o.item[1]}
            for o in accepted
        }
        partial = sum(1 for pk, people in expected.items() if stored.get(pk) != people)
        assert partial == 0
        assert set(stored) == set(expected)
        assert set(Application.objects.filter(round=round).values_list("pk", flat=True)) == set(
            expected
        )
        confirmed = len(invited) - told
        assert (
            ApplicationEvent.objects.filter(application__round=round).count()
            == len(accepted) + confirmed
        )
        assert accepted and refusals and told
        figures.append((len(accepted), sum(refusals.values()), told, confirmed, in_two, partial))

    print(  # noqa: T201
        f"\ngroups: runs={GROUP_RUNS} applications/run={GROUP_APPLICATIONS} pool={GROUP_POOL} "
        f"accepted={[f[0] for f in figures]} already_applied={[f[1] for f in figures]} "
        f"confirmed={[f[3] for f in figures]} in_another_application={[f[2] for f in figures]} "
        f"in_two={sum(f[4] for f in figures)} partial={sum(f[5] for f in figures)} errors=0"
    )


def test_two_hr_users_change_one_status_at_once(django_user_model, notice):
    """Both saw "submitted"; one move wins, the other is refused as stale (no lost update)."""
    from django.contrib.auth.models import Permission
    from wagtail.models import ModelLogEntry

    from tyonohjaus_plugin.actions.change_application_status import (
        STALE,
        ChangeApplicationStatusAction,
        StatusChangeRefused,
    )

    round = open_round("Kevät")
    hr_users = make_users(django_user_model, "hr", 2)
    for user in hr_users:
        user.user_permissions.add(
            *Permission.objects.filter(
                codename__in=["view_application", "change_application_status"]
            )
        )
    applicants = make_users(django_user_model, "a", 20)
    applications = [submit(round, user, notice) for user in applicants]
    items = [
        (application, user, target)
        for application in applications
        for user, target in zip(hr_users, ("in_review", "rejected"), strict=True)
    ]

    def work(item):
        application, user, target = item
        user = django_user_model.objects.get(pk=user.pk)  # fresh permission cache per thread
        return ChangeApplicationStatusAction(
            application, user=user, status=target, expected_status="submitted"
        ).execute()

    outcomes = run_concurrently(work, items, workers=8)
    assert unexpected(outcomes, StatusChangeRefused) == []
    for application in applications:
        mine = [o for o in outcomes if o.item[0].pk == application.pk]
        winners = [o for o in mine if o.error is None]
        assert len(winners) == 1
        assert [o.error.reason for o in mine if o.error is not None] == [STALE]
        application.refresh_from_db()
        assert application.status == winners[0].item[2]
    entries = ModelLogEntry.objects.filter(action="tyonohjaus_plugin.application.status_changed")
    assert entries.count() == len(applications)


def _matching_hr(django_user_model, prefix, count):
    from django.contrib.auth.models import Permission

    users = make_users(django_user_model, prefix, count)
    for user in users:
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_application", "run_matching"])
        )
    return users


def test_two_matching_starts_for_one_round_at_once(django_user_model, notice, monkeypatch):
    """Two HR users press "Run matching" together: one run per round, the other refused."""
    from tyonohjaus_plugin.actions import run_matching
    from tyonohjaus_plugin.actions.run_matching import MatchingAlreadyRunning, StartMatchRunAction
    from tyonohjaus_plugin.models import MatchRun

    # The runs stay queued, as with a real broker before a worker picks them up (the test
    # settings would otherwise solve each one synchronously inside the commit).
    monkeypatch.setattr(run_matching, "_enqueue", lambda run_id: None)

    rounds = [open_round(f"R{n}") for n in range(10)]
    hr_users = _matching_hr(django_user_model, "hr", 2)

    def work(item):
        round, user = item
        user = django_user_model.objects.get(pk=user.pk)
        return StartMatchRunAction(round, user=user).execute()

    outcomes = run_concurrently(work, [(r, u) for r in rounds for u in hr_users], workers=8)
    assert unexpected(outcomes, MatchingAlreadyRunning) == []
    for round in rounds:
        mine = [o for o in outcomes if o.item[0].pk == round.pk]
        assert sum(o.error is None for o in mine) == 1
        assert MatchRun.objects.filter(round=round).count() == 1


def test_concurrent_matching_and_confirming(django_user_model, notice, monkeypatch):
    """RELIABILITY test 11: 4 HR users run matching and confirm at once, 100 applications,
    10 supervisors x 5 → exactly 50 engagements, 0 over capacity, 0 double assignments."""
    from django.db.models import Count

    from tests.factories import ApplicationFactory, external_supervisor
    from tyonohjaus_plugin.actions import run_matching
    from tyonohjaus_plugin.actions.confirm_match_run import ConfirmMatchRunAction
    from tyonohjaus_plugin.actions.matching_refused import MatchingRefused
    from tyonohjaus_plugin.actions.run_matching import MatchingAlreadyRunning, StartMatchRunAction
    from tyonohjaus_plugin.models import Engagement, MatchRun
    from tyonohjaus_plugin.tasks import run_matching_task

    # Each thread runs its own run's task itself (as a worker would), not inside the commit.
    monkeypatch.setattr(run_matching, "_enqueue", lambda run_id: None)
    round = open_round("Kevät")
    for n in range(10):
        external_supervisor(f"S{n}", formats=["individual"], default_capacity=5)
    for _ in range(100):
        ApplicationFactory(round=round)
    hr_users = _matching_hr(django_user_model, "hr", 4)

    def start_and_solve(user):
        user = django_user_model.objects.get(pk=user.pk)
        run = StartMatchRunAction(round, user=user).execute()
        return run_matching_task(run.pk)

    outcomes = run_concurrently(start_and_solve, hr_users, workers=4)
    assert unexpected(outcomes, MatchingAlreadyRunning) == []
    assert sorted(o.application for o in outcomes if o.error is None) in ([50], [50, 50])
    run = MatchRun.objects.filter(round=round, state="done").first()
    assert run.proposals.count() == 50

    def confirm(user):
        user = django_user_model.objects.get(pk=user.pk)
        latest = MatchRun.objects.filter(round=round, state="done").first()
        return ConfirmMatchRunAction(latest, user=user).execute()

    outcomes = run_concurrently(confirm, hr_users, workers=4)
    assert unexpected(outcomes, MatchingRefused) == []
    assert sum(o.application["confirmed"] for o in outcomes if o.error is None) == 50
    assert Engagement.objects.count() == 50
    loads = Engagement.objects.values("supervisor").annotate(n=Count("pk"))
    assert max(row["n"] for row in loads) <= 5
    assert Engagement.objects.values("application").distinct().count() == 50


def test_two_off_round_confirms_for_the_last_place(django_user_model, notice):
    """Ten HR confirmations race for one free place: one engagement, nine refusals."""
    from tests.factories import ApplicationFactory, SupervisorFactory
    from tyonohjaus_plugin.actions.confirm_off_round import ConfirmOffRoundAction
    from tyonohjaus_plugin.actions.matching_refused import NO_ROOM, MatchingRefused
    from tyonohjaus_plugin.models import Engagement

    supervisor = SupervisorFactory(
        name="Viimeinen", email="v@example.org", formats=["individual"], default_capacity=1
    )
    applications = [ApplicationFactory(round=None) for _ in range(10)]
    (user,) = _matching_hr(django_user_model, "hr", 1)

    def work(application):
        fresh = django_user_model.objects.get(pk=user.pk)
        return ConfirmOffRoundAction(application, user=fresh, supervisor_id=supervisor.pk).execute()

    outcomes = run_concurrently(work, applications, workers=10)
    assert unexpected(outcomes, MatchingRefused) == []
    assert sum(o.error is None for o in outcomes) == 1
    assert {o.error.reason for o in outcomes if o.error is not None} == {NO_ROOM}
    assert Engagement.objects.filter(supervisor=supervisor).count() == 1


# -- the same races through HTTP (Django's test client in threads) -------------------------------
# What a browser sends: the apply view with its form, rate limit, page checks and responses, and
# HR's close button. Invariants as above, plus: no response is a 5xx.

HTTP_FORM = {
    "languages": ["fi"],
    "situation": "Oma tilanne",
    "goals": "Omat tavoitteet",
    "supervisor_preference": "none",
    "consent": "on",
}


@pytest.fixture
def http_page(service_pages, notice, settings):
    settings.TYONOHJAUS_PLUGIN = {
        **settings.TYONOHJAUS_PLUGIN,
        "APPLICATION_RATE_LIMITS": ((10_000, 3600),),
    }
    page = service_pages["fi"]
    page.applications_enabled = True
    page.save_revision().publish()
    return page


def http_round(page, name):
    round = open_round(name)
    round.service_key = page.translation_key
    round.save(update_fields=["service_key"])
    return round


def post_as(user, url, data):
    client = Client()
    client.force_login(user)
    return client.post(url, data)


def test_identical_submissions_over_http_make_one_application(django_user_model, http_page):
    """RELIABILITY test 9 through HTTP: 25 POSTs of one person at once."""
    round = http_round(http_page, "Double submit over HTTP")
    person = make_users(django_user_model, "httpdouble", 1)[0]
    url = f"/fi/hr/apply/{http_page.pk}/"
    outcomes = run_concurrently(
        lambda _click: post_as(person, url, {**HTTP_FORM, "format": "individual"}),
        range(DOUBLE_CLICKS),
        workers=DOUBLE_CLICKS,
    )
    assert unexpected(outcomes) == []
    statuses = Counter(o.application.status_code for o in outcomes)
    assert statuses == {303: 1, 200: DOUBLE_CLICKS - 1}, statuses
    assert Application.objects.filter(round=round, applicant=person).count() == 1
    assert ApplicationParticipant.objects.filter(round=round, user=person).count() == 1
    print(f"\ndouble submit over HTTP: statuses={dict(statuses)} rows=1")  # noqa: T201


def test_overlapping_groups_over_http_never_share_a_person(django_user_model, http_page):
    """RELIABILITY test 10 through HTTP: 60 group applications from 40 people at once."""
    round = http_round(http_page, "Groups over HTTP")
    pool = make_users(django_user_model, "httppool", GROUP_POOL)
    rng = random.Random(2027)  # noqa: S311 - a fixed seed for test data
    groups = [rng.sample(pool, 1 + rng.randint(1, 3)) for _ in range(GROUP_APPLICATIONS)]
    url = f"/fi/hr/apply/{http_page.pk}/"

    def apply(group):
        data = {**HTTP_FORM, "format": "group"}
        data["co_applicants"] = " ".join(member.email for member in group[1:])
        return post_as(group[0], url, data)

    outcomes = run_concurrently(apply, groups, workers=GROUP_WORKERS)
    assert unexpected(outcomes) == []
    statuses = Counter(o.application.status_code for o in outcomes)
    assert all(status < 500 for status in statuses), statuses
    holding = ApplicationParticipant.objects.filter(round=round, holds_place=True)
    assert holding.values("user").annotate(n=Count("pk")).filter(n__gt=1).count() == 0
    # No partial group: every stored application has its applicant and all its named members.
    stored = {}
    for application_id, user_id in ApplicationParticipant.objects.filter(round=round).values_list(
        "application_id", "user_id"
    ):
        stored.setdefault(application_id, set()).add(user_id)
    wanted = {frozenset(member.pk for member in group) for group in groups}
    assert all(frozenset(people) in wanted for people in stored.values())
    assert statuses[303] == len(stored) > 0
    print(f"\ngroups over HTTP: statuses={dict(statuses)} stored={len(stored)} in_two=0")  # noqa: T201


def test_round_close_over_http_in_the_middle_of_a_burst(django_user_model, http_page):
    """RELIABILITY test 8 through HTTP: 100 people submit while HR presses "close"."""
    round = http_round(http_page, "Burst over HTTP")
    people = make_users(django_user_model, "httpburst", 100)
    hr = django_user_model.objects.create(username="httpburst-hr", is_superuser=True)
    url = f"/fi/hr/apply/{http_page.pk}/"
    started, lock, close_now, closed = Counter(), threading.Lock(), threading.Event(), {}

    def on_start():
        with lock:
            started["n"] += 1
            if started["n"] == len(people) // 2:
                close_now.set()

    def close():
        try:
            if close_now.wait(TIMEOUT):
                closed["response"] = post_as(hr, f"/admin/tyonohjaus/rounds/{round.pk}/close/", {})
        finally:
            connection.close()

    closer = threading.Thread(target=close, name="close-round-http")
    closer.start()
    outcomes = run_concurrently(
        lambda person: post_as(person, url, {**HTTP_FORM, "format": "individual"}),
        people,
        workers=BURST_WORKERS,
        on_start=on_start,
    )
    closer.join(TIMEOUT)
    assert closed["response"].status_code < 400
    assert unexpected(outcomes) == []
    statuses = Counter(o.application.status_code for o in outcomes)
    assert all(status < 500 for status in statuses), statuses
    round.refresh_from_db()
    assert round.state == RoundState.CLOSED
    stored = Application.objects.filter(round=round)
    late = [o for o in outcomes if o.started_at and o.started_at >= round.closes_at]
    assert stored.filter(submitted_at__gte=round.closes_at).count() == 0
    assert stored.count() == statuses[303]  # nothing lost: each 303 is a stored row
    print(  # noqa: T201
        f"\nclose burst over HTTP: statuses={dict(statuses)} stored={stored.count()} "
        f"started_after_close={len(late)} stored_after_close=0"
    )
