"""The world of the cahier de textes tests: one school observed, another one beside it."""

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
    "replacement_teacher": (Profile.TEACHER, "school"),
    "colleague": (Profile.TEACHER, "school"),
    "director": (Profile.DIRECTOR, "school"),
    "elected_parent": (Profile.ELECTED_PARENT, "school"),
    "city_referent": (Profile.CITY_REFERENT, "commune"),
    "city_contributor": (Profile.CITY_CONTRIBUTOR, "commune"),
    "periscolaire": (Profile.PERISCOLAIRE, "commune"),
    "advisor": (Profile.ADVISOR, "circonscription"),
    "erun": (Profile.ERUN, "circonscription"),
    "ien": (Profile.IEN, "circonscription"),
    "other_ien": (Profile.IEN, "other_circonscription"),
    "dsden_admin": (Profile.DSDEN_ADMIN, "departement"),
    "academie_admin": (Profile.ACADEMIE_ADMIN, "academie"),
    "other_school_director": (Profile.DIRECTOR, "other_school"),
    "other_school_teacher": (Profile.TEACHER, "other_school"),
    "other_city_referent": (Profile.CITY_REFERENT, "other_commune"),
}
PEOPLE = ["pupil", "classmate_parent", "parent", *ROLES, "other_school_parent", "operator", "anonymous"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    """Académie A: school S1 (class K1, and K2 beside it) in commune C1 and circonscription 1;
    school S2 (class L1) in commune C2, circonscription 2."""
    academie = AcademieFactory(name="Académie A")
    departements = [DepartementFactory(academie=academie) for _ in range(2)]
    circonscriptions = [CirconscriptionFactory(departement=d) for d in departements]
    communes = [CommuneFactory(departement=d, name=f"Commune {i + 1}") for i, d in enumerate(departements)]
    schools = [SchoolFactory(circonscription=c, commune=m) for c, m in zip(circonscriptions, communes, strict=True)]
    return {
        "academie": academie,
        "departement": departements[0],
        "circonscription": circonscriptions[0],
        "other_circonscription": circonscriptions[1],
        "commune": communes[0],
        "school": schools[0],
        "class": SchoolClassFactory(school=schools[0], name="CE1 A", levels="CE1"),
        "sibling_class": SchoolClassFactory(school=schools[0], name="CE1 B", levels="CE1"),
        "other_school": schools[1],
        "other_class": SchoolClassFactory(school=schools[1], name="L1", levels="CE1"),
        "other_commune": communes[1],
    }


def enrol(school_class, *, with_parent: bool = False):
    """A pupil of `school_class`, and their mother when asked."""
    pupil = person_with_role(Profile.PUPIL, school_class.school)
    Enrolment.objects.create(pupil=pupil, school_class=school_class)
    if not with_parent:
        return pupil
    parent = PersonFactory()
    GuardianLink.objects.create(guardian=parent, child=pupil, relationship=GuardianLink.Relationship.MOTHER)
    return pupil, parent


def make_person(name: str, w):
    """The person of row `name` of the policy tables."""
    if name == "anonymous":
        return None
    if name in ROLES:
        profile, structure = ROLES[name]
        person = person_with_role(profile, w[structure])
        if name in ("teacher", "replacement_teacher"):
            Teaching.objects.create(teacher=person, school_class=w["class"])
        if name == "colleague":
            Teaching.objects.create(teacher=person, school_class=w["sibling_class"])
        if name == "other_school_teacher":
            Teaching.objects.create(teacher=person, school_class=w["other_class"])
        return person
    if name == "pupil":
        return enrol(w["class"])
    if name == "parent":
        return enrol(w["class"], with_parent=True)[1]
    if name == "classmate_parent":  # a parent whose child is in the sibling class
        return enrol(w["sibling_class"], with_parent=True)[1]
    if name == "other_school_parent":
        return enrol(w["other_class"], with_parent=True)[1]
    assert name == "operator"
    return PersonFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def captured():
    """Events emitted after commit, by name: {"notice": [...], "homework.work_published": [...]}."""
    from preau.core import events

    found: dict[str, list] = {}

    def collect(name, **payload):
        found.setdefault(name, []).append(payload)

    names = ("notice", "homework.work_published", "homework.work_changed", "homework.work_withdrawn")
    for name in names:
        events._subscribers[name].append(collect)
    yield found
    for name in names:
        events._subscribers[name].remove(collect)
