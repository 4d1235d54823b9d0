"""The validated answers of an application, shared by the form and the submit action."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ApplicationData:
    """The validated answers of the form (never anything from POST that the form did not list)."""

    format: str
    languages: list[str]
    situation: str = ""
    goals: str = ""
    availability: str = ""
    supervisor_preference: str = "none"
    supervisor_wishes: str = ""
    off_round_reason: str = ""
    theme_ids: list[int] = field(default_factory=list)
    co_applicants: list = field(default_factory=list)
