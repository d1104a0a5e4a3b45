"""Who moderates: the table is the rule book (S1 the school, C1 its commune, A the académie).

Columns:
  queue    opens the moderation queue
  school   decides on an item of S1 (its director, publication director of the school)
  commune  decides on an item of C1 (its référent ville)
  pupil    approves a pupil's post of K1 that names them as decider (K1's teacher)
  lists    edits the screen's word lists of A
"""

import pytest

from preau.moderation import policy
from preau.moderation.models import QueueItem
from preau.news.tests.conftest import PEOPLE, make_person, world  # noqa: F401 — the shared world fixture

MATRIX = """
                      queue   school  commune pupil   lists
pupil                 -       -       -       -       -
parent                -       -       -       -       -
teacher               yes     -       -       yes     -
director              yes     yes     -       yes     -
elected_parent        -       -       -       -       -
city_referent         yes     -       yes     -       -
city_contributor      -       -       -       -       -
periscolaire          -       -       -       -       -
advisor               -       -       -       -       -
erun                  -       -       -       -       -
ien                   -       -       -       -       -
dsden_admin           -       -       -       -       -
academie_admin        -       -       -       -       yes
other_academie_admin  -       -       -       -       -
other_school_director yes     -       -       -       -
other_school_teacher  yes     -       -       -       -
other_city_referent   yes     -       -       -       -
other_school_parent   -       -       -       -       -
operator              -       -       -       -       -
"""


def _item(w, **fields) -> QueueItem:
    return QueueItem(kind="blog.post", object_id=1, title="t", author_label="a", url="/", state="attente", **fields)


def _pupil_post(person, w) -> bool:
    teacher_ids = {t.teacher_id for t in w["class"].teachings.all()}
    item = _item(w, school=w["school"], cause="pupil")
    return policy.can_decide(person, item, "approve", decider_ids=teacher_ids)


ACTIONS = {
    "queue": lambda p, w: policy.can_open_queue(p),
    "school": lambda p, w: policy.can_decide(p, _item(w, school=w["school"]), "unpublish", decider_ids=set()),
    "commune": lambda p, w: policy.can_decide(p, _item(w, commune=w["commune"]), "unpublish", decider_ids=set()),
    "pupil": _pupil_post,
    "lists": lambda p, w: policy.can_edit_word_lists(p, w["academie"]),
}


def _parse(table: str) -> dict[tuple[str, str], bool]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    return {(row[0], action): cell == "yes" for row in rows for action, cell in zip(ACTIONS, row[1:], strict=True)}


EXPECTED = _parse(MATRIX)


def test_the_matrix_covers_every_person():
    assert sorted({person for person, _ in EXPECTED}) == sorted(PEOPLE)


@pytest.mark.parametrize(("person_name", "action"), list(EXPECTED), ids=[f"{p}-{a}" for p, a in EXPECTED])
def test_policy_matrix(world, person_name, action):  # noqa: F811
    person = make_person(person_name, world)
    assert ACTIONS[action](person, world) is EXPECTED[(person_name, action)]
