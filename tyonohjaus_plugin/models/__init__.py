from .pages import ServicePage, ServicePageMixin
from .snippets import Provider

__all__ = ["Provider", "ServicePage", "ServicePageMixin"]
