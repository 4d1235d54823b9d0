from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmployeeProfile(models.Model):
    """What the plugin needs to know about an employee beyond the user account.

    Filled by the resolver named in ``TYONOHJAUS_PLUGIN["EMPLOYEE_PROFILE_RESOLVER"]``, so a site
    can take the unit from its SSO or directory. The unit keeps supervisors from their own unit.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="tyonohjaus_profile",
    )
    unit_code = models.CharField(_("organisational unit code"), max_length=50, blank=True)
    unit_name = models.CharField(_("organisational unit"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("employee profile")
        verbose_name_plural = _("employee profiles")

    def __str__(self):
        return f"Profile #{self.pk}"
