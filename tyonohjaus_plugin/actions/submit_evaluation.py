"""A participant answers the end evaluation."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused
from tyonohjaus_plugin.models import EvaluationAnswer


class AlreadyEvaluated(ActionRefused):
    """The participant has answered already (one answer each: a database constraint)."""

    code = "answered"
    title = _("Already answered")
    default_message = _("You have answered already.")


class SubmitEvaluationAction(Action):
    """A participant's end evaluation, once. The log entry names the engagement, not the answer."""

    log_action = "tyonohjaus_plugin.engagement.evaluated"

    def __init__(self, participant, *, user, goals_reached, comment):
        super().__init__(user=user)
        self.participant = participant
        self.goals_reached = goals_reached
        self.comment = comment

    def perform(self) -> EvaluationAnswer:
        try:
            with transaction.atomic():
                return EvaluationAnswer.objects.create(
                    engagement_id=self.participant.engagement_id,
                    participant=self.participant,
                    goals_reached=self.goals_reached,
                    comment=self.comment,
                    answered_on=timezone.localdate(),
                )
        except IntegrityError:
            raise AlreadyEvaluated from None

    def log_entry(self, answer):
        return self.participant.engagement, None
