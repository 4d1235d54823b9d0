"""Seeding and tallying for ``benchmarks/scale_out.py``, run inside the site's own settings.

``scale_out.py`` runs it the way an operator runs anything against the deployment, through
``manage.py`` (so ``DJANGO_ENV`` picks the settings exactly as for the web and the workers):

    TYO_SCALE='{"command": "seed", ...}' python manage.py shell -c \\
        "from benchmarks.scale_seed import main; main()"

The demo loader refuses production settings (its logins are published), so this module creates
its own content: a home page, the service page taking applications, a privacy notice, themes, an
open round, N employees, an HR user in the group with the plugin's HR role, external supervisors
for matching, and engagements of an earlier round whose meetings make M reminders come due at a
given moment. Throwaway users of a throwaway database: one random password for all of them,
hashed once. ``tally`` reads the outcome back (rows per person, receipts and reminders against the
SMTP sink's log) and prints it as JSON: the orchestrator itself imports no Django.
"""

import datetime
import json
import os
import sys
from collections import Counter

MEETINGS_PER_ENGAGEMENT = 5
#: Each reminder engagement has one employee and one external supervisor: 2 reminders a meeting.
RECIPIENTS_PER_MEETING = 2
REMINDER_SUPERVISORS = 50
HR_USERNAME = "hr-scale"


