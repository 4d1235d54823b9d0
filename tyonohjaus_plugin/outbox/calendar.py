"""A meeting as the pure ``scheduling.Invite``: who, when, and a title in the active language."""

from django.conf import settings
from django.utils.translation import gettext

from tyonohjaus_plugin.conf import plugin_settings
from tyonohjaus_plugin.core.emails import Recipient
from tyonohjaus_plugin.scheduling import Invite


def meeting_uid(meeting) -> str:
    # Stable for the meeting's life: calendar apps update the same event on every change.
    domain = settings.WAGTAILADMIN_BASE_URL.split("//")[-1].split("/")[0].split(":")[0]
    return f"tyonohjaus-meeting-{meeting.pk}@{domain or 'localhost'}"


def meeting_invite(meeting) -> Invite:
    """Call inside ``translation.override(recipient's language)``."""
    engagement = meeting.engagement
    supervisor = engagement.supervisor
    total = engagement.meetings.exclude(state="cancelled").count()
    people = [
        Recipient.for_user(participant.user)
        for participant in engagement.participants.select_related("user__tyonohjaus_profile")
        if participant.user is not None  # an erased member is no longer invited
    ]
    supervisor_contact = Recipient.for_supervisor(supervisor)
    alarm = plugin_settings.ICS_ALARM_MINUTES or None
    return Invite(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=gettext("Work supervision %(number)s/%(total)s")
        % {"number": meeting.number, "total": max(total, meeting.number)},
        description=gettext(
            "Work supervision with %(supervisor)s. The supervisor agrees the place or the "
            "video link with you."
        )
        % {"supervisor": supervisor.display_name},
        organizer=(supervisor_contact.email, supervisor_contact.name),
        attendees=tuple((person.email, person.name) for person in people if person.email),
        alarm_minutes=alarm,
    )
