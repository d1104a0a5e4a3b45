import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from preau.agenda.models import Event, HomeworkDue
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
    "director": (Profile.DIRECTOR, "school"),
    "colleague": (Profile.TEACHER, "school"),
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
# "teacher" teaches K1 of S1; "colleague" another class of S1.
PEOPLE = ["pupil", "parent", "teacher", *ROLES, "other_school_parent", "operator", "anonymous"]


@pytest.fixture
def world(db):
    """Académie A (zone C): S1 (class K1, taught by `teacher`) in commune C1; S2 (class K2) elsewhere."""
    academie = AcademieFactory(name="Académie A", holiday_zone="C")
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
        "other_academie": AcademieFactory(name="Académie B", holiday_zone="A"),
    }
    w["teacher"] = person_with_role(Profile.TEACHER, w["school"], first_name="Julien", last_name="Abadie")
    Teaching.objects.create(teacher=w["teacher"], school_class=w["class"])
    return w


def event_in(w, calendar: str, day: datetime.date | None = None, **fields) -> Event:
    """An all-day event of S1's calendar, K1's calendar or the teacher's own."""
    where = {
        Event.Calendar.SCHOOL: {"school": w["school"]},
        Event.Calendar.CLASS: {"school": w["school"], "school_class": w["class"]},
        Event.Calendar.PERSONAL: {"owner": w["teacher"]},
    }[calendar]
    day = day or timezone.localdate()
    values = {"title": f"Événement {calendar}", "category": Event.Category.OTHER, "all_day": True,
              "starts_on": day, "ends_on": day, "author": w["teacher"], **where, **fields}  # fmt: skip
    return Event.objects.create(calendar=calendar, **values)


def due_for(w, work_id: int = 1, day: datetime.date | None = None, school_class=None) -> HomeworkDue:
    school_class = school_class or w["class"]
    due = HomeworkDue.objects.create(
        work_id=work_id,
        school=school_class.school,
        title=f"Poésie {work_id}",
        due_on=day or timezone.localdate(),
        url=f"/cahier-de-textes/travaux/{work_id}/",
    )
    due.classes.add(school_class)
    return due


def make_person(name: str, w):
    if name == "teacher":
        return w["teacher"]
    if name == "anonymous":
        return AnonymousUser()
    if name in ROLES:
        profile, structure = ROLES[name]
        person = person_with_role(profile, w[structure])
        if name in ("colleague", "director"):
            Teaching.objects.create(teacher=person, school_class=SchoolClassFactory(school=w["school"]))
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
