"""The example intranet: a Wagtail site with the plugin installed, configured by environment."""

import os

#: DJANGO_ENV -> settings module. manage.py and wsgi.py both choose through ``settings_module``,
#: so web processes and qcluster workers on one machine always run the same settings.
ENVIRONMENTS = {
    "production": "example_site.settings.production",
    "dev": "example_site.settings.dev",
}


def settings_module() -> str:
    """The settings module for ``DJANGO_ENV`` (``production`` when unset: a machine that forgets
    the variable fails on the missing ``SECRET_KEY`` instead of running with DEBUG on)."""
    name = os.environ.get("DJANGO_ENV", "production").strip().lower() or "production"
    if name not in ENVIRONMENTS:
        raise SystemExit(f"DJANGO_ENV must be one of {', '.join(ENVIRONMENTS)}, not {name!r}.")
    return ENVIRONMENTS[name]
