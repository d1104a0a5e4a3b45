"""Who may see and do what in the directory.

Each predicate reads the person's `Access` (one load per request) and the object; the
querysets of `queries.py` are built from the same sets, so a list never shows what the
detail page would refuse. The matrix test `tests/test_policy_matrix.py` is the table of
these rules for every profile.
"""

from .models import (
    ACADEMIE_PROFILES,
    CIRCONSCRIPTION_PROFILES,
    DEPARTEMENT_PROFILES,
    Academie,
    Person,
    Profile,
    School,
    SchoolClass,
)
from .queries import Access, access_of


def _school_chain(school: School) -> tuple[int, int, int]:
    circonscription = school.circonscription
    departement = circonscription.departement
    return circonscription.id, departement.id, departement.academie_id


def _oversees_as_authority(access: Access, school: School) -> bool:
    """Circonscription, DSDEN or académie staff whose structure contains the school."""
    if not (access.circonscription_ids or access.departement_ids or access.academie_ids):
        return False
    circonscription_id, departement_id, academie_id = _school_chain(school)
    return (
        circonscription_id in access.circonscription_ids
        or departement_id in access.departement_ids
        or academie_id in access.academie_ids
    )


def can_view_school(person: Person, school: School) -> bool:
    access = access_of(person)
    return (
        school.id in access.school_ids()
        or school.id in access.child_school_ids
        or school.commune_id in access.commune_ids
        or _oversees_as_authority(access, school)
    )


def is_director_of(person: Person, school: School) -> bool:
    return school.id in access_of(person).school_ids(Profile.DIRECTOR)


def can_manage_school(person: Person, school: School) -> bool:
    """The school console: its director, and the académie's and DSDEN's administrators."""
    access = access_of(person)
    if is_director_of(person, school):
        return True
    if not (access.departement_ids or access.academie_ids):
        return False
    _, departement_id, academie_id = _school_chain(school)
    return departement_id in access.departement_ids or academie_id in access.academie_ids


def can_oversee_school(person: Person, school: School) -> bool:
    """Read-only view of a school's classes and accounts (IEN, CPC, ERUN too)."""
    return can_manage_school(person, school) or _oversees_as_authority(access_of(person), school)


def teaches(person: Person, school_class: SchoolClass) -> bool:
    return school_class.id in access_of(person).taught_class_ids


def can_view_class(person: Person, school_class: SchoolClass) -> bool:
    access = access_of(person)
    return (
        teaches(person, school_class)
        or any(c.id == school_class.id for c in access.own_classes)
        or any(c.id == school_class.id for child in access.children for c in child.classes)
        or can_oversee_school(person, school_class.school)
    )


def can_manage_class_cards(person: Person, school_class: SchoolClass) -> bool:
    """Print, revoke and reprint the login cards of a class: its teachers and the director."""
    return teaches(person, school_class) or can_manage_school(person, school_class.school)


def can_reset_pupil_password(actor: Person, pupil_class: SchoolClass) -> bool:
    """A pupil's teacher or director resets their password (pupils have no e-mail)."""
    return can_manage_class_cards(actor, pupil_class)


def can_manage_parent_account(actor: Person, child_schools: list[School]) -> bool:
    """Activation letters and resets for a parent: the director of one of their children."""
    return any(can_manage_school(actor, school) for school in child_schools)


def can_administer_academie(person: Person, academie: Academie) -> bool:
    return person.is_superuser or academie.id in access_of(person).academie_ids


def can_use_academie_console(person: Person) -> bool:
    return person.is_superuser or bool(access_of(person).academie_ids)


def can_read_audit_log(person: Person) -> bool:
    """Académie administrators read their académie's journal; operators read all."""
    return can_use_academie_console(person)


def can_view_class_register(person: Person, school_class: SchoolClass) -> bool:
    """The class page with its pupils, guardians and account states (personal data).

    Its teachers and those who oversee the school; not its pupils nor their parents, who see
    the class itself (`can_view_class`) but not the other families.
    """
    return teaches(person, school_class) or can_oversee_school(person, school_class.school)


def can_prepare_school_year(person: Person, school: School) -> bool:
    """The rentrée (new classes, pupils moved up): the director, or an académie administrator.

    Not the operators: they run the platform, not a school's classes.
    """
    if is_director_of(person, school):
        return True
    _, _, academie_id = _school_chain(school)
    return academie_id in access_of(person).academie_ids


def has_school_console(person: Person) -> bool:
    """Whether the person oversees schools as staff (director, IEN, CPC, ERUN, DSDEN, académie)."""
    return access_of(person).has(Profile.DIRECTOR, *CIRCONSCRIPTION_PROFILES, *DEPARTEMENT_PROFILES, *ACADEMIE_PROFILES)


def is_teacher(person: Person) -> bool:
    """Holds a teacher profile or teaches a class this year (the "Mes classes" page)."""
    access = access_of(person)
    return access.has(Profile.TEACHER) or bool(access.taught_classes)


def can_administer_school(person: Person, school: School) -> bool:
    """Edit a school's identity in the académie console: its académie's administrators."""
    _, _, academie_id = _school_chain(school)
    return person.is_superuser or academie_id in access_of(person).academie_ids
