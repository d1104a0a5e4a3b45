"""Who reads and writes a cahier journal: the table is the rule book.

The journal observed is `teacher`'s (class K1 of school S1). Columns:
  open     keeps a cahier journal (the pages and the portal tile)
  plan     plans sessions for K1
  read     reads the teacher's session of today
  later    reads the teacher's session in ten days (outside the running loan)
  edit     changes, deletes, writes the bilan of that session
  report   reports it to the cahier de textes
  replace  may be named the teacher's replacement (teaching staff of S1)
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.journal import policy

from .conftest import PEOPLE, make_person, slot_for

MATRIX = """
                      open   plan   read   later  edit   report replace
                      ------ ------ ------ ------ ------ ------ ------
pupil                 -      -      -      -      -      -      -
parent                -      -      -      -      -      -      -
teacher               yes    yes    yes    yes    yes    yes    -
replacement           -      -      yes    -      -      -      yes
past_replacement      -      -      -      -      -      -      yes
director              yes    -      -      -      -      -      yes
colleague             yes    -      -      -      -      -      yes
elected_parent        -      -      -      -      -      -      -
city_referent         -      -      -      -      -      -      -
city_contributor      -      -      -      -      -      -      -
periscolaire          -      -      -      -      -      -      -
advisor               -      -      -      -      -      -      -
erun                  -      -      -      -      -      -      -
ien                   -      -      -      -      -      -      -
dsden_admin           -      -      -      -      -      -      -
academie_admin        -      -      -      -      -      -      -
other_academie_admin  -      -      -      -      -      -      -
other_school_director -      -      -      -      -      -      -
other_school_teacher  yes    -      -      -      -      -      -
other_city_referent   -      -      -      -      -      -      -
other_school_parent   -      -      -      -      -      -      -
operator              -      -      -      -      -      -      -
anonymous             -      -      -      -      -      -      -
"""


def _later(w):
    return slot_for(w, timezone.localdate() + datetime.timedelta(days=10))


ACTIONS = {
    "open": lambda p, w: policy.keeps_journal(p),
    "plan": lambda p, w: policy.can_plan_for(p, w["class"]),
    "read": lambda p, w: policy.can_read(p, slot_for(w)),
    "later": lambda p, w: policy.can_read(p, _later(w)),
    "edit": lambda p, w: policy.can_edit(p, slot_for(w)),
    "report": lambda p, w: policy.can_report_to_homework(p, slot_for(w)),
    "replace": lambda p, w: policy.may_be_replacement(w["teacher"], p),
}


def _parse(table: str) -> dict[tuple[str, str], bool]:
    rows = [line.split() for line in table.strip().splitlines()[2:]]
    return {(row[0], action): cell == "yes" for row in rows for action, cell in zip(ACTIONS, row[1:], strict=True)}


EXPECTED = _parse(MATRIX)


def test_the_matrix_covers_every_person():
    assert sorted({person for person, _ in EXPECTED}) == sorted(PEOPLE)


@pytest.mark.parametrize(("person_name", "action"), list(EXPECTED), ids=[f"{p}-{a}" for p, a in EXPECTED])
def test_policy_matrix(world, person_name, action):
    person = make_person(person_name, world)
    assert ACTIONS[action](person, world) is EXPECTED[(person_name, action)]


# What each page answers: the day page (200, 403, or 302 to the loans for a replacement), the
# edit page of the teacher's session, the running loan's read-only page. "login": sent to sign in.
PAGES = """
                      day    edit   shared
pupil                 403    404    404
parent                403    404    404
teacher               200    200    404
replacement           302    404    200
past_replacement      403    404    404
director              200    404    404
colleague             200    404    404
elected_parent        403    404    404
city_referent         403    404    404
city_contributor      403    404    404
periscolaire          403    404    404
advisor               403    404    404
erun                  403    404    404
ien                   403    404    404
dsden_admin           403    404    404
academie_admin        403    404    404
other_academie_admin  403    404    404
other_school_director 403    404    404
other_school_teacher  200    404    404
other_city_referent   403    404    404
other_school_parent   403    404    404
operator              403    404    404
anonymous             login  login  login
"""
PAGE_EXPECTED = {row.split()[0]: row.split()[1:] for row in PAGES.strip().splitlines()[1:]}


@pytest.mark.parametrize("person_name", PEOPLE)
def test_pages_answer_each_profile(world, client, client_for, person_name):
    slot = slot_for(world)
    person = make_person(person_name, world)
    replacement = make_person("replacement", world) if person_name != "replacement" else person
    share = replacement.journal_shares_received.get()
    browser = client if person_name == "anonymous" else client_for(person)
    urls = [
        reverse("journal:day"),
        reverse("journal:slot_edit", args=[slot.pk]),
        reverse("journal:shared", args=[share.pk]),
    ]
    for url, expected in zip(urls, PAGE_EXPECTED[person_name], strict=True):
        response = browser.get(url)
        if expected == "login":
            assert response.status_code == 302 and "/connexion/" in response.url, url
        else:
            assert response.status_code == int(expected), url
        assert "Lecture : le loup" not in response.content.decode() or expected == "200"
