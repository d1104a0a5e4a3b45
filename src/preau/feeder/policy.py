"""Who may feed the directory: the académie's administrators, and the operators."""

from preau.directory.models import Academie, Person
from preau.directory.policy import can_administer_academie


def can_import_into(person: Person, academie: Academie) -> bool:
    return can_administer_academie(person, academie)


def can_read_import(person: Person, run) -> bool:
    return can_administer_academie(person, run.academie)
