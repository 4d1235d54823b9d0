"""The supervision agreement (työnohjaussopimus) of an engagement, and its editable template.

The template is a translatable snippet edited by editors; an engagement's agreement copies the
template's texts of every language when it is generated (``terms``), so an acknowledged agreement
never changes under its readers when the template is edited later. The supervisor edits the goals
(agreed together in the first meeting): every edit is a new ``version`` that everyone
acknowledges again.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin

from tyonohjaus_plugin.core.encryption import EncryptedTextField


class AgreementTemplate(TranslatableMixin, models.Model):
    """The agreement's fixed texts in one language; the first one of a language is used."""

    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    confidentiality = models.TextField(
        _("confidentiality and its limits"),
        help_text=_("What stays between the people and the supervisor, and when it does not."),
    )
    evaluation = models.TextField(
        _("evaluation"), help_text=_("How and when the work is evaluated.")
    )
    cancellation = models.TextField(
        _("cancellation practice"), help_text=_("How a meeting is cancelled or moved, and when.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("introduction"),
        FieldPanel("confidentiality"),
        FieldPanel("evaluation"),
        FieldPanel("cancellation"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class Agreement(models.Model):
    """One engagement's agreement. ``goals`` is confidential free text (encrypted; anonymised with
    the application); ``terms`` the template's texts per language code at generation."""

    engagement = models.OneToOneField(
        "tyonohjaus_plugin.Engagement", on_delete=models.CASCADE, related_name="agreement"
    )
    goals = EncryptedTextField(_("goals agreed together"), max_length=4000, blank=True)
    terms = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supervision agreement")
        verbose_name_plural = _("supervision agreements")

    def __str__(self):
        return f"Agreement #{self.pk}"


class AgreementAcknowledgement(models.Model):
    """Who acknowledged which version of an agreement, and when: a participant, or the
    supervisor (``by_supervisor``; an external supervisor has no user)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    version = models.PositiveIntegerField(_("version"))
    participant = models.ForeignKey(
        "tyonohjaus_plugin.EngagementParticipant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    by_supervisor = models.BooleanField(default=False)
    #: The account that acknowledged, when there was one (an internal supervisor, a participant).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"))

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["acknowledged_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=True, by_supervisor=True)
                | models.Q(participant__isnull=False, by_supervisor=False),
                name="tyonohjaus_acknowledgement_one_person",
            ),
            models.UniqueConstraint(
                fields=["agreement", "version", "participant"],
                condition=models.Q(participant__isnull=False),
                name="tyonohjaus_acknowledgement_once_per_participant",
            ),
            models.UniqueConstraint(
                fields=["agreement", "version"],
                condition=models.Q(by_supervisor=True),
                name="tyonohjaus_acknowledgement_once_by_supervisor",
            ),
        ]

    def __str__(self):
        return f"Acknowledgement #{self.pk}"
