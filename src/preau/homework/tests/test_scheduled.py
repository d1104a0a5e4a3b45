"""Scheduled publication: invisible until its time, then published and told once, by the queued
task or by the `preau publish_due_homework` safety net, whichever comes first."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from preau.homework import actions, queries
from preau.homework.models import Entry, Work
from preau.homework.tasks import publish_scheduled

from .conftest import enrol, make_person

TODAY = timezone.localdate()


@pytest.fixture
def scene(world):
    teacher = make_person("teacher", world)
    pupil, parent = enrol(world["class"], with_parent=True)
    return teacher, pupil, parent


def _schedule(teacher, world, when):
    (work,) = actions.create_work(
        teacher,
        school_classes=[world["class"]],
        assigned_on=TODAY,
        due_date=TODAY + datetime.timedelta(days=3),
        subject="eps",
        title="Apporter une tenue de sport",
        body="Baskets et survêtement.",
        publish_at=when,
    )
    return work


def _due_now(item) -> None:
    """Time passes: the publication time of `item` is now behind us."""
    type(item).objects.filter(pk=item.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    item.refresh_from_db()


def test_a_scheduled_work_is_invisible_then_appears_and_is_told_once(
    world, scene, captured, client_for, django_capture_on_commit_callbacks
):
    teacher, pupil, parent = scene
    when = timezone.now() + datetime.timedelta(hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        work = _schedule(teacher, world, when)
    assert work.published_at is None and "notice" not in captured and "homework.work_published" not in captured
    task = DBTaskResult.objects.get(task_path="preau.homework.tasks.publish_scheduled")
    assert task.run_after == when and task.args_kwargs["args"] == ["work", work.pk]

    assert client_for(pupil).get(reverse("homework:work", args=[work.pk])).status_code == 404
    assert work not in queries.works_visible_to(parent, world["class"])
    assert work in queries.works_visible_to(teacher, world["class"])
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_scheduled.call("work", work.pk) is False  # too early: nothing

    _due_now(work)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_scheduled.call("work", work.pk) is True
        assert publish_scheduled.call("work", work.pk) is False  # a retry tells nobody again
        call_command("publish_due_homework")  # nor does the safety net
    (notice,) = [p["notice"] for p in captured["notice"]]
    assert set(notice.recipient_ids) == {pupil.pk, parent.pk}
    assert len(captured["homework.work_published"]) == 1
    response = client_for(pupil).get(reverse("homework:todo"))
    assert "Apporter une tenue de sport" in response.content.decode()


def test_the_command_publishes_what_the_queue_missed(world, scene, captured, django_capture_on_commit_callbacks):
    teacher, _pupil, _parent = scene
    work = _schedule(teacher, world, timezone.now() + datetime.timedelta(days=1))
    (entry,) = actions.create_entry(
        teacher,
        school_classes=[world["class"]],
        date=TODAY + datetime.timedelta(days=1),
        subject="francais",
        title="Poésie",
        body="Apprendre la première strophe.",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    later = _schedule(teacher, world, timezone.now() + datetime.timedelta(days=5))
    _due_now(work)
    _due_now(entry)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_due_homework")
        call_command("publish_due_homework")
    work.refresh_from_db(), entry.refresh_from_db(), later.refresh_from_db()
    assert work.published_at is not None and entry.published_at is not None
    assert later.published_at is None
    assert len(captured["notice"]) == 1 and len(captured["homework.work_published"]) == 1


def test_a_rescheduled_work_is_not_published_by_its_first_task(
    world, scene, captured, django_capture_on_commit_callbacks
):
    teacher, _pupil, _parent = scene
    work = _schedule(teacher, world, timezone.now() + datetime.timedelta(hours=1))
    actions.update_work(
        teacher,
        work,
        assigned_on=work.assigned_on,
        due_date=work.due_date,
        subject=work.subject,
        title=work.title,
        body=work.body,
        publish_at=timezone.now() + datetime.timedelta(days=2),
    )
    # The first task wakes at its hour: the work is not due any more, it waits for its new time.
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_scheduled.call("work", work.pk) is False
    assert "notice" not in captured
    assert Work.objects.get(pk=work.pk).published_at is None


def test_a_task_for_a_deleted_item_does_nothing(world, scene):
    teacher, _pupil, _parent = scene
    work = _schedule(teacher, world, timezone.now() + datetime.timedelta(hours=1))
    work_id = work.pk
    actions.delete_item(teacher, work)
    assert publish_scheduled.call("work", work_id) is False
    assert publish_scheduled.call("entry", 999) is False
    assert not Entry.objects.exists()
