"""Who may do what in the messagerie, besides whom one may write to (that is `rules.py`).

Each predicate reads the person's `Access` (loaded once per request) and the object; none
costs a query but `can_write` (the suspension, one query then cached). The matrix test
`tests/test_policy_matrix.py` is the table of these rules for every profile.
"""

from preau.directory.models import (
    COMMUNE_PROFILES,
    Academie,
    Person,
    Profile,
    School,
    SchoolClass,
)
from preau.directory.policy import is_director_of
from preau.directory.queries import access_of

from .models import Message
from .rules import AUTHORITY_PROFILES, SCHOOL_STAFF, is_suspended


def can_use_messaging(person: Person) -> bool:
    """Anyone with a profile in a structure, or a child: the inbox and the composer."""
    access = access_of(person)
    return access.person is not None and bool(access.roles or access.children)


def can_write(person: Person) -> bool:
    return can_use_messaging(person) and not is_suspended(person)


def directed_school_ids(person: Person) -> set[int]:
    return access_of(person).school_ids(Profile.DIRECTOR)


def can_mark_urgent_in(person: Person, school_id: int | None) -> bool:
    """Only a school's director makes a message of their school pass the families' quiet hours."""
    return school_id is not None and school_id in access_of(person).school_ids(Profile.DIRECTOR)


def can_manage_school_rules(person: Person, school: School) -> bool:
    return is_director_of(person, school)


def can_manage_academie_rules(person: Person, academie: Academie) -> bool:
    """The académie's administrators (operators are not: they run the platform)."""
    return academie.id in access_of(person).academie_ids


def can_manage_class_rule(person: Person, school_class: SchoolClass) -> bool:
    """The class's teachers decide whether its pupils write to each other; the director too."""
    return school_class.id in access_of(person).taught_class_ids or is_director_of(person, school_class.school)


def can_suspend_in(person: Person, school: School) -> bool:
    return is_director_of(person, school)


def can_manage_suspensions(person: Person) -> bool:
    return bool(access_of(person).school_ids(Profile.DIRECTOR))


def can_set_answering_hours(person: Person) -> bool:
    """Teachers and directors tell the families when they answer."""
    access = access_of(person)
    return access.has(*SCHOOL_STAFF) or bool(access.taught_classes)


def can_use_settings(person: Person) -> bool:
    access = access_of(person)
    return can_set_answering_hours(person) or bool(access.academie_ids)


def sender_kind(person: Person) -> str:
    """Which hourly sending limit applies: "staff", "family" or "pupil"."""
    access = access_of(person)
    if access.has(*SCHOOL_STAFF, *COMMUNE_PROFILES, *AUTHORITY_PROFILES) or access.taught_classes:
        return "staff"
    if access.has(Profile.PARENT, Profile.ELECTED_PARENT):
        return "family"
    return "pupil"


def can_see_read_receipts(person: Person, message: Message) -> bool:
    return message.author_id == person.pk
