"""Who reads and who writes each calendar: the table is the rule book.

S1 is the school observed, K1 its class (taught by `teacher`). Columns:
  r.sch   reads S1's calendar                w.sch   writes in S1's calendar
  r.cls   reads K1's calendar                w.cls   writes in K1's calendar
  r.own   reads the teacher's own calendar   w.own   writes in the teacher's own calendar
  devoir  sees the homework due for K1       tile    has the agenda on the portal
"""

import pytest
from django.urls import reverse

from preau.agenda import policy
from preau.agenda.models import Event

from .conftest import PEOPLE, due_for, event_in, make_person

Calendar = Event.Calendar

MATRIX = """
                      r.sch  w.sch  r.cls  w.cls  r.own  w.own  devoir tile
                      ------ ------ ------ ------ ------ ------ ------ ------
pupil                 yes    -      yes    -      -      -      yes    yes
parent                yes    -      yes    -      -      -      yes    yes
teacher               yes    -      yes    yes    yes    yes    yes    yes
director              yes    yes    yes    -      -      -      -      yes
colleague             yes    -      -      -      -      -      -      yes
elected_parent        yes    -      -      -      -      -      -      yes
city_referent         yes    -      -      -      -      -      -      yes
city_contributor      yes    -      -      -      -      -      -      yes
periscolaire          yes    -      -      -      -      -      -      yes
advisor               -      -      -      -      -      -      -      -
erun                  -      -      -      -      -      -      -      -
ien                   -      -      -      -      -      -      -      -
dsden_admin           -      -      -      -      -      -      -      -
academie_admin        -      -      -      -      -      -      -      -
other_academie_admin  -      -      -      -      -      -      -      -
other_school_director -      -      -      -      -      -      -      yes
other_school_teacher  -      -      -      -      -      -      -      yes
other_city_referent   -      -      -      -      -      -      -      yes
other_school_parent   -      -      -      -      -      -      -      yes
operator              -      -      -      -      -      -      -      -
anonymous             -      -      -      -      -      -      -      -
"""

ACTIONS = {
    "read_school": lambda p, w: policy.can_read(p, event_in(w, Calendar.SCHOOL)),
    "write_school": lambda p, w: policy.writes_in(p, Calendar.SCHOOL, w["school"].pk),
    "read_class": lambda p, w: policy.can_read(p, event_in(w, Calendar.CLASS)),
    "write_class": lambda p, w: policy.writes_in(p, Calendar.CLASS, w["class"].pk),
    "read_own": lambda p, w: policy.can_read(p, event_in(w, Calendar.PERSONAL)),
    "write_own": lambda p, w: policy.writes_in(p, Calendar.PERSONAL, w["teacher"].pk),
    "homework": lambda p, w: policy.sees_homework(p, due_for(w)),
    "tile": lambda p, w: policy.has_agenda(p),
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


@pytest.mark.parametrize("person_name", PEOPLE)
def test_the_lists_show_what_the_rules_allow(world, person_name):
    """`queries` and `policy` never disagree: the month's items are exactly the readable ones."""
    from preau.agenda.queries import agenda_items

    events = [event_in(world, calendar) for calendar in Calendar.values]
    due_for(world)
    person = make_person(person_name, world)
    if person_name == "anonymous":
        return
    day = events[0].starts_on
    items = agenda_items(person, start=day, end=day, with_holidays=False)
    shown = {item.uid for item in items}
    assert shown >= {f"evenement-{e.pk}" for e in events if policy.can_read(person, e)}
    assert not shown & {f"evenement-{e.pk}" for e in events if not policy.can_read(person, e)}
    assert any(item.kind == "devoir" for item in items) is EXPECTED[(person_name, "homework")]


# What the pages answer: the month, K1's event, its edit page. "login": sent to sign in.
PAGES = """
                      month  event  edit
pupil                 200    200    403
parent                200    200    403
teacher               200    200    200
director              200    200    403
colleague             200    404    404
elected_parent        200    404    404
city_referent         200    404    404
city_contributor      200    404    404
periscolaire          200    404    404
advisor               200    404    404
erun                  200    404    404
ien                   200    404    404
dsden_admin           200    404    404
academie_admin        200    404    404
other_academie_admin  200    404    404
other_school_director 200    404    404
other_school_teacher  200    404    404
other_city_referent   200    404    404
other_school_parent   200    404    404
operator              200    404    404
anonymous             login  login  login
"""
PAGE_EXPECTED = {row.split()[0]: row.split()[1:] for row in PAGES.strip().splitlines()[1:]}


@pytest.mark.parametrize("person_name", PEOPLE)
def test_pages_answer_each_profile(world, client, client_for, person_name):
    event = event_in(world, Calendar.CLASS, title="Sortie au musée")
    person = make_person(person_name, world)
    browser = client if person_name == "anonymous" else client_for(person)
    urls = [
        reverse("agenda:month"),
        reverse("agenda:event", args=[event.pk]),
        reverse("agenda:event_edit", args=[event.pk]),
    ]
    for url, expected in zip(urls, PAGE_EXPECTED[person_name], strict=True):
        response = browser.get(url)
        if expected == "login":
            assert response.status_code == 302 and "/connexion/" in response.url, url
        else:
            assert response.status_code == int(expected), url
    month = browser.get(urls[0]).content.decode()
    assert ("Sortie au musée" in month) is (PAGE_EXPECTED[person_name][1] == "200")
