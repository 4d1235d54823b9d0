from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail.search import index


class Provider(TranslatableMixin, index.Indexed, models.Model):
    """Who offers a service ("This service is offered by …"), with how to reach them."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("short description"), max_length=500, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contact page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_url = models.URLField(
        _("external contact page"),
        blank=True,
        help_text=_("Used when the contact page is not on this site."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("contact_page"),
                FieldPanel("contact_url"),
            ],
            heading=_("Contact"),
        ),
    ]

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def contact_link(self) -> str:
        """URL of the provider's contact page, internal first; empty if there is none."""
        if self.contact_page_id:
            page = self.contact_page.localized  # the version in the visitor's language, if live
            if page.live:
                return page.url or ""
        return self.contact_url


class Theme(TranslatableMixin, models.Model):
    """A theme an applicant can pick (e.g. "change at work"); HR edits the list."""

    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("active"), FieldPanel("sort_order")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class PrivacyNotice(TranslatableMixin, models.Model):
    """The confidentiality and privacy notice applicants accept; each version is kept.

    Applications store the version they accepted. Publish a change as a new version rather than
    editing an accepted one.
    """

    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(_("text"), features=["bold", "italic", "link", "ul", "ol"])
    effective_from = models.DateField(_("effective from"))

    panels = [
        FieldPanel("version"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("effective_from"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "locale"], name="tyonohjaus_privacy_notice_version_per_locale"
            )
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"
