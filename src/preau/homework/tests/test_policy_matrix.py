"""Who may read and write a class's cahier de textes: the tables below ARE the rules.

The class observed is K1 ("CE1 A") of school S1, circonscription 1, commune C1. Columns:
  read_class      reads K1's published séances and works (policy.can_read_class)
  write_class     writes in K1's cahier de textes: séances, works, copies, settings
  read_published  reads one published work of K1
  read_draft      reads a draft of K1 (not yet published)
  read_scheduled  reads a work of K1 scheduled for tomorrow
  mark_done       marks the published work done, for oneself or one's own child
  follow_done     sees which pupils of K1 did the work
Rows: "replacement_teacher" is a second teacher added to K1; "colleague" teaches K2 of the
same school; "classmate_parent" has a child in K2; "other_ien" oversees another circonscription.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from preau.directory.models import Teaching
from preau.homework import policy
from preau.homework.factories import AttachmentFactory, WorkFactory
from preau.homework.models import Work

from .conftest import PEOPLE, make_person

pytestmark = pytest.mark.django_db

MATRIX = """
                       read    write   read    read    read    mark    follow
                       class   class   publ.   draft   sched.  done    done
pupil                  yes     -       yes     -       -       yes     -
parent                 yes     -       yes     -       -       yes     -
classmate_parent       -       -       -       -       -       -       -
teacher                yes     yes     yes     yes     yes     -       yes
replacement_teacher    yes     yes     yes     yes     yes     -       yes
colleague              -       -       -       -       -       -       -
director               yes     yes     yes     yes     yes     -       yes
elected_parent         -       -       -       -       -       -       -
city_referent          -       -       -       -       -       -       -
city_contributor       -       -       -       -       -       -       -
periscolaire           -       -       -       -       -       -       -
advisor                yes     -       yes     -       -       -       -
erun                   -       -       -       -       -       -       -
ien                    yes     -       yes     -       -       -       -
other_ien              -       -       -       -       -       -       -
dsden_admin            -       -       -       -       -       -       -
academie_admin         -       -       -       -       -       -       -
other_school_director  -       -       -       -       -       -       -
other_school_teacher   -       -       -       -       -       -       -
other_city_referent    -       -       -       -       -       -       -
other_school_parent    -       -       -       -       -       -       -
operator               -       -       -       -       -       -       -
anonymous              -       -       -       -       -       -       -
"""


def _candidate(person, work):
    """Whom the person would mark done: their child in the class, or themself."""
    children = policy.children_in(person, work.school_class)
    return children[0] if children else person


ACTIONS = {
    "read_class": lambda p, w: policy.can_read_class(p, w["class"]),
    "write_class": lambda p, w: policy.can_write_class(p, w["class"]),
    "read_published": lambda p, w: policy.can_read_item(p, w["work"]),
    "read_draft": lambda p, w: policy.can_read_item(p, w["draft"]),
    "read_scheduled": lambda p, w: policy.can_read_item(p, w["scheduled"]),
    "mark_done": lambda p, w: policy.can_mark_done_for(p, w["work"], _candidate(p, w["work"])),
    "follow_done": lambda p, w: policy.can_follow_done(p, w["class"]),
}


def _parse(table: str) -> dict[tuple[str, str], bool]:
    rows = [line.split() for line in table.strip().splitlines()[2:]]
    return {(row[0], action): cell == "yes" for row in rows for action, cell in zip(ACTIONS, row[1:], strict=True)}


EXPECTED = _parse(MATRIX)


def test_the_table_covers_every_profile():
    assert {person for person, _action in EXPECTED} == set(PEOPLE)


@pytest.fixture
def items(world):
    world["work"] = WorkFactory(school_class=world["class"])
    world["draft"] = WorkFactory(school_class=world["class"], publish_at=None, published_at=None)
    world["scheduled"] = WorkFactory(
        school_class=world["class"], publish_at=timezone.now() + datetime.timedelta(days=1), published_at=None
    )
    return world


def _person(name, world):
    return make_person(name, world) or AnonymousUser()


@pytest.mark.parametrize(("person_name", "action"), list(EXPECTED), ids=[f"{p}-{a}" for p, a in EXPECTED])
def test_policy_matrix(items, person_name, action):
    person = _person(person_name, items)
    assert ACTIONS[action](person, items) is EXPECTED[(person_name, action)]


def test_a_teacher_removed_from_the_class_no_longer_writes(world):
    teacher = make_person("replacement_teacher", world)
    assert policy.can_write_class(teacher, world["class"])
    Teaching.objects.filter(teacher=teacher).delete()
    del teacher._preau_access  # a new request loads the scope again
    assert not policy.can_write_class(teacher, world["class"])


@pytest.mark.parametrize("person_name", PEOPLE)
def test_pages_follow_the_table(items, person_name, client_for, client):
    """Every page and the API answer as the table says: 200 for readers, 404 (or the login page)
    otherwise; a forged post for K1 creates nothing."""
    person = make_person(person_name, items)
    http = client_for(person) if person else client
    work, draft = items["work"], items["draft"]
    attachment = AttachmentFactory(work=work)
    class_id = items["class"].pk
    reads = {
        reverse("homework:class", args=[class_id]): EXPECTED[(person_name, "read_class")],
        reverse("homework:history", args=[class_id]): EXPECTED[(person_name, "read_class")],
        reverse("homework:export_csv", args=[class_id]): EXPECTED[(person_name, "read_class")],
        reverse("homework:api_class", args=[class_id]): EXPECTED[(person_name, "read_class")],
        reverse("homework:work", args=[work.pk]): EXPECTED[(person_name, "read_published")],
        reverse("homework:attachment", args=[attachment.pk]): EXPECTED[(person_name, "read_published")],
        reverse("homework:work", args=[draft.pk]): EXPECTED[(person_name, "read_draft")],
    }
    for url, allowed in reads.items():
        status = http.get(url).status_code
        if person is None:
            assert status == 302, url
        else:
            assert status == (200 if allowed else 404), (url, status)
    writes = {
        reverse("homework:settings", args=[class_id]): EXPECTED[(person_name, "write_class")],
        reverse("homework:done_tracking", args=[class_id]): EXPECTED[(person_name, "follow_done")],
    }
    for url, allowed in writes.items():
        status = http.get(url).status_code
        assert status == (
            302 if person is None else 200 if allowed else 403 if policy.can_read_class(person, items["class"]) else 404
        )
    before = Work.objects.count()
    http.post(
        reverse("homework:work_create"),
        {
            "classes": [class_id],
            "assigned_on": timezone.localdate().isoformat(),
            "due_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "subject": "francais",
            "title": "Forgé",
            "body": "Lire",
            "publication": "now",
        },
    )
    created = Work.objects.count() - before
    assert created == (1 if EXPECTED[(person_name, "write_class")] else 0)
