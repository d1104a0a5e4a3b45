"""The French calendar every service reads: school holidays of the zones A, B and C (the
`vacances_scolaires_france` package) and public holidays (`holidays`).

Both packages carry the official calendars; a new school year comes with a new release of them
(a dependency upgrade), not with a change of our code. Each is read once per process.
"""

import datetime
import logging
from functools import cache

import holidays
from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

log = logging.getLogger(__name__)


@cache
def school_holiday_dates() -> SchoolHolidayDates:
    """The package's whole calendar, read once per process."""
    return SchoolHolidayDates()


@cache
def public_holidays(year: int) -> holidays.HolidayBase:
    """The public holidays of `year`, named in French."""
    return holidays.France(years=year, language="fr")


def is_public_holiday(day: datetime.date) -> bool:
    return day in public_holidays(day.year)


def is_school_holiday(day: datetime.date, zone: str) -> bool:
    """A school holiday of `zone` (A, B or C). The package knows a few years ahead only; past
    them, a weekday is a school day (and the gap is logged)."""
    try:
        return school_holiday_dates().is_holiday_for_zone(day, zone)
    except UnsupportedYearException:
        log.warning("no school holiday calendar for this year", extra={"day": day.isoformat()})
        return False
