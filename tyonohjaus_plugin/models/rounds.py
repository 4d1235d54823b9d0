from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    MATCHED = "matched", _("Matched")
    ARCHIVED = "archived", _("Archived")


#: States in which a round takes applications, provided the transaction started in its window.
ACCEPTING_STATES = (RoundState.OPEN, RoundState.CLOSED)


class ApplicationRoundQuerySet(models.QuerySet):
    def for_service(self, service_key):
        return self.filter(service_key=service_key)

    def open(self):
        return self.filter(state=RoundState.OPEN)


class ApplicationRound(models.Model):
    """An application round of a service (all language versions of the service page share it).

    Whether an application is on time is decided by the database clock at the start of its
    transaction, compared with ``closes_at`` under a row lock (see ``actions/submit_application``
    and RELIABILITY.md §2.2); ``state`` is HR's workflow around it.
    """

    service_key = models.UUIDField(
        _("service"),
        db_index=True,
        help_text=_("Translation key of the service page: the round belongs to every language."),
    )
    name = models.CharField(_("name"), max_length=100)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    programme_starts_on = models.DateField(_("programme starts on"), null=True, blank=True)
    programme_ends_on = models.DateField(_("programme ends on"), null=True, blank=True)
    target_places = models.PositiveIntegerField(_("target number of places"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=RoundState.choices, default=RoundState.UPCOMING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ApplicationRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("application round")
        verbose_name_plural = _("application rounds")
        ordering = ["-opens_at"]
        permissions = [("manage_rounds", _("Can open and close application rounds"))]
        constraints = [
            models.UniqueConstraint(
                fields=["service_key"],
                condition=models.Q(state=RoundState.OPEN),
                name="tyonohjaus_one_open_round_per_service",
                violation_error_message=_("This service already has an open round."),
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="tyonohjaus_round_closes_after_opening",
                violation_error_message=_("A round must close after it opens."),
            ),
        ]

    def __str__(self):
        return self.name

    def accepts_at(self, moment) -> bool:
        """Whether an application whose transaction started at ``moment`` is on time."""
        return self.state in ACCEPTING_STATES and self.opens_at <= moment < self.closes_at
