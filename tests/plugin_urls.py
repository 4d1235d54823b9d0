"""Every URL of the plugin, taken from the URL resolver, and a site with one of everything and a
user per role: shared by the tests that sweep all URLs (no 5xx, security headers)."""

import datetime
import re
from urllib.parse import quote

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    ApplicationParticipantFactory,
    ApplicationRoundFactory,
    DeliveryFactory,
    FeedbackResponseFactory,
    MatchOverrideFactory,
    MatchProposalFactory,
    MatchRunFactory,
    PrivacyNoticeFactory,
    ThemeFactory,
    UserFactory,
)
from tests.utils import group_for
from tyonohjaus_plugin.core.tokens import make_evaluation_token, make_invitation_token
from tyonohjaus_plugin.engagements.agreements import ensure_agreement
from tyonohjaus_plugin.models import (
    Engagement,
    EngagementParticipant,
    Meeting,
    PrivacyNotice,
    Supervisor,
)

ROLES = ("anonymous", "employee", "hr", "supervisor", "superuser")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
#: URLs the resolver cannot name by the plugin: Wagtail's generic bulk actions on the plugin's
#: model, and the admin dashboard (the plugin's panels).
EXTRA_ROUTES = (
    "admin/",
    "admin/bulk/tyonohjaus_plugin/application/change_status/",
    "admin/bulk/tyonohjaus_plugin/application/export/",
)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def _is_plugin(route, callback) -> bool:
    view = getattr(callback, "view_class", callback)
    return "tyonohjaus" in route or view.__module__.startswith("tyonohjaus_plugin")


def plugin_routes() -> list[str]:
    """Route templates such as ``admin/tyonohjaus/rounds/edit/<int:pk>/``: the plugin's own
    URLs (its urls.py in every language) and the admin URLs of its viewsets and snippets."""
    routes = [
        route for route, view in _walk(get_resolver().url_patterns) if _is_plugin(route, view)
    ]
    # The same views in every language: one language is enough.
    routes = [route for route in routes if not route.startswith(("sv/", "en/"))]
    return sorted({*routes, *EXTRA_ROUTES})


def fill(route: str, value_for) -> str:
    """The path of ``route`` with each parameter replaced by ``value_for(converter, name)``."""

    def replace(match):
        return quote(str(value_for(match["converter"] or "str", match["name"])), safe="")

    return "/" + PARAMETER.sub(replace, route)


def build_site(service_page, locales):
    """One of every plugin object, linked, and a user per role. Returns (users, ids, page)."""
    page = service_page
    page.applications_enabled = True
    page.save_revision().publish()
    PrivacyNoticeFactory(locale=locales["fi"])
    round = ApplicationRoundFactory(service_key=page.translation_key, name="Kevät 2027")
    closed = ApplicationRoundFactory(service_key=page.translation_key, state="closed")
    theme = ThemeFactory(locale=locales["fi"])

    employee = UserFactory(username="employee", email="employee@example.org")
    colleague = UserFactory(username="colleague", email="colleague@example.org")
    hr = UserFactory(username="hr")
    hr.groups.add(group_for("hr"))
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    supervisor_user = UserFactory(username="supervisor")
    supervisor_user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    supervisor = Supervisor.objects.create(kind="internal", user=supervisor_user, languages=["fi"])

    application = ApplicationFactory(round=round, applicant=employee, format="group")
    application.themes.set([theme])
    invited = ApplicationParticipantFactory(
        application=application, user=colleague, status="invited"
    )
    matched = ApplicationFactory(round=closed, applicant=employee, status="matched")
    engagement = Engagement.objects.create(
        application=matched,
        supervisor=supervisor,
        round=closed,
        state="planned",
        confirmed_at=timezone.now(),
    )
    participant = EngagementParticipant.objects.create(engagement=engagement, user=employee)
    starts = timezone.now() + datetime.timedelta(days=7)
    meeting = Meeting.objects.create(
        engagement=engagement,
        number=1,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )
    ensure_agreement(engagement)  # the agreement pages and the engagement's agreement panel
    waiting = ApplicationFactory(round=closed)
    run = MatchRunFactory(round=closed)
    MatchProposalFactory(run=run, application=waiting, supervisor=supervisor)
    override = MatchOverrideFactory(round=closed, application=waiting, supervisor=supervisor)
    delivery = DeliveryFactory()
    FeedbackResponseFactory(page=page)

    users = {
        "anonymous": None,
        "employee": employee,
        "hr": hr,
        "supervisor": supervisor_user,
        "superuser": superuser,
    }
    ids = sorted(
        {
            page.pk,
            round.pk,
            closed.pk,
            theme.pk,
            application.pk,
            matched.pk,
            waiting.pk,
            engagement.pk,
            meeting.pk,
            run.pk,
            override.pk,
            delivery.pk,
            supervisor.pk,
            invited.pk,
        }
    )
    tokens = [make_invitation_token(invited), make_evaluation_token(participant)]
    # The row each kind of route names, to reach its view with an id that exists.
    real = {
        "rounds": closed.pk,
        "applications": application.pk,
        "supervisors": supervisor.pk,
        "engagements": engagement.pk,
        "agreements": engagement.pk,
        "meetings": meeting.pk,
        "overrides": override.pk,
        "runs": run.pk,
        "off-round": waiting.pk,
        "outbox": delivery.pk,
        "theme": theme.pk,
        "privacy": PrivacyNotice.objects.first().pk,
        "provider": page.provider_id,
        "feedback": page.pk,
        "apply": page.pk,
        "invitations": tokens[0],
        "evaluations": tokens[1],
        "action": "move",
        "application_pk": waiting.pk,
        "page_id": page.pk,
        # HR's personal-data screens (admin/tyonohjaus/people/<pk>/...): a person with data.
        "people": application.applicant_id,
    }
    return users, ids, tokens, page, real


def real_value(route, real):
    """``fill()``'s ``value_for`` giving the id of a row that exists for the route."""

    def value_for(_converter, name):
        if name in real:
            return real[name]
        for word, value in real.items():
            if word in route:
                return value
        return 1

    return value_for


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
