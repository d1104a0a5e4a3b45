"""School time and opening hours, at fixed moments of the calendar."""

import datetime

import pytest

from preau.chat import policy, schedule
from preau.chat.models import Room

from .conftest import (
    ALL_DAYS,
    PUBLIC_HOLIDAY,
    SATURDAY,
    SCHOOL_TUESDAY,
    WEDNESDAY_AFTERNOON,
    WEDNESDAY_MORNING,
    ZONE_C_HOLIDAY,
    open_all_week,
    paris,
)

T = datetime.time


def test_school_hours_follow_the_week_wednesday_morning_and_the_holidays_of_the_zone():
    assert schedule.school_hours(SCHOOL_TUESDAY.date(), "C") == (T(8, 0), T(17, 0))
    assert schedule.school_hours(WEDNESDAY_MORNING.date(), "C") == (T(8, 0), T(12, 0))
    assert schedule.school_hours(SATURDAY.date(), "C") is None
    assert schedule.school_hours(ZONE_C_HOLIDAY.date(), "C") is None
    assert schedule.school_hours(ZONE_C_HOLIDAY.date(), "A") == (T(8, 0), T(17, 0))
    assert schedule.school_hours(PUBLIC_HOLIDAY.date(), "A") is None
    assert schedule.school_hours(datetime.date(2026, 12, 22), "B") is None  # Christmas, every zone


def test_school_time_ends_at_noon_on_wednesday():
    assert schedule.is_school_time(WEDNESDAY_MORNING, "C")
    assert not schedule.is_school_time(WEDNESDAY_AFTERNOON, "C")
    assert schedule.is_school_time(SCHOOL_TUESDAY, "C")
    assert not schedule.is_school_time(paris(2026, 11, 24, 7, 59), "C")
    assert not schedule.is_school_time(paris(2026, 11, 24, 17, 0), "C")


def test_a_four_day_week_has_no_school_on_wednesday(settings):
    settings.PREAU_CHAT_WEDNESDAY_HOURS = ""
    assert schedule.school_hours(WEDNESDAY_MORNING.date(), "C") is None


def test_years_beyond_the_holiday_data_count_weekdays_as_school_days():
    assert schedule.school_hours(datetime.date(2031, 3, 4), "C") == (T(8, 0), T(17, 0))


@pytest.fixture
def room_all_week(world):
    return open_all_week(world["teacher"], world["class_room"])


@pytest.mark.parametrize(
    ("moment", "pupil_reads"),
    [
        (SCHOOL_TUESDAY, True),
        (WEDNESDAY_MORNING, True),
        (WEDNESDAY_AFTERNOON, False),
        (SATURDAY, False),
        (ZONE_C_HOLIDAY, False),
        (PUBLIC_HOLIDAY, False),
        (paris(2026, 11, 24, 7, 30), False),
        (paris(2026, 11, 24, 18, 0), False),
    ],
    ids=["tuesday", "wednesday-morning", "wednesday-afternoon", "saturday", "zone-c-holiday", "8-may", "7h30", "18h"],
)
def test_pupils_read_only_during_school_time_adults_at_any_time(world, room_all_week, moment, pupil_reads):
    assert policy.can_read_now(world["pupil"], room_all_week, moment) is pupil_reads
    assert policy.can_read_now(world["teacher"], room_all_week, moment)
    assert policy.can_read_now(world["director"], room_all_week, moment)


@pytest.mark.parametrize(
    ("moment", "pupil_posts", "teacher_posts"),
    [
        (SCHOOL_TUESDAY, True, True),
        (WEDNESDAY_MORNING, False, False),  # Wednesday is not an opening day by default
        (paris(2026, 11, 24, 8, 15), False, False),  # before 8h30
        (paris(2026, 11, 24, 16, 45), False, False),  # after 16h30
        (SATURDAY, False, False),
        (ZONE_C_HOLIDAY, False, True),  # a Tuesday: adults follow the hours only
    ],
    ids=["tuesday", "wednesday", "8h15", "16h45", "saturday", "zone-c-holiday"],
)
def test_opening_hours_limit_everyone_and_school_time_limits_pupils(world, moment, pupil_posts, teacher_posts):
    room = world["class_room"]
    assert (policy.posting_refusal(world["pupil"], room, moment) is None) is pupil_posts
    assert (policy.posting_refusal(world["teacher"], room, moment) is None) is teacher_posts


def test_the_room_hours_narrow_school_time_for_pupils(world):
    room = world["class_room"]
    room.opens_at, room.closes_at = T(13, 30), T(15, 0)
    assert not schedule.is_room_open(room, SCHOOL_TUESDAY, pupil=True)
    assert schedule.is_room_open(room, paris(2026, 11, 24, 14, 0), pupil=True)
    assert not schedule.is_room_open(room, paris(2026, 11, 24, 15, 0), pupil=True)


def test_the_page_tells_a_pupil_when_the_room_opens_next(world):
    room, pupil = world["class_room"], world["pupil"]
    friday_evening = paris(2026, 11, 27, 18, 0)
    assert schedule.next_opening(room, friday_evening, pupil=True) == paris(2026, 11, 30, 8, 30)
    assert schedule.next_opening(room, WEDNESDAY_AFTERNOON, pupil=True) == paris(2026, 11, 26, 8, 30)
    # On the last day before the Christmas holidays, the next opening is after them.
    assert schedule.next_opening(room, paris(2026, 12, 18, 17, 0), pupil=True) == paris(2027, 1, 4, 8, 30)
    # An adult is not held by the holidays.
    assert schedule.next_opening(room, paris(2026, 12, 18, 17, 0), pupil=False) == paris(2026, 12, 21, 8, 30)
    notice = policy.closed_notice(pupil, room, friday_evening)
    assert notice == "Ce salon est fermé en ce moment. Il ouvrira le lundi 30 novembre à 8h30."


def test_a_room_open_until_2359_stays_open_until_midnight(world, room_all_week):
    assert schedule.is_room_open(room_all_week, paris(2026, 11, 28, 23, 59, 30), pupil=False)
    assert schedule.hours_label(room_all_week).endswith("de 0h00 à minuit")


def test_the_hours_are_said_in_words(world):
    assert schedule.hours_label(world["class_room"]) == "lundi, mardi, jeudi, vendredi, de 8h30 à 16h30"
    staff_room = world["staff_room"]
    assert staff_room.days == "12345"
    assert schedule.hours_label(staff_room) == "lundi, mardi, mercredi, jeudi, vendredi, de 7h30 à 19h00"


def test_without_the_school_time_rule_pupils_follow_the_room_hours_only(world, room_all_week, settings):
    settings.PREAU_CHAT_PUPILS_IN_SCHOOL_TIME_ONLY = False
    assert policy.can_read_now(world["pupil"], room_all_week, SATURDAY)


def test_a_periscolaire_room_follows_the_zone_of_its_commune(world):
    room = Room.objects.select_related("group__commune__departement__academie").get(pk=world["peri_room"].pk)
    room.days = ALL_DAYS
    assert room.academie.holiday_zone == "C"
    assert not schedule.is_room_open(room, ZONE_C_HOLIDAY, pupil=True)
    assert schedule.is_room_open(room, ZONE_C_HOLIDAY, pupil=False)
