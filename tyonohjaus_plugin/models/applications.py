import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.db import clock_now
from tyonohjaus_plugin.core.encryption import EncryptedTextField
from tyonohjaus_plugin.core.search import words_match
from tyonohjaus_plugin.models import workflow
from tyonohjaus_plugin.models.workflow import (
    ACTIVE_STATUSES,
    UNMATCHED_STATUSES,
    ApplicationStatus,
)
from tyonohjaus_plugin.permissions import can_view_applications

#: Longest free-text answers; enforced by the forms, the model's validation and the field on
#: every write (the database holds the longer ciphertext: core/encryption.py).
SITUATION_MAX_LENGTH = 3000
GOALS_MAX_LENGTH = 3000
REASON_MAX_LENGTH = 1000
HR_NOTE_MAX_LENGTH = 2000

#: The applicant's free-text answers: only HR with ``view_confidential_application`` (and the
#: matched supervisor) may read them, on screen or in an export.
CONFIDENTIAL_FIELDS = ("situation", "goals", "supervisor_wishes", "off_round_reason")

#: The answers the applicant may change until the round closes (the edit form and the action).
EDITABLE_FIELDS = (
    "languages",
    "situation",
    "goals",
    "availability",
    "supervisor_preference",
    "supervisor_wishes",
    "off_round_reason",
)


class ApplicationFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Small group (2–4)")
    TEAM = "team", _("Team")


class SupervisorPreference(models.TextChoices):
    NONE = "none", _("No preference")
    INTERNAL = "internal", _("Internal supervisor")
    EXTERNAL = "external", _("External supervisor")


class PlaceTaken(Exception):
    """A member holds a place in another application of the round: the step would double-book."""


