"""Who may hand out and take back the means of signing in.

The rules live in `preau.directory.policy` (they are about schools and classes); these
predicates add what belongs to accounts: the pupil must be in the class the actor manages.
"""

from preau.directory.models import Person, School, SchoolClass
from preau.directory.policy import (
    can_manage_class_cards,
    can_manage_parent_account,
    can_manage_school,
    can_reset_pupil_password,
)


def can_issue_activation_letters(person: Person, school_class: SchoolClass) -> bool:
    """Activation letters of a class's parents: the director, the DSDEN and académie admins."""
    return can_manage_school(person, school_class.school)


def can_manage_cards_of(person: Person, school_class: SchoolClass) -> bool:
    """The class's login cards and its tablet sign-in: its teachers and the director."""
    return can_manage_class_cards(person, school_class)


def can_revoke_card_of(person: Person, pupil_classes: list[SchoolClass]) -> bool:
    """A pupil's card: a teacher or the director of one of the pupil's classes this year."""
    return any(can_manage_class_cards(person, c) for c in pupil_classes)


def can_reset_password_in(person: Person, school_class: SchoolClass) -> bool:
    """A pupil's password: their teacher or director (pupils have no e-mail)."""
    return can_reset_pupil_password(person, school_class)


def can_reset_parent_access(person: Person, child_schools: list[School]) -> bool:
    """A new activation letter for one parent: the director of one of their children."""
    return can_manage_parent_account(person, child_schools)
