"""Who may do what in the chat: the table below IS the rule book, checked cell by cell.

The world: school S1 with its class K1 (teacher, pupils, parents), the school group "Chorale"
(owner: K1's teacher; members: two pupils of K1), the périscolaire group "Atelier théâtre" of
S1's commune (owner: a périscolaire worker; member: the pupil), S1's staff room; school S2 is
another school, in another circonscription and commune. Every room is open, and the moment is
a school Tuesday at 10:00, inside every room's hours.
Columns:
  K.see / K.post / K.mod / K.rm / K.open   class room: sees it, posts, moderates (hours,
                                           silences, closing), removes a message, opens it
  G.see / G.post / G.mod                   the school group's room
  S.see / S.post / S.mod                   the staff room
  P.see / P.post / P.mod                   the périscolaire group's room
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from preau.chat import policy
from preau.directory.factories import CommuneFactory, PersonFactory, person_with_role
from preau.directory.models import GuardianLink, Profile

from .conftest import SCHOOL_TUESDAY

MATRIX = """
                       K.see K.post K.mod K.rm K.open G.see G.post G.mod S.see S.post S.mod P.see P.post P.mod
pupil                  yes   yes    -     -    -      yes   yes    -     -     -      -     yes   yes    -
teacher                yes   yes    yes   yes  yes    yes   yes    yes   yes   yes    -     -     -      -
director               yes   -      -     yes  -      yes   yes    yes   yes   yes    yes   -     -      -
parent                 -     -      -     -    -      -     -      -     -     -      -     -     -      -
elected_parent         -     -      -     -    -      -     -      -     -     -      -     -     -      -
city_referent          -     -      -     -    -      -     -      -     -     -      -     yes   yes    yes
city_contributor       -     -      -     -    -      -     -      -     -     -      -     -     -      -
periscolaire           -     -      -     -    -      -     -      -     -     -      -     yes   yes    yes
advisor                -     -      -     -    -      -     -      -     -     -      -     -     -      -
erun                   -     -      -     -    -      -     -      -     -     -      -     -     -      -
ien                    -     -      -     -    -      -     -      -     -     -      -     -     -      -
dsden_admin            -     -      -     -    -      -     -      -     -     -      -     -     -      -
academie_admin         -     -      -     -    -      -     -      -     -     -      -     -     -      -
operator               -     -      -     -    -      -     -      -     -     -      -     -     -      -
other_school_director  -     -      -     -    -      -     -      -     -     -      -     -     -      -
other_school_teacher   -     -      -     -    -      -     -      -     -     -      -     -     -      -
other_school_parent    -     -      -     -    -      -     -      -     -     -      -     -     -      -
other_city_referent    -     -      -     -    -      -     -      -     -     -      -     -     -      -
anonymous              -     -      -     -    -      -     -      -     -     -      -     -     -      -
"""

NOW = SCHOOL_TUESDAY


def _room_checks(prefix: str, room_key: str) -> dict:
    return {
        f"{prefix}.see": lambda p, w: policy.can_see_room(p, w[room_key]),
        f"{prefix}.post": lambda p, w: policy.can_post(p, w[room_key], NOW),
        f"{prefix}.mod": lambda p, w: policy.can_moderate(p, w[room_key]),
    }


ACTIONS = {
    **_room_checks("K", "class_room"),
    "K.rm": lambda p, w: policy.can_remove_messages(p, w["class_room"]),
    "K.open": lambda p, w: policy.can_open_class_room(p, w["class"]),
    **_room_checks("G", "group_room"),
    **_room_checks("S", "staff_room"),
    **_room_checks("P", "peri_room"),
}
COLUMNS = MATRIX.strip().splitlines()[0].split()


def _parse(table: str) -> dict[tuple[str, str], bool]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    return {(row[0], column): cell == "yes" for row in rows for column, cell in zip(COLUMNS, row[1:], strict=True)}


EXPECTED = _parse(MATRIX)


def _make(name: str, w):
    """The person of row `name`, in the world (a fresh object: nothing cached)."""
    school, commune = w["school"], w["commune"]
    circonscription = school.circonscription
    departement = circonscription.departement
    other = w["other"]
    if name in ("pupil", "teacher", "director", "periscolaire", "parent"):
        return type(w[name]).objects.get(pk=w[name].pk)
    by_role = {
        "elected_parent": (Profile.ELECTED_PARENT, school),
        "city_referent": (Profile.CITY_REFERENT, commune),
        "city_contributor": (Profile.CITY_CONTRIBUTOR, commune),
        "advisor": (Profile.ADVISOR, circonscription),
        "erun": (Profile.ERUN, circonscription),
        "ien": (Profile.IEN, circonscription),
        "dsden_admin": (Profile.DSDEN_ADMIN, departement),
        "academie_admin": (Profile.ACADEMIE_ADMIN, departement.academie),
        "other_city_referent": (Profile.CITY_REFERENT, CommuneFactory(departement=departement)),
    }
    if name in by_role:
        return person_with_role(*by_role[name])
    if name == "other_school_director":
        return other.director
    if name == "other_school_teacher":
        return other.teachers[0]
    if name == "other_school_parent":
        pupil = other.pupils[other.classes[0].id][0]
        return other.parents[pupil.id][0]
    if name == "operator":
        return PersonFactory(is_superuser=True, is_staff=True)
    assert name == "anonymous"
    return AnonymousUser()


@pytest.mark.parametrize(("person_name", "action"), list(EXPECTED), ids=[f"{p}-{a}" for p, a in EXPECTED])
def test_policy_matrix(world, person_name, action):
    person = _make(person_name, world)
    assert ACTIONS[action](person, world) is EXPECTED[(person_name, action)]


def test_matrix_covers_every_profile_and_action():
    rows = {person for person, _ in EXPECTED}
    assert len(rows) == 19
    assert set(COLUMNS) == set(ACTIONS)
    assert len(EXPECTED) == 19 * len(ACTIONS)


def test_a_parent_of_a_group_member_does_not_enter_the_pupils_rooms(world):
    parent = PersonFactory()
    GuardianLink.objects.create(guardian=parent, child=world["pupil"], relationship=GuardianLink.Relationship.MOTHER)
    for room in ("class_room", "group_room", "peri_room"):
        assert not policy.can_see_room(parent, world[room])
