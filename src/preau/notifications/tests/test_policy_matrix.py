"""Who may do what with notifications: the table below IS the rule book, checked row by row
through the pages themselves.

The world: académie A with two départements, each with a circonscription, a commune and a
school; the school observed is S1 (class K1); S2 is another school. Columns:
  timeline        reads their own timeline (/notifications/)
  preferences     reads and saves their own preferences
  own_entry       opens an entry of their own timeline
  others_entry    opens an entry of another person's timeline (a parent of S1)
  read_quiet      opens S1's quiet hours page
  set_quiet       changes S1's quiet hours (the action, through the page)
"""

import pytest
from django.test import Client
from django.urls import reverse

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
from preau.notifications.models import Entry, Preference, QuietHours

from .conftest import as_submitted

pytestmark = pytest.mark.django_db

MATRIX = """
                        time-   prefe-  own     others  read    set
                        line    rences  entry   entry   quiet   quiet
pupil                   yes     yes     yes     -       -       -
parent                  yes     yes     yes     -       -       -
teacher                 yes     yes     yes     -       -       -
director                yes     yes     yes     -       yes     yes
elected_parent          yes     yes     yes     -       -       -
city_referent           yes     yes     yes     -       -       -
city_contributor        yes     yes     yes     -       -       -
periscolaire            yes     yes     yes     -       -       -
advisor                 yes     yes     yes     -       -       -
erun                    yes     yes     yes     -       -       -
ien                     yes     yes     yes     -       -       -
dsden_admin             yes     yes     yes     -       -       -
academie_admin          yes     yes     yes     -       -       -
operator                yes     yes     yes     -       -       -
other_school_director   yes     yes     yes     -       -       -
other_school_teacher    yes     yes     yes     -       -       -
other_school_parent     yes     yes     yes     -       -       -
other_city_referent     yes     yes     yes     -       -       -
anonymous               -       -       -       -       -       -
"""
ACTIONS = ["timeline", "preferences", "own_entry", "others_entry", "read_quiet", "set_quiet"]
EXPECTED = {
    row[0]: tuple(cell == "yes" for cell in row[1:])
    for row in (line.split() for line in MATRIX.strip().splitlines()[2:])
}

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
    "other_school_director": (Profile.DIRECTOR, "other_school"),
    "other_school_teacher": (Profile.TEACHER, "other_school"),
    "other_city_referent": (Profile.CITY_REFERENT, "other_commune"),
}


@pytest.fixture
def world(db):
    academie = AcademieFactory(name="Académie A")
    departements = [DepartementFactory(academie=academie) for _ in range(2)]
    circonscriptions = [CirconscriptionFactory(departement=d) for d in departements]
    communes = [CommuneFactory(departement=d) for d in departements]
    schools = [SchoolFactory(circonscription=c, commune=m) for c, m in zip(circonscriptions, communes, strict=True)]
    return {
        "academie": academie,
        "departement": departements[0],
        "circonscription": circonscriptions[0],
        "commune": communes[0],
        "school": schools[0],
        "class": SchoolClassFactory(school=schools[0], name="K1"),
        "other_school": schools[1],
        "other_class": SchoolClassFactory(school=schools[1], name="K2"),
        "other_commune": communes[1],
    }


def family(school_class):
    pupil = person_with_role(Profile.PUPIL, school_class.school)
    Enrolment.objects.create(pupil=pupil, school_class=school_class)
    parent = PersonFactory()
    GuardianLink.objects.create(guardian=parent, child=pupil, relationship=GuardianLink.Relationship.MOTHER)
    return pupil, parent


def make(name: str, w):
    if name in ROLES:
        profile, structure = ROLES[name]
        person = person_with_role(profile, w[structure])
        if name in ("teacher", "other_school_teacher"):
            Teaching.objects.create(teacher=person, school_class=w["class" if name == "teacher" else "other_class"])
        return person
    if name in ("pupil", "parent", "other_school_parent"):
        pupil, parent = family(w["other_class" if name == "other_school_parent" else "class"])
        return pupil if name == "pupil" else parent
    if name == "operator":
        return PersonFactory(is_superuser=True, is_staff=True)
    assert name == "anonymous"
    return None


def answers(person, w) -> tuple[bool, ...]:
    client = Client()
    if person is not None:
        client.force_login(person)
    _victim_child, victim = family(w["class"])
    others = Entry.objects.create(person=victim, kind="essai.mot", title="Mot", url="/mot-de-la-victime/")
    own = Entry.objects.create(person=person, kind="essai.mot", title="Mot", url="/mon-mot/") if person else others
    quiet_url = reverse("notifications:quiet_hours", args=[w["school"].pk])

    timeline = client.get(reverse("notifications:timeline")).status_code == 200
    shown = client.get(reverse("notifications:preferences"))
    preferences = False
    if shown.status_code == 200:
        saved = client.post(reverse("notifications:preferences"), as_submitted(shown.context["form"]))
        preferences = saved.status_code == 302 and Preference.objects.filter(person=person).exists()
    own_entry = client.get(reverse("notifications:open", args=[own.pk])).get("Location") == "/mon-mot/"
    others_entry = client.get(reverse("notifications:open", args=[others.pk])).get("Location") == others.url
    read_quiet = client.get(quiet_url).status_code == 200
    client.post(quiet_url, {"enabled": "on", "morning": "08:00", "evening": "18:00", "quiet_days": ["6"]})
    set_quiet = QuietHours.objects.filter(school=w["school"]).exists()
    return timeline, preferences, own_entry, others_entry, read_quiet, set_quiet


@pytest.mark.parametrize("person_name", list(EXPECTED))
def test_policy_matrix(world, person_name):
    assert dict(zip(ACTIONS, answers(make(person_name, world), world), strict=True)) == dict(
        zip(ACTIONS, EXPECTED[person_name], strict=True)
    )


def test_matrix_covers_every_profile():
    profiles = {name: profile for name, (profile, _structure) in ROLES.items()}
    profiles.update(pupil=Profile.PUPIL, parent=Profile.PARENT, other_school_parent=Profile.PARENT)
    assert set(profiles.values()) == set(Profile)
    assert set(EXPECTED) == {*profiles, "operator", "anonymous"}
    assert all(len(row) == len(ACTIONS) for row in EXPECTED.values())
