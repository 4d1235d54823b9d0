"""factory_boy builders for the test suite."""

import factory
from django.contrib.auth import get_user_model
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
