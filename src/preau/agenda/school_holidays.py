"""Holidays as periods, computed and never stored: school holidays of the zones A, B and C (the
calendar of `core.school_calendar`) and public holidays, for calendars and feeds.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from preau.core.school_calendar import public_holidays, school_holiday_dates

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Holiday:
    name: str
    starts_on: datetime.date
    ends_on: datetime.date  # included
    zone: str = ""  # "A", "B", "C" for school holidays, "" for a public holiday

    @property
    def is_public(self) -> bool:
        return not self.zone

    @property
    def uid(self) -> str:
        return f"ferie-{self.starts_on:%Y%m%d}" if self.is_public else f"vacances-{self.zone}-{self.starts_on:%Y%m%d}"


@lru_cache(maxsize=3)
def _zone_periods(zone: str) -> tuple[Holiday, ...]:
    """Every period of school holidays of a zone the package knows, days run together."""
    periods: list[Holiday] = []
    data = school_holiday_dates()
    key = data.zone_key(zone)
    for day in sorted(data.data):
        row = data.data[day]
        if not row[key]:
            continue
        name = row["nom_vacances"]
        last = periods[-1] if periods else None
        if last is not None and last.name == name and last.ends_on + ONE_DAY >= day:
            periods[-1] = Holiday(name=name, starts_on=last.starts_on, ends_on=day, zone=zone)
        else:
            periods.append(Holiday(name=name, starts_on=day, ends_on=day, zone=zone))
    return tuple(periods)


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> tuple[Holiday, ...]:
    days = public_holidays(year)
    return tuple(Holiday(name=name, starts_on=day, ends_on=day) for day, name in sorted(days.items()))


def holidays_between(zones, start: datetime.date, end: datetime.date) -> list[Holiday]:
    """School holidays of `zones` and public holidays overlapping `start`…`end` (included)."""
    found = [
        period
        for zone in sorted(set(zones))
        for period in _zone_periods(zone)
        if period.starts_on <= end and period.ends_on >= start
    ]
    for year in range(start.year, end.year + 1):
        found.extend(day for day in _public_holidays(year) if start <= day.starts_on <= end)
    return sorted(found, key=lambda h: (h.starts_on, h.zone, h.name))
