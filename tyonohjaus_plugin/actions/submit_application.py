"""Submit an application: on time by the database clock, once per person per round."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused
from tyonohjaus_plugin.applications.data import ApplicationData
from tyonohjaus_plugin.core.db import transaction_started_at
from tyonohjaus_plugin.models import (
    Application,
    ApplicationEvent,
    ApplicationParticipant,
    ApplicationRound,
    Delivery,
    ParticipantRole,
    ParticipantStatus,
)
from tyonohjaus_plugin.models.applications import find_active_application
from tyonohjaus_plugin.outbox import due
from tyonohjaus_plugin.signals import application_submitted


class ApplicationRefused(ActionRefused):
    """The application cannot be taken; ``reason`` tells the view which answer to give."""


class RoundNotAccepting(ApplicationRefused):
    code = "round_closed"
    title = _("The round has closed")
    default_message = _(
        "This application round is no longer taking applications. Nothing was saved."
    )


class AlreadyApplied(ApplicationRefused):
    """The person's application of the round was received already (the view shows it)."""

    code = "already_applied"

    def __init__(self, application):
        super().__init__()
        self.application = application


class SubmitApplicationAction(Action):
    """check (round open at transaction start) → create with participants → event → the
    receipt and invitations in the outbox → signal.

    The round row is locked (``SELECT … FOR UPDATE``) so HR's close and every submission are
    serialised; the partial unique constraint on participants is the guarantee against doubles.
    Invited colleagues hold no place until they confirm, so whether a colleague has applied
    never changes the applicant's answer (README: "Co-applicants").
    """

    def __init__(self, *, user, service_key, round, data: ApplicationData, notice):
        super().__init__(user=user)
        self.service_key = service_key
        self.round = round
        self.data = data
        self.notice = notice

    def perform(self) -> Application:
        started_at = transaction_started_at()
        if self.round is not None:
            round = ApplicationRound.objects.select_for_update().get(pk=self.round.pk)
            if not round.accepts_at(started_at):
                raise RoundNotAccepting
        else:
            round = None
            # Serialise one person's off-round submissions on their own user row.
            get_user_model().objects.select_for_update().filter(pk=self.user.pk).first()

        existing = self.existing_application(round)
        if existing is not None:
            raise AlreadyApplied(existing)

        try:
            with transaction.atomic():
                application = self.create(round, started_at)
        except IntegrityError:
            # Only the applicant's own place can collide (invited colleagues hold none).
            existing = self.existing_application(round)
            if existing is None:
                raise
            raise AlreadyApplied(existing) from None

        ApplicationEvent.objects.create(
            application=application, kind="submitted", status=application.status
        )
        Delivery.objects.add(due.application_submitted(application))
        return application

    def committed(self, application):
        application_submitted.send(sender=Application, application=application)

    def existing_application(self, round):
        return find_active_application(self.user, self.service_key, round)

    def create(self, round, started_at) -> Application:
        data = self.data
        application = Application.objects.create(
            service_key=self.service_key,
            round=round,
            applicant=self.user,
            format=data.format,
            languages=data.languages,
            situation=data.situation,
            goals=data.goals,
            availability=data.availability,
            supervisor_preference=data.supervisor_preference,
            supervisor_wishes=data.supervisor_wishes,
            off_round_reason=data.off_round_reason if round is None else "",
            consent_notice=self.notice,
            consent_version=self.notice.version,
            submitted_at=started_at,
            status_changed_at=started_at,
        )
        if data.theme_ids:
            application.themes.set(data.theme_ids)
        now = timezone.now()
        ApplicationParticipant.objects.bulk_create(
            [
                ApplicationParticipant(
                    application=application,
                    round=round,
                    user=self.user,
                    role=ParticipantRole.APPLICANT,
                    status=ParticipantStatus.CONFIRMED,
                    responded_at=now,
                ),
                *(
                    ApplicationParticipant(
                        application=application,
                        round=round,
                        user=member,
                        role=ParticipantRole.CO_APPLICANT,
                        status=ParticipantStatus.INVITED,
                        holds_place=False,  # taken when they confirm
                        invited_at=now,
                    )
                    for member in data.co_applicants
                ),
            ]
        )
        return application
