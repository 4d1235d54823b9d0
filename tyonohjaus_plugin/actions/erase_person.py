"""HR erases a person's data on request (and a restored backup replays it).

One transaction for the whole person: their own applications end (engagements in progress are
cancelled, with the cancellations sent to the supervisor and the other members) and are
anonymised; their places in other people's applications lose them without touching the
others' data; their messages, profile and their name as an actor in the plugin's audit log go.
The tombstone (their id and the time, nothing else) is what a restore replays.
"""

from __future__ import annotations

from django.db.models import Q
from wagtail.models import ModelLogEntry

from tyonohjaus_plugin.actions.base import Action, NotPermitted
from tyonohjaus_plugin.actions.meetings import end_engagement
from tyonohjaus_plugin.core.db import clock_now
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.log_actions import PERSON_ERASED
from tyonohjaus_plugin.models import (
    ACTIVE_ENGAGEMENT_STATES,
    AgreementAcknowledgement,
    Application,
    ApplicationParticipant,
    ApplicationStatus,
    Delivery,
    EmployeeProfile,
    Engagement,
    ErasureTombstone,
)
from tyonohjaus_plugin.models.outbox import user_key
from tyonohjaus_plugin.models.workflow import ACTIVE_STATUSES
from tyonohjaus_plugin.permissions import ERASE_PERSON
from tyonohjaus_plugin.privacy.anonymise import anonymise_application, detach_member


class ErasePersonAction(Action):
    log_action = PERSON_ERASED

    def __init__(self, person_id: int, *, user, erased_at=None, system=False):
        """``erased_at`` replays an erasure from a tombstone: only what existed then goes.
        ``system``: the site deletes the user account (no HR actor, no permission asked)."""
        super().__init__(user=user)
        self.person_id = int(person_id)
        self.erased_at = erased_at
        self.system = system or erased_at is not None
        self.counts: dict[str, int] = {}

    def check(self):
        if not self.system and not (
            self.user is not None and self.user.is_active and self.user.has_perm(ERASE_PERSON)
        ):
            raise NotPermitted

    def perform(self) -> ErasureTombstone:
        now = clock_now()
        pid, before = self.person_id, self.erased_at
        own = Application.objects.filter(applicant_id=pid)
        if before is not None:
            own = own.filter(submitted_at__lte=before)
        applications = list(own.select_for_update().order_by("pk"))
        ended = 0
        for application in applications:
            engagement = (
                Engagement.objects.select_for_update()
                .filter(application=application, state__in=ACTIVE_ENGAGEMENT_STATES)
                .first()
            )
            if engagement is not None:
                end_engagement(engagement)
                ended += 1
            if application.status in ACTIVE_STATUSES:
                application.change_status(ApplicationStatus.WITHDRAWN, now=now)
            anonymise_application(application.pk, now)
        memberships = ApplicationParticipant.objects.filter(user_id=pid)
        if before is not None:
            memberships = memberships.filter(application__submitted_at__lte=before)
        member_of = list(memberships.values_list("pk", flat=True))
        for participant_id in member_of:
            detach_member(participant_id, now)
        # What remains addressed to them (an HR digest, a message of an application already
        # anonymised meanwhile) and their part as actors in the plugin's log.
        Delivery.objects.filter(recipient=user_key(pid)).delete()
        ModelLogEntry.objects.filter(
            Q(action__startswith="tyonohjaus_plugin."), user_id=pid
        ).update(user=None)
        EmployeeProfile.objects.filter(user_id=pid).delete()
        # Their acknowledgements of agreements stay (which version was acknowledged, when),
        # without them.
        acknowledged = AgreementAcknowledgement.objects.filter(user_id=pid)
        if before is not None:
            acknowledged = acknowledged.filter(acknowledged_at__lte=before)
        acknowledged.update(user=None)
        tombstone, _created = ErasureTombstone.objects.update_or_create(
            user_id=pid, defaults={"erased_at": before or now}
        )
        self.counts = {
            "applications": len(applications),
            "memberships": len(member_of),
            "engagements_ended": ended,
        }
        return tombstone

    def log_entry(self, tombstone):
        # Ids and counts only: the tombstone's label is "Erasure #n".
        return tombstone, {"user_id": self.person_id, **self.counts}

    def committed(self, tombstone):
        if self.counts.get("engagements_ended"):
            enqueue("tyonohjaus_plugin.tasks.send_reminders_task")
