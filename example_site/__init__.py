"""The example intranet: a Wagtail site with the plugin installed, configured by environment."""

import os

#: DJANGO_ENV -> settings module. manage.py and wsgi.py both choose through ``settings_module``,
#: so web processes and qcluster workers on one machine always run the same settings.
ENVIRONMENTS = {
    "production": "example_site.settings.production",
    "dev": "example_site.settings.dev",
}


def settings_module() -> str:
    """The settings module for ``DJANGO_ENV``. Unset, it is derived from the environment the same
    way for web and workers: ``production`` where a ``SECRET_KEY`` is given (a deployment's
    environment file), ``dev`` in a bare checkout (``manage.py makemigrations`` just works).
    Deployments set it explicitly (deploy/tyonohjaus.env.example, the Containerfile)."""
    name = os.environ.get("DJANGO_ENV", "").strip().lower()
    if not name:
        name = "production" if os.environ.get("SECRET_KEY") else "dev"
    if name not in ENVIRONMENTS:
        raise SystemExit(f"DJANGO_ENV must be one of {', '.join(ENVIRONMENTS)}, not {name!r}.")
    return ENVIRONMENTS[name]
