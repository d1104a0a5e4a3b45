"""What the services' `bench_history` modules share: the school year's calendar up to now, and names.

A bench history is written in bulk, without the actions, so it needs what the actions would
have known: which days were school days (the académie's zone holidays and public holidays
left out), moments within them that never pass `now`, and the people's names that labels
and search columns copy. Every choice goes through the `rng` a module is given.

The budget: `generate_academie --schools 1000` must end within 10 minutes on two shared
cores, and its directory alone took 7 of them with the cores shared (bench/README.md). So
the histories together get ~40 % of the directory's time: ~290 rows a school against the
directory's ~940 (a history row, with its indexes and foreign keys, costs ~1.4 directory
rows), shared out by each module's constants. Each keeps a short recent window and a few
older rows rather than a thinned year, so its size does not depend on the month it runs in.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from django.utils import timezone

from preau.core.school_calendar import is_public_holiday, is_school_holiday
from preau.directory.models import Person, full_name_of

# Monday, Tuesday, Thursday and Friday: the four-day week of most French écoles.
SCHOOL_WEEKDAYS = (0, 1, 3, 4)
ONE_DAY = datetime.timedelta(days=1)
NAMES_PER_QUERY = 900  # under SQLite's oldest limit of bound parameters


@cache
def is_school_day(day: datetime.date, zone: str) -> bool:
    if day.weekday() not in SCHOOL_WEEKDAYS or is_public_holiday(day):
        return False
    return not (zone and is_school_holiday(day, zone))


@dataclass
class Calendar:
    """The school days of the year so far, oldest first, and moments in them (never after `now`)."""

    zone: str
    now: datetime.datetime
    days: list[datetime.date] = field(default_factory=list)

    @classmethod
    def of(cls, academie) -> "Calendar":
        """From the rentrée (1 September of the school year) to today, both included."""
        zone = academie.academie.holiday_zone
        today = timezone.localdate(academie.now)
        day, days = datetime.date(academie.year, 9, 1), []
        while day <= today:
            if is_school_day(day, zone):
                days.append(day)
            day += ONE_DAY
        return cls(zone=zone, now=academie.now, days=days)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    def split(self, recent_days: int) -> tuple[list[datetime.date], list[datetime.date]]:
        """The school days of the last `recent_days` days (today included), and those before."""
        since = self.today - datetime.timedelta(days=recent_days - 1)
        return [day for day in self.days if day >= since], [day for day in self.days if day < since]

    def spread(self, rng, *, recent_days: int, per_week: float, before: float) -> list[datetime.date]:
        """Days on which something happens: `per_week` times a week over the last `recent_days`
        days, and `before` times in all over the days before (a fraction is a chance).

        The time before is thinned to a fixed count, so that a history's size does not grow
        with the date it is generated on (a June académie is no bigger than a November one).
        """
        recent, older = self.split(recent_days)
        found = [rng.choice(recent) for _ in range(chances(rng, per_week * recent_days / 7))] if recent else []
        found += [rng.choice(older) for _ in range(chances(rng, before))] if older else []
        return sorted(found)

    def after_school_days(self, day: datetime.date, count: int) -> datetime.date:
        """The school day `count` school days after `day` (the future included)."""
        while count:
            day += ONE_DAY
            if is_school_day(day, self.zone):
                count -= 1
        return day

    def at(self, day: datetime.date, rng, start: float = 8.0, end: float = 18.0) -> datetime.datetime:
        """A moment of `day` between the hours `start` and `end` (8.5 is 8:30), and before now."""
        minutes = rng.randrange(int(start * 60), int(end * 60))
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))
        if moment >= self.now:
            moment = self.now - datetime.timedelta(minutes=rng.randrange(1, 30))
        return moment

    def later(self, moment: datetime.datetime, rng, *, hours: float) -> datetime.datetime:
        """A moment within `hours` after `moment` (five minutes at least), never after now."""
        delay = datetime.timedelta(minutes=5 + rng.random() * hours * 60)
        return min(moment + delay, max(moment, self.now - datetime.timedelta(minutes=1)))


def chances(rng, rate: float) -> int:
    """`rate` as a count: its whole part, and one more with the chance of its fraction."""
    return int(rate) + (rng.random() < rate - int(rate))


def full_names(ids: Iterable[int]) -> dict[int, str]:
    """Person id → `Person.full_name` ("Léa FOURCADE"), as labels and search columns copy it.

    The people of a batch of schools were written together: their ids make a narrow range,
    read in one query (a long `IN` list costs more to build than the rows it reads).
    """
    ids = set(ids)
    if not ids:
        return {}
    low, high = min(ids), max(ids)
    if high - low < 4 * len(ids) + 1000:
        rows = Person.objects.filter(pk__range=(low, high)).values_list("pk", "first_name", "last_name")
        return {pk: full_name_of(first, last) for pk, first, last in rows.iterator() if pk in ids}
    names, ordered = {}, sorted(ids)
    for start in range(0, len(ordered), NAMES_PER_QUERY):
        rows = Person.objects.filter(pk__in=ordered[start : start + NAMES_PER_QUERY]).values_list(
            "pk", "first_name", "last_name"
        )
        names.update((pk, full_name_of(first, last)) for pk, first, last in rows)
    return names


def batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
