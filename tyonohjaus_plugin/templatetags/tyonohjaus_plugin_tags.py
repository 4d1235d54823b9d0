"""Pieces of a service page that a site's own templates can place anywhere."""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe

from tyonohjaus_plugin.core.people import person_name

register = template.Library()


@register.inclusion_tag("tyonohjaus_plugin/includes/provider.html")
def tyonohjaus_provider(provider):
    """ "This service is offered by …" with the provider's contact details."""
    return {"provider": provider}


@register.inclusion_tag("tyonohjaus_plugin/includes/share.html", takes_context=True)
def tyonohjaus_share(context, page):
    """The Share control: the page's canonical URL, selectable, with a copy button under JS."""
    url = context.get("canonical_url")
    if not url:
        url = page.get_full_url(context.get("request"))
    return {"canonical_url": url}


@register.inclusion_tag("tyonohjaus_plugin/includes/page_dates.html")
def tyonohjaus_page_dates(page):
    """The published and last-updated dates in the active language's format."""
    return {
        "published_at": page.first_published_at,
        "updated_at": page.last_published_at,
    }


@register.filter
def tyonohjaus_admin_datetime(value):
    """A date and time as every plugin admin screen shows it: the admin user's language's
    ``SHORT_DATETIME_FORMAT`` in local time ("3.12.2026 16.00", "2026-12-03 16:00",
    "12/03/2026 4 p.m."). Wagtail's relative dates read badly for meetings ahead."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT")


@register.filter
def tyonohjaus_sentence(text):
    """A translated sentence whose last value already ends in a full stop ("… until 4 p.m.")
    keeps one stop, as English typesetting does, not "p.m..". Safe strings stay safe."""
    text = str(text) if not isinstance(text, SafeString) else text
    if text.endswith("..") and not text.endswith("..."):
        trimmed = text[:-1]
        return mark_safe(trimmed) if isinstance(text, SafeString) else trimmed  # noqa: S308
    return text


@register.filter
def tyonohjaus_person(user):
    """A person's name, or "Anonymised" where the retention job or an erasure removed them."""
    return person_name(user)
