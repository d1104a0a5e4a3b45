import datetime

import pytest
from django.utils import timezone

from preau.agenda.models import Event, HomeworkDue
from preau.directory.factories import NEW_CLASS, WORLD_PEOPLE, WORLD_TEACHING, policy_world, world_person

# "teacher" teaches K1 of S1; "director" and "colleague" each teach a class of their own in S1.
PEOPLE = WORLD_PEOPLE
TEACHING = {**WORLD_TEACHING, "director": NEW_CLASS, "colleague": NEW_CLASS}


@pytest.fixture
def world(db):
    """Académie A (zone C): S1 (class K1, taught by `teacher`) in commune C1; S2 (class K2) elsewhere;
    académie B is in zone A."""
    return policy_world(
        academie={"holiday_zone": "C"},
        other_academie={"holiday_zone": "A"},
        teacher={"first_name": "Julien", "last_name": "Abadie"},
    )


def event_in(w, calendar: str, day: datetime.date | None = None, **fields) -> Event:
    """An all-day event of S1's calendar, K1's calendar or the teacher's own."""
    where = {
        Event.Calendar.SCHOOL: {"school": w["school"]},
        Event.Calendar.CLASS: {"school": w["school"], "school_class": w["class"]},
        Event.Calendar.PERSONAL: {"owner": w["teacher"]},
    }[calendar]
    day = day or timezone.localdate()
    values = {"title": f"Événement {calendar}", "category": Event.Category.OTHER, "all_day": True,
              "starts_on": day, "ends_on": day, "author": w["teacher"], **where, **fields}  # fmt: skip
    return Event.objects.create(calendar=calendar, **values)


def due_for(w, work_id: int = 1, day: datetime.date | None = None, school_class=None) -> HomeworkDue:
    school_class = school_class or w["class"]
    due = HomeworkDue.objects.create(
        work_id=work_id,
        school=school_class.school,
        title=f"Poésie {work_id}",
        due_on=day or timezone.localdate(),
        url=f"/cahier-de-textes/travaux/{work_id}/",
    )
    due.classes.add(school_class)
    return due


def make_person(name: str, w):
    return world_person(name, w, teaching=TEACHING)
