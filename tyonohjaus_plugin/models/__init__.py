from .applications import (
    Application,
    ApplicationEvent,
    ApplicationExport,
    ApplicationFormat,
    ApplicationParticipant,
    ApplicationStatus,
    EventKind,
    ParticipantRole,
    ParticipantStatus,
    SupervisorPreference,
)
from .engagements import (
    ACTIVE_ENGAGEMENT_STATES,
    Delivery,
    DeliveryKind,
    DeliveryState,
    Engagement,
    EngagementParticipant,
    EngagementState,
    EvaluationAnswer,
    Meeting,
    MeetingState,
)
from .feedback import FeedbackResponse
from .matching import (
    MatchOverride,
    MatchProposal,
    MatchRun,
    MatchRunState,
    MatchUnmatched,
    OverrideKind,
)
from .pages import ServicePage, ServicePageMixin
from .profiles import EmployeeProfile
from .rounds import ApplicationRound, RoundState
from .snippets import PrivacyNotice, Provider, Theme
from .supervisors import Supervisor, SupervisorCapacity, SupervisorKind

__all__ = [
    "ACTIVE_ENGAGEMENT_STATES",
    "Delivery",
    "DeliveryKind",
    "DeliveryState",
    "Engagement",
    "EvaluationAnswer",
    "Meeting",
    "MeetingState",
    "EngagementParticipant",
    "EngagementState",
    "Application",
    "ApplicationEvent",
    "ApplicationExport",
    "ApplicationFormat",
    "ApplicationParticipant",
    "ApplicationRound",
    "ApplicationStatus",
    "EmployeeProfile",
    "EventKind",
    "FeedbackResponse",
    "MatchOverride",
    "MatchProposal",
    "MatchRun",
    "MatchRunState",
    "MatchUnmatched",
    "OverrideKind",
    "ParticipantRole",
    "ParticipantStatus",
    "PrivacyNotice",
    "Provider",
    "RoundState",
    "ServicePage",
    "ServicePageMixin",
    "Supervisor",
    "SupervisorCapacity",
    "SupervisorKind",
    "SupervisorPreference",
    "Theme",
]
