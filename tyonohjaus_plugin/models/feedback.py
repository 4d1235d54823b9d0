from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Longest comment accepted; enforced by the form and by a database constraint.
COMMENT_MAX_LENGTH = 1000


class FeedbackResponseQuerySet(models.QuerySet):
    def totals(self):
        return self.aggregate(
            responses=models.Count("pk"),
            yes=models.Count("pk", filter=models.Q(found_information=True)),
        )


class FeedbackResponse(models.Model):
    """One anonymous answer to "Did you find the information you needed?".

    Anonymous by design: no user, IP address, session key or user agent is stored, and the time
    is kept as a date only.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        verbose_name=_("language"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_information = models.BooleanField(_("found the information"))
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_on = models.DateField(_("date"), default=timezone.localdate, db_index=True)

    objects = FeedbackResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")
        ordering = ["-created_on", "-pk"]
        default_permissions = ("view", "delete")
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), COMMENT_MAX_LENGTH),
                name="tyonohjaus_feedback_comment_length",
            )
        ]
        indexes = [models.Index(fields=["page", "created_on"], name="tyonohjaus_feedback_page")]

    def __str__(self):
        # Non-identifying: this string may end up in logs.
        return f"Feedback #{self.pk}"

    @property
    def answer_label(self) -> str:
        return str(_("Yes") if self.found_information else _("No"))
