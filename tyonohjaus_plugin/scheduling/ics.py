"""iTIP (RFC 5546) invitations and cancellations for one meeting, built with `icalendar`.

Times are written as local wall time with TZID plus a generated VTIMEZONE, so calendar clients
show 14:00 Helsinki time and keep it when DST changes, instead of a bare UTC instant. Output is
byte-for-byte stable for equal input except DTSTAMP, which the caller can fix with `stamp`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress

PRODID = "-//tyonohjaus-plugin//Meetings//EN"


@dataclass(frozen=True)
class Invite:
    uid: str  # stable per meeting, e.g. "meeting-12@tyonohjaus.example.org"
    sequence: int  # 0 at first send, +1 on each change
    starts_at: datetime  # aware UTC
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    organizer: tuple[str, str] | None = None  # (email, display name)
    attendees: tuple[tuple[str, str], ...] = ()  # (email, display name)
    alarm_minutes: int | None = None  # VALARM DISPLAY this many minutes before
    timezone: str = "Europe/Helsinki"


def invitation(invite: Invite, *, stamp: datetime | None = None) -> bytes:
    """METHOD:REQUEST with STATUS:CONFIRMED: a new meeting or an update (higher sequence)."""
    return _calendar(invite, "REQUEST", "CONFIRMED", stamp, with_alarm=True)


def cancellation(invite: Invite, *, stamp: datetime | None = None) -> bytes:
    """METHOD:CANCEL with STATUS:CANCELLED; pass a sequence above the last one sent.

    No VALARM: the client removes the event, so a reminder for it would be noise.
    """
    return _calendar(invite, "CANCEL", "CANCELLED", stamp, with_alarm=False)


def _address(email: str, name: str, **params) -> vCalAddress:
    # vCalAddress.new adds "mailto:" and quotes CN, so names with commas or ä/ö/å survive.
    return vCalAddress.new(email, cn=name or None, **params)


def _calendar(
    invite: Invite, method: str, status: str, stamp: datetime | None, *, with_alarm: bool
) -> bytes:
    for name in ("starts_at", "ends_at"):
        if getattr(invite, name).tzinfo is None:
            # A naive value would be written as "floating" time, read in each client's own zone.
            raise ValueError(f"Invite.{name} must be timezone-aware")
    if invite.ends_at <= invite.starts_at:
        raise ValueError("Invite.ends_at must be after starts_at")
    if invite.alarm_minutes is not None and invite.alarm_minutes < 0:
        raise ValueError("Invite.alarm_minutes must not be negative")
    zone = ZoneInfo(invite.timezone)
    start = invite.starts_at.astimezone(zone)
    end = invite.ends_at.astimezone(zone)
    event = Event.new(
        uid=invite.uid,
        sequence=invite.sequence,
        stamp=(stamp or datetime.now(UTC)).astimezone(UTC),
        start=start,
        end=end,
        summary=invite.summary,
        description=invite.description or None,
        location=invite.location or None,
        status=status,
        organizer=_address(*invite.organizer) if invite.organizer else None,
        attendees=[
            _address(email, name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=False)
            for email, name in invite.attendees
        ],
    )
    if with_alarm and invite.alarm_minutes is not None:
        event.add_component(
            Alarm.new_display(invite.summary, timedelta(minutes=-invite.alarm_minutes))
        )
    # Not Calendar.new(): it adds a random calendar UID, which would break stable output.
    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.method = method
    calendar.add_component(event)
    # The default VTIMEZONE spans 1970-2038 and ends before later meetings; the years of the
    # meeting itself keep it short, correct and still deterministic.
    calendar.add_missing_timezones(
        first_date=date(start.year, 1, 1), last_date=date(end.year + 1, 1, 1)
    )
    return calendar.to_ical()
