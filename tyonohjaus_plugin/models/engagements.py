from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.core.encryption import EncryptedTextField
from tyonohjaus_plugin.models import workflow
from tyonohjaus_plugin.models.workflow import EngagementState
from tyonohjaus_plugin.permissions import VIEW_ENGAGEMENTS


class EngagementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """HR with the permission: all; a supervisor: their own; anyone else: none."""
        if not user.is_active:
            return self.none()
        if user.has_perm(VIEW_ENGAGEMENTS):
            return self
        return self.filter(supervisor__user=user)


class Engagement(models.Model):
    """A confirmed supervisor for one application, with the people taking part.

    Created when HR confirms a match (from a round's proposal or off-round); meetings hang on it.
    One per application: the one-to-one key is the database's guarantee against a double confirm.
    """

    application = models.OneToOneField(
        "tyonohjaus_plugin.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="engagement",
    )
    supervisor = models.ForeignKey(
        "tyonohjaus_plugin.Supervisor",
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,  # Wagtail's delete view refuses while engagements exist
        related_name="engagements",
    )
    #: Copied from the application so that places taken per round are one indexed count.
    round = models.ForeignKey(
        "tyonohjaus_plugin.ApplicationRound",
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="engagements",
    )
    match_run = models.ForeignKey(
        "tyonohjaus_plugin.MatchRun",
        verbose_name=_("matching run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=EngagementState.choices, default=EngagementState.PLANNED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-confirmed_at", "-pk"]
        indexes = [models.Index(fields=["supervisor", "state"], name="tyonohjaus_eng_sup_state")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=EngagementState.values),
                name="tyonohjaus_engagement_state_valid",
            ),
        ]

    def __str__(self):
        return f"Engagement #{self.pk}"

    def change_state(self, to: str) -> str:
        """Move this engagement, locked by the caller inside ``atomic()``, to ``to``; the one
        writer of ``state``. Returns the old state."""
        if not workflow.engagement_step_allowed(self.state, to):
            raise workflow.StatusChangeNotAllowed(self.state, to)
        old, self.state = self.state, to
        self.save(update_fields=["state"])
        return old


class EngagementParticipant(models.Model):
    """A person in an engagement: the applicant and the co-applicants who confirmed."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="participants"
    )
    #: Empty once anonymised or erased (the evaluation score stays).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "user"], name="tyonohjaus_engagement_participant_once"
            )
        ]

    def __str__(self):
        return f"Participant #{self.pk}"


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """One meeting of an engagement. Nothing of what is said is stored: only that it was held.

    ``sequence`` is the iCalendar SEQUENCE: it grows on every move or cancellation, and each
    value gets its own invitation deliveries, so an update is sent once per change.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("number"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["state", "starts_at"], name="tyonohjaus_meeting_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "number"], name="tyonohjaus_meeting_number_once"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="tyonohjaus_meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=MeetingState.values),
                name="tyonohjaus_meeting_state_valid",
            ),
        ]

    def __str__(self):
        return f"Meeting #{self.pk}"


class EvaluationAnswer(models.Model):
    """A participant's end evaluation: how well the goals set at the start were reached.

    One per participant (a constraint); HR sees only aggregates of at least five answers.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="evaluations")
    participant = models.OneToOneField(
        EngagementParticipant, on_delete=models.CASCADE, related_name="evaluation"
    )
    goals_reached = models.PositiveSmallIntegerField(_("how well were your goals reached (1-5)"))
    comment = EncryptedTextField(_("comment"), max_length=1000, blank=True)  # core/encryption.py
    answered_on = models.DateField(_("answered on"))

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(goals_reached__gte=1, goals_reached__lte=5),
                name="tyonohjaus_evaluation_scale",
            ),
        ]

    def __str__(self):
        return f"Evaluation #{self.pk}"
