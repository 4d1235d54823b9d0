from tyonohjaus_plugin.models.applications import (
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
from tyonohjaus_plugin.models.engagements import (
    Engagement,
    EngagementParticipant,
    EngagementState,
    EvaluationAnswer,
    Meeting,
    MeetingState,
)
from tyonohjaus_plugin.models.feedback import FeedbackResponse
from tyonohjaus_plugin.models.matching import (
    MatchOverride,
    MatchProposal,
    MatchRun,
    MatchRunState,
    MatchUnmatched,
    OverrideKind,
)
from tyonohjaus_plugin.models.outbox import Delivery, DeliveryKind, DeliveryState
from tyonohjaus_plugin.models.pages import ServicePage, ServicePageMixin
from tyonohjaus_plugin.models.privacy import (
    AnonymisationRun,
    AnonymisationTrigger,
    ErasureTombstone,
    PersonDataExport,
)
from tyonohjaus_plugin.models.profiles import EmployeeProfile
from tyonohjaus_plugin.models.rounds import ApplicationRound, RoundState
from tyonohjaus_plugin.models.snippets import PrivacyNotice, Provider, Theme, ThemeCatalogue
from tyonohjaus_plugin.models.supervisors import Supervisor, SupervisorCapacity, SupervisorKind
from tyonohjaus_plugin.models.workflow import ACTIVE_ENGAGEMENT_STATES

__all__ = [
    "ACTIVE_ENGAGEMENT_STATES",
    "AnonymisationRun",
    "AnonymisationTrigger",
    "ErasureTombstone",
    "PersonDataExport",
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
    "ThemeCatalogue",
]
