"""When a room is open: its own opening hours and, for pupils, school time.

School time is Monday to Friday during the hours of `PREAU_CHAT_SCHOOL_HOURS` (Wednesday has
its own, `PREAU_CHAT_WEDNESDAY_HOURS`: the morning by default), outside the school holidays
of the académie's zone (`vacances_scolaires_france`) and the public holidays (`holidays`).
Every function takes the moment it is asked about, so that tests pin dates and nothing
here reads the clock.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from preau.core.school_calendar import is_public_holiday, is_school_holiday

Window = tuple[datetime.time, datetime.time]
# How far ahead `next_opening` looks: beyond the summer holidays.
LOOKAHEAD_DAYS = 75
# "23:59" as a closing time means until midnight: a room can be open all day.
END_OF_DAY = datetime.time(23, 59)


def parse_hours(text: str) -> Window | None:
    """ "08:00-17:00" → (8:00, 17:00); "" → None (no hours at all)."""
    if not text.strip():
        return None
    start, end = (datetime.time.fromisoformat(part.strip()) for part in text.split("-"))
    return start, end


def is_holiday(day: datetime.date, zone: str) -> bool:
    """A school holiday of `zone` (A, B or C) or a public holiday."""
    return is_public_holiday(day) or is_school_holiday(day, zone)


def school_hours(day: datetime.date, zone: str) -> Window | None:
    """The school hours of `day` in the holiday zone `zone`, or None when there is no school."""
    if day.weekday() >= 5 or is_holiday(day, zone):
        return None
    if day.weekday() == 2:
        return parse_hours(settings.PREAU_CHAT_WEDNESDAY_HOURS)
    return parse_hours(settings.PREAU_CHAT_SCHOOL_HOURS)


def is_school_time(moment: datetime.datetime, zone: str) -> bool:
    local = timezone.localtime(moment)
    hours = school_hours(local.date(), zone)
    return hours is not None and hours[0] <= local.time() < hours[1]


def room_window(room, day: datetime.date, *, pupil: bool) -> Window | None:
    """When `room` is open on `day`: its hours, narrowed to school time for a pupil."""
    if str(day.isoweekday()) not in room.days:
        return None
    start, end = room.opens_at, room.closes_at
    if pupil and settings.PREAU_CHAT_PUPILS_IN_SCHOOL_TIME_ONLY:
        hours = school_hours(day, room.academie.holiday_zone)
        if hours is None:
            return None
        start, end = max(start, hours[0]), min(end, hours[1])
    return (start, end) if start < end else None


def _within(window: Window, moment: datetime.time) -> bool:
    start, end = window
    return start <= moment and (moment < end or end == END_OF_DAY)


def is_room_open(room, moment: datetime.datetime, *, pupil: bool) -> bool:
    """Whether the opening hours (and school time, for a pupil) let one in at `moment`."""
    local = timezone.localtime(moment)
    window = room_window(room, local.date(), pupil=pupil)
    return window is not None and _within(window, local.time())


def next_opening(room, after: datetime.datetime, *, pupil: bool) -> datetime.datetime | None:
    """The next moment after `after` when the room opens, or None within the lookahead."""
    local = timezone.localtime(after)
    for offset in range(LOOKAHEAD_DAYS):
        day = local.date() + datetime.timedelta(days=offset)
        window = room_window(room, day, pupil=pupil)
        if window is None or (offset == 0 and window[0] <= local.time()):
            continue
        return timezone.make_aware(datetime.datetime.combine(day, window[0]))
    return None


def time_label(moment: datetime.time) -> str:
    return time_format(moment, "G\\hi") if moment != END_OF_DAY else _("minuit")


def hours_label(room) -> str:
    """ "lundi, mardi, jeudi, vendredi, de 8h30 à 16h30" — the opening hours in words."""
    days = ", ".join(str(WEEKDAYS[number - 1]) for number in room.day_numbers)
    if not days:
        return _("aucun jour d'ouverture")
    return _("%(days)s, de %(start)s à %(end)s") % {
        "days": days,
        "start": time_label(room.opens_at),
        "end": time_label(room.closes_at),
    }
