"""Who an employee is: organisational unit and preferred language, from a pluggable resolver.

``TYONOHJAUS_PLUGIN["EMPLOYEE_PROFILE_RESOLVER"]`` names a function ``(user) -> dict | None``
returning ``unit_code``, ``unit_name`` and ``preferred_language`` (any may be missing), e.g. from
the site's SSO claims or directory. The default keeps whatever the profile already holds.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.models import EmployeeProfile

PROFILE_FIELDS = ("unit_code", "unit_name", "preferred_language")


def default_profile_resolver(user) -> dict | None:
    return None


def get_employee_profile(user) -> EmployeeProfile:
    """The user's profile, refreshed from the resolver when it returns values."""
    resolver = import_string(plugin_settings.EMPLOYEE_PROFILE_RESOLVER)
    values = {key: value for key, value in (resolver(user) or {}).items() if key in PROFILE_FIELDS}
    profile, created = EmployeeProfile.objects.get_or_create(user=user, defaults=values)
    changed = [key for key, value in values.items() if getattr(profile, key) != value]
    if changed and not created:
        for key in changed:
            setattr(profile, key, values[key])
        profile.save(update_fields=[*changed, "updated_at"])
    return profile
