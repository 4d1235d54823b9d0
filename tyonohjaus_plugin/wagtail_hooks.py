"""Registrations only; behaviour lives in the modules registered here."""

from wagtail.snippets.models import register_snippet

from .viewsets import ProviderViewSet

register_snippet(ProviderViewSet)
