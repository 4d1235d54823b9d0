from .feedback import FeedbackResponse
from .pages import ServicePage, ServicePageMixin
from .snippets import Provider

__all__ = ["FeedbackResponse", "Provider", "ServicePage", "ServicePageMixin"]
