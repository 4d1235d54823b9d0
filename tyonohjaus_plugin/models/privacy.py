"""What data protection leaves behind: a record of each anonymisation run and a tombstone per
erased person (ids only, never a name), so a restored backup can replay the erasures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnonymisationTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Scheduled job")
    COMMAND = "command", _("Management command")


class AnonymisationRun(models.Model):
    """One run of the retention job that changed something: the object its audit entry points
    at. ``counts`` holds numbers per data class, nothing else."""

    trigger = models.CharField(_("started by"), max_length=20, choices=AnonymisationTrigger.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: The instant the policy was applied at (``--now`` moves it for a rehearsal).
    policy_now = models.DateTimeField(_("policy time"))
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("anonymisation run")
        verbose_name_plural = _("anonymisation runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Anonymisation run #{self.pk}"


class ErasureTombstone(models.Model):
    """A person whose data HR erased on request: the user id and when, nothing else.

    Kept outside the retention policy (it holds no personal data beyond an id) and exported with
    ``manage.py tyonohjaus_tombstones export``: after restoring a backup, ``replay`` erases again
    what the backup still holds of these people, as it stood at ``erased_at``.
    """

    user_id = models.PositiveBigIntegerField(_("user id"), unique=True)
    erased_at = models.DateTimeField(_("erased at"))

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-pk"]
        permissions = [
            ("erase_person", _("Can erase a person's data on request")),
            ("export_person_data", _("Can export a person's data")),
        ]

    def __str__(self):
        return f"Erasure #{self.pk}"


class PersonDataExport(models.Model):
    """One export of a person's data by HR (subject access): the object its audit entry points
    at. It names no one: the entry's data holds the person's id and the format."""

    format = models.CharField(_("format"), max_length=10)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person data export")
        verbose_name_plural = _("person data exports")

    def __str__(self):
        return f"Person data export #{self.pk}"
