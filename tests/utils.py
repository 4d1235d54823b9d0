"""Builders shared by the tests."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import Page

from tyonohjaus_plugin.models import ServicePage
from tyonohjaus_plugin.pages.blocks import list_block_data
from tyonohjaus_plugin.permissions import APP_LABEL, ROLES

HELSINKI = ZoneInfo("Europe/Helsinki")
PUBLISHED_AT = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=HELSINKI)
UPDATED_AT = datetime.datetime(2026, 10, 14, 15, 0, tzinfo=HELSINKI)

BODY = [
    {"type": "heading", "value": {"text": "Mihin työnohjaus auttaa?", "level": "h2"}},
    {"type": "paragraph", "value": "<p>Ratkaisukeskeistä <b>keskustelua</b>.</p>"},
    {
        "type": "bullet_list",
        "value": {"intro": "Tavoitteita:", "items": list_block_data(["jaksaminen", "ajankäyttö"])},
    },
    {"type": "notice", "value": {"kind": "important", "text": "<p>Luottamuksellista.</p>"}},
    {
        "type": "facts",
        "value": {
            "heading": "Lyhyesti",
            "facts": list_block_data(
                [
                    {"label": "Ryhmäkoko", "value": "2–4"},
                    {"label": "Tapaamiset", "value": "3–5 × 1–1,5 h"},
                ]
            ),
        },
    },
    {
        "type": "external_link",
        "value": {
            "url": "https://example.org/etiikka",
            "text": "Eettiset periaatteet",
            "description": "",
        },
    },
]


def make_service_page(parent: Page, *, dates=(PUBLISHED_AT, UPDATED_AT), **fields) -> ServicePage:
    """Create and publish a service page under ``parent``; pin its dates for stable assertions."""
    fields.setdefault("title", "Työnohjaus")
    fields.setdefault("slug", "tyonohjaus")
    fields.setdefault("lead", "Luottamuksellista tukea omaan työhön.")
    fields.setdefault("body", BODY)
    page = ServicePage(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return set_dates(page, *dates)


def set_dates(page, published_at, updated_at):
    type(page).objects.filter(pk=page.pk).update(
        first_published_at=published_at, last_published_at=updated_at
    )
    page.refresh_from_db()
    return page


def translate_page(page, locale, **fields):
    """A translation of ``page`` in ``locale`` with its own field values, published."""
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return set_dates(translation, page.first_published_at, page.last_published_at)


def final_status(client, response):
    """Django's LocaleMiddleware answers a 404 outside i18n_patterns with a redirect to the
    language-prefixed path (the site's catch-all page route matches it); follow that one hop."""
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith("/fi/admin/"):
        return client.get(location).status_code
    return response.status_code


def role_permissions(role, *, models=None):
    """The permissions of ``role`` in ``tyonohjaus_plugin.permissions.ROLES``.

    ``models`` (plugin model names, e.g. ``["application"]``) keeps of the plugin's permissions
    only those on these models; permissions of other apps (admin access) stay. A test that needs
    less than the whole role says so with it.
    """
    wanted = set(ROLES[role])
    query = Q(pk__in=[])
    for name in wanted:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    permissions = Permission.objects.filter(query).select_related("content_type")
    found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
    if missing := wanted - found:
        raise LookupError(f"ROLES[{role!r}] names unknown permissions: {sorted(missing)}")
    if models is not None:
        permissions = permissions.exclude(
            Q(content_type__app_label=APP_LABEL) & ~Q(content_type__model__in=models)
        )
    return permissions


def group_for(role, *, models=None, name=None):
    """A new group with the permissions of ``role`` (see ``role_permissions``)."""
    group = Group.objects.create(name=name or f"Test {role}")
    group.permissions.add(*role_permissions(role, models=models))
    return group


#: A complete individual application in Finnish: the least a valid POST to the form carries.
APPLICATION_FORM = {
    "format": "individual",
    "languages": ["fi"],
    "situation": "Oma tilanne",
    "goals": "Omat tavoitteet",
    "supervisor_preference": "none",
    "consent": "on",
}


def admin_in(user, language: str):
    """``user`` sees the admin in ``language`` (Wagtail's preferred language; fi otherwise)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user
