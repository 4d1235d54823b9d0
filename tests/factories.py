"""factory_boy builders for the test suite: one ``<Model>Factory`` per plugin model.

Defaults make a valid object that passes ``full_clean()`` (``tests/test_factories.py`` checks
it); related objects come from sub-factories. Service pages are built with
``tests.utils.make_service_page`` (Wagtail's page tree needs a parent)."""

import datetime
import uuid

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale, Page

from tyonohjaus_plugin.models import (
    ApplicationEvent,
    ApplicationExport,
    ApplicationParticipant,
    Delivery,
    EmployeeProfile,
    Engagement,
    EngagementParticipant,
    EvaluationAnswer,
    FeedbackResponse,
    MatchOverride,
    MatchProposal,
    MatchRun,
    MatchUnmatched,
    Meeting,
    PersonDataExport,
    Provider,
    Supervisor,
    SupervisorCapacity,
    Theme,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("password")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = "Henkilöstöpalvelut"
    description = "Työhyvinvointi ja osaaminen."
    email = "hr@example.org"
    phone = "+358 29 000 0000"
    locale = factory.LazyFunction(Locale.get_default)


class PrivacyNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tyonohjaus_plugin.PrivacyNotice"

    version = 1
    title = "Tietosuojaseloste"
    body = "<p>Hakemuksesi tiedot ovat luottamuksellisia.</p>"
    effective_from = factory.LazyFunction(datetime.date.today)
    locale = factory.LazyFunction(Locale.get_default)


class ApplicationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tyonohjaus_plugin.ApplicationRound"

    service_key = factory.LazyFunction(uuid.uuid4)
    name = factory.Sequence(lambda n: f"Kierros {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    state = "open"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted individual application with its applicant as the confirmed participant."""

    class Meta:
        model = "tyonohjaus_plugin.Application"
        skip_postgeneration_save = True

    round = factory.SubFactory(ApplicationRoundFactory)
    service_key = factory.LazyAttribute(lambda a: a.round.service_key if a.round else uuid.uuid4())
    applicant = factory.SubFactory(UserFactory)
    format = "individual"
    languages = factory.LazyFunction(lambda: ["fi"])
    situation = "Tiimi on muuttunut ja rooli on epäselvä."
    goals = "Selkeyttä omaan rooliin."
    consent_notice = factory.LazyFunction(
        lambda: (
            PrivacyNoticeFactory._meta.model.objects.filter(version=1).first()
            or PrivacyNoticeFactory()
        )
    )
    consent_version = 1
    submitted_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyAttribute(lambda a: a.submitted_at)

    @factory.post_generation
    def participants(application, create, extracted, **kwargs):
        if not create:
            return
        from tyonohjaus_plugin.models import ApplicationParticipant

        ApplicationParticipant.objects.create(
            application=application,
            round=application.round,
            user=application.applicant,
            role="applicant",
            status="confirmed",
            holds_place=application.is_active,
        )


class ApplicationParticipantFactory(factory.django.DjangoModelFactory):
    """A co-applicant invited to an application (the applicant's own row comes with it)."""

    class Meta:
        model = ApplicationParticipant

    application = factory.SubFactory(ApplicationFactory)
    round = factory.LazyAttribute(lambda p: p.application.round)
    user = factory.SubFactory(UserFactory)
    role = "co_applicant"
    status = "invited"


class ApplicationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationEvent

    application = factory.SubFactory(ApplicationFactory)
    kind = "submitted"
    status = "submitted"


class ApplicationExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationExport

    format = "csv"
    row_count = 0
    filters = factory.LazyFunction(dict)


class PersonDataExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonDataExport

    format = "json"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Teema {n}")
    locale = factory.LazyFunction(Locale.get_default)


class EmployeeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployeeProfile

    user = factory.SubFactory(UserFactory)
    unit_code = "H100"


class SupervisorFactory(factory.django.DjangoModelFactory):
    """An active external supervisor taking Finnish individual and group supervision.

    ``SupervisorFactory(internal=True)`` is an employee (a user, no name, e-mail or cost).
    """

    class Meta:
        model = Supervisor

    class Params:
        internal = factory.Trait(
            kind="internal", user=factory.SubFactory(UserFactory), name="", email=""
        )

    kind = "external"
    name = factory.Sequence(lambda n: f"Ohjaaja{n}")
    email = factory.LazyAttribute(lambda s: f"{s.name.lower()}@example.org" if s.name else "")
    languages = factory.LazyFunction(lambda: ["fi"])
    formats = factory.LazyFunction(lambda: ["individual", "group"])


def external_supervisor(name, **fields):
    """An active external supervisor taking Finnish individual and group supervision."""
    return SupervisorFactory(name=name, **fields)


class SupervisorCapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisorCapacity

    supervisor = factory.SubFactory(SupervisorFactory)
    round = factory.SubFactory(ApplicationRoundFactory)
    capacity = 3


class MatchRunFactory(factory.django.DjangoModelFactory):
    """A finished matching run (a queued or running one would hold its round)."""

    class Meta:
        model = MatchRun

    round = factory.SubFactory(ApplicationRoundFactory, state="closed")
    state = "done"
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyAttribute(lambda run: run.started_at)


class MatchProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchProposal

    run = factory.SubFactory(MatchRunFactory)
    application = factory.SubFactory(ApplicationFactory, round=factory.SelfAttribute("..run.round"))
    supervisor = factory.SubFactory(SupervisorFactory)
    reasons = factory.LazyFunction(lambda: [["shares_language", {"lang": "fi"}]])


class MatchUnmatchedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchUnmatched

    run = factory.SubFactory(MatchRunFactory)
    application = factory.SubFactory(ApplicationFactory, round=factory.SelfAttribute("..run.round"))
    reason = factory.LazyFunction(lambda: ["all_full", {}])


class MatchOverrideFactory(factory.django.DjangoModelFactory):
    """HR's pin of a pair in a round."""

    class Meta:
        model = MatchOverride

    round = factory.SubFactory(ApplicationRoundFactory, state="closed")
    application = factory.SubFactory(ApplicationFactory, round=factory.SelfAttribute("..round"))
    supervisor = factory.SubFactory(SupervisorFactory)
    kind = "pin"


class EngagementFactory(factory.django.DjangoModelFactory):
    """A confirmed supervisor for a matched application (without meetings or participants)."""

    class Meta:
        model = Engagement

    application = factory.SubFactory(ApplicationFactory, status="matched")
    supervisor = factory.SubFactory(SupervisorFactory)
    round = factory.LazyAttribute(lambda e: e.application.round)
    confirmed_at = factory.LazyFunction(timezone.now)


class EngagementParticipantFactory(factory.django.DjangoModelFactory):
    """The engagement's applicant as a participant."""

    class Meta:
        model = EngagementParticipant

    engagement = factory.SubFactory(EngagementFactory)
    user = factory.LazyAttribute(lambda p: p.engagement.application.applicant)


class MeetingFactory(factory.django.DjangoModelFactory):
    """The engagement's next meeting, 90 minutes a week from now."""

    class Meta:
        model = Meeting

    engagement = factory.SubFactory(EngagementFactory)
    number = factory.LazyAttribute(lambda m: m.engagement.meetings.count() + 1)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(minutes=90))


class EvaluationAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationAnswer

    participant = factory.SubFactory(EngagementParticipantFactory)
    engagement = factory.LazyAttribute(lambda a: a.participant.engagement)
    goals_reached = 4
    answered_on = factory.LazyFunction(datetime.date.today)


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A pending meeting reminder to a user (ids only: the target and recipient are keys)."""

    class Meta:
        model = Delivery

    kind = "meeting_reminder"
    target_id = factory.Sequence(lambda n: n + 1)
    recipient = factory.LazyFunction(lambda: f"u{UserFactory().pk}")
    due_at = factory.LazyFunction(timezone.now)


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    """A "yes" on a page (by default the tree's root; pass ``page`` for a service page)."""

    class Meta:
        model = FeedbackResponse

    page = factory.LazyFunction(Page.get_first_root_node)
    locale = factory.LazyAttribute(lambda r: r.page.locale)
    found_information = True


class AnonymisationRunFactory(factory.django.DjangoModelFactory):
    """A retention run that anonymised one application."""

    class Meta:
        model = "tyonohjaus_plugin.AnonymisationRun"

    trigger = "schedule"
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyAttribute(lambda r: r.started_at)
    policy_now = factory.LazyAttribute(lambda r: r.started_at)
    counts = factory.LazyFunction(lambda: {"identities": 1})


class ErasureTombstoneFactory(factory.django.DjangoModelFactory):
    """A person erased on request: an id and a time, nothing else."""

    class Meta:
        model = "tyonohjaus_plugin.ErasureTombstone"

    user_id = factory.Sequence(lambda n: 100_000 + n)
    erased_at = factory.LazyFunction(timezone.now)


class SupervisorAvailabilityFactory(factory.django.DjangoModelFactory):
    """Tuesdays 9-12, online."""

    class Meta:
        model = "tyonohjaus_plugin.SupervisorAvailability"

    supervisor = factory.SubFactory(SupervisorFactory)
    weekday = 1
    starts = datetime.time(9)
    ends = datetime.time(12)
    location = "Online"


class SupervisorBlockedPeriodFactory(factory.django.DjangoModelFactory):
    """A week's holiday a month from now."""

    class Meta:
        model = "tyonohjaus_plugin.SupervisorBlockedPeriod"

    supervisor = factory.SubFactory(SupervisorFactory)
    first_day = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    last_day = factory.LazyAttribute(lambda p: p.first_day + datetime.timedelta(days=6))


class SlotProposalFactory(factory.django.DjangoModelFactory):
    """A first-meeting time proposed ten days from now."""

    class Meta:
        model = "tyonohjaus_plugin.SlotProposal"

    engagement = factory.SubFactory(EngagementFactory, state="scheduling")
    number = factory.LazyAttribute(lambda p: p.engagement.slot_proposals.count() + 1)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda p: p.starts_at + datetime.timedelta(minutes=90))


class SlotAnswerFactory(factory.django.DjangoModelFactory):
    """The applicant finds the first proposal suitable."""

    class Meta:
        model = "tyonohjaus_plugin.SlotAnswer"

    participant = factory.SubFactory(
        EngagementParticipantFactory,
        engagement=factory.SubFactory(EngagementFactory, state="scheduling"),
    )
    engagement = factory.LazyAttribute(lambda a: a.participant.engagement)
    suitable = factory.LazyFunction(lambda: [1])
    answered_at = factory.LazyFunction(timezone.now)


class FirstMeetingAnswerFactory(factory.django.DjangoModelFactory):
    """The applicant wants to continue after the first meeting."""

    class Meta:
        model = "tyonohjaus_plugin.FirstMeetingAnswer"

    participant = factory.SubFactory(
        EngagementParticipantFactory,
        engagement=factory.SubFactory(EngagementFactory, state="in_progress"),
    )
    engagement = factory.LazyAttribute(lambda a: a.participant.engagement)
    go_on = True
    answered_at = factory.LazyFunction(timezone.now)


class AgreementTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tyonohjaus_plugin.AgreementTemplate"

    locale = factory.LazyFunction(Locale.get_default)
    title = "Supervision agreement"
    confidentiality = "What is said stays in the meetings."
    evaluation = "We evaluate at the last meeting."
    cancellation = "Cancel at least a day before."


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tyonohjaus_plugin.Agreement"

    engagement = factory.SubFactory(EngagementFactory, state="planned")
    goals = "To find a calmer rhythm of work."


class AgreementAcknowledgementFactory(factory.django.DjangoModelFactory):
    """The supervisor acknowledges the agreement's current version."""

    class Meta:
        model = "tyonohjaus_plugin.AgreementAcknowledgement"

    agreement = factory.SubFactory(AgreementFactory)
    version = factory.LazyAttribute(lambda a: a.agreement.version)
    by_supervisor = True
    acknowledged_at = factory.LazyFunction(timezone.now)


class ExcludedPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tyonohjaus_plugin.ExcludedPair"

    application = factory.SubFactory(ApplicationFactory)
    supervisor = factory.SubFactory(SupervisorFactory)
    reason = "conflict"


class PlaceOfferFactory(factory.django.DjangoModelFactory):
    """An open offer of a supervisor's freed place to a waiting application."""

    class Meta:
        model = "tyonohjaus_plugin.PlaceOffer"

    supervisor = factory.SubFactory(SupervisorFactory)
    application = factory.SubFactory(ApplicationFactory, status="waitlisted")
    freed_by = "withdrawal"
