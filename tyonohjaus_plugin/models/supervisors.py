from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from tyonohjaus_plugin.models.applications import ApplicationFormat


class SupervisorKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class Supervisor(ClusterableModel):
    """A work supervisor: an employee (internal) or a contracted professional (external).

    Internal supervisors take their name and e-mail from the linked user. ``__str__`` names no
    person because it becomes the label of audit-log entries; ``display_name`` is for screens.
    Units are the organisational unit codes of ``EmployeeProfile``: a supervisor never gets an
    applicant from their own units or from the units listed as conflicts of interest.
    """

    kind = models.CharField(
        _("kind"), max_length=20, choices=SupervisorKind.choices, default=SupervisorKind.INTERNAL
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tyonohjaus_supervisor",
        help_text=_("Internal supervisors: the employee's account."),
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("External supervisors only.")
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("External supervisors only."))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    qualification = models.CharField(
        _("qualification"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the supervisor training or certificate."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    formats = models.JSONField(_("formats"), default=list, blank=True)
    themes = models.ManyToManyField(
        "tyonohjaus_plugin.Theme", verbose_name=_("themes"), blank=True, related_name="+"
    )
    unit_codes = models.JSONField(_("own organisational units"), default=list, blank=True)
    conflict_unit_codes = models.JSONField(
        _("units with a conflict of interest"), default=list, blank=True
    )
    conflict_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people with a conflict of interest"),
        blank=True,
        related_name="+",
    )
    default_capacity = models.PositiveSmallIntegerField(
        _("capacity per round"),
        default=2,
        help_text=_(
            "Applications (a group or team counts as one) unless the round says otherwise."
        ),
    )
    cost_per_meeting = models.DecimalField(
        _("cost per meeting (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("External supervisors only."),
    )
    active = models.BooleanField(_("active"), default=True)
    #: Signed access links of an external supervisor carry this number: HR revokes every link
    #: sent so far by raising it (``core.tokens``).
    link_generation = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SupervisorKind.values),
                name="tyonohjaus_supervisor_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=SupervisorKind.INTERNAL) | models.Q(user__isnull=False),
                name="tyonohjaus_internal_supervisor_has_user",
                violation_error_message=_("An internal supervisor is linked to a user."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=SupervisorKind.EXTERNAL)
                | (~models.Q(name="") & ~models.Q(email="")),
                name="tyonohjaus_external_supervisor_has_contact",
                violation_error_message=_("An external supervisor needs a name and an e-mail."),
            ),
            models.CheckConstraint(
                condition=models.Q(cost_per_meeting__isnull=True)
                | (models.Q(cost_per_meeting__gte=0) & models.Q(kind=SupervisorKind.EXTERNAL)),
                name="tyonohjaus_supervisor_cost_external_only",
                violation_error_message=_("Only external supervisors have a cost per meeting."),
            ),
        ]

    def __str__(self):
        return f"Supervisor #{self.pk}"

    @property
    def is_external(self) -> bool:
        return self.kind == SupervisorKind.EXTERNAL

    @property
    def display_name(self) -> str:
        if self.kind == SupervisorKind.INTERNAL and self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.name

    @property
    def contact_email(self) -> str:
        if self.kind == SupervisorKind.INTERNAL and self.user_id:
            return self.user.email
        return self.email

    def takes_format(self, format: str) -> bool:
        return format in self.formats

    def capacity_for(self, round) -> int:
        """The capacity in ``round``: a per-round figure if HR set one, else the default."""
        for row in self.round_capacities.all():
            if row.round_id == getattr(round, "pk", round):
                return row.capacity
        return self.default_capacity


class SupervisorCapacity(models.Model):
    """A supervisor's capacity in one round, when it differs from their default."""

    supervisor = ParentalKey(Supervisor, on_delete=models.CASCADE, related_name="round_capacities")
    round = models.ForeignKey(
        "tyonohjaus_plugin.ApplicationRound",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("capacity in a round")
        verbose_name_plural = _("capacities in rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "round"],
                name="tyonohjaus_one_capacity_per_supervisor_per_round",
                violation_error_message=_("This round already has a capacity for the supervisor."),
            )
        ]

    def __str__(self):
        return f"Capacity #{self.pk}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SupervisorAvailability(models.Model):
    """A weekly window in which the supervisor takes meetings (local time of the plan rules).

    No windows at all: the working day of every working day, as the plan rules say.
    """

    supervisor = ParentalKey(Supervisor, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    location = models.CharField(
        _("where"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Online (Teams)” or a meeting room. Shown to the people."),
    )

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["weekday", "starts", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")),
                name="tyonohjaus_availability_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6),
                name="tyonohjaus_availability_weekday_valid",
            ),
        ]

    def __str__(self):
        return f"Availability #{self.pk}"


class SupervisorBlockedPeriod(models.Model):
    """Days the supervisor takes no meetings (holidays, courses), first and last day included."""

    supervisor = ParentalKey(Supervisor, on_delete=models.CASCADE, related_name="blocked_periods")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("period without meetings")
        verbose_name_plural = _("periods without meetings")
        ordering = ["first_day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="tyonohjaus_blocked_period_order",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self):
        return f"Blocked period #{self.pk}"


#: What a supervisor can take, for forms and filters.
FORMAT_CHOICES = ApplicationFormat.choices
