"""History for the demo's HR reports: two past rounds with applications, engagements, held
meetings, end evaluations and external cost, so the report charts have something to show.

The older round is anonymised as the retention job leaves it (no people, the unit kept); the
newer one still has its applicants (demo users without a password). Fixed numbers from a seeded
random generator, written with ``bulk_create``; a round that exists already is left as it is, so
loading the demo again changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from tyonohjaus_plugin.models import (
    Application,
    ApplicationParticipant,
    ApplicationRound,
    EmployeeProfile,
    Engagement,
    EngagementParticipant,
    EvaluationAnswer,
    MatchRun,
    MatchUnmatched,
    Meeting,
    PrivacyNotice,
    RoundState,
    Supervisor,
)

#: (name, translations, days before today it opened, applications, anonymised)
PAST_ROUNDS = (
    ("Syksy 2025", {"sv": "Hösten 2025", "en": "Autumn 2025"}, 480, 42, True),
    ("Kevät 2026", {"sv": "Våren 2026", "en": "Spring 2026"}, 300, 48, False),
)
UNITS = ("H100", "H523", "T200", "O310", "K120")
UNMATCHED_REASONS = ("all_full", "no_shared_language", "no_format", "all_full")


def ensure_report_history(service_key, locale) -> None:
    """The two past rounds of ``PAST_ROUNDS`` for the service, unless they exist; applications
    accept the privacy notice of ``locale`` (the default language)."""
    supervisors = list(Supervisor.objects.filter(active=True).order_by("pk"))
    notice = PrivacyNotice.objects.filter(locale=locale).order_by("-version", "pk").first()
    if not supervisors or notice is None:
        return
    for index, (name, translations, days, size, anonymised) in enumerate(PAST_ROUNDS):
        if ApplicationRound.objects.filter(service_key=service_key, name=name).exists():
            continue
        _seed_round(
            service_key, notice, supervisors, name, translations, days, size, anonymised, index
        )


def _seed_round(service_key, notice, supervisors, name, translations, days, size, anonymised, n):
    rng = random.Random(f"reports-{name}")  # noqa: S311 (demo data)
    now = timezone.now()
    opens = now - datetime.timedelta(days=days)
    round = ApplicationRound.objects.create(
        service_key=service_key,
        name=name,
        name_translations=translations,
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=21),
        programme_starts_on=(opens + datetime.timedelta(days=35)).date(),
        programme_ends_on=(opens + datetime.timedelta(days=160)).date(),
        target_places=size - 8,
        state=RoundState.ARCHIVED if anonymised else RoundState.MATCHED,
    )
    users = []
    if not anonymised:
        User = get_user_model()
        users = [
            User(username=f"history{n}-{k}", first_name="Demo", last_name=f"Hakija {k}")
            for k in range(size)
        ]
        for user in users:
            user.set_unusable_password()
        users = User.objects.bulk_create(users)
        EmployeeProfile.objects.bulk_create(
            EmployeeProfile(user=user, unit_code=UNITS[k % len(UNITS)])
            for k, user in enumerate(users)
        )
    outcomes = []  # per application: "completed", "not_a_fit", "withdrawn", "unmatched"
    for _k in range(size):
        roll = rng.random()
        outcomes.append(
            "unmatched"
            if roll < 0.17
            else "withdrawn"
            if roll < 0.22
            else "not_a_fit"
            if roll < 0.29
            else "completed"
        )
    applications = Application.objects.bulk_create(
        Application(
            service_key=service_key,
            round=round,
            applicant=None if anonymised else users[k],
            format="group" if k % 6 == 0 else "individual",
            languages=["sv"] if k % 9 == 0 else ["fi"],
            consent_notice=notice,
            consent_version=1,
            status={"unmatched": "rejected", "withdrawn": "withdrawn"}.get(outcome, "completed"),
            submitted_at=opens + datetime.timedelta(days=rng.randint(0, 20), hours=k % 8),
            status_changed_at=opens + datetime.timedelta(days=140),
            unit_code=UNITS[k % len(UNITS)] if anonymised else "",
            anonymised_at=now if anonymised else None,
        )
        for k, outcome in enumerate(outcomes)
    )
    ApplicationParticipant.objects.bulk_create(
        ApplicationParticipant(
            application=application,
            round=round,
            user=application.applicant,
            role="applicant",
            status="confirmed",
            holds_place=False,
        )
        for application in applications
    )
    run = MatchRun.objects.create(
        round=round,
        state="done",
        started_at=round.closes_at + datetime.timedelta(days=2),
        finished_at=round.closes_at + datetime.timedelta(days=2),
    )
    MatchUnmatched.objects.bulk_create(
        MatchUnmatched(run=run, application=application, reason=[rng.choice(UNMATCHED_REASONS), {}])
        for application, outcome in zip(applications, outcomes, strict=True)
        if outcome == "unmatched"
    )
    engaged = [
        (a, outcome)
        for a, outcome in zip(applications, outcomes, strict=True)
        if outcome != "unmatched"
    ]
    engagements = Engagement.objects.bulk_create(
        Engagement(
            application=application,
            supervisor=supervisors[k % len(supervisors)],
            round=round,
            confirmed_at=round.closes_at + datetime.timedelta(days=rng.randint(3, 12)),
            state="completed" if outcome == "completed" else "cancelled",
            end_reason="" if outcome == "completed" else outcome,
            ended_at=None if outcome == "completed" else opens + datetime.timedelta(days=70),
            meeting_count=4,
        )
        for k, (application, outcome) in enumerate(engaged)
    )
    meetings, participants = [], []
    for engagement, (_application, outcome) in zip(engagements, engaged, strict=True):
        held = {"completed": 4, "not_a_fit": 1, "withdrawn": rng.randint(0, 2)}[outcome]
        first = engagement.confirmed_at + datetime.timedelta(days=rng.randint(8, 25))
        for number in range(1, held + 1):
            start = first + datetime.timedelta(days=21 * (number - 1))
            meetings.append(
                Meeting(
                    engagement=engagement,
                    number=number,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=90),
                    state="held",
                )
            )
        participants.append(
            EngagementParticipant(engagement=engagement, user=engagement.application.applicant)
        )
    Meeting.objects.bulk_create(meetings)
    participants = EngagementParticipant.objects.bulk_create(participants)
    EvaluationAnswer.objects.bulk_create(
        EvaluationAnswer(
            engagement=participant.engagement,
            participant=participant,
            goals_reached=rng.choice((3, 4, 4, 4, 5, 5, 2)),
            answered_on=(opens + datetime.timedelta(days=150)).date(),
        )
        for participant in participants
        if participant.engagement.state == "completed" and rng.random() < 0.8
    )
