"""The outbox: one row per message, unique per (kind, target, recipient, slot)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryKind(models.TextChoices):
    INVITATION = "invitation", _("Meeting invitation or update")
    MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
    ROUND_CLOSING = "round_closing", _("Round closing: please confirm")
    HR_DIGEST = "hr_digest", _("Applications waiting (HR digest)")
    EVALUATION = "evaluation", _("End evaluation")
    RECEIPT = "receipt", _("Application receipt")
    CO_APPLICANT_INVITATION = "co_applicant_invitation", _("Invitation to a joint application")
    CO_APPLICANT_ANSWER = "co_applicant_answer", _("A colleague's answer, to the applicant")
    APPLICATION_STATUS = "application_status", _("Application status changed or withdrawn")
    DECLARATION_REQUEST = "declaration_request", _("Supervisor: declare any conflict of interest")
    WELCOME = "welcome", _("Welcome: your supervisor and choosing the first meeting time")
    TIMES_UNANSWERED = "times_unanswered", _("HR: first meeting time not agreed")
    FIRST_MEETING_QUESTION = "first_meeting_question", _("After the first meeting: do we continue?")
    SUPERVISOR_LINK = "supervisor_link", _("External supervisor's access link")
    PLACE_OFFER = "place_offer", _("HR: a freed place for a waiting application")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNCERTAIN = "uncertain", _("Uncertain")


#: Error codes that need HR (a permanent failure), with what HR should do about them.
ERROR_REASONS = {
    "non_ascii_local_part": _(
        "Undeliverable address: it has letters such as ä or ö before the @, which the mail "
        "system cannot send to. Correct the person's e-mail address, then send again."
    ),
    "invalid_address": _(
        "Invalid e-mail address. Correct the person's e-mail address, then send again."
    ),
    "recipient_refused": _(
        "The mail server refused the address. Check the person's e-mail address, then send again."
    ),
}


class DeliveryQuerySet(models.QuerySet):
    def add(self, rows) -> None:
        """``ensure`` without counting: for the transactions of employees' and HR's changes."""
        self.bulk_create(
            [
                Delivery(kind=k, target_id=t, recipient=r, slot=s, due_at=d)
                for k, t, r, s, d in rows
            ],
            ignore_conflicts=True,
        )

    def ensure(self, rows) -> int:
        """Create deliveries (kind, target id, recipient, slot, due at) that do not exist yet.

        Returns how many were new. Safe to call again and from two workers: the unique key
        decides (existing rows are left as they are).
        """
        rows = list(rows)
        if not rows:
            return 0
        before = self.count()
        self.bulk_create(
            [
                Delivery(kind=k, target_id=t, recipient=r, slot=s, due_at=d)
                for k, t, r, s, d in rows
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        return self.count() - before


class Delivery(models.Model):
    """The outbox: one row per message, unique on (kind, target, recipient, slot).

    A sweep claims a row (pending → sending, attempt counted) and commits, sends, then marks it
    sent: a worker killed midway leaves at most the message in flight to doubt about. The key
    holds ids only: ``recipient`` is "u<user id>" or "s<supervisor id>" (external supervisors
    have no user), ``slot`` tells apart deliveries of one target (an invitation's sequence, a
    digest's date).
    """

    kind = models.CharField(_("kind"), max_length=30, choices=DeliveryKind.choices)
    target_id = models.PositiveBigIntegerField(_("target"))
    recipient = models.CharField(_("recipient"), max_length=30)
    slot = models.CharField(_("slot"), max_length=40, blank=True, default="")
    state = models.CharField(
        _("state"), max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    due_at = models.DateTimeField(_("due at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    #: A short code of the last failure (never an address or a message text).
    error = models.CharField(_("error"), max_length=100, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["state", "due_at"], name="tyonohjaus_delivery_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_id", "recipient", "slot"],
                name="tyonohjaus_delivery_once",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=DeliveryState.values),
                name="tyonohjaus_delivery_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DeliveryKind.values),
                name="tyonohjaus_delivery_kind_valid",
            ),
        ]

    def __str__(self):
        return f"Delivery #{self.pk}"

    @property
    def error_reason(self) -> str:
        """The error for HR: a translated explanation where one exists, else the code."""
        return ERROR_REASONS.get(self.error, self.error)


# Recipients are keys: "u<user id>", or "s<supervisor id>" for an external supervisor.
def user_key(user_id: int) -> str:
    return f"u{user_id}"


def supervisor_recipient_key(supervisor) -> str:
    return user_key(supervisor.user_id) if supervisor.user_id else f"s{supervisor.pk}"
