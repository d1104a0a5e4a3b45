"""The dates of a convention, from the seeds' articles (see DECISIONS.md).

- Duration (art. 10 of the 2023 and 2025 conventions, art. 3 of 2021): from signature to an
  end date in early September chosen by the académie for the year; by default the Saturday of
  the week of the rentrée (5 September 2026 for 2025-2026, as in the 2025 conventions).
- Termination (art. 11; art. 8 of 2021): a formal notice, then conciliation "within one month"
  at the latest, then termination "at the expiry of fifteen days" after the registered letter
  that gives its reasons; a dispute may go to court one month after that letter.
- Data (art. 3 of the 2023 Alpes-Maritimes convention): data stays available three months
  after the contract ends, then is deleted.

Months are counted from date to date; when the month has no such day (31 January + 1 month),
the deadline is the last day of that month — the rule of article 641 of the code de procédure
civile. Deadlines are not moved off week-ends: the conventions do not say so.
"""

import calendar
import datetime

CONCILIATION_MONTHS = 1
TERMINATION_DELAY_DAYS = 15
DISPUTE_MONTHS = 1
ACCESS_MONTHS = 3


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months`, clamped to the last day of a shorter month (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_end_date(school_year: int) -> datetime.date:
    """The Saturday of the rentrée week of the next year (5 September 2026 for 2025-2026).

    The rentrée is taken as the first weekday on or after 1 September; the académie may set
    another date for the year (FeeSchedule.end_date), as the 2021 and 2023 conventions did.
    """
    day = datetime.date(school_year + 1, 9, 1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day + datetime.timedelta(days=5 - day.weekday())


def conciliation_deadline(notice_date: datetime.date) -> datetime.date:
    """The last day of the month of conciliation that follows the formal notice."""
    return add_months(notice_date, CONCILIATION_MONTHS)


def effective_date(letter_date: datetime.date) -> datetime.date:
    """The day the fifteen-day delay after the termination letter expires: the convention ends."""
    return letter_date + datetime.timedelta(days=TERMINATION_DELAY_DAYS)


def earliest_effective_date(notice_date: datetime.date) -> datetime.date:
    """If conciliation fails at its deadline and the letter leaves that day."""
    return effective_date(conciliation_deadline(notice_date))


def dispute_from(letter_date: datetime.date) -> datetime.date:
    """Without an amicable agreement one month after the letter, the court may be seized."""
    return add_months(letter_date, DISPUTE_MONTHS)


def delete_on(last_covered_day: datetime.date) -> datetime.date:
    """The day a school's data is deleted: three months after its last covered day."""
    return add_months(last_covered_day, ACCESS_MONTHS)
