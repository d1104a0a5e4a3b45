"""The world of the messagerie's tests: two schools of one académie, every profile in it.

  académie A ─ département D1 ─ circonscription C1 ─ school S1 (commune M1), class K1
            └ département D2 ─ circonscription C2 ─ school S2 (commune M2), class K2
K1: teacher, pupil, classmate; parent (of pupil), elected_parent (role in S1, parent of
classmate); S1's director; M1's referent, contributor, périscolaire; C1's advisor, ERUN, IEN;
D1's DSDEN administrator; A's administrator. S2: other_director, other_teacher (K2),
other_pupil, other_parent; M2's other_city_referent. An operator without profile.
"""

from dataclasses import dataclass, field

import pytest

from preau.core import events
from preau.directory.factories import (
    AcademieFactory,
    CirconscriptionFactory,
    CommuneFactory,
    DepartementFactory,
    PersonFactory,
    SchoolClassFactory,
    SchoolFactory,
    add_role,
    person_with_role,
)
from preau.directory.models import Enrolment, GuardianLink, Profile, Teaching

PEOPLE = [
    "pupil",
    "classmate",
    "teacher",
    "director",
    "parent",
    "elected_parent",
    "city_referent",
    "city_contributor",
    "periscolaire",
    "advisor",
    "erun",
    "ien",
    "dsden_admin",
    "academie_admin",
    "other_director",
    "other_teacher",
    "other_parent",
    "other_pupil",
    "other_city_referent",
    "operator",
]


@dataclass
class World:
    academie: object
    school: object
    other_school: object
    school_class: object
    other_class: object
    commune: object
    people: dict = field(default_factory=dict)

    def __getitem__(self, name: str):
        return self.people[name]


def _pupil(school_class, **fields):
    pupil = person_with_role(Profile.PUPIL, school_class.school, **fields)
    Enrolment.objects.create(pupil=pupil, school_class=school_class)
    return pupil


def _parent_of(pupil, **fields):
    parent = PersonFactory(**fields)
    GuardianLink.objects.create(guardian=parent, child=pupil, relationship=GuardianLink.Relationship.MOTHER)
    return parent


def _teacher(school_class, **fields):
    teacher = person_with_role(Profile.TEACHER, school_class.school, **fields)
    Teaching.objects.create(teacher=teacher, school_class=school_class)
    return teacher


@pytest.fixture
def world(db) -> World:
    academie = AcademieFactory(name="Académie A")
    d1, d2 = DepartementFactory(academie=academie), DepartementFactory(academie=academie)
    c1, c2 = CirconscriptionFactory(departement=d1), CirconscriptionFactory(departement=d2)
    m1, m2 = CommuneFactory(departement=d1, name="Lannemezan"), CommuneFactory(departement=d2, name="Rodez")
    s1 = SchoolFactory(circonscription=c1, commune=m1, name="École des Bourtoulets")
    s2 = SchoolFactory(circonscription=c2, commune=m2, name="École de Rodez")
    k1 = SchoolClassFactory(school=s1, name="CE1 A")
    k2 = SchoolClassFactory(school=s2, name="CM2 B")
    people = {
        "teacher": _teacher(k1, first_name="Julien", last_name="Abadie"),
        "pupil": _pupil(k1, first_name="Léa", last_name="Fourcade"),
        "classmate": _pupil(k1, first_name="Tom", last_name="Baylac"),
        "director": person_with_role(Profile.DIRECTOR, s1, first_name="Isabelle", last_name="Dupuy"),
        "city_referent": person_with_role(Profile.CITY_REFERENT, m1, first_name="Nathalie", last_name="Cazaux"),
        "city_contributor": person_with_role(Profile.CITY_CONTRIBUTOR, m1),
        "periscolaire": person_with_role(Profile.PERISCOLAIRE, m1),
        "advisor": person_with_role(Profile.ADVISOR, c1),
        "erun": person_with_role(Profile.ERUN, c1),
        "ien": person_with_role(Profile.IEN, c1),
        "dsden_admin": person_with_role(Profile.DSDEN_ADMIN, d1),
        "academie_admin": person_with_role(Profile.ACADEMIE_ADMIN, academie),
        "other_director": person_with_role(Profile.DIRECTOR, s2),
        "other_teacher": _teacher(k2),
        "other_pupil": _pupil(k2),
        "other_city_referent": person_with_role(Profile.CITY_REFERENT, m2),
        "operator": PersonFactory(is_staff=True, is_superuser=True),
    }
    add_role(people["director"], Profile.TEACHER, s1)
    people["parent"] = _parent_of(people["pupil"], first_name="Sophie", last_name="Fourcade")
    people["elected_parent"] = _parent_of(people["classmate"], first_name="Marc", last_name="Baylac")
    add_role(people["elected_parent"], Profile.ELECTED_PARENT, s1)
    people["other_parent"] = _parent_of(people["other_pupil"])
    return World(
        academie=academie, school=s1, other_school=s2, school_class=k1, other_class=k2, commune=m1, people=people
    )


@pytest.fixture
def fresh():
    """Forget what a person's access and rules were (as a new request would)."""

    def forget(person):
        for attribute in ("_preau_access", "_preau_messaging_rules", "_preau_messaging_suspension"):
            person.__dict__.pop(attribute, None)
        return person

    return forget


@pytest.fixture
def captured():
    """Events emitted after commit, by name: {"notice": [...], "messaging.reported": [...]}."""
    found: dict[str, list] = {}

    def collect(name, **payload):
        found.setdefault(name, []).append(payload)

    names = ("notice", "messaging.sent", "messaging.reported", "messaging.suspended")
    for name in names:
        events._subscribers[name].append(collect)
    yield found
    for name in names:
        events._subscribers[name].remove(collect)
