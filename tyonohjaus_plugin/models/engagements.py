from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tyonohjaus_plugin.core.encryption import EncryptedTextField
from tyonohjaus_plugin.models import workflow
from tyonohjaus_plugin.models.workflow import ACTIVE_ENGAGEMENT_STATES, EndReason, EngagementState
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
    Its path: the supervisor declares no conflict of interest (``pending``), the people choose the
    first meeting time among proposals (``scheduling``), the series is planned (``planned``) and
    held. An application has at most one active engagement (a partial unique constraint: the
    database's guarantee against a double confirm); an ended one stays beside a re-match.
    """

    application = models.ForeignKey(
        "tyonohjaus_plugin.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="engagements",
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
    #: The plan the meetings follow, fixed at the confirm (from the settings) and shown in the
    #: agreement: 3-5 meetings of 60-90 minutes.
    meeting_count = models.PositiveSmallIntegerField(
        _("number of meetings"), default=4, validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=90,
        validators=[MinValueValidator(60), MaxValueValidator(90)],
    )
    #: When the supervisor declared that they have no earlier relationship with the people.
    declared_at = models.DateTimeField(_("conflict of interest declared at"), null=True, blank=True)
    #: When the first-meeting times were proposed: the clock of the "nobody answered" notice.
    proposed_at = models.DateTimeField(_("times proposed at"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

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
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state__in=ACTIVE_ENGAGEMENT_STATES),
                name="tyonohjaus_one_active_engagement_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting_count__gte=3, meeting_count__lte=5),
                name="tyonohjaus_engagement_meeting_count",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting_minutes__gte=60, meeting_minutes__lte=90),
                name="tyonohjaus_engagement_meeting_minutes",
            ),
            models.CheckConstraint(
                condition=models.Q(end_reason="") | models.Q(state=EngagementState.CANCELLED),
                name="tyonohjaus_engagement_end_reason_when_cancelled",
            ),
        ]

    def __str__(self):
        return f"Engagement #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_ENGAGEMENT_STATES

    def change_state(self, to: str, *, reason: str = "", now=None) -> str:
        """Move this engagement, locked by the caller inside ``atomic()``, to ``to``; the one
        writer of ``state``. A cancellation records its ``reason`` (an ``EndReason``) and time.
        Returns the old state."""
        if not workflow.engagement_step_allowed(self.state, to):
            raise workflow.StatusChangeNotAllowed(self.state, to)
        old, self.state = self.state, to
        fields = ["state"]
        if to == EngagementState.CANCELLED:
            from django.utils import timezone

            self.end_reason = reason or EndReason.HR
            self.ended_at = now or timezone.now()
            fields += ["end_reason", "ended_at"]
        self.save(update_fields=fields)
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


class AnswerQuerySet(models.QuerySet):
    def of_person(self, *, participant=None, supervisor: bool = False):
        if supervisor:
            return self.filter(by_supervisor=True)
        return self.filter(participant=participant)


class _PersonsAnswer(models.Model):
    """An answer of one person of an engagement: a participant, or the supervisor
    (``by_supervisor``; an external supervisor has no user). One per person (constraints)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        EngagementParticipant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    by_supervisor = models.BooleanField(default=False)
    answered_at = models.DateTimeField(_("answered at"))

    objects = AnswerQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def person_constraints(cls, prefix: str) -> list:
        return [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=True, by_supervisor=True)
                | models.Q(participant__isnull=False, by_supervisor=False),
                name=f"tyonohjaus_{prefix}_one_person",
            ),
            models.UniqueConstraint(
                fields=["engagement", "participant"],
                condition=models.Q(participant__isnull=False),
                name=f"tyonohjaus_{prefix}_once_per_participant",
            ),
            models.UniqueConstraint(
                fields=["engagement"],
                condition=models.Q(by_supervisor=True),
                name=f"tyonohjaus_{prefix}_once_by_supervisor",
            ),
        ]


class SlotProposal(models.Model):
    """One of the (up to three) first-meeting times proposed after the declaration.

    Each fits the supervisor's availability and everyone's calendar when proposed; the one chosen
    is checked again when the series is planned.
    """

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="slot_proposals"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposed time")
        verbose_name_plural = _("proposed times")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "number"], name="tyonohjaus_slot_proposal_number_once"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="tyonohjaus_slot_proposal_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"Proposed time #{self.pk}"


class SlotAnswer(_PersonsAnswer):
    """A participant's choice among the proposals: the numbers of those that suit (empty: none)."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="slot_answers"
    )
    suitable = models.JSONField(_("suitable times"), default=list, blank=True)

    class Meta:
        verbose_name = _("answer about the times")
        verbose_name_plural = _("answers about the times")
        constraints = _PersonsAnswer.person_constraints("slot_answer")

    def __str__(self):
        return f"Time answer #{self.pk}"


class FirstMeetingAnswer(_PersonsAnswer):
    """After the first meeting: "we continue" or "not a good fit", by each person.

    The comment is free text: HR with the confidential permission only (encrypted, kept like the
    application's answers).
    """

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="first_meeting_answers"
    )
    go_on = models.BooleanField(_("we continue"))
    comment = EncryptedTextField(_("comment"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("first-meeting answer")
        verbose_name_plural = _("first-meeting answers")
        constraints = _PersonsAnswer.person_constraints("first_meeting_answer")

    def __str__(self):
        return f"First-meeting answer #{self.pk}"
