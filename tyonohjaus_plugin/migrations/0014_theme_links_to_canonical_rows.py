"""Re-point theme links of applications and supervisors at each translation key's canonical row.

Before, an application linked to the theme rows of the language it was submitted in, so reading
or editing it in another language lost its themes. Now every link points at the canonical row
(the default locale's row, or the oldest row of a key without one: ``ThemeCatalogue``).
"""

from django.conf import settings
from django.db import migrations


def canonical_rows(Theme, Locale):
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    canonical = {}
    for pk, key, locale_id in Theme.objects.order_by("pk").values_list(
        "pk", "translation_key", "locale_id"
    ):
        if key not in canonical or (default is not None and locale_id == default.pk):
            canonical[key] = pk
    return {
        pk: canonical[key] for pk, key in Theme.objects.values_list("pk", "translation_key")
    }


def repoint(apps, schema_editor):
    Theme = apps.get_model("tyonohjaus_plugin", "Theme")
    Locale = apps.get_model("wagtailcore", "Locale")
    target = canonical_rows(Theme, Locale)
    for model_name, owner in (("Application", "application_id"), ("Supervisor", "supervisor_id")):
        through = apps.get_model("tyonohjaus_plugin", model_name).themes.through
        links = list(through.objects.values_list("pk", owner, "theme_id"))
        kept, stale = set(), []
        for pk, owner_id, theme_id in links:
            if target.get(theme_id, theme_id) == theme_id:
                kept.add((owner_id, theme_id))
        for pk, owner_id, theme_id in links:
            canonical = target.get(theme_id, theme_id)
            if canonical == theme_id:
                continue
            stale.append(pk)
            if (owner_id, canonical) not in kept:
                kept.add((owner_id, canonical))
                through.objects.create(**{owner: owner_id, "theme_id": canonical})
        through.objects.filter(pk__in=stale).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tyonohjaus_plugin", "0013_round_name_translations"),
    ]

    operations = [migrations.RunPython(repoint, migrations.RunPython.noop, elidable=True)]
