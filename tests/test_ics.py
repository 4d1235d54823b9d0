"""iCalendar invitations and cancellations, parsed back with icalendar. No database."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tyonohjaus_plugin.scheduling import Invite, cancellation, invitation

HELSINKI = ZoneInfo("Europe/Helsinki")
STAMP = datetime(2027, 2, 1, 9, 15, tzinfo=UTC)
INVITE = Invite(
    uid="meeting-12@tyonohjaus.example.org",
    sequence=0,
    starts_at=datetime(2027, 3, 8, 12, tzinfo=UTC),  # 14:00 EET
    ends_at=datetime(2027, 3, 8, 13, 30, tzinfo=UTC),
    summary="Työnohjaus 1/4",
    description="Ensimmäinen tapaaminen.",
    location="Kokoushuone Saimaa",
    organizer=("ohjaaja@example.org", "Aino Äänismaa"),
    attendees=(("asiakas@example.org", "Åke Öberg"), ("toinen@example.org", "Eeva Äänismaa")),
)


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.events
    return calendar, event


def test_invitation_is_a_confirmed_request():
    data = invitation(INVITE, stamp=STAMP)
    calendar, event = parse(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"].startswith("-//")
    assert calendar.method == "REQUEST"
    assert event.status == "CONFIRMED"
    assert event.uid == "meeting-12@tyonohjaus.example.org"
    assert event.sequence == 0
    assert event.stamp == STAMP
    assert event.summary == "Työnohjaus 1/4"
    assert event.description == "Ensimmäinen tapaaminen."
    assert event.location == "Kokoushuone Saimaa"


def test_times_are_local_with_tzid_and_vtimezone():
    data = invitation(INVITE, stamp=STAMP)
    assert b"DTSTART;TZID=Europe/Helsinki:20270308T140000" in data
    assert b"DTEND;TZID=Europe/Helsinki:20270308T153000" in data
    calendar, event = parse(data)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Helsinki"]
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert event.start.time() == time(14)
    assert event.start.astimezone(UTC) == datetime(2027, 3, 8, 12, tzinfo=UTC)
    assert event.end.astimezone(UTC) == datetime(2027, 3, 8, 13, 30, tzinfo=UTC)


def test_summer_meeting_is_still_14_local():
    summer = replace(
        INVITE,
        starts_at=datetime(2027, 6, 1, 11, tzinfo=UTC),  # 14:00 EEST
        ends_at=datetime(2027, 6, 1, 12, 30, tzinfo=UTC),
    )
    data = invitation(summer, stamp=STAMP)
    assert b"DTSTART;TZID=Europe/Helsinki:20270601T140000" in data
    _, event = parse(data)
    assert event.start.astimezone(UTC) == datetime(2027, 6, 1, 11, tzinfo=UTC)


def test_vtimezone_itself_covers_the_meeting():
    # Read the VTIMEZONE's own rules (not the TZID lookup): the meeting's year must be in it,
    # including years after 2038, where icalendar's default range ends.
    late = replace(
        INVITE,
        starts_at=datetime(2040, 6, 5, 11, tzinfo=UTC),
        ends_at=datetime(2040, 6, 5, 12, 30, tzinfo=UTC),
    )
    calendar, _ = parse(invitation(late, stamp=STAMP))
    tz = calendar.timezones[0].to_tz(lookup_tzid=False)
    assert datetime(2040, 6, 5, 14, tzinfo=tz).utcoffset() == timedelta(hours=3)
    assert datetime(2040, 12, 5, 14, tzinfo=tz).utcoffset() == timedelta(hours=2)


def test_organizer_and_attendees_round_trip():
    _, event = parse(invitation(INVITE, stamp=STAMP))
    assert event.organizer == "mailto:ohjaaja@example.org"
    assert event.organizer.params["CN"] == "Aino Äänismaa"
    assert [str(a) for a in event.attendees] == [
        "mailto:asiakas@example.org",
        "mailto:toinen@example.org",
    ]
    assert [a.params["CN"] for a in event.attendees] == ["Åke Öberg", "Eeva Äänismaa"]
    for attendee in event.attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "FALSE"


def test_name_with_comma_survives():
    invite = replace(INVITE, organizer=("hr@example.org", "Äänismaa, Aino"))
    _, event = parse(invitation(invite, stamp=STAMP))
    assert event.organizer.params["CN"] == "Äänismaa, Aino"


def test_no_organizer_no_attendees_no_empty_properties():
    bare = replace(INVITE, organizer=None, attendees=(), description="", location="")
    data = invitation(bare, stamp=STAMP)
    for name in (b"ORGANIZER", b"ATTENDEE", b"DESCRIPTION", b"LOCATION"):
        assert name not in data


def test_text_with_newline_and_semicolon_round_trips():
    summary = "Työnohjaus; tapaaminen 2\nHuone 3, Kallio"
    description = "Rivi 1\nRivi 2; puolipiste, pilkku \\ kenoviiva"
    data = invitation(replace(INVITE, summary=summary, description=description), stamp=STAMP)
    # Escaped by the library: no raw newline inside a property, "\;" and "\n" on the wire.
    assert b"SUMMARY:Ty\xc3\xb6nohjaus\\; tapaaminen 2\\nHuone 3\\, Kallio" in data
    _, event = parse(data)
    assert event.summary == summary
    assert event.description == description


def test_alarm_only_when_requested():
    _, plain = parse(invitation(INVITE, stamp=STAMP))
    assert plain.walk("VALARM") == []
    data = invitation(replace(INVITE, alarm_minutes=15), stamp=STAMP)
    assert b"TRIGGER:-PT15M" in data
    _, event = parse(data)
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.TRIGGER == timedelta(minutes=-15)
    assert alarm["DESCRIPTION"] == INVITE.summary


def test_update_keeps_uid_and_raises_sequence():
    first = parse(invitation(INVITE, stamp=STAMP))[1]
    moved = replace(
        INVITE,
        sequence=1,
        starts_at=datetime(2027, 3, 9, 12, tzinfo=UTC),
        ends_at=datetime(2027, 3, 9, 13, 30, tzinfo=UTC),
    )
    second = parse(invitation(moved, stamp=STAMP + timedelta(days=1)))[1]
    assert second.uid == first.uid == INVITE.uid
    assert second.sequence == 1 > first.sequence
    assert second.start.date() != first.start.date()


def test_cancellation():
    invite = replace(INVITE, sequence=2, alarm_minutes=30)
    calendar, event = parse(cancellation(invite, stamp=STAMP))
    assert calendar.method == "CANCEL"
    assert event.status == "CANCELLED"
    assert event.uid == INVITE.uid
    assert event.sequence == 2
    assert event.walk("VALARM") == []
    assert [a.params["CN"] for a in event.attendees] == ["Åke Öberg", "Eeva Äänismaa"]
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Helsinki"]


def test_output_is_deterministic_apart_from_dtstamp():
    invite = replace(INVITE, alarm_minutes=10)
    assert invitation(invite, stamp=STAMP) == invitation(invite, stamp=STAMP)
    a = invitation(invite, stamp=STAMP).splitlines()
    b = invitation(invite, stamp=STAMP + timedelta(hours=1)).splitlines()
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    assert differing == [(b"DTSTAMP:20270201T091500Z", b"DTSTAMP:20270201T101500Z")]


def test_default_stamp_is_now_in_utc():
    before = datetime.now(UTC).replace(microsecond=0)
    _, event = parse(invitation(INVITE))
    assert before <= event.stamp <= datetime.now(UTC)
    assert event.stamp.utcoffset() == timedelta(0)


def test_local_stamp_is_written_in_utc():
    local = datetime(2027, 2, 1, 11, 15, tzinfo=HELSINKI)
    assert b"DTSTAMP:20270201T091500Z" in invitation(INVITE, stamp=local)


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": datetime(2027, 3, 8, 12)},
        {"ends_at": datetime(2027, 3, 8, 13, 30)},
        {"ends_at": datetime(2027, 3, 8, 12, tzinfo=UTC)},
        {"alarm_minutes": -5},
    ],
)
def test_invalid_invites_raise(changes):
    with pytest.raises(ValueError):
        invitation(replace(INVITE, **changes), stamp=STAMP)
