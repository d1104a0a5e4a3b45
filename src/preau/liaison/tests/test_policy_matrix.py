"""Who writes, reads, signs, follows and reminds in the cahier de liaison: the tables are the rules.

The world: school S1 (classes K1, K1b) of commune C1; school S2 (class K2) of commune C2. The
child observed is in K1; `parent` is their guardian, `pupil` the child. The notes observed were
written by someone else: a school note to K1 and a commune note to C1's schools.

Policy columns:
  w.cls   writes to class K1              w.sch   writes to the whole of S1
  w.grp   writes to a group of S1 owned by someone else
  w.own   writes to a group of S1 the person owns
  w.chd   writes to the K1 child alone    w.com   writes to C1's schools' families
  read    reads the note in the child's notebook
  sign    signs it for the child          reply   replies about the child (note open to replies)
  r.cls   replies when the note is closed to the families' replies
  follow  sees the school note's state child by child (and the K1 child's exchange)
  remind  reminds the families of the school note
  f.com   sees the commune note's state child by child
  tile    has the portal tile
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.directory.factories import PersonFactory, person_with_role
from preau.directory.models import Group, Profile, Teaching
from preau.liaison import actions, policy, queries
from preau.liaison.models import Note, NoteChild

from .conftest import PEOPLE, make_person

pytestmark = pytest.mark.django_db

MATRIX = """
                      w.cls w.sch w.grp w.own w.chd w.com read  sign  reply r.cls follow remind f.com tile
                      ----- ----- ----- ----- ----- ----- ----- ----- ----- ----- ------ ------ ----- -----
pupil                 -     -     -     -     -     -     yes   -     -     -     -      -      -     yes
parent                -     -     -     -     -     -     yes   yes   yes   -     -      -      -     yes
teacher               yes   -     -     yes   yes   -     -     -     yes   yes   yes    -      -     yes
director              yes   yes   yes   yes   yes   -     -     -     yes   yes   yes    yes    -     yes
elected_parent        -     -     -     -     -     -     -     -     -     -     -      -      -     -
city_referent         -     -     -     -     -     yes   -     -     -     -     -      -      yes   yes
city_contributor      -     -     -     -     -     yes   -     -     -     -     -      -      -     yes
periscolaire          -     -     -     -     -     -     -     -     -     -     -      -      -     -
advisor               -     -     -     -     -     -     -     -     -     -     -      -      -     -
erun                  -     -     -     -     -     -     -     -     -     -     -      -      -     -
ien                   -     -     -     -     -     -     -     -     -     -     -      -      -     -
dsden_admin           -     -     -     -     -     -     -     -     -     -     -      -      -     -
academie_admin        -     -     -     -     -     -     -     -     -     -     -      -      -     -
other_class_teacher   -     -     -     yes   -     -     -     -     -     -     -      -      -     yes
other_school_director -     -     -     -     -     -     -     -     -     -     -      -      -     yes
other_school_teacher  -     -     -     -     -     -     -     -     -     -     -      -      -     yes
other_city_referent   -     -     -     -     -     -     -     -     -     -     -      -      -     yes
other_class_parent    -     -     -     -     -     -     -     -     -     -     -      -      -     yes
other_school_parent   -     -     -     -     -     -     -     -     -     -     -      -      -     yes
operator              -     -     -     -     -     -     -     -     -     -     -      -      -     -
anonymous             -     -     -     -     -     -     -     -     -     -     -      -      -     -
"""


def _note(w, origin=Note.Origin.SCHOOL, **fields) -> Note:
    place = {"school": w["school"]} if origin == Note.Origin.SCHOOL else {"commune": w["commune"]}
    values = {"requires_ack": True, "allows_reply": True, "class_ids": [w["class"].pk], **fields}
    return Note.objects.create(
        origin=origin,
        year=w["class"].year,
        author=w["author"],
        author_label="Autrice",
        source_label="s",
        audience_label="a",
        title="t",
        body="<p>b</p>",
        published_at=timezone.now(),
        **place,
        **values,
    )


def _row(w, note) -> NoteChild:
    return NoteChild.objects.create(note=note, pupil=w["child"], school_class=w["class"], year=note.year)


def _group(w, owner) -> Group:
    return Group.objects.create(
        kind=Group.Kind.TEACHER, name="g", year=w["class"].year, school=w["school"], owner=owner
    )


def _with(w, origin=Note.Origin.SCHOOL, **fields):
    note = _note(w, origin, **fields)
    return note, _row(w, note)


ACTIONS = {
    "w.cls": lambda p, w: policy.can_write_to_class(p, w["class"]),
    "w.sch": lambda p, w: policy.can_write_to_school(p, w["school"]),
    "w.grp": lambda p, w: policy.can_write_to_group(p, _group(w, w["author"])),
    "w.own": lambda p, w: policy.can_write_to_group(p, _group(w, p if p.is_authenticated else None)),
    "w.chd": lambda p, w: policy.can_write_to_child(p, w["class"]),
    "w.com": lambda p, w: policy.can_write_to_commune(p, w["commune"]),
    "read": lambda p, w: policy.can_read_in_notebook(p, _with(w)[1]),
    "sign": lambda p, w: policy.can_sign(p, *_with(w)),
    "reply": lambda p, w: policy.can_reply(p, *_with(w)),
    "r.cls": lambda p, w: policy.can_reply(p, *_with(w, allows_reply=False)),
    "follow": lambda p, w: policy.can_follow_note(p, _with(w)[0]) and policy.follows_child(p, *_with(w)),
    "remind": lambda p, w: policy.can_remind(p, _with(w)[0]),
    "f.com": lambda p, w: policy.can_follow_note(p, _with(w, Note.Origin.COMMUNE)[0]),
    "tile": lambda p, w: policy.uses_liaison(p),
}


def _parse(table: str) -> dict[tuple[str, str], bool]:
    rows = [line.split() for line in table.strip().splitlines()[2:]]
    return {(row[0], action): cell == "yes" for row in rows for action, cell in zip(ACTIONS, row[1:], strict=True)}


EXPECTED = _parse(MATRIX)


def test_the_matrix_covers_every_person():
    assert sorted({person for person, _ in EXPECTED}) == sorted(PEOPLE)


@pytest.fixture
def observed(world, family):
    world["author"] = PersonFactory()
    return world


@pytest.mark.parametrize(("person_name", "action"), list(EXPECTED), ids=[f"{p}-{a}" for p, a in EXPECTED])
def test_policy_matrix(observed, person_name, action):
    person = make_person(person_name, observed)
    assert ACTIONS[action](person, observed) is EXPECTED[(person_name, action)]


@pytest.mark.parametrize("person_name", PEOPLE)
def test_the_queries_agree_with_the_policy(observed, person_name):
    """The lists (SQL) and the predicates (Python) are one rule written twice: check they agree."""
    person = make_person(person_name, observed)
    school_note, school_row = _with(observed)
    commune_note, commune_row = _with(observed, Note.Origin.COMMUNE)
    other = _note(observed, class_ids=[observed["other_class"].pk])
    NoteChild.objects.create(note=other, pupil=PersonFactory(), school_class=observed["other_class"], year=other.year)
    notes = [school_note, commune_note, other]
    followed = set(queries.notes_followed_by(person)) if person.is_authenticated else set()
    assert followed == {note for note in notes if policy.can_follow_note(person, note)}
    readable = {row for row in (school_row, commune_row) if policy.can_read_in_notebook(person, row)}
    in_notebooks = set()
    for child in queries.notebook_children(person) if person.is_authenticated else []:
        in_notebooks |= set(queries.notebook_of(person, child.pk))
    assert in_notebooks == readable


# --- The pages, for every profile ------------------------------------------------------------
# ok: 200 · sent: sent to the staff's list · track: sent to the note's follow-up · done: the
# action ran and the page came back · 403: refused with a French message · 404 · login.
PAGES = """
                      notebook note   tracking create sign
