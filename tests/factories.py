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
