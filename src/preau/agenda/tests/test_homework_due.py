"""Homework due dates reach the agendas of the class's pupils and of their parents, per child,
from the cahier de textes' events (emitted here as the homework app emits them)."""

import datetime

from django.db import transaction

from preau.agenda.models import HomeworkDue
from preau.agenda.queries import agenda_items
from preau.core import events
from preau.directory.factories import SchoolClassFactory, person_with_role
from preau.directory.models import Enrolment, GuardianLink, Profile

from .conftest import make_person

DUE = datetime.date(2026, 3, 5)


def _emit(capture, name, **payload):
    with capture(execute=True), transaction.atomic():
        events.emit(name, **payload)


def _payload(world, **fields):
    return {
        "work_id": 41,
        "school_class_ids": [world["class"].pk],
        "due_date": DUE,
        "title": "Apprendre la poésie",
        "url": "/cahier-de-textes/travaux/41/",
        "school_id": world["school"].pk,
        **fields,
    }


def _homework(person):
    return [item for item in agenda_items(person, start=DUE, end=DUE) if item.kind == "devoir"]


def test_a_published_work_appears_for_pupils_and_for_each_child_of_a_parent(world, django_capture_on_commit_callbacks):
    pupil, parent = make_person("pupil", world), make_person("parent", world)
    # The parent has a second child in the same class: one line per child, with their name.
    twin = person_with_role(Profile.PUPIL, world["school"], first_name="Hugo")
    Enrolment.objects.create(pupil=twin, school_class=world["class"])
    GuardianLink.objects.create(guardian=parent, child=twin, relationship=GuardianLink.Relationship.MOTHER)
    outsider = make_person("other_school_parent", world)
    _emit(django_capture_on_commit_callbacks, "homework.work_published", **_payload(world))
    assert HomeworkDue.objects.get().due_on == DUE
    [line] = _homework(pupil)
    assert (line.title, line.url, line.uid) == (
        "À faire : Apprendre la poésie",
        "/cahier-de-textes/travaux/41/",
        "devoir-41",
    )
    sources = sorted(item.source for item in _homework(parent))
    assert len(sources) == 2 and "Hugo — K1" in sources
    assert _homework(world["teacher"]) and not _homework(outsider)
    assert not _homework(make_person("director", world))


def test_a_changed_work_moves_and_a_withdrawn_one_leaves(world, django_capture_on_commit_callbacks):
    pupil = make_person("pupil", world)
    _emit(django_capture_on_commit_callbacks, "homework.work_published", **_payload(world))
    later = DUE + datetime.timedelta(days=2)
    _emit(
        django_capture_on_commit_callbacks,
        "homework.work_changed",
        **_payload(world, due_date=later.isoformat(), title="Réciter la poésie"),
    )
    due = HomeworkDue.objects.get()
    assert (due.due_on, due.title) == (later, "Réciter la poésie")
    assert not _homework(pupil)
    _emit(django_capture_on_commit_callbacks, "homework.work_withdrawn", work_id=41)
    assert not HomeworkDue.objects.exists()


def test_classes_of_another_school_in_a_payload_are_ignored(world, django_capture_on_commit_callbacks):
    stray = SchoolClassFactory(school=world["other_school"])
    _emit(
        django_capture_on_commit_callbacks,
        "homework.work_published",
        **_payload(world, school_class_ids=[world["class"].pk, stray.pk]),
    )
    assert list(HomeworkDue.objects.get().classes.all()) == [world["class"]]
    _emit(django_capture_on_commit_callbacks, "homework.work_changed", **_payload(world, due_date=None))
    assert not HomeworkDue.objects.exists()
