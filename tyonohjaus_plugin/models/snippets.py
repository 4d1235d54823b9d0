from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
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
