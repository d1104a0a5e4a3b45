"""The world of the liaison tests, and the people of the policy matrix.

Académie A: school S1 (classes K1 and K1b) in commune C1 and circonscription 1; school S2
(class K2) in commune C2, département 2. Every profile of the matrix is built on it.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from preau.core import events
from preau.directory.factories import (
    AcademieFactory,
    CirconscriptionFactory,
    CommuneFactory,
    DepartementFactory,
    PersonFactory,
    SchoolClassFactory,
    SchoolFactory,
    person_with_role,
)
from preau.directory.models import Enrolment, GuardianLink, Profile, Teaching

ROLES = {
    "teacher": (Profile.TEACHER, "school"),
    "director": (Profile.DIRECTOR, "school"),
    "elected_parent": (Profile.ELECTED_PARENT, "school"),
    "city_referent": (Profile.CITY_REFERENT, "commune"),
    "city_contributor": (Profile.CITY_CONTRIBUTOR, "commune"),
    "periscolaire": (Profile.PERISCOLAIRE, "commune"),
    "advisor": (Profile.ADVISOR, "circonscription"),
    "erun": (Profile.ERUN, "circonscription"),
    "ien": (Profile.IEN, "circonscription"),
    "dsden_admin": (Profile.DSDEN_ADMIN, "departement"),
    "academie_admin": (Profile.ACADEMIE_ADMIN, "academie"),
    "other_class_teacher": (Profile.TEACHER, "school"),
    "other_school_director": (Profile.DIRECTOR, "other_school"),
    "other_school_teacher": (Profile.TEACHER, "other_school"),
    "other_city_referent": (Profile.CITY_REFERENT, "other_commune"),
}
PEOPLE = [
    "pupil",
    "parent",
    *ROLES,
    "other_class_parent",
    "other_school_parent",
    "operator",
    "anonymous",
]


@pytest.fixture
def world(db):
    academie = AcademieFactory(name="Académie A")
    departements = [DepartementFactory(academie=academie) for _ in range(2)]
    circonscriptions = [CirconscriptionFactory(departement=d) for d in departements]
    communes = [CommuneFactory(departement=d, name=f"Commune {i + 1}") for i, d in enumerate(departements)]
    schools = [SchoolFactory(circonscription=c, commune=m) for c, m in zip(circonscriptions, communes, strict=True)]
    return {
        "academie": academie,
        "departement": departements[0],
        "circonscription": circonscriptions[0],
        "commune": communes[0],
        "school": schools[0],
        "class": SchoolClassFactory(school=schools[0], name="K1"),
        "other_class": SchoolClassFactory(school=schools[0], name="K1b"),
        "other_school": schools[1],
        "other_school_class": SchoolClassFactory(school=schools[1], name="K2"),
        "other_commune": communes[1],
    }


def enrol(school_class, *, guardians: int = 1, **pupil_fields):
    """A pupil of `school_class` and their guardians (mother first, then father)."""
    pupil = person_with_role(Profile.PUPIL, school_class.school, **pupil_fields)
    Enrolment.objects.create(pupil=pupil, school_class=school_class)
    parents = []
    for rank in range(guardians):
        parent = PersonFactory()
        relationship = GuardianLink.Relationship.MOTHER if rank == 0 else GuardianLink.Relationship.FATHER
        GuardianLink.objects.create(guardian=parent, child=pupil, relationship=relationship)
        parents.append(parent)
    return pupil, parents


def make_person(name: str, w):
    """One person of the matrix. The pupil and parent are the family of `w["child"]` (in K1)."""
    if name in ROLES:
        profile, structure = ROLES[name]
        person = person_with_role(profile, w[structure])
        taught = {
            "teacher": "class",
            "other_class_teacher": "other_class",
            "other_school_teacher": "other_school_class",
        }
        if name in taught:
            Teaching.objects.create(teacher=person, school_class=w[taught[name]])
        return person
    if name == "pupil":
        return w["child"]
    if name == "parent":
        return w["child_parent"]
    if name in ("other_class_parent", "other_school_parent"):
        school_class = w["other_class"] if name == "other_class_parent" else w["other_school_class"]
        _, (parent,) = enrol(school_class)
        return parent
    if name == "operator":
        return PersonFactory(is_superuser=True, is_staff=True)
    assert name == "anonymous"
    return AnonymousUser()


@pytest.fixture
def family(world):
    """A child of K1 with their guardian, in the world (the matrix's pupil and parent)."""
    child, (parent,) = enrol(world["class"])
    world["child"], world["child_parent"] = child, parent
    return child, parent


received: list = []


@events.subscriber("notice")
def _collect_notice(name, notice):
    received.append(notice)


@pytest.fixture
def notices():
    """The notices announced during the test (their transaction committed)."""
    received.clear()
    yield received
    received.clear()
