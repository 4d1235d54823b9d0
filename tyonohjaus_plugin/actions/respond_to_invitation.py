"""A co-applicant answers the invitation to an application."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.models import (
    ApplicationEvent,
    ApplicationParticipant,
    EventKind,
    ParticipantStatus,
)


class InvitationClosed(ActionRefused):
    """The invitation was already answered, or its application is no longer active."""

    code = "answered"
    title = _("Already answered")
    default_message = _("This invitation has already been answered or the application is closed.")


class RespondToInvitationAction(Action):
    """A co-applicant confirms or declines; declining frees their place in the round."""

    def __init__(self, participant, *, user, confirm: bool):
        super().__init__(user=user)
        self.participant = participant
        self.confirm = confirm

    def perform(self) -> ApplicationParticipant:
        participant = (
            ApplicationParticipant.objects.select_for_update()
            .select_related("application")
            .get(pk=self.participant.pk)
        )
        if participant.user_id != self.user.pk:
            raise NotPermitted
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
            kind=EventKind.CO_APPLICANT_CONFIRMED
            if self.confirm
            else EventKind.CO_APPLICANT_DECLINED,
        )
        return participant