class ApplicationQuerySet(models.QuerySet):
    """The predicates every screen, task and report asks of applications, written once."""

    def visible_to(self, user):
        """What an admin user may read: the start of every admin queryset of applications.

        Bulk actions and exports filter the posted ids through it, so a crafted request can
        never reach further than the listing does.
        """
        return self if can_view_applications(user) else self.none()

    def active(self):
        """Holding their people's places in the round."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def waiting(self):
        """Active and still waiting for a supervisor (an anonymised one waits for nothing)."""
        return self.filter(status__in=UNMATCHED_STATUSES, anonymised_at__isnull=True)

    def waiting_list(self):
        """Waiting, and matched with the off-round rules (every active supervisor's free
        places): made between rounds, waitlisted by HR, or back on the board after an ended
        engagement (not a good fit, a declared conflict) whatever the round. Freed places are
        offered to these, and each sees their position among them."""
        from tyonohjaus_plugin.models.engagements import Engagement

        ended = Engagement.objects.filter(application=models.OuterRef("pk"))
        return self.waiting().filter(
            models.Q(round__isnull=True)
            | models.Q(status=ApplicationStatus.WAITLISTED)
            | models.Q(models.Exists(ended))
        )

    def in_round(self, round):
        """In ``round``; ``None`` means made between rounds."""
        return self.filter(round__isnull=True) if round is None else self.filter(round=round)

    def search(self, query: str):
        """Every word must match the applicant's first name, last name or e-mail (never the
        answers)."""
        return self.filter(
            words_match(
                query, ("applicant__first_name", "applicant__last_name", "applicant__email")
            )
        )


class Application(models.Model):
    """An application for the service: individual, small group or team.

    ``situation`` and ``goals`` are confidential: only HR with ``view_confidential_application``
    and the matched supervisor may read them. ``__str__`` names no person (it reaches logs).
    """

    service_key = models.UUIDField(_("service"), db_index=True)
    round = models.ForeignKey(
        "tyonohjaus_plugin.ApplicationRound",
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text=_("Empty for an application made between rounds."),
    )
    #: Empty once the application is anonymised (the retention job, an erasure): what stays
    #: is statistics without a person.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tyonohjaus_applications",
    )
    format = models.CharField(_("format"), max_length=20, choices=ApplicationFormat.choices)
    languages = models.JSONField(_("languages"), default=list)
    themes = models.ManyToManyField(
        "tyonohjaus_plugin.Theme", verbose_name=_("themes"), blank=True, related_name="+"
    )
    # The free text is encrypted at rest (core/encryption.py): nothing may search or filter by it.
    situation = EncryptedTextField(
        _("current situation"), max_length=SITUATION_MAX_LENGTH, blank=True
    )
    goals = EncryptedTextField(_("goals"), max_length=GOALS_MAX_LENGTH, blank=True)
    availability = EncryptedTextField(_("availability"), max_length=500, blank=True)
    supervisor_preference = models.CharField(
        _("supervisor preference"),
        max_length=20,
        choices=SupervisorPreference.choices,
        default=SupervisorPreference.NONE,
    )
    supervisor_wishes = EncryptedTextField(_("supervisor wishes"), max_length=300, blank=True)
    off_round_reason = EncryptedTextField(
        _("reason for applying between rounds"), max_length=REASON_MAX_LENGTH, blank=True
    )
    consent_notice = models.ForeignKey(
        "tyonohjaus_plugin.PrivacyNotice",
        verbose_name=_("accepted privacy notice"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_version = models.PositiveIntegerField(_("accepted notice version"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    #: The database clock at the start of the submitting transaction (the "on time" instant).
    submitted_at = models.DateTimeField(_("submitted at"))
    #: When the status last changed (the submission counts): "waiting since" for HR.
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    hr_note = EncryptedTextField(
        _("internal note"),
        max_length=HR_NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("Seen by HR only, never by the applicant or the supervisor."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    #: Set when the receipt e-mail was handed to the mail backend (claimed before sending).
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: When the personal data was removed (``privacy.anonymise``); the statistics stay.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    #: The applicant's unit, copied at anonymisation only where the unit had at least
    #: ``privacy.UNIT_MIN_APPLICANTS`` applicants in the round (a smaller one would identify).
    unit_code = models.CharField(_("unit (statistics)"), max_length=50, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at"]
        permissions = [
            ("view_confidential_application", _("Can view confidential application content")),
            ("change_application_status", _("Can change application status")),
            ("export_applications", _("Can export applications")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=ApplicationFormat.values),
                name="tyonohjaus_application_format_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values),
                name="tyonohjaus_application_status_valid",
            ),
        ]

    def __str__(self):
        return f"Application #{self.pk}"

    @property
    def display_title(self) -> str:
        """``str()`` in the reader's language, for screens (``str()`` itself labels audit-log
        entries and stays the same in every language)."""
        return _("Application #%(number)s") % {"number": self.pk}

    def change_status(self, to: str, *, automatic: bool = False, event=None, now=None) -> str:
        """Move this application, locked by the caller inside ``atomic()``, to ``to``.

        The one writer of ``status``: see ``change_statuses``. Returns the old status.
        """
        return type(self).change_statuses([self], to, automatic=automatic, event=event, now=now)[0]

    @classmethod
    def change_statuses(cls, applications, to: str, *, automatic=False, event=None, now=None):
        """Move locked applications to ``to``: the workflow decides (``StatusChangeNotAllowed``
        for a step it does not have; ``automatic`` adds the service's own steps), then the
        status, ``status_changed_at``, the people's places and one history event each.

        Raises ``PlaceTaken`` when taking the places back would double-book a member.
        Returns the old statuses, in order.
        """
        applications = list(applications)
        for application in applications:
            # An anonymised application is a statistic: its status path is final.
            if application.anonymised_at is not None or not workflow.is_allowed(
                application.status, to, automatic=automatic
            ):
                raise workflow.StatusChangeNotAllowed(application.status, to)
        now = now or clock_now()
        old = [application.status for application in applications]
        ids = [application.pk for application in applications]
        cls.objects.filter(pk__in=ids).update(status=to, status_changed_at=now, updated_at=now)
        released = [
            a.pk for a, s in zip(applications, old, strict=True) if workflow.releases(s, to)
        ]
        taken = [
            a.pk for a, s in zip(applications, old, strict=True) if workflow.reactivates(s, to)
        ]
        participants = ApplicationParticipant.objects
        if released:
            participants.filter(application_id__in=released).update(holds_place=False)
        if taken:
            # The unique (round, user) constraint decides: a member who applied elsewhere in the
            # round meanwhile makes the step fail instead of holding two places.
            try:
                with transaction.atomic():
                    participants.filter(
                        application_id__in=taken, status=ParticipantStatus.CONFIRMED
                    ).update(holds_place=True)
            except IntegrityError:
                raise PlaceTaken from None
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(application_id=pk, kind=event or EventKind.STATUS_CHANGED, status=to)
            for pk in ids
        )
        for application in applications:
            application.status, application.status_changed_at, application.updated_at = to, now, now
        return old

    def retention_ends_at(self):
        """When the retention clock started (``privacy.policy``), or None while it runs: the
        end (last status change) of an ended application, or of an unmatched one once its round
        is matched or archived; never before the round's programme ended (or the round closed)."""
        round = self.round
        ended = self.status in workflow.ENDED_STATUSES or (
            self.status in UNMATCHED_STATUSES
            and round is not None
            and round.state in workflow.DONE_ROUND_STATES
        )
        if not ended:
            return None
        end = self.status_changed_at or self.submitted_at
        if round is not None and round.programme_ends_on is not None:
            day_after = round.programme_ends_on + datetime.timedelta(days=1)
            end = max(
                end, timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))
            )
        elif round is not None:
            end = max(end, round.closes_at)
        return end

    def retention_dates(self) -> dict | None:
        """When the free text goes and when the people are detached, per the settings (None
        while the application runs); shown on its detail screen."""
        end = self.retention_ends_at()
        if end is None:
            return None
        days = plugin_settings.RETENTION_FREE_TEXT_DAYS, plugin_settings.RETENTION_IDENTITY_DAYS
        return {
            "free_text": end + datetime.timedelta(days=days[0]),
            "identity": end + datetime.timedelta(days=days[1]),
        }

    @property
    def waiting_since(self):
        return self.status_changed_at or self.submitted_at

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_off_round(self) -> bool:
        return self.round_id is None

    @property
    def open_for_applicant_changes(self) -> bool:
        """Whether the applicant may still edit or withdraw, for offering the links: the
        action decides under lock (``actions.guards.lock_for_applicant_change``)."""
        return self.is_active and (self.round is None or self.round.accepts_at(timezone.now()))


class ParticipantRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    CO_APPLICANT = "co_applicant", _("Co-applicant")


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class ApplicationParticipant(models.Model):
    """A person in an application: the applicant or an invited co-applicant.

    ``holds_place`` is true while the application is active and the person has confirmed (the
    applicant at once, a co-applicant when they accept the invitation); the partial unique
    constraint on (round, user) then guarantees one active application per person
    per round, whoever submits at the same moment.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="participants"
    )
    round = models.ForeignKey(
        "tyonohjaus_plugin.ApplicationRound",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: Empty once anonymised or erased: the place stays for the group's size, the person goes.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tyonohjaus_participations",
    )
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)
    status = models.CharField(max_length=20, choices=ParticipantStatus.choices)
    holds_place = models.BooleanField(default=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    #: Set when the invitation e-mail was handed to the mail backend (claimed before sending).
    #: The reminders feature re-invites members still "invited" before the round closes.
    invitation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=models.Q(holds_place=True, round__isnull=False),
                name="tyonohjaus_one_active_application_per_person_per_round",
            ),
            models.UniqueConstraint(
                fields=["application", "user"], name="tyonohjaus_participant_once_per_application"
            ),
        ]

    def __str__(self):
        return f"Participant #{self.pk} of application #{self.application_id}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Application sent")
    CO_APPLICANT_CONFIRMED = "co_applicant_confirmed", _("A colleague confirmed")
    CO_APPLICANT_DECLINED = "co_applicant_declined", _("A colleague declined")
    EDITED = "edited", _("Application edited")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    STATUS_CHANGED = "status_changed", _("Status changed")


class ApplicationEvent(models.Model):
    """The history of an application as its people see it: what happened and when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


def find_active_application(user, service_key, round):
    """The active application holding ``user``'s place in ``round`` (or off-round), if any."""
    participations = ApplicationParticipant.objects.filter(
        user=user,
        holds_place=True,
        application__service_key=service_key,
        application__status__in=ACTIVE_STATUSES,
    )
    if round is not None:
        participations = participations.filter(round=round)
    else:
        participations = participations.filter(round__isnull=True)
    found = participations.select_related("application").first()
    return found.application if found else None


class ApplicationExport(models.Model):
    """One export of the applications list: the object its audit-log entry points at.

    Holds what was exported (format, row count, filter codes), never names or search text.
    """

    format = models.CharField(max_length=10)
    row_count = models.PositiveIntegerField()
    confidential = models.BooleanField(default=False)
    filters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("applications export")
        verbose_name_plural = _("applications exports")

    def __str__(self):
        return f"Export #{self.pk}"
