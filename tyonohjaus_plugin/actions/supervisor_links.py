"""An external supervisor's personal access link: HR sends it or revokes every link sent so far;
the supervisor asks for a new one by their e-mail address.

The link itself is made when the message is sent (``outbox.senders.send_supervisor_link``);
nothing here stores it. One SUPERVISOR_LINK delivery per supervisor, link generation and hour
(the delivery's unique slot): asking again within the hour queues nothing more.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.actions.base import Action, ActionRefused, NotPermitted
from tyonohjaus_plugin.jobs import enqueue
from tyonohjaus_plugin.models import Delivery, DeliveryKind, Supervisor, SupervisorKind
from tyonohjaus_plugin.outbox.senders import link_slot
from tyonohjaus_plugin.permissions import MANAGE_SUPERVISORS

LINK_SENT = "tyonohjaus_plugin.supervisor.link_sent"
LINKS_REVOKED = "tyonohjaus_plugin.supervisor.links_revoked"


class NotAnExternalSupervisor(ActionRefused):
    title = _("No access link")
    default_message = _(
        "Only an active external supervisor gets an access link: an internal supervisor uses "
        "the admin."
    )


def _may_manage(user) -> bool:
    return user.is_active and user.has_perm(MANAGE_SUPERVISORS[1])  # change_supervisor


def queue_link(supervisor, now) -> int:
    """Queue the access link for ``supervisor`` (once per hour and link generation)."""
    row = (DeliveryKind.SUPERVISOR_LINK, supervisor.pk, f"s{supervisor.pk}")
    slot = link_slot(supervisor, now)
    kind, target, recipient = row
    queued = Delivery.objects.filter(kind=kind, target_id=target, recipient=recipient, slot=slot)
    if queued.exists():
        return 0
    Delivery.objects.add([(*row, slot, now)])
    return 1


class SendSupervisorLinkAction(Action):
    """HR: e-mail the supervisor a new access link."""

    log_action = LINK_SENT

    def __init__(self, supervisor, *, user):
        super().__init__(user=user)
        self.supervisor = supervisor
        self.queued = 0

    def check(self):
        if not _may_manage(self.user):
            raise NotPermitted
        if self.supervisor.kind != SupervisorKind.EXTERNAL or not self.supervisor.active:
            raise NotAnExternalSupervisor

    def perform(self):
        supervisor = Supervisor.objects.select_for_update().get(pk=self.supervisor.pk)
        self.queued = queue_link(supervisor, timezone.now())
        return supervisor

    def log_entry(self, supervisor):
        return supervisor, {"queued": self.queued}

    def committed(self, supervisor):
        enqueue("tyonohjaus_plugin.tasks.send_outbox_task")


class RevokeSupervisorLinksAction(Action):
    """HR: every access link sent to the supervisor so far stops working at once."""

    log_action = LINKS_REVOKED

    def __init__(self, supervisor, *, user):
        super().__init__(user=user)
        self.supervisor = supervisor

    def check(self):
        if not _may_manage(self.user):
            raise NotPermitted
        if self.supervisor.kind != SupervisorKind.EXTERNAL:
            raise NotAnExternalSupervisor

    def perform(self):
        Supervisor.objects.filter(pk=self.supervisor.pk).update(
            link_generation=F("link_generation") + 1
        )
        self.supervisor.refresh_from_db(fields=["link_generation"])
        return self.supervisor

    def log_entry(self, supervisor):
        return supervisor, {"generation": supervisor.link_generation}


class RequestSupervisorLinkAction(Action):
    """Anyone: "send me a new link" with an e-mail address. Queues the link for every active
    external supervisor with that address and tells nothing: the caller answers the same
    whatever happened. Not audit-logged (no actor; the delivery itself is the record)."""

    def __init__(self, email: str):
        super().__init__(user=None)
        self.email = email.strip()

    def perform(self) -> int:
        now = timezone.now()
        return sum(
            queue_link(supervisor, now)
            for supervisor in Supervisor.objects.filter(
                kind=SupervisorKind.EXTERNAL, active=True, email__iexact=self.email
            )
        )

    def committed(self, queued):
        if queued:
            enqueue("tyonohjaus_plugin.tasks.send_outbox_task")
