"""Signed, self-expiring links: co-applicant invitations, evaluations, supervisor access.

The token holds only the participant row's id and a timestamp, signed with the site's secret;
it is checked again against the logged-in user, so a forwarded link is useless to others.
"""

from django.core import signing

from tyonohjaus_plugin.conf import plugin_settings

SALT = "tyonohjaus_plugin.invitation"


def make_invitation_token(participant) -> str:
    return signing.dumps({"p": participant.pk}, salt=SALT, compress=True)


def read_invitation_token(token: str) -> int | None:
    """The participant id, or ``None`` for a tampered or expired token."""
    max_age = plugin_settings.INVITATION_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        return int(signing.loads(token, salt=SALT, max_age=max_age)["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


EVALUATION_SALT = "tyonohjaus_plugin.evaluation"


def make_evaluation_token(participant) -> str:
    """The end-evaluation link of one engagement participant (checked against the login too)."""
    return signing.dumps({"e": participant.pk}, salt=EVALUATION_SALT, compress=True)


def read_evaluation_token(token: str) -> int | None:
    max_age = plugin_settings.EVALUATION_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        return int(signing.loads(token, salt=EVALUATION_SALT, max_age=max_age)["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


FIRST_MEETING_SALT = "tyonohjaus_plugin.first_meeting"


def make_first_meeting_token(participant) -> str:
    """The "after the first meeting" link of one engagement participant (checked against the
    login too)."""
    return signing.dumps({"f": participant.pk}, salt=FIRST_MEETING_SALT, compress=True)


def read_first_meeting_token(token: str) -> int | None:
    # As long as an evaluation link: both ask one answer of a participant.
    max_age = plugin_settings.EVALUATION_MAX_AGE_DAYS * 24 * 60 * 60
    try:
        return int(signing.loads(token, salt=FIRST_MEETING_SALT, max_age=max_age)["f"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


SUPERVISOR_SALT = "tyonohjaus_plugin.supervisor_portal"


def make_supervisor_token(supervisor) -> str:
    """An external supervisor's personal access link: their id and the link generation, signed.

    Raising ``supervisor.link_generation`` (HR's "Revoke all access links") makes every token
    made before useless; ``SUPERVISOR_LINK_DAYS`` ends each one anyway.
    """
    return signing.dumps(
        {"s": supervisor.pk, "g": supervisor.link_generation}, salt=SUPERVISOR_SALT, compress=True
    )


def read_supervisor_token(token: str) -> tuple[int, int] | None:
    """``(supervisor id, link generation)``, or ``None`` for a tampered or expired token (the
    generation is the caller's to compare with the supervisor's)."""
    max_age = plugin_settings.SUPERVISOR_LINK_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=SUPERVISOR_SALT, max_age=max_age)
        return int(data["s"]), int(data["g"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
