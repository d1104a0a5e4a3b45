"""Who reads, writes, comments and manages a class blog of K1 (school S1): the table is the rule book.

The blog lets pupils post and comment and parents comment. Columns:
  read     reads the blog              post     writes an article (pupils: waiting for validation)
  waits    their article waits         comment  comments an article
  manage   settings, validation        public   approves opening to the public web (the director)
  consent  records K1's image rights
"""

import pytest

from preau.blog import policy
from preau.blog.models import Blog
from preau.directory.factories import PersonFactory
from preau.news.tests.conftest import PEOPLE, make_person, world  # noqa: F401 — the shared world fixture

MATRIX = """
                      read    post    waits   comment manage  public  consent
pupil                 yes     yes     yes     yes     -       -       -
parent                yes     -       yes     yes     -       -       -
teacher               yes     yes     -       yes     yes     -       yes
director              yes     yes     -       yes     yes     yes     yes
elected_parent        -       -       yes     -       -       -       -
city_referent         -       -       yes     -       -       -       -
city_contributor      -       -       yes     -       -       -       -
periscolaire          -       -       yes     -       -       -       -
advisor               -       -       yes     -       -       -       -
erun                  -       -       yes     -       -       -       -
ien                   -       -       yes     -       -       -       -
dsden_admin           -       -       yes     -       -       -       -
academie_admin        -       -       yes     -       -       -       -
other_academie_admin  -       -       yes     -       -       -       -
other_school_director -       -       yes     -       -       -       -
other_school_teacher  -       -       yes     -       -       -       -
other_city_referent   -       -       yes     -       -       -       -
other_school_parent   -       -       yes     -       -       -       -
operator              -       -       yes     -       -       -       -
"""

ACTIONS = {
    "read": lambda p, w: policy.can_read_blog(p, w["blog"]),
    "post": lambda p, w: policy.can_post(p, w["blog"]),
    "waits": lambda p, w: policy.post_waits_for_validation(p, w["blog"]),
    "comment": lambda p, w: policy.can_comment(p, w["blog"]),
    "manage": lambda p, w: policy.can_manage_blog(p, w["blog"]),
    "public": lambda p, w: policy.can_approve_public(p, w["blog"]),
    "consent": lambda p, w: policy.can_record_image_consent(p, w["class"]),
}


def _parse(table: str) -> dict[tuple[str, str], bool]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    return {(row[0], action): cell == "yes" for row in rows for action, cell in zip(ACTIONS, row[1:], strict=True)}


EXPECTED = _parse(MATRIX)


def test_the_matrix_covers_every_person():
    assert sorted({person for person, _ in EXPECTED}) == sorted(PEOPLE)


@pytest.mark.parametrize(("person_name", "action"), list(EXPECTED), ids=[f"{p}-{a}" for p, a in EXPECTED])
def test_policy_matrix(world, person_name, action):  # noqa: F811
    world["blog"] = Blog.objects.create(
        scope=Blog.Scope.CLASS,
        school=world["school"],
        school_class=world["class"],
        title="Blog K1",
        pupils_may_post=True,
        pupils_may_comment=True,
        parents_may_comment=True,
        created_by=PersonFactory(),
    )
    person = make_person(person_name, world)
    assert ACTIONS[action](person, world) is EXPECTED[(person_name, action)]
