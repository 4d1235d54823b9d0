from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tyonohjaus_plugin.models import ApplicationEvent, ApplicationParticipant, ParticipantStatus


class InvitationClosed(Exception):
    """The invitation was already answered, or its application is no longer active."""


class RespondToInvitationAction:
    """A co-applicant confirms or declines; declining frees their place in the round."""

    def __init__(self, participant, *, user, confirm: bool):
        self.participant = participant
        self.user = user
        self.confirm = confirm

    def execute(self) -> ApplicationParticipant:
        with transaction.atomic():
            participant = (
                ApplicationParticipant.objects.select_for_update()
                .select_related("application")
                .get(pk=self.participant.pk)
            )
            if participant.user_id != self.user.pk:
                raise PermissionDenied
            if participant.status != ParticipantStatus.INVITED or not (
                participant.application.is_active
            ):
                raise InvitationClosed
            participant.status = (
                ParticipantStatus.CONFIRMED if self.confirm else ParticipantStatus.DECLINED
            )
            participant.holds_place = self.confirm
            participant.responded_at = timezone.now()
            participant.save(update_fields=["status", "holds_place", "responded_at"])
            ApplicationEvent.objects.create(
                application=participant.application,
                kind="co_applicant_confirmed" if self.confirm else "co_applicant_declined",
            )
        return participant
