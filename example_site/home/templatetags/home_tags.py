from django import template

from example_site.home.translations import get_language_versions

register = template.Library()


@register.simple_tag(takes_context=True)
def page_translations(context, page):
    """Live language versions of ``page`` (itself included) for the language switcher."""
    return get_language_versions(page, context.get("request"))
