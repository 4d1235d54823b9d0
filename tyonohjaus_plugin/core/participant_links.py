"""The signed link of a participant's engagement page (in the welcome message).

Like the other links (``core.tokens``): only the engagement participant's id and a timestamp,
signed with the site's secret, and checked again against the logged-in user, so a forwarded
link shows nothing to anyone else. Long-lived: the page is where the person follows the whole
engagement (``EVALUATION_MAX_AGE_DAYS``).
"""

from django.core import signing

from tyonohjaus_plugin.conf import plugin_settings

SALT = "tyonohjaus_plugin.supervision"


def make_supervision_token(participant) -> str:
    return signing.dumps({"s": participant.pk}, salt=SALT, compress=True)


def read_supervision_token(token: str) -> int | None:
    """The participant id, or ``None`` for a tampered or expired token."""
    max_age = plugin_settings.EVALUATION_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        return int(signing.loads(token, salt=SALT, max_age=max_age)["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
