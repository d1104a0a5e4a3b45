import datetime

import pytest
from django.utils import timezone

from preau.directory.factories import (
    NEW_CLASS,
    WORLD_PEOPLE,
    WORLD_TEACHING,
    person_with_role,
    policy_world,
    world_person,
)
from preau.directory.models import Profile
from preau.journal.models import JournalShare, Slot

# "teacher" is the author of the journal observed; "replacement" and "past_replacement" are
# teachers of the same school with a running and an ended loan of it. "director" and "colleague"
# each teach a class of their own in S1.
PEOPLE = [*WORLD_PEOPLE, "replacement", "past_replacement"]
TEACHING = {**WORLD_TEACHING, "director": NEW_CLASS, "colleague": NEW_CLASS}


@pytest.fixture
def world(db):
    """Académie A: S1 (class K1, taught by `teacher`) in commune C1; S2 (class K2) elsewhere."""
    return policy_world(teacher={"first_name": "Julien", "last_name": "Abadie"})


def slot_for(w, day: datetime.date | None = None, **fields) -> Slot:
    values = {
        "author": w["teacher"],
        "school_class": w["class"],
        "date": day or timezone.localdate(),
        "starts_at": datetime.time(8, 30),
        "ends_at": datetime.time(9, 30),
        "subject": "francais",
        "title": "Lecture : le loup",
        "objectives": "Lire à voix haute",
        **fields,
    }
    return Slot.objects.create(**values)


def make_person(name: str, w):
    if name in ("replacement", "past_replacement"):
        person = person_with_role(Profile.TEACHER, w["school"])
        today = timezone.localdate()
        running = name == "replacement"
        JournalShare.objects.create(
            author=w["teacher"],
            replacement=person,
            school=w["school"],
            starts_on=today - datetime.timedelta(days=1 if running else 10),
            ends_on=today + datetime.timedelta(days=2) if running else today - datetime.timedelta(days=1),
        )
        return person
    return world_person(name, w, teaching=TEACHING)
