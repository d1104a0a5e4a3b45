"""Who reads and who publishes actualités and commune pages: the table is the rule book.

Columns (S1 is the school observed, K1 its class, C1 its commune, A the académie):
  school  reads S1's news for everyone      staff   reads S1's news for staff
  fam     reads S1's news for families      class   reads K1's news
  commun  reads C1's news for families      circ    reads the circonscription's news
  acad    reads A's news for staff          p.sch   publishes in S1
  p.cls   publishes in K1                   p.com   publishes in C1
  manage  edits or withdraws a teacher's K1 item (publication director or author)
  pages   reads C1's pages                  edit    edits C1's pages
"""

import pytest

from preau.news import policy
from preau.news.models import NewsItem

from .conftest import PEOPLE, make_person

MATRIX = """
                      school staff  fam    class  commun circ   acad   p.sch  p.cls  p.com  manage pages  edit
                      ------ ------ ------ ------ ------ ------ ------ ------ ------ ------ ------ ------ ------
pupil                 yes    -      -      yes    -      -      -      -      -      -      -      -      -
parent                yes    -      yes    yes    yes    -      -      -      -      -      -      yes    -
teacher               yes    yes    yes    yes    yes    yes    yes    -      yes    -      -      yes    -
director              yes    yes    yes    yes    yes    yes    yes    yes    -      -      yes    yes    -
elected_parent        yes    -      yes    -      -      -      -      -      -      -      -      -      -
city_referent         -      -      -      -      yes    -      -      -      -      yes    -      yes    yes
city_contributor      -      -      -      -      yes    -      -      -      -      yes    -      yes    yes
periscolaire          -      -      -      -      yes    -      -      -      -      -      -      yes    -
advisor               -      -      -      -      -      yes    yes    -      -      -      -      -      -
erun                  -      -      -      -      -      yes    yes    -      -      -      -      -      -
ien                   -      -      -      -      -      yes    yes    -      -      -      -      -      -
dsden_admin           -      -      -      -      -      -      yes    -      -      -      -      -      -
academie_admin        -      -      -      -      -      -      yes    -      -      -      -      -      -
other_academie_admin  -      -      -      -      -      -      -      -      -      -      -      -      -
other_school_director -      -      -      -      -      -      yes    -      -      -      -      -      -
other_school_teacher  -      -      -      -      -      -      yes    -      -      -      -      -      -
other_city_referent   -      -      -      -      -      -      -      -      -      -      -      -      -
other_school_parent   -      -      -      -      -      -      -      -      -      -      -      -      -
operator              -      -      -      -      -      -      -      -      -      -      -      -      -
"""
Scope, Audience = NewsItem.Scope, NewsItem.Audience


def _item(w, scope, audience=Audience.EVERYONE, author=None, **fields):
    author = author or w["author"]
    return NewsItem(scope=scope, audience=audience, title="t", body="<p>b</p>", author=author, **fields)


ACTIONS = {
    "school": lambda p, w: policy.can_read(p, _item(w, Scope.SCHOOL, school=w["school"])),
    "school_staff": lambda p, w: policy.can_read(p, _item(w, Scope.SCHOOL, Audience.STAFF, school=w["school"])),
    "school_fam": lambda p, w: policy.can_read(p, _item(w, Scope.SCHOOL, Audience.FAMILIES, school=w["school"])),
    "class": lambda p, w: policy.can_read(p, _item(w, Scope.CLASS, school=w["school"], school_class=w["class"])),
    "commune": lambda p, w: policy.can_read(p, _item(w, Scope.COMMUNE, Audience.FAMILIES, commune=w["commune"])),
    "circ": lambda p, w: policy.can_read(
        p, _item(w, Scope.CIRCONSCRIPTION, Audience.STAFF, circonscription=w["circonscription"])
    ),
    "academie": lambda p, w: policy.can_read(p, _item(w, Scope.ACADEMIE, Audience.STAFF, academie=w["academie"])),
    "pub_school": lambda p, w: policy.can_publish(p, Scope.SCHOOL, w["school"]),
    "pub_class": lambda p, w: policy.can_publish(p, Scope.CLASS, w["class"]),
    "pub_commune": lambda p, w: policy.can_publish(p, Scope.COMMUNE, w["commune"]),
    "manage": lambda p, w: policy.can_manage(p, _item(w, Scope.CLASS, school=w["school"], school_class=w["class"])),
    "pages": lambda p, w: policy.can_read_commune_pages(p, w["commune"]),
    "edit_pages": lambda p, w: policy.can_edit_commune_pages(p, w["commune"]),
}


def _parse(table: str) -> dict[tuple[str, str], bool]:
    rows = [line.split() for line in table.strip().splitlines()[2:]]
    return {(row[0], action): cell == "yes" for row in rows for action, cell in zip(ACTIONS, row[1:], strict=True)}


EXPECTED = _parse(MATRIX)


def test_the_matrix_covers_every_person():
    assert sorted({person for person, _ in EXPECTED}) == sorted(PEOPLE)


@pytest.mark.parametrize(("person_name", "action"), list(EXPECTED), ids=[f"{p}-{a}" for p, a in EXPECTED])
def test_policy_matrix(world, person_name, action):
    from preau.directory.factories import PersonFactory

    world["author"] = PersonFactory()  # someone else wrote the items observed
    person = make_person(person_name, world)
    assert ACTIONS[action](person, world) is EXPECTED[(person_name, action)]


@pytest.mark.parametrize("person_name", PEOPLE)
def test_the_query_agrees_with_the_policy(world, person_name):
    """news_visible_to (SQL) and is_reader (Python) are one rule written twice: check they agree."""
    from preau.directory.factories import PersonFactory
    from preau.news.queries import news_visible_to

    world["author"] = PersonFactory()
    person = make_person(person_name, world)
    structures = {
        Scope.SCHOOL: {"school": world["school"]},
        Scope.CLASS: {"school": world["school"], "school_class": world["class"]},
        Scope.COMMUNE: {"commune": world["commune"]},
        Scope.CIRCONSCRIPTION: {"circonscription": world["circonscription"]},
        Scope.ACADEMIE: {"academie": world["academie"]},
    }
    items = [
        NewsItem.objects.create(
            scope=scope,
            audience=audience,
            title=f"{scope} {audience}",
            body="<p>b</p>",
            author=world["author"],
            **fields,
        )
        for scope, fields in structures.items()
        for audience in policy.AUDIENCES[scope]
    ]
    assert set(news_visible_to(person)) == {item for item in items if policy.is_reader(person, item)}
