"""The supervision agreement: the supervisor edits the goals agreed together in the first
meeting (each edit is a new version), and every participant and the supervisor acknowledge the
current version.

An external supervisor has no account: ``user=None`` and ``supervisor=`` (the portal's signed
link decides who they are); the action checks that the supervisor is the engagement's. The
audit log names the engagement and holds ids and versions only, never the goals.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import (
    Action,
    ActionRefused,
    InvalidInput,
    NotFound,
    NotPermitted,
)
from tyonohjaus_plugin.engagements.agreements import is_engagement_supervisor, is_open
from tyonohjaus_plugin.models import Agreement, AgreementAcknowledgement

GOALS_EDITED = "tyonohjaus_plugin.agreement.goals_edited"
ACKNOWLEDGED = "tyonohjaus_plugin.agreement.acknowledged"

STALE = "stale"  # the agreement changed after the reader opened it
ENDED = "ended"  # the engagement has ended or been cancelled
TOO_LONG = "too_long"

GOALS_MAX_LENGTH = 4000


class AgreementRefused(ActionRefused):
    reason_messages = {
        STALE: _("The agreement changed after you opened it. Read it again, then acknowledge it."),
        ENDED: _("The engagement has ended: its agreement can no longer be changed."),
    }


class _AgreementAction(Action):
    def __init__(self, agreement, *, user=None, supervisor=None, version=None):
        super().__init__(user=user)
        self.agreement = agreement
        self.supervisor = supervisor
        self.version = version

    def lock(self) -> Agreement:
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("engagement__supervisor")
            .get(pk=self.agreement.pk)
        )
        if not is_open(agreement):
            raise AgreementRefused(ENDED)
        return agreement


class EditAgreementGoalsAction(_AgreementAction):
    """The supervisor writes the goals agreed together; a change is version + 1 (everyone
    acknowledges again; earlier acknowledgements stay recorded for their versions). Sending the
    goals as they are changes nothing; sending from an older version is refused (409)."""

    log_action = GOALS_EDITED

    def __init__(self, agreement, *, goals: str, version=None, user=None, supervisor=None):
        super().__init__(agreement, user=user, supervisor=supervisor, version=version)
        self.goals = (goals or "").strip()
        self.changed = False

    def check(self):
        if not is_engagement_supervisor(
            self.agreement.engagement, user=self.user, supervisor=self.supervisor
        ):
            raise NotPermitted
        if len(self.goals) > GOALS_MAX_LENGTH:
            raise InvalidInput(
                TOO_LONG,
                _("Write at most %(limit)s characters."),
                limit=GOALS_MAX_LENGTH,
            )

    def perform(self) -> Agreement:
        agreement = self.lock()
        if agreement.goals == self.goals:
            return agreement  # a double submit, or nothing changed: no new version
        if self.version is not None and int(self.version) != agreement.version:
            raise AgreementRefused(STALE)
        agreement.goals = self.goals
        agreement.version += 1
        agreement.save(update_fields=["goals", "version", "updated_at"])
        self.changed = True
        self.agreement = agreement
        return agreement

    def log_entry(self, agreement):
        if not self.changed:
            return None
        return agreement.engagement, {"agreement": agreement.pk, "version": agreement.version}


class AcknowledgeAgreementAction(_AgreementAction):
    """A participant (``participant``: theirs, signed in as its user) or the supervisor
    acknowledges the version they read (``version``, which must be the current one, else 409).
    Once per person per version: a second submit returns the first acknowledgement."""

    log_action = ACKNOWLEDGED

    def __init__(self, agreement, *, version, participant=None, user=None, supervisor=None):
        super().__init__(agreement, user=user, supervisor=supervisor, version=version)
        self.participant = participant
        self.created = False

    def check(self):
        engagement = self.agreement.engagement
        if self.participant is not None:
            if (
                self.user is None
                or not self.user.is_active
                or self.participant.engagement_id != engagement.pk
                or self.participant.user_id != self.user.pk
            ):
                raise NotFound
        elif not is_engagement_supervisor(engagement, user=self.user, supervisor=self.supervisor):
            raise NotPermitted
        try:
            self.version = int(self.version)
        except (TypeError, ValueError):
            raise AgreementRefused(STALE) from None

    def perform(self) -> AgreementAcknowledgement:
        agreement = self.lock()
        if self.version != agreement.version:
            raise AgreementRefused(STALE)
        person = (
            {"participant": self.participant, "by_supervisor": False}
            if self.participant is not None
            else {"participant": None, "by_supervisor": True}
        )
        acknowledgement, self.created = AgreementAcknowledgement.objects.get_or_create(
            agreement=agreement,
            version=agreement.version,
            **person,
            defaults={"user": self.user, "acknowledged_at": timezone.now()},
        )
        self.agreement = agreement
        return acknowledgement

    def log_entry(self, acknowledgement):
        if not self.created:
            return None
        return self.agreement.engagement, {
            "agreement": self.agreement.pk,
            "version": acknowledgement.version,
            "participant": acknowledgement.participant_id,
            "by_supervisor": acknowledgement.by_supervisor,
        }
