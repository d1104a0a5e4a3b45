"""The chat's test world: a school with a class, a school group and a périscolaire group, each
room opened by the people who may open them, and fixed moments of the school calendar."""

import datetime
import zoneinfo

import pytest

from preau.chat import actions
from preau.chat.models import Room
from preau.directory.factories import PersonFactory, make_school, person_with_role
from preau.directory.models import Group, Profile, current_school_year

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


# Moments of the 2026-2027 school year in zone C (the factories' académie is in zone C).
SCHOOL_TUESDAY = paris(2026, 11, 24, 10, 0)
WEDNESDAY_MORNING = paris(2026, 11, 25, 10, 0)
WEDNESDAY_AFTERNOON = paris(2026, 11, 25, 14, 30)
SATURDAY = paris(2026, 11, 28, 10, 0)
ZONE_C_HOLIDAY = paris(2026, 3, 3, 10, 0)  # winter holidays of zone C; zone A is at school
PUBLIC_HOLIDAY = paris(2026, 5, 8, 10, 0)  # a Friday, 8 May
ALL_DAYS = "1234567"


def open_all_week(actor, room: Room) -> Room:
    """Hours that never close (adults then read and write at any moment of a test run)."""
    return actions.update_room_settings(
        actor,
        room,
        days=ALL_DAYS,
        opens_at=datetime.time(0, 0),
        closes_at=datetime.time(23, 59),
        pupils_may_write=room.pupils_may_write,
    )


@pytest.fixture
def world(db):
    built = make_school(classes=1, pupils=3)
    school, school_class = built.school, built.classes[0]
    teacher = built.teachers[0]
    pupils = built.pupils[school_class.id]
    pupil = pupils[0]
    commune = school.commune
    periscolaire = person_with_role(Profile.PERISCOLAIRE, commune)
    group = Group.objects.create(
        kind=Group.Kind.SCHOOL, name="Chorale", year=current_school_year(), school=school, owner=teacher
    )
    group.members.add(pupil, pupils[1])
    peri_group = Group.objects.create(
        kind=Group.Kind.PERISCOLAIRE, name="Atelier théâtre", year=current_school_year(), commune=commune
    )
    peri_group.owner = periscolaire
    peri_group.save()
    peri_group.members.add(pupil)
    other = make_school(classes=1, pupils=1)
    return {
        "built": built,
        "school": school,
        "class": school_class,
        "teacher": teacher,
        "director": built.director,
        "pupil": pupil,
        "pupils": pupils,
        "parent": built.parents[pupil.id][0],
        "commune": commune,
        "periscolaire": periscolaire,
        "group": group,
        "peri_group": peri_group,
        "other": other,
        "class_room": actions.open_class_room(teacher, school_class),
        "group_room": actions.open_group_room(teacher, group),
        "staff_room": actions.open_staff_room(built.director, school),
        "peri_room": actions.open_group_room(periscolaire, peri_group),
    }


@pytest.fixture
def outsider(db):
    """Someone with no school at all."""
    return PersonFactory()
