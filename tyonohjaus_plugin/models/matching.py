from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchRunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


#: A run in these states holds the round: a second one is refused by a constraint.
ACTIVE_RUN_STATES = (MatchRunState.QUEUED, MatchRunState.RUNNING)


class MatchRun(models.Model):
    """One solve of a round's matching problem; its proposal is written in one transaction."""

    round = models.ForeignKey(
        "tyonohjaus_plugin.ApplicationRound",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="match_runs",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=MatchRunState.choices, default=MatchRunState.QUEUED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: The weights used (codes and numbers only).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    #: Counts and the objective: applications, supervisors, matched, score, seconds.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    #: A short code of what went wrong (never personal data).
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-pk"]
        permissions = [("run_matching", _("Can run matching and confirm proposals"))]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(state__in=ACTIVE_RUN_STATES),
                name="tyonohjaus_one_active_match_run_per_round",
                violation_error_message=_("Matching is already running for this round."),
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=MatchRunState.values),
                name="tyonohjaus_match_run_state_valid",
            ),
        ]

    def __str__(self):
        return f"Matching run #{self.pk}"


class MatchProposal(models.Model):
    """A proposed pair of a run with the engine's reasons (codes and parameters)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    application = models.ForeignKey(
        "tyonohjaus_plugin.Application", on_delete=models.CASCADE, related_name="+"
    )
    supervisor = models.ForeignKey(
        "tyonohjaus_plugin.Supervisor", on_delete=models.CASCADE, related_name="+"
    )
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "application"], name="tyonohjaus_one_proposal_per_application"
            )
        ]

    def __str__(self):
        return f"Proposal #{self.pk}"


class MatchUnmatched(models.Model):
    """An application a run left without a supervisor, with the engine's reason."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    application = models.ForeignKey(
        "tyonohjaus_plugin.Application", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "application"], name="tyonohjaus_unmatched_once_per_run"
            )
        ]

    def __str__(self):
        return f"Unmatched #{self.pk}"


class OverrideKind(models.TextChoices):
    PIN = "pin", _("Pin")
    FORBID = "forbid", _("Forbid")


class MatchOverride(models.Model):
    """HR's pin (this pair must be in the result) or forbid (never this pair) in a round."""

    round = models.ForeignKey(
        "tyonohjaus_plugin.ApplicationRound", on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(
        "tyonohjaus_plugin.Application", on_delete=models.CASCADE, related_name="+"
    )
    supervisor = models.ForeignKey(
        "tyonohjaus_plugin.Supervisor", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=OverrideKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application", "supervisor"],
                name="tyonohjaus_one_override_per_pair",
            ),
            models.UniqueConstraint(
                fields=["round", "application"],
                condition=models.Q(kind="pin"),
                name="tyonohjaus_one_pin_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OverrideKind.values),
                name="tyonohjaus_override_kind_valid",
            ),
        ]

    def __str__(self):
        return f"Override #{self.pk}"


class ExclusionReason(models.TextChoices):
    CONFLICT = "conflict", _("Declared conflict of interest")
    NOT_A_FIT = "not_a_fit", _("Not a good fit after the first meeting")


class ExcludedPair(models.Model):
    """A supervisor the application must never get again, in any round or between rounds: the
    supervisor declared a conflict, or someone found the first meeting not a good fit. Every
    matching problem forbids these pairs. The reason is a code: no details."""

    application = models.ForeignKey(
        "tyonohjaus_plugin.Application", on_delete=models.CASCADE, related_name="+"
    )
    supervisor = models.ForeignKey(
        "tyonohjaus_plugin.Supervisor", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ExclusionReason.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("excluded supervisor")
        verbose_name_plural = _("excluded supervisors")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "supervisor"], name="tyonohjaus_excluded_pair_once"
            ),
            models.CheckConstraint(
                condition=models.Q(reason__in=ExclusionReason.values),
                name="tyonohjaus_excluded_pair_reason_valid",
            ),
        ]

    def __str__(self):
        return f"Excluded pair #{self.pk}"


class PlaceOfferState(models.TextChoices):
    OPEN = "open", _("Waiting for HR")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    STALE = "stale", _("No longer possible")


class FreedBy(models.TextChoices):
    WITHDRAWAL = "withdrawal", _("A withdrawal")
    NOT_A_FIT = "not_a_fit", _("An engagement ended after the first meeting")
    CAPACITY = "capacity", _("More capacity")
    CANCELLED = "cancelled", _("A cancelled engagement")


class PlaceOffer(models.Model):
    """The waiting list's proposal: a supervisor's freed place for the best waiting application.

    An application is in at most one open offer (a partial unique constraint), so two places freed
    at the same moment never go to one application twice; the place is the supervisor's free
    capacity, recounted under the supervisor's row lock when the offer is made and confirmed.
    """

    supervisor = models.ForeignKey(
        "tyonohjaus_plugin.Supervisor", on_delete=models.CASCADE, related_name="place_offers"
    )
    application = models.ForeignKey(
        "tyonohjaus_plugin.Application", on_delete=models.CASCADE, related_name="place_offers"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=PlaceOfferState.choices, default=PlaceOfferState.OPEN
    )
    freed_by = models.CharField(_("freed by"), max_length=20, choices=FreedBy.choices)
    score = models.FloatField(_("score"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("offered place")
        verbose_name_plural = _("offered places")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state="open"),
                name="tyonohjaus_one_open_offer_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=PlaceOfferState.values),
                name="tyonohjaus_place_offer_state_valid",
            ),
        ]

    def __str__(self):
        return f"Place offer #{self.pk}"
