import pytest

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
    "other_academie_admin": (Profile.ACADEMIE_ADMIN, "other_academie"),
    "other_school_director": (Profile.DIRECTOR, "other_school"),
    "other_school_teacher": (Profile.TEACHER, "other_school"),
    "other_city_referent": (Profile.CITY_REFERENT, "other_commune"),
}
PEOPLE = ["pupil", "parent", *ROLES, "other_school_parent", "operator"]


@pytest.fixture
def world(db):
    """Académie A: S1 (class K1) in commune C1 and circonscription 1; S2 in C2, département 2."""
    academie = AcademieFactory(name="Académie A")
    departements = [DepartementFactory(academie=academie) for _ in range(2)]
    circonscriptions = [CirconscriptionFactory(departement=d) for d in departements]
    communes = [CommuneFactory(departement=d, name=f"Commune {i + 1}") for i, d in enumerate(departements)]
    schools = [SchoolFactory(circonscription=c, commune=m) for c, m in zip(circonscriptions, communes, strict=True)]
    w = {
        "academie": academie,
        "departement": departements[0],
        "circonscription": circonscriptions[0],
        "commune": communes[0],
        "school": schools[0],
        "class": SchoolClassFactory(school=schools[0], name="K1"),
        "other_school": schools[1],
        "other_class": SchoolClassFactory(school=schools[1], name="K2"),
        "other_commune": communes[1],
        "other_academie": AcademieFactory(name="Académie B"),
    }
    return w


def make_person(name: str, w):
    if name in ROLES:
        profile, structure = ROLES[name]
        person = person_with_role(profile, w[structure])
        if name == "teacher":
            Teaching.objects.create(teacher=person, school_class=w["class"])
        if name == "other_school_teacher":
            Teaching.objects.create(teacher=person, school_class=w["other_class"])
        return person
    if name in ("pupil", "parent", "other_school_parent"):
        school, school_class = (
            (w["other_school"], w["other_class"]) if name == "other_school_parent" else (w["school"], w["class"])
        )
        pupil = person_with_role(Profile.PUPIL, school)
        Enrolment.objects.create(pupil=pupil, school_class=school_class)
        if name == "pupil":
            return pupil
        parent = PersonFactory()
        GuardianLink.objects.create(guardian=parent, child=pupil, relationship=GuardianLink.Relationship.MOTHER)
        return parent
    assert name == "operator"
    return PersonFactory(is_superuser=True, is_staff=True)
