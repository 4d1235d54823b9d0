from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.coreutils import get_supported_content_language_variant
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


@dataclass(frozen=True)
class ThemeEntry:
    """One theme across its translations: ``key`` is its translation key (what forms and filters
    submit), ``pk`` its canonical row (what applications and supervisors link to), ``name`` the
    name in the active language."""

    key: str
    pk: int
    name: str
    active: bool
    sort_order: int


class ThemeCatalogue:
    """Every theme once per translation key, named in the active language.

    The canonical row of a translation key is its row in the default locale, or, for a theme not
    (yet) translated into it, its oldest row. Links always point at the canonical row, and every
    reader goes through the translation key, so an application keeps its themes whichever
    language it is read or edited in. The name falls back to the canonical row's. Whether a theme
    is offered follows the canonical row's ``active``. Themes are a short list: one query.
    """

    def __init__(self):
        # The languages as ``Locale.get_default()``/``get_active()`` find them, without their
        # two queries: the locales come with the rows.
        default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        try:
            active = get_supported_content_language_variant(translation.get_language())
        except LookupError:
            active = default
        rows = Theme.objects.order_by("pk").values_list(
            "pk", "translation_key", "locale__language_code", "name", "active", "sort_order"
        )
        canonical, names, self.key_of = {}, {}, {}
        for pk, key, language, name, active_flag, sort_order in rows:
            key = str(key)
            self.key_of[pk] = key
            if key not in canonical or language == default:
                canonical[key] = (pk, name, active_flag, sort_order)
            if language == active:
                names[key] = name
        self.entries = {}
        for key, (pk, name, active, sort_order) in canonical.items():
            self.entries[key] = ThemeEntry(key, pk, names.get(key, name), active, sort_order)

    def ordered(self, keys=None):
        entries = self.entries.values() if keys is None else self.of_keys(keys)
        return sorted(entries, key=lambda e: (e.sort_order, e.name.casefold(), e.key))

    def of_keys(self, keys):
        return [self.entries[key] for key in dict.fromkeys(map(str, keys)) if key in self.entries]

    def choices(self, *, including=(), everything=False):
        """``(translation key, name)`` of the themes on offer, plus ``including`` (an
        application's own themes stay choosable after HR retires them)."""
        including = {str(key) for key in including}
        return [
            (entry.key, entry.name)
            for entry in self.ordered()
            if everything or entry.active or entry.key in including
        ]

    def canonical_ids(self, keys):
        """The canonical rows of ``keys`` (unknown keys are left out)."""
        return [entry.pk for entry in self.of_keys(keys)]

    def keys_of(self, themes):
        """Translation keys of theme rows (or their ids), whichever locale they are in."""
        return [
            self.key_of[theme if isinstance(theme, int) else theme.pk]
            for theme in themes
            if (theme if isinstance(theme, int) else theme.pk) in self.key_of
        ]

    def names(self, themes):
        """Names of theme rows in the active language, in the catalogue's order."""
        return [entry.name for entry in self.ordered(self.keys_of(themes))]


class Theme(TranslatableMixin, models.Model):
    """A theme an applicant can pick (e.g. "change at work"); HR edits the list.

    Applications and supervisors link to the canonical row of each translation key and read
    themes through ``ThemeCatalogue`` (see there).
    """

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
