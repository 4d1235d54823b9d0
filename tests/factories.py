"""factory_boy builders for the test suite."""

import datetime
import uuid

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale

from tyonohjaus_plugin.models import Provider


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


def external_supervisor(name, **fields):
    """An active external supervisor taking Finnish individual and group supervision."""
    from tyonohjaus_plugin.models import Supervisor

    fields.setdefault("languages", ["fi"])
    fields.setdefault("formats", ["individual", "group"])
    return Supervisor.objects.create(
        kind="external", name=name, email=f"{name.lower()}@example.org", **fields
    )