pupil                 ok       ok     404      403    403
parent                ok       ok     404      403    done
teacher               sent     track  ok       ok     403
director              sent     track  ok       ok     403
elected_parent        403      404    404      403    403
city_referent         sent     404    404      ok     403
city_contributor      sent     404    404      ok     403
periscolaire          403      404    404      403    403
advisor               403      404    404      403    403
erun                  403      404    404      403    403
ien                   403      404    404      403    403
dsden_admin           403      404    404      403    403
academie_admin        403      404    404      403    403
other_class_teacher   sent     404    404      ok     403
other_school_director sent     404    404      ok     403
other_school_teacher  sent     404    404      ok     403
other_city_referent   sent     404    404      ok     403
other_class_parent    ok       404    404      403    403
other_school_parent   ok       404    404      403    403
operator              403      404    404      403    403
anonymous             login    login  login    login  login
"""
PAGE_NAMES = ["notebook", "note", "tracking", "create", "sign"]
EXPECTED_PAGES = {
    (row[0], page): cell
    for row in (line.split() for line in PAGES.strip().splitlines()[1:])
    for page, cell in zip(PAGE_NAMES, row[1:], strict=True)
}


def _outcome(response, note) -> str:
    if response.status_code == 302:
        if response.url.startswith("/connexion/"):
            return "login"
        if response.url == reverse("liaison:sent"):
            return "sent"
        if response.url == reverse("liaison:tracking", args=[note.pk]):
            return "track"
        if response.url.startswith(reverse("liaison:note", args=[note.pk])):
            return "done"
    if response.status_code == 200:
        return "ok"
    if response.status_code == 403:
        assert "Accès refusé" in response.content.decode()
    return str(response.status_code)


@pytest.mark.parametrize(
    ("person_name", "page"), list(EXPECTED_PAGES), ids=[f"{p}-{page}" for p, page in EXPECTED_PAGES]
)
def test_pages_matrix(observed, client, person_name, page):
    author = person_with_role(Profile.TEACHER, observed["school"])  # K1's other teacher
    Teaching.objects.create(teacher=author, school_class=observed["class"])
    person = make_person(person_name, observed)
    note = actions.publish_note(
        author, target_keys=[f"classe:{observed['class'].pk}"], title="Sortie", body="b", requires_ack=True
    )
    if person.is_authenticated:
        client.force_login(person)
    child = observed["child"].pk
    url = {
        "notebook": reverse("liaison:notebook"),
        "note": reverse("liaison:note", args=[note.pk]),
        "tracking": reverse("liaison:tracking", args=[note.pk]),
        "create": reverse("liaison:create"),
        "sign": reverse("liaison:sign", args=[note.pk]),
    }[page]
    response = client.post(url, {"enfant": child}) if page == "sign" else client.get(url)
    assert _outcome(response, note) == EXPECTED_PAGES[(person_name, page)]
    signed = NoteChild.objects.filter(note=note, acknowledgement__isnull=False).count()
    assert signed == (1 if EXPECTED_PAGES[(person_name, page)] == "done" else 0)
