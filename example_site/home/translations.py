"""Language versions of a page for the switcher, cached per translation set.

A page view then pays no query for the switcher; publishing, unpublishing, moving or deleting any
version clears the entry (receivers connected in ``apps.py``).
"""

from django.core.cache import cache
from wagtail.models import Page

CACHE_TIMEOUT = 60 * 60


def _cache_key(translation_key) -> str:
    return f"home:translations:{translation_key}"


def get_language_versions(page, request=None) -> list[dict]:
    key = _cache_key(page.translation_key)
    versions = cache.get(key)
    if versions is None:
        versions = [
            {
                "pk": translation.pk,
                "language_code": translation.locale.language_code,
                "name": translation.locale.get_display_name(),
                "url": translation.get_url(request),
            }
            for translation in page.get_translations(inclusive=True)
            .live()
            .select_related("locale")
            .order_by("locale_id")
        ]
        cache.set(key, versions, CACHE_TIMEOUT)
    return versions


def clear_language_versions(sender=None, instance=None, **kwargs):
    if isinstance(instance, Page):
        cache.delete(_cache_key(instance.translation_key))
