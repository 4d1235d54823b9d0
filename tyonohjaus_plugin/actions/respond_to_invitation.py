"""A co-applicant answers the invitation to an application."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import (
    ApplicationEvent,
    ApplicationParticipant,
    Delivery,
    EventKind,
    ParticipantStatus,
)
from tyonohjaus_plugin.outbox import due


class InvitationClosed(ActionRefused):
    """The invitation was already answered, or its application is no longer active."""

    code = "answered"
    title = _("Already answered")
    default_message = _("This invitation has already been answered or the application is closed.")


class InAnotherApplication(ActionRefused):
    """The colleague already holds a place in another application of the round.

    Told to the colleague only, who chooses: decline this invitation, or leave the other
    application first. The applicant hears nothing until the colleague answers.
    """

    code = "in_another_application"
    status = 409
    title = _("You are already in another application")
    default_message = _(
        "You already take part in another application of this round, and one person can be in "
        "only one. Decline this invitation, or withdraw from the other application first and "
        "then confirm this one."
    )


class RespondToInvitationAction(Action):
    """A co-applicant confirms (taking their place in the round) or declines.

    The applicant is told the answer by e-mail, through the outbox, and nothing else.
    """

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
        try:
            # The unique (round, user) place decides, also against a confirm at the same moment.
            with transaction.atomic():
                participant.save(update_fields=["status", "holds_place", "responded_at"])
        except IntegrityError:
            raise InAnotherApplication from None
        ApplicationEvent.objects.create(
            application=participant.application,
            kind=EventKind.CO_APPLICANT_CONFIRMED
            if self.confirm
            else EventKind.CO_APPLICANT_DECLINED,
        )
        Delivery.objects.add(due.invitation_answered(participant))
        return participant

    def committed(self, participant):
        enqueue("tyonohjaus_plugin.tasks.send_outbox_task")
