"""Who may do what in the directory: the table below IS the rule book, checked cell by cell.

The world: académie A with two départements, each with a circonscription, a commune and a
school; the school observed is S1 (département 1) and its class K1; académie B is another one.
Columns:
  view_school          sees S1 exists and its public pages (can_view_school)
  manage_school        acts in S1's console (can_manage_school)
  oversee_school       reads S1's console (can_oversee_school)
  view_class           sees class K1 as a member (can_view_class)
  view_class_register  reads K1's list of pupils, guardians and accounts (can_view_class_register)
  manage_class_cards   prints K1's login cards and activation letters (can_manage_class_cards)
  prepare_school_year  does S1's rentrée (can_prepare_school_year)
  administer_academie  edits A's schools, communes, administrators (can_administer_academie)
  use_academie_console opens the académie console (can_use_academie_console)
  read_audit_log       reads the journal (can_read_audit_log)
"""

import pytest

from preau.directory import policy
from preau.directory.factories import policy_world, world_person

pytestmark = pytest.mark.django_db

MATRIX = """
                      view    manage  oversee view    class   class   prepare admin.  acad.   audit
                      school  school  school  class   regist. cards   year    acad.   console log
pupil                 yes     -       -       yes     -       -       -       -       -       -
parent                yes     -       -       yes     -       -       -       -       -       -
teacher               yes     -       -       yes     yes     yes     -       -       -       -
director              yes     yes     yes     yes     yes     yes     yes     -       -       -
elected_parent        yes     -       -       -       -       -       -       -       -       -
city_referent         yes     -       -       -       -       -       -       -       -       -
city_contributor      yes     -       -       -       -       -       -       -       -       -
periscolaire          yes     -       -       -       -       -       -       -       -       -
advisor               yes     -       yes     yes     yes     -       -       -       -       -
erun                  yes     -       yes     yes     yes     -       -       -       -       -
ien                   yes     -       yes     yes     yes     -       -       -       -       -
dsden_admin           yes     yes     yes     yes     yes     yes     -       -       -       -
academie_admin        yes     yes     yes     yes     yes     yes     yes     yes     yes     yes
other_academie_admin  -       -       -       -       -       -       -       -       yes     yes
other_school_director -       -       -       -       -       -       -       -       -       -
other_city_referent   -       -       -       -       -       -       -       -       -       -
operator              -       -       -       -       -       -       -       yes     yes     yes
"""

ACTIONS = {
    "view_school": lambda person, w: policy.can_view_school(person, w["school"]),
    "manage_school": lambda person, w: policy.can_manage_school(person, w["school"]),
    "oversee_school": lambda person, w: policy.can_oversee_school(person, w["school"]),
    "view_class": lambda person, w: policy.can_view_class(person, w["class"]),
    "view_class_register": lambda person, w: policy.can_view_class_register(person, w["class"]),
    "manage_class_cards": lambda person, w: policy.can_manage_class_cards(person, w["class"]),
    "prepare_school_year": lambda person, w: policy.can_prepare_school_year(person, w["school"]),
    "administer_academie": lambda person, w: policy.can_administer_academie(person, w["academie"]),
    "use_academie_console": lambda person, w: policy.can_use_academie_console(person),
    "read_audit_log": lambda person, w: policy.can_read_audit_log(person),
}


def _parse(table: str) -> dict[tuple[str, str], bool]:
    rows = [line.split() for line in table.strip().splitlines()[2:]]
    return {(row[0], action): cell == "yes" for row in rows for action, cell in zip(ACTIONS, row[1:], strict=True)}


EXPECTED = _parse(MATRIX)


@pytest.fixture
def world(db):
    return policy_world()


@pytest.mark.parametrize(("person_name", "action"), list(EXPECTED), ids=[f"{p}-{a}" for p, a in EXPECTED])
def test_policy_matrix(world, person_name, action):
    person = world_person(person_name, world)
    assert ACTIONS[action](person, world) is EXPECTED[(person_name, action)]


def test_matrix_covers_every_profile():
    rows = {person for person, _ in EXPECTED}
    assert len(rows) == 17
    assert len(EXPECTED) == 17 * len(ACTIONS)
