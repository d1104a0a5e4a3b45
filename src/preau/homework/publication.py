"""When a séance or a work reaches pupils and families, and what is told then.

The actions call `after_save()` once an item is written; a scheduled item is published by the
task `tasks.publish_scheduled` at its time, and by `preau publish_due_homework` as a safety
net. `take_effect()` is idempotent: the notice and the event go out once per publication.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from preau.core import audit, events, notices
from preau.core.richtext import plain_text
from preau.directory.queries import enrolled_pupil_ids, guardian_ids_of

from .models import Entry, Published, Work


def item_url(item: Published) -> str:
    return reverse("homework:work" if isinstance(item, Work) else "homework:entry", args=[item.pk])


def due_label(due: datetime.date, today: datetime.date | None = None) -> str:
    """How a due date reads in a notice: "demain", "jeudi", "le jeudi 12 mars"."""
    today = today or timezone.localdate()
    if due == today + datetime.timedelta(days=1):
        return _("demain")
    if today < due <= today + datetime.timedelta(days=6):
        return formats.date_format(due, "l")
    return _("le %(day)s") % {"day": formats.date_format(due, "l j F")}


def family_of_class(school_class_id: int) -> tuple[list[int], list[int]]:
    """The active pupils of a class and their guardians' ids (two queries)."""
    pupil_ids = enrolled_pupil_ids(school_class_id=school_class_id)
    return pupil_ids, guardian_ids_of(pupil_ids)


def work_payload(work: Work) -> dict:
    """The payload of the homework.work_* events (the agenda subscribes to them)."""
    return {
        "work_id": work.pk,
        "school_class_ids": [work.school_class_id],
        "due_date": work.due_date,
        "title": work.title,
        "url": item_url(work),
        "school_id": work.school_id,
    }


def _announce_work(work: Work, *, kind: str, actor_id: int | None) -> None:
    pupil_ids, guardian_ids = family_of_class(work.school_class_id)
    if kind == "homework.changed":
        template = _("Devoirs en %(class)s reportés à %(day)s : %(title)s")
    else:
        template = _("Devoirs en %(class)s pour %(day)s : %(title)s")
    notices.announce(
        kind,
        pupil_ids + guardian_ids,
        title=template % {"class": work.school_class.name, "day": due_label(work.due_date), "title": work.title},
        url=item_url(work),
        pupil_ids=pupil_ids,
        school_id=work.school_id,
        actor_id=actor_id,
        body=plain_text(work.body, limit=300),
        group_key=f"homework:{work.school_class_id}:{work.due_date.isoformat()}",
    )


def take_effect(item: Published, *, actor_id: int | None = None) -> bool:
    """Mark a visible item published, once; for a work, tell the agenda, and the class's families
    unless its due date is already past.

    Returns whether it did (False if not yet due, withdrawn, or already published).
    """
    now = timezone.now()
    if not item.is_visible(now):
        return False
    updated = (
        type(item).objects.filter(pk=item.pk, published_at__isnull=True, publish_at__lte=now).update(published_at=now)
    )
    if not updated:
        return False
    item.published_at = now
    if isinstance(item, Work):
        # A work written after its due date (the book filled in afterwards) has nothing left to do.
        if item.due_date >= timezone.localdate():
            actor = actor_id if actor_id is not None else item.author_id
            _announce_work(item, kind="homework.published", actor_id=actor)
        events.emit("homework.work_published", **work_payload(item))
    return True


def schedule(item: Published) -> None:
    """Queue the publication of an item whose time is to come."""
    from .tasks import publish_scheduled  # the task module imports this one

    kind, pk, when = ("work" if isinstance(item, Work) else "entry"), item.pk, item.publish_at
    transaction.on_commit(lambda: publish_scheduled.using(run_after=when).enqueue(kind, pk))


def withdraw(item: Published) -> None:
    """An item no longer visible (back to draft, rescheduled later, deleted): tell the agenda."""
    if item.published_at is None:
        return
    type(item).objects.filter(pk=item.pk).update(published_at=None)
    item.published_at = None
    if isinstance(item, Work):
        events.emit("homework.work_withdrawn", work_id=item.pk)


def after_save(item: Published, *, actor_id: int | None, before: dict | None = None) -> None:
    """Publish now, schedule or withdraw an item just created or changed.

    `before` holds the title and due date of a work as it was, to tell of a change: the agenda
    hears of any change of title or due date; families only of a new due date.
    """
    now = timezone.now()
    if item.publish_at is None or item.publish_at > now:
        withdraw(item)
        if item.publish_at is not None:
            schedule(item)
        return
    if item.published_at is None:
        take_effect(item, actor_id=actor_id)
        return
    if isinstance(item, Work) and before:
        if before["due_date"] != item.due_date:
            _announce_work(item, kind="homework.changed", actor_id=actor_id)
        if before["due_date"] != item.due_date or before["title"] != item.title:
            events.emit("homework.work_changed", **work_payload(item))


def publish_due(now: datetime.datetime | None = None) -> int:
    """Publish every item whose time has come and that is not yet published. Idempotent."""
    now = now or timezone.now()
    count = 0
    for model in (Entry, Work):
        due = model.objects.filter(publish_at__lte=now, published_at__isnull=True).select_related("school_class")
        last_pk = 0
        while batch := list(due.filter(pk__gt=last_pk).order_by("pk")[:200]):
            for item in batch:
                count += publish_one(item)
            last_pk = batch[-1].pk
    return count


def publish_one(item: Published) -> bool:
    """Publish one scheduled item if its time has come (the task and the command)."""
    with transaction.atomic():
        if not take_effect(item):
            return False
        audit.record(None, f"homework.{type(item).__name__.lower()}_published", target=item, school_id=item.school_id)
    return True
