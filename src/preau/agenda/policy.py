"""Who reads and who writes each calendar of the agenda.

  school calendar    its director writes; the school's people (pupils, teachers, director,
                     elected parents), its families and its commune's staff (who run the
                     périscolaire and lend the rooms) read.
  class calendar     its teachers write; its pupils, their guardians, its teachers and the
                     school's director read. Nobody else: not the commune, not another school.
  personal calendar  its owner alone.
  homework due       the class's pupils, their guardians (per child) and its teachers.
Holidays are everyone's. The matrix test `tests/test_policy_matrix.py` is the table; the
querysets of `queries.py` are built from the same sets (`Readership`), computed once from
`access_of` without a query.
"""

from dataclasses import dataclass, field

from preau.directory.models import Profile
from preau.directory.queries import access_of

from .models import Event, HomeworkDue

Calendar = Event.Calendar


@dataclass
class Readership:
    school_ids: set[int] = field(default_factory=set)  # school calendars read
    commune_ids: set[int] = field(default_factory=set)  # school calendars of these communes' schools
    class_ids: set[int] = field(default_factory=set)  # class calendars read
    director_school_ids: set[int] = field(default_factory=set)  # every class calendar of these schools
    homework_class_ids: set[int] = field(default_factory=set)  # homework due dates of these classes


def readership(person) -> Readership:
    access = access_of(person)
    cached = getattr(access, "_agenda_readership", None)
    if cached is not None:
        return cached
    found = Readership()
    if access.person is not None:
        family_class_ids = {c.id for child in access.children for c in child.classes}
        own_class_ids = {c.id for c in access.own_classes}
        found.school_ids = access.school_ids() | access.child_school_ids
        found.commune_ids = set(access.commune_ids)
        found.director_school_ids = access.school_ids(Profile.DIRECTOR)
        found.class_ids = access.taught_class_ids | own_class_ids | family_class_ids
        found.homework_class_ids = found.class_ids
    access._agenda_readership = found
    return found


def _pk(person) -> int | None:
    return getattr(person, "pk", None)


def can_read(person, event: Event) -> bool:
    """`event.school` must be loaded for school events (the commune decides)."""
    found = readership(person)
    match event.calendar:
        case Calendar.SCHOOL:
            return event.school_id in found.school_ids or event.school.commune_id in found.commune_ids
        case Calendar.CLASS:
            return event.school_class_id in found.class_ids or event.school_id in found.director_school_ids
        case Calendar.PERSONAL:
            return _pk(person) is not None and event.owner_id == _pk(person)
    return False


def writes_in(person, calendar: str, structure_id: int | None) -> bool:
    """May `person` add events to this calendar (a school id, a class id, or a person id)?"""
    access = access_of(person)
    if access.person is None or structure_id is None:
        return False
    match calendar:
        case Calendar.SCHOOL:
            return structure_id in access.school_ids(Profile.DIRECTOR)
        case Calendar.CLASS:
            return structure_id in access.taught_class_ids
        case Calendar.PERSONAL:
            return structure_id == _pk(person)
    return False


def can_manage(person, event: Event) -> bool:
    """Change or delete an event: whoever may write in its calendar today."""
    structure = {
        Calendar.SCHOOL: event.school_id,
        Calendar.CLASS: event.school_class_id,
        Calendar.PERSONAL: event.owner_id,
    }[event.calendar]
    return writes_in(person, event.calendar, structure)


def sees_homework(person, due: HomeworkDue) -> bool:
    """A work due for some classes: their pupils, their pupils' guardians, their teachers."""
    class_ids = {c.id for c in due.classes.all()}
    return bool(readership(person).homework_class_ids & class_ids)


def has_agenda(person) -> bool:
    """The portal tile: everyone who belongs to a school, a family or a commune."""
    access = access_of(person)
    return bool(access.school_ids() or access.children or access.commune_ids)


def writes_somewhere_shared(person) -> bool:
    access = access_of(person)
    return bool(access.school_ids(Profile.DIRECTOR) or access.taught_class_ids)
