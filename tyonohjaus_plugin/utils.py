"""Finding service pages and checking Wagtail's page privacy outside Wagtail's own serve view."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from wagtail.models import Page, PageViewRestriction


@cache
def service_page_models() -> tuple[type[Page], ...]:
    """Every concrete page model built on ``ServicePageMixin`` (the plugin's and the site's)."""
    from .models import ServicePageMixin

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


def page_is_viewable(page: Page, request) -> bool:
    """Whether the request passes the view restrictions of the page and its ancestors.

    Wagtail applies page privacy only when it serves the page itself; the plugin's own views that
    act on a page call this. One query: ancestor paths are derived from the page's own path.
    """
    step = page.steplen
    ancestor_paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    restrictions = PageViewRestriction.objects.filter(page__path__in=ancestor_paths)
    return all(restriction.accept_request(request) for restriction in restrictions)