def seed(spec):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q
    from django.utils import timezone
    from wagtail.models import Locale, Page, Site

    from example_site.home.models import HomePage
    from tyonohjaus_plugin.conf import plugin_settings
    from tyonohjaus_plugin.models import (
        Application,
        ApplicationRound,
        Engagement,
        EngagementParticipant,
        Meeting,
        PrivacyNotice,
        Provider,
        RoundState,
        ServicePage,
        Supervisor,
        SupervisorKind,
        Theme,
    )
    from tyonohjaus_plugin.permissions import ROLES

    now = timezone.now()
    fi = Locale.objects.get_or_create(language_code="fi")[0]
    root = Page.get_first_root_node()
    home = HomePage(title="Intranet", slug="intranet", locale=fi, intro="Skaalaustesti.")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "127.0.0.1", "port": 443, "root_page": home, "site_name": "Intranet"},
    )
    provider = Provider.objects.create(name="Henkilöstöpalvelut", email="hr@example.org", locale=fi)
    page = ServicePage(
        title="Työnohjaus",
        slug="tyonohjaus",
        lead="Luottamuksellista tukea omaan työhön.",
        locale=fi,
        provider=provider,
        applications_enabled=True,
        allow_off_round=False,  # after the close a POST is refused (409), not taken off-round
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    PrivacyNotice.objects.create(
        version=1,
        title="Tietosuojaseloste",
        body="<p>Hakemuksesi tiedot ovat luottamuksellisia.</p>",
        effective_from=now.date(),
        locale=fi,
    )
    themes = [
        Theme.objects.create(name=name, locale=fi, sort_order=n)
        for n, name in enumerate(("Muutos", "Ura", "Jaksaminen", "Esihenkilötyö"))
    ]
    round = ApplicationRound.objects.create(
        service_key=page.translation_key,
        name="Skaalaus",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=14),
        state=RoundState.OPEN,
    )

    User = get_user_model()
    password = make_password(spec["password"])  # hashed once: PBKDF2 takes ~0.5 s a call
    employees = spec["employees"]
    User.objects.bulk_create(
        User(
            username=f"emp{n}",
            email=f"emp{n}@example.org",
            first_name="Työntekijä",
            last_name=str(n),
            password=password,
        )
        for n in range(employees)
    )
    hr = User.objects.create(
        username=HR_USERNAME, email="hr-scale@example.org", first_name="HR", password=password
    )
    group = Group.objects.create(name="HR")
    query = Q(pk__in=[])
    for name in ROLES["hr"]:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(query))
    hr.groups.add(group)

    # Supervisors for matching: room for everyone (10 places each), every format and theme.
    matchers = Supervisor.objects.bulk_create(
        Supervisor(
            kind=SupervisorKind.EXTERNAL, name=f"Ohjaaja {n}", email=f"ohjaaja{n}@example.org",
            languages=["fi", "sv", "en"], formats=["individual", "group", "team"],
            default_capacity=10,
        )
        for n in range(max(2, -(-employees // 8)))
    )  # fmt: skip
    for supervisor in matchers:
        supervisor.themes.set(themes)

    # An earlier round's engagements whose meetings start 48 h (the reminder lead) after
    # ``reminders_due_at``: the minute sweep finds M reminders due from that moment on.
    meetings = spec["reminders"] // RECIPIENTS_PER_MEETING
    engagements = -(-meetings // MEETINGS_PER_ENGAGEMENT)
    due_at = datetime.datetime.fromtimestamp(spec["reminders_due_at"], tz=datetime.UTC)
    lead = datetime.timedelta(hours=plugin_settings.MEETING_REMINDER_HOURS)
    reminded = User.objects.bulk_create(
        User(username=f"rem{n}", email=f"rem{n}@example.org", first_name="Muistutus",
             password=password)
        for n in range(engagements)
    )  # fmt: skip
    supervisors = Supervisor.objects.bulk_create(
        Supervisor(
            kind=SupervisorKind.EXTERNAL, name=f"Muistutusohjaaja {n}",
            email=f"muistutus{n}@example.org", languages=["fi"], formats=["individual"],
            default_capacity=0,
        )
        for n in range(REMINDER_SUPERVISORS)
    )  # fmt: skip
    earlier = ApplicationRound.objects.create(
        service_key=page.translation_key,
        name="Aiempi",
        opens_at=now - datetime.timedelta(days=90),
        closes_at=now - datetime.timedelta(days=60),
        state=RoundState.MATCHED,
    )
    notice = PrivacyNotice.objects.get()
    applications = Application.objects.bulk_create(
        Application(
            service_key=page.translation_key, round=earlier, applicant=user, format="individual",
            languages=["fi"], situation="Tilanne.", consent_notice=notice, consent_version=1,
            submitted_at=earlier.opens_at, status="in_progress", status_changed_at=now,
        )
        for user in reminded
    )  # fmt: skip
    engaged = Engagement.objects.bulk_create(
        Engagement(
            application=application, supervisor=supervisors[n % REMINDER_SUPERVISORS],
            round=earlier, state="planned", confirmed_at=now,
        )
        for n, application in enumerate(applications)
    )  # fmt: skip
    EngagementParticipant.objects.bulk_create(
        EngagementParticipant(engagement=engagement, user_id=engagement.application.applicant_id)
        for engagement in engaged
    )
    Meeting.objects.bulk_create(
        (
            Meeting(
                engagement=engaged[n // MEETINGS_PER_ENGAGEMENT],
                number=n % MEETINGS_PER_ENGAGEMENT + 1,
                # Within a second after the lead: all due at once, as a morning's batch.
                starts_at=due_at + lead + datetime.timedelta(milliseconds=n % 1000),
                ends_at=due_at + lead + datetime.timedelta(hours=1, milliseconds=n % 1000),
            )
            for n in range(meetings)
        ),
        batch_size=2000,
    )
    return {
        "page_id": page.pk,
        "page_url": page.get_url(),
        "round_id": round.pk,
        "hr": HR_USERNAME,
        "employees": [f"emp{n}" for n in range(employees)],
        "reminders": meetings * RECIPIENTS_PER_MEETING,
        "supervisors": len(matchers),
        "effective": effective_settings(spec),
    }


def effective_settings(spec):
    """What the deployment's settings make of the timings the proof has to wait for."""
    from django.conf import settings

    from tyonohjaus_plugin.conf import plugin_settings
    from tyonohjaus_plugin.outbox import delivery

    retry = delivery.retry_after()
    return {
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
        "debug": settings.DEBUG,
        "email_backend": settings.EMAIL_BACKEND,
        "cache": settings.CACHES["default"]["BACKEND"],
        "broker": "redis" if settings.Q_CLUSTER.get("redis") else "orm",
        "q_timeout": settings.Q_CLUSTER.get("timeout"),
        "q_retry": settings.Q_CLUSTER.get("retry"),
        "stale_after": plugin_settings.OUTBOX_STALE_AFTER_SECONDS,
        "retry_after": int(retry.total_seconds()),
    }


def progress(spec):
    """Cheap counts for the orchestrator's wait: deliveries by state, the round, matching."""
    from tyonohjaus_plugin.models import ApplicationRound, Delivery, MatchRun

    return {
        "deliveries": dict(Counter(Delivery.objects.values_list("state", flat=True))),
        "round": ApplicationRound.objects.get(pk=spec["round_id"]).state,
        "runs": list(MatchRun.objects.filter(round_id=spec["round_id"]).values_list("state", "pk")),
    }


def tally(spec):
    """The outcome, against what the load saw (``spec["answers"]``: username -> the statuses and
    received-page ids of its POSTs) and what the SMTP sink logged."""
    from django.db.models import Count

    from tyonohjaus_plugin.models import (
        Application,
        ApplicationParticipant,
        ApplicationRound,
        Delivery,
        DeliveryKind,
        DeliveryState,
        Engagement,
        MatchRun,
    )

    round = ApplicationRound.objects.get(pk=spec["round_id"])
    applications = Application.objects.filter(round=round)
    rows = dict(
        applications.values("applicant__username")
        .annotate(n=Count("pk"))
        .values_list("applicant__username", "n")
    )
    places = ApplicationParticipant.objects.filter(round=round, holds_place=True)
    per_person = Counter(places.values_list("user_id", flat=True))
    stored_ids = set(applications.values_list("pk", flat=True))
    lost = []
    for username, answers in spec["answers"].items():
        accepted = [a for a in answers if a["status"] in (200, 303)]
        shown = {a["application"] for a in accepted if a.get("application")}
        if accepted and (not rows.get(username) or not shown <= stored_ids):
            lost.append(username)

    logged = Counter()
    with open(spec["sink_log"], encoding="utf-8") as log:
        for line in log:
            delivery = line.split(" ", 1)[0]
            if delivery.isdigit():
                logged[int(delivery)] += 1

    def messages(kinds):
        deliveries = Delivery.objects.filter(kind__in=kinds)
        ids = list(deliveries.values_list("pk", flat=True))
        states = Counter(deliveries.values_list("state", flat=True))
        # Still to go out (the run's wait ended first): not lost, and not counted as sent.
        waiting = set(
            deliveries.filter(state__in=[DeliveryState.PENDING, DeliveryState.SENDING]).values_list(
                "pk", flat=True
            )
        )
        # "Uncertain" (an invitation whose worker died mid-send, RELIABILITY §1.3 rule 3) is
        # the designed outcome where a second copy hurts more than a delay: shown to HR in the
        # Outbox to check and resend, so not lost — counted apart, whether or not it arrived.
        held = set(deliveries.filter(state=DeliveryState.UNCERTAIN).values_list("pk", flat=True))
        return {
            "rows": len(ids),
            "sent": sum(1 for pk in ids if logged[pk]),
            "waiting": sum(1 for pk in waiting if not logged[pk]),
            "held_for_hr": sum(1 for pk in held if not logged[pk]),
            "lost": sum(1 for pk in ids if not logged[pk] and pk not in waiting | held),
            "duplicated": sum(logged[pk] - 1 for pk in ids if logged[pk] > 1),
            "states": dict(states),
            "uncertain": states.get(DeliveryState.UNCERTAIN, 0),
            "failed": states.get(DeliveryState.FAILED, 0),
        }

    receipts = messages([DeliveryKind.RECEIPT])
    receipts["expected"] = len(stored_ids)
    receipts["lost"] += max(0, len(stored_ids) - receipts["rows"])
    reminders = messages([DeliveryKind.MEETING_REMINDER])
    reminders["expected"] = spec["reminders"]
    reminders["lost"] += max(0, spec["reminders"] - reminders["rows"])
    others = messages(
        [
            k
            for k in DeliveryKind.values
            if k not in (DeliveryKind.RECEIPT, DeliveryKind.MEETING_REMINDER)
        ]
    )
    known = set(Delivery.objects.values_list("pk", flat=True))
    return {
        "applications": len(stored_ids),
        "applicants": len(rows),
        "duplicated": sum(n - 1 for n in rows.values() if n > 1)
        + sum(n - 1 for n in per_person.values() if n > 1),
        "late": applications.filter(submitted_at__gte=round.closes_at).count(),
        "lost": sorted(lost),
        "round_state": round.state,
        "closes_at": round.closes_at.timestamp(),
        "runs": list(MatchRun.objects.filter(round=round).values_list("state", flat=True)),
        "engagements": Engagement.objects.filter(round=round).count(),
        "matched": applications.filter(status="matched").count(),
        "receipts": receipts,
        "reminders": reminders,
        "others": others,
        "foreign_lines": sum(n for pk, n in logged.items() if pk not in known),
        "sink_lines": sum(logged.values()),
    }


COMMANDS = {"seed": seed, "settings": effective_settings, "progress": progress, "tally": tally}


def main():
    spec = json.loads(os.environ["TYO_SCALE"])
    if "spec_file" in spec:
        with open(spec.pop("spec_file"), encoding="utf-8") as handle:
            spec.update(json.load(handle))
    result = COMMANDS[spec["command"]](spec)
    sys.stdout.write("TYO_SCALE_RESULT " + json.dumps(result, default=str) + "\n")
