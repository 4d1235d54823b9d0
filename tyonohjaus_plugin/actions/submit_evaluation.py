from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from tyonohjaus_plugin.models import EvaluationAnswer


class AlreadyEvaluated(Exception):
    """The participant has answered already (one answer each: a database constraint)."""


class SubmitEvaluationAction:
    """A participant's end evaluation, once. The log entry names the engagement, not the answer."""

    def __init__(self, participant, *, user, goals_reached, comment):
        self.participant = participant
        self.user = user
        self.goals_reached = goals_reached
        self.comment = comment

    def execute(self) -> EvaluationAnswer:
        try:
            with transaction.atomic():
                answer = EvaluationAnswer.objects.create(
                    engagement_id=self.participant.engagement_id,
                    participant=self.participant,
                    goals_reached=self.goals_reached,
                    comment=self.comment,
                    answered_on=timezone.localdate(),
                )
                log(
                    instance=self.participant.engagement,
                    action="tyonohjaus_plugin.engagement.evaluated",
                    user=self.user,
                )
        except IntegrityError:
            raise AlreadyEvaluated from None
        return answer
