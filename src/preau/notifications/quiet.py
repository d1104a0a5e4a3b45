"""Quiet hours (droit à la déconnexion): when a school's e-mails and pushes wait for the morning.

A moment is quiet in the evening and at night (from `evening` to `morning`) and all day long on
a quiet day: the chosen days of the week (the weekend by default), the school holidays of the
académie's zone (`vacances_scolaires_france`) and France's public holidays (`holidays`). What
is held back goes out in the digest once the quiet hours end; the timeline is never held.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from preau.core.school_calendar import is_public_holiday, is_school_holiday
from preau.directory.models import School

from .models import QuietHours

DEFAULT_MORNING = datetime.time(7, 30)
DEFAULT_EVENING = datetime.time(19, 0)
DEFAULT_QUIET_DAYS = frozenset({5, 6})
# A summer holiday is the longest wait; a setting that leaves no day open waits no further.
_LONGEST_WAIT_DAYS = 370


@dataclass(frozen=True)
class QuietRules:
    enabled: bool = True
    morning: datetime.time = DEFAULT_MORNING
    evening: datetime.time = DEFAULT_EVENING
    quiet_days: frozenset[int] = DEFAULT_QUIET_DAYS
    school_holidays: bool = True
    public_holidays: bool = True
    zone: str = ""  # the académie's holiday zone ("A", "B", "C"); none for a notice without a school

    def is_quiet_day(self, day: datetime.date) -> bool:
        return (
            day.weekday() in self.quiet_days
            or (self.public_holidays and is_public_holiday(day))
            or (self.school_holidays and bool(self.zone) and is_school_holiday(day, self.zone))
        )

    def is_quiet(self, moment: datetime.datetime) -> bool:
        if not self.enabled:
            return False
        local = timezone.localtime(moment)
        hour = local.time()
        return hour < self.morning or hour >= self.evening or self.is_quiet_day(local.date())

    def next_allowed(self, moment: datetime.datetime) -> datetime.datetime:
        """`moment` itself when it is not quiet, else the morning the quiet hours end."""
        if not self.is_quiet(moment):
            return moment
        local = timezone.localtime(moment)
        day = local.date() if local.time() < self.morning else local.date() + datetime.timedelta(days=1)
        for _ in range(_LONGEST_WAIT_DAYS):
            if not self.is_quiet_day(day):
                return timezone.make_aware(datetime.datetime.combine(day, self.morning))
            day += datetime.timedelta(days=1)
        return moment


def rules_of(quiet_hours: QuietHours | None, zone: str) -> QuietRules:
    if quiet_hours is None:
        return QuietRules(zone=zone)
    return QuietRules(
        enabled=quiet_hours.enabled,
        morning=quiet_hours.morning,
        evening=quiet_hours.evening,
        quiet_days=frozenset(quiet_hours.quiet_days),
        school_holidays=quiet_hours.school_holidays,
        public_holidays=quiet_hours.public_holidays,
        zone=zone,
    )


def rules_for_school(school_id: int | None) -> QuietRules:
    """The quiet hours that apply to a notice of `school_id` (the defaults without a school). Two queries."""
    if school_id is None:
        return QuietRules()
    zone = (
        School.objects.filter(pk=school_id).values_list(
            "circonscription__departement__academie__holiday_zone", flat=True
        )
    ).first()
    return rules_of(QuietHours.objects.filter(school_id=school_id).first(), zone or "")
