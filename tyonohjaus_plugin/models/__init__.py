from .applications import (
    Application,
    ApplicationEvent,
    ApplicationFormat,
    ApplicationParticipant,
    ApplicationStatus,
    EventKind,
    ParticipantRole,
    ParticipantStatus,
    SupervisorPreference,
)
from .feedback import FeedbackResponse
from .pages import ServicePage, ServicePageMixin
from .profiles import EmployeeProfile
from .rounds import ApplicationRound, RoundState
from .snippets import PrivacyNotice, Provider, Theme

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationFormat",
    "ApplicationParticipant",
    "ApplicationRound",
    "ApplicationStatus",
    "EmployeeProfile",
    "EventKind",
    "FeedbackResponse",
    "ParticipantRole",
    "ParticipantStatus",
    "PrivacyNotice",
    "Provider",
    "RoundState",
    "ServicePage",
    "ServicePageMixin",
    "SupervisorPreference",
    "Theme",
]
