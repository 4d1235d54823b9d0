from functools import cache

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.views import mark_personal
from tyonohjaus_plugin.pages.blocks import ServiceBodyBlock
from tyonohjaus_plugin.pages.panels import FeedbackSummaryPanel
from tyonohjaus_plugin.pages.sections import section_context


class ServicePageQuerySet(PageQuerySet):
    """Joins the provider, except where a caller defers it (``only()``/``defer()``).

    Wagtail loads a routed page through the default manager, so the join saves the page view a
    query; admin views that load a few columns with ``only()`` must not fail on the join.
    """

    def _without_provider_join(self):
        related = self.query.select_related
        if not isinstance(related, dict) or "provider" not in related:
            return self
        clone = self._chain()
        clone.query.select_related = {k: v for k, v in related.items() if k != "provider"} or False
        return clone

    def only(self, *fields):
        if not any(field == "provider" or field.startswith("provider__") for field in fields):
            return super(ServicePageQuerySet, self._without_provider_join()).only(*fields)
        return super().only(*fields)

    def defer(self, *fields):
        if "provider" in fields:
            return super(ServicePageQuerySet, self._without_provider_join()).defer(*fields)
        return super().defer(*fields)


class ServicePageManager(PageManager.from_queryset(ServicePageQuerySet)):
    def get_queryset(self):
        return super().get_queryset().select_related("provider")


class ServicePageMixin(models.Model):
    """Fields and behaviour of an HR service page, to put on a site's own page base class.

    Use it as ``class MyServicePage(ServicePageMixin, MyBasePage)`` and add
    ``ServicePageMixin.service_content_panels`` to the page's ``content_panels``. Override
    ``get_provider()`` or the template ``tyonohjaus_plugin/service_page.html`` (and its includes)
    to change how the page looks; later features plug into the template blocks
    ``tyonohjaus_feedback`` and ``tyonohjaus_application``.
    """

    lead = models.TextField(
        _("lead"),
        max_length=600,
        blank=True,
        help_text=_("One or two sentences shown under the title."),
    )
    body = StreamField(ServiceBodyBlock(), verbose_name=_("body"), blank=True)
    provider = models.ForeignKey(
        "tyonohjaus_plugin.Provider",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_('Shown as "This service is offered by …" with its contact details.'),
    )

    applications_enabled = models.BooleanField(
        _("show the application section"),
        default=False,
        help_text=_("Employees can apply on this page while a round is open."),
    )
    allow_off_round = models.BooleanField(
        _("allow applications between rounds"),
        default=True,
        help_text=_("Outside a round, employees can still apply with a short justification."),
    )
    feedback_enabled = models.BooleanField(
        _("show the feedback prompt"),
        default=True,
        help_text=_(
            'Asks readers "Did you find the information you needed?" at the end of the page.'
        ),
    )
    feedback_question = models.CharField(
        _("feedback question"),
        max_length=200,
        blank=True,
        help_text=_('Leave empty for "Did you find the information you needed?".'),
    )
    feedback_contact_text = models.CharField(
        _("text after a no"),
        max_length=300,
        blank=True,
        help_text=_(
            'Shown with the provider\'s contact details after "No". Leave empty for '
            '"If not, please contact us."'
        ),
    )
    feedback_thanks = models.CharField(
        _("thank-you text"),
        max_length=300,
        blank=True,
        help_text=_('Leave empty for "Thank you for your feedback!".'),
    )

    service_content_panels = [
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("provider"),
        MultiFieldPanel(
            [FieldPanel("applications_enabled"), FieldPanel("allow_off_round")],
            heading=_("Applications"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("feedback_enabled"),
                FieldPanel("feedback_question"),
                FieldPanel("feedback_contact_text"),
                FieldPanel("feedback_thanks"),
                FeedbackSummaryPanel(),
            ],
            heading=_("Feedback prompt"),
            classname="collapsed",
        ),
    ]
    service_search_fields = [index.SearchField("lead"), index.SearchField("body")]

    template = "tyonohjaus_plugin/service_page.html"

    objects = ServicePageManager()

    class Meta:
        abstract = True

    def get_provider(self):
        """The provider in this page's language, or the chosen one if it has no translation."""
        provider = self.provider
        if provider is None or provider.locale_id == self.locale_id:
            return provider
        translated = (
            type(provider)
            .objects.filter(translation_key=provider.translation_key, locale_id=self.locale_id)
            .first()
        )
        return translated or provider

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Signed in, the page shows the person's own applications (and their form on a 400).
        if request.user.is_authenticated:
            mark_personal(response)
        return response

    def get_application_context(self, request, form=None):
        """Context of the application section; override to change who may apply and how."""
        return section_context("application", self, request, form=form)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tyonohjaus_base_template"] = plugin_settings.BASE_TEMPLATE
        context["provider"] = self.get_provider()
        context["show_share_control"] = plugin_settings.SHOW_SHARE_CONTROL
        context["canonical_url"] = self.get_full_url(request)
        context["feedback"] = section_context(
            "feedback", self, request, form=kwargs.get("feedback_form")
        )
        context["application"] = self.get_application_context(
            request, form=kwargs.get("application_form")
        )
        return context


class ServicePage(ServicePageMixin, Page):  # noqa: DJ008 (Page has __str__)
    """A ready-made HR service page (e.g. työnohjaus)."""

    content_panels = Page.content_panels + ServicePageMixin.service_content_panels
    search_fields = Page.search_fields + ServicePageMixin.service_search_fields

    class Meta:
        verbose_name = _("service page")
        verbose_name_plural = _("service pages")


def service_choices():
    """One choice per service (translation set), labelled with its title in the active language
    (the admin user's), else in the default language, else its oldest title."""
    default_pk, active_pk = Locale.get_default().pk, Locale.get_active().pk
    rank = {active_pk: 0, default_pk: 1}
    titles = {}
    for model in service_page_models():
        for key, title, locale_id in model.objects.values_list(
            "translation_key", "title", "locale_id"
        ).order_by("pk"):
            if key not in titles or rank.get(locale_id, 2) < titles[key][0]:
                titles[key] = (rank.get(locale_id, 2), title)
    return sorted(((str(key), title) for key, (_rank, title) in titles.items()), key=lambda c: c[1])


@cache
def service_page_models() -> tuple[type[Page], ...]:
    """Every concrete page model built on ``ServicePageMixin`` (the plugin's and the site's)."""
    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, ServicePageMixin) and issubclass(model, Page)
    )


def get_live_service_page(page_id: int, **filters):
    """The live service page with this id (specific instance), or ``None``. Usually one query."""
    for model in service_page_models():
        page = model.objects.live().filter(pk=page_id, **filters).first()
        if page is not None:
            return page
    return None
