"""The dates of the seeds' articles: end of the convention, termination, data deletion."""

import datetime

import pytest

from preau.conventions import dates

D = datetime.date


@pytest.mark.parametrize(
    ("notice", "conciliation", "earliest"),
    [
        (D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 15)),  # no 31 February: the month's last day
        (D(2028, 1, 31), D(2028, 2, 29), D(2028, 3, 15)),  # leap year
        (D(2026, 1, 30), D(2026, 2, 28), D(2026, 3, 15)),
        (D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 15)),
        (D(2026, 12, 15), D(2027, 1, 15), D(2027, 1, 30)),  # across the year
        (D(2026, 12, 31), D(2027, 1, 31), D(2027, 2, 15)),
        (D(2026, 2, 28), D(2026, 3, 28), D(2026, 4, 12)),
    ],
)
def test_conciliation_lasts_one_month_then_fifteen_days_after_the_letter(notice, conciliation, earliest):
    assert dates.conciliation_deadline(notice) == conciliation
    assert dates.earliest_effective_date(notice) == earliest
    assert dates.effective_date(conciliation) == earliest


def test_the_termination_takes_effect_fifteen_days_after_the_letter_and_court_one_month_after():
    letter = D(2026, 1, 31)
    assert dates.effective_date(letter) == D(2026, 2, 15)
    assert dates.dispute_from(letter) == D(2026, 2, 28)


@pytest.mark.parametrize(
    ("year", "end"),
    [
        (2025, D(2026, 9, 5)),  # the 2025-2026 conventions: "se termine au 5 septembre 2026"
        (2026, D(2027, 9, 4)),
        (2027, D(2028, 9, 2)),  # 1 September 2028 is a Friday
        (2029, D(2030, 9, 7)),  # 1 September 2030 is a Sunday: rentrée on Monday 2
        (2028, D(2029, 9, 8)),  # 1 September 2029 is a Saturday: rentrée on Monday 3
    ],
)
def test_by_default_a_convention_ends_on_the_saturday_of_the_rentree_week(year, end):
    assert dates.default_end_date(year) == end
    assert end.weekday() == 5


@pytest.mark.parametrize(
    ("last_day", "deletion"),
    [
        (D(2026, 9, 5), D(2026, 12, 5)),
        (D(2026, 11, 30), D(2027, 2, 28)),
        (D(2027, 11, 30), D(2028, 2, 29)),
        (D(2026, 8, 31), D(2026, 11, 30)),
    ],
)
def test_data_is_deleted_three_months_after_the_last_covered_day(last_day, deletion):
    assert dates.delete_on(last_day) == deletion


def test_adding_months_keeps_the_day_when_it_exists():
    assert dates.add_months(D(2026, 5, 22), 1) == D(2026, 6, 22)
    assert dates.add_months(D(2026, 5, 22), 12) == D(2027, 5, 22)
    assert dates.add_months(D(2026, 5, 22), 0) == D(2026, 5, 22)
