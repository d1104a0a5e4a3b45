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

from preau.directory.factories import WORLD_ROLES, enrol, policy_world, world_person
from preau.directory.models import Profile
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
    **{name: role for name, role in WORLD_ROLES.items() if name not in ("colleague", "other_academie_admin")},
}


@pytest.fixture
def world(db):
    return policy_world()


def make(name: str, w):
    return None if name == "anonymous" else world_person(name, w)


def answers(person, w) -> tuple[bool, ...]:
    client = Client()
    if person is not None:
        client.force_login(person)
    _victim_child, (victim,) = enrol(w["class"])
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
