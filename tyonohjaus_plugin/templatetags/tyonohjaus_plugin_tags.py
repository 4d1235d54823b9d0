"""Pieces of a service page that a site's own templates can place anywhere."""

from django import template

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
