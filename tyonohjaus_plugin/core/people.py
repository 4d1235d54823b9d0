"""How screens, exports and messages name a person, including one who is no longer there."""

from django.utils.translation import gettext_lazy as _

#: Shown where an anonymised or erased person was.
ANONYMISED = _("Anonymised")


def person_name(user) -> str:
    if user is None:
        return str(ANONYMISED)
    return user.get_full_name() or user.get_username()
