from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

#: Longest free-text answers; enforced by the form and by database constraints.
SITUATION_MAX_LENGTH = 3000
GOALS_MAX_LENGTH = 3000
REASON_MAX_LENGTH = 1000
HR_NOTE_MAX_LENGTH = 2000

#: The applicant's free-text answers: only HR with ``view_confidential_application`` (and the
#: matched supervisor) may read them, on screen or in an export.
CONFIDENTIAL_FIELDS = ("situation", "goals", "supervisor_wishes", "off_round_reason")


class ApplicationFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Small group (2–4)")
    TEAM = "team", _("Team")


class SupervisorPreference(models.TextChoices):
    NONE = "none", _("No preference")
    INTERNAL = "internal", _("Internal supervisor")
    EXTERNAL = "external", _("External supervisor")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    MATCHED = "matched", _("Matched")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Statuses in which an application still holds its people's place in the round.
ACTIVE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.MATCHED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.WAITLISTED,
)

#: Active statuses that still wait for a supervisor.
UNMATCHED_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.WAITLISTED,
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
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="tyonohjaus_applications",
    )
    format = models.CharField(_("format"), max_length=20, choices=ApplicationFormat.choices)
    languages = models.JSONField(_("languages"), default=list)
    themes = models.ManyToManyField(
        "tyonohjaus_plugin.Theme", verbose_name=_("themes"), blank=True, related_name="+"
    )
    situation = models.TextField(
        _("current situation"), max_length=SITUATION_MAX_LENGTH, blank=True
    )
    goals = models.TextField(_("goals"), max_length=GOALS_MAX_LENGTH, blank=True)
    availability = models.CharField(_("availability"), max_length=500, blank=True)
    supervisor_preference = models.CharField(
        _("supervisor preference"),
        max_length=20,
        choices=SupervisorPreference.choices,
        default=SupervisorPreference.NONE,
    )
    supervisor_wishes = models.CharField(_("supervisor wishes"), max_length=300, blank=True)
    off_round_reason = models.TextField(
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
    hr_note = models.TextField(
        _("internal note"),
        max_length=HR_NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("Seen by HR only, never by the applicant or the supervisor."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    #: Set when the receipt e-mail was handed to the mail backend (claimed before sending).
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

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
                condition=LessThanOrEqual(Length("situation"), SITUATION_MAX_LENGTH)
                & LessThanOrEqual(Length("goals"), GOALS_MAX_LENGTH)
                & LessThanOrEqual(Length("off_round_reason"), REASON_MAX_LENGTH)
                & LessThanOrEqual(Length("hr_note"), HR_NOTE_MAX_LENGTH),
                name="tyonohjaus_application_text_lengths",
            ),
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
    def waiting_since(self):
        return self.status_changed_at or self.submitted_at

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_off_round(self) -> bool:
        return self.round_id is None


class ParticipantRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    CO_APPLICANT = "co_applicant", _("Co-applicant")


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class ApplicationParticipant(models.Model):
    """A person in an application: the applicant or an invited co-applicant.

    ``holds_place`` is true while the application is active and the person has not declined; the
    partial unique constraint on (round, user) then guarantees one active application per person
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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tyonohjaus_participations"
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
