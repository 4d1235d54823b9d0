"""How screens, exports and messages name a person, including one who is no longer there."""

from django.utils.translation import gettext_lazy as _

#: Shown where an anonymised or erased person was.
ANONYMISED = _("Anonymised")


def person_name(user) -> str:
    if user is None:
        return str(ANONYMISED)
    return user.get_full_name() or user.get_username()


def deciders_of_times():
    """Ids of HR who may decide an engagement's first meeting time (``change_engagement``) and
    can be e-mailed: told when the time is not agreed."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    perm = Q(user_permissions__codename="change_engagement") | Q(
        groups__permissions__codename="change_engagement"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(perm | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
        .values_list("pk", flat=True)
    )
