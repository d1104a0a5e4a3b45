"""Who may read and write a class's cahier de textes.

- Write (séances, works, attachments, copies, class settings): the class's teachers this year
  (a replacement teacher added to the class is one of them) and the school's director.
- Read the published items: the class's pupils, their guardians, the writers above, and the
  circonscription's IEN and conseillers pédagogiques (pedagogical inspection and support of the
  schools they oversee). Drafts and scheduled items: the writers only.
- Nobody else: not the commune's staff, not the DSDEN or académie administrators, not the
  ERUN, not the operators (the cahier de textes is pedagogical content about children).
- Mark a work done: a pupil for themself, a guardian for their own child, when the class
  tracks it and the work is visible.

Every predicate reads `access_of(person)` (loaded once per request) and the object's ids: no
query, provided the class's `school` is loaded when the person is an IEN or an advisor.
`queries.py` builds its querysets from the same sets.
"""

from preau.directory.models import Person, Profile, SchoolClass
from preau.directory.queries import Access, access_of

from .models import Published, Work

READING_AUTHORITIES = (Profile.IEN, Profile.ADVISOR)


def inspected_circonscription_ids(access: Access) -> set[int]:
    """Circonscriptions where the person reads cahiers de textes (IEN, conseiller pédagogique)."""
    return {role.circonscription_id for role in access.roles if role.profile in READING_AUTHORITIES}


def writable_class_ids(access: Access) -> set[int]:
    return set(access.taught_class_ids)


def directed_school_ids(access: Access) -> set[int]:
    return access.school_ids(Profile.DIRECTOR)


def can_write_class(person: Person, school_class: SchoolClass) -> bool:
    """Its teachers (incl. replacements added to the class) and its school's director."""
    access = access_of(person)
    return school_class.id in writable_class_ids(access) or school_class.school_id in directed_school_ids(access)


def is_pupil_of(person: Person, school_class: SchoolClass) -> bool:
    return any(c.id == school_class.id for c in access_of(person).own_classes)


def children_in(person: Person, school_class: SchoolClass) -> list[Person]:
    """The person's own children enrolled in the class this year."""
    return [child.person for child in access_of(person).children if any(c.id == school_class.id for c in child.classes)]


def inspects_class(person: Person, school_class: SchoolClass) -> bool:
    circonscriptions = inspected_circonscription_ids(access_of(person))
    return bool(circonscriptions) and school_class.school.circonscription_id in circonscriptions


def can_read_class(person: Person, school_class: SchoolClass) -> bool:
    """Its published items: pupils, their guardians, the writers, the IEN and advisors."""
    return (
        can_write_class(person, school_class)
        or is_pupil_of(person, school_class)
        or bool(children_in(person, school_class))
        or inspects_class(person, school_class)
    )


def can_read_item(person: Person, item: Published) -> bool:
    """A séance or work: the writers always; other readers once its publication time has come."""
    if can_write_class(person, item.school_class):
        return True
    return item.is_visible() and can_read_class(person, item.school_class)


def can_follow_done(person: Person, school_class: SchoolClass) -> bool:
    """Who sees which pupils marked the work done: the writers of the class."""
    return can_write_class(person, school_class)


def can_mark_done_for(person: Person, work: Work, pupil: Person) -> bool:
    """The pupil for themself, or one of their guardians; the class must track it (checked by the action)."""
    if not work.is_visible():
        return False
    if pupil.pk == person.pk:
        return is_pupil_of(person, work.school_class)
    return any(child.pk == pupil.pk for child in children_in(person, work.school_class))


def has_homework(person: Person) -> bool:
    """The portal tile: pupils and parents of a class, teachers, directors, IEN and advisors."""
    access = access_of(person)
    return bool(
        access.own_classes
        or access.children
        or access.taught_classes
        or directed_school_ids(access)
        or inspected_circonscription_ids(access)
    )
