"""Reads of the cahier de textes, scoped to the person asking.

Built on the sets of `policy.py`: a class's writers see its drafts and scheduled items, its
other readers only what is published and due. Every list is a fixed number of queries
whatever the size of the class or of its year (attachments prefetched, done marks annotated).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from preau.directory.models import Person, SchoolClass
from preau.directory.queries import access_of

from . import policy
from .models import Attachment, ClassSetting, DoneMark, Entry, Work


def classes_written_by(person: Person) -> QuerySet[SchoolClass]:
    """This year's classes whose cahier de textes the person writes (teacher, director)."""
    access = access_of(person)
    q = Q(id__in=policy.writable_class_ids(access)) | Q(school_id__in=policy.directed_school_ids(access))
    return SchoolClass.objects.filter(q, year=access.year).select_related("school").order_by("school__name", "name")


def classes_read_by(person: Person) -> QuerySet[SchoolClass]:
    """This year's classes whose published cahier de textes the person reads, their own included."""
    access = access_of(person)
    own = {c.id for c in access.own_classes} | {c.id for child in access.children for c in child.classes}
    q = (
        Q(id__in=policy.writable_class_ids(access) | own)
        | Q(school_id__in=policy.directed_school_ids(access))
        | Q(school__circonscription_id__in=policy.inspected_circonscription_ids(access))
    )
    return SchoolClass.objects.filter(q, year=access.year).select_related("school").order_by("school__name", "name")


def class_for(person: Person, class_id: int) -> SchoolClass | None:
    """A class the person reads (any school year), or None."""
    school_class = SchoolClass.objects.select_related("school").filter(pk=class_id).first()
    if school_class is None or not policy.can_read_class(person, school_class):
        return None
    return school_class


def published(items: QuerySet) -> QuerySet:
    """Of séances or works, those pupils and families see: their publication time has come."""
    return items.filter(publish_at__lte=timezone.now())


def pending(items: QuerySet) -> QuerySet:
    """Of séances or works, the drafts and the scheduled ones (what only the writers see)."""
    return items.exclude(publish_at__lte=timezone.now())


def _scoped(person: Person, queryset: QuerySet, school_class: SchoolClass) -> QuerySet:
    if policy.can_write_class(person, school_class):
        return queryset.filter(school_class=school_class)
    if policy.can_read_class(person, school_class):
        return published(queryset.filter(school_class=school_class))
    return queryset.none()


def _with_attachments(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))


def entries_visible_to(
    person: Person,
    school_class: SchoolClass,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    subject: str = "",
) -> QuerySet[Entry]:
    """The class's séances the person may read, by date (latest first), with their files."""
    entries = _scoped(person, Entry.objects.all(), school_class)
    if start:
        entries = entries.filter(date__gte=start)
    if end:
        entries = entries.filter(date__lte=end)
    if subject:
        entries = entries.filter(subject=subject)
    return _with_attachments(entries.select_related("author")).order_by("-date", "subject", "id")


def works_visible_to(
    person: Person,
    school_class: SchoolClass,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    subject: str = "",
) -> QuerySet[Work]:
    """The class's works the person may read, by due date, with their files."""
    works = _scoped(person, Work.objects.all(), school_class)
    if start:
        works = works.filter(due_date__gte=start)
    if end:
        works = works.filter(due_date__lte=end)
    if subject:
        works = works.filter(subject=subject)
    return _with_attachments(works.select_related("author")).order_by("due_date", "subject", "id")


def works_given_in(person: Person, entry: Entry) -> QuerySet[Work]:
    """The works given during a séance that the person may read, by due date."""
    return _scoped(person, entry.works.all(), entry.school_class).order_by("due_date", "id")


def item_for(person: Person, model: type[Entry] | type[Work], pk: int) -> Entry | Work | None:
    """One séance or work the person may read, with its class and school, or None."""
    item = _with_attachments(model.objects.select_related("school_class__school", "author")).filter(pk=pk).first()
    if item is None or not policy.can_read_item(person, item):
        return None
    return item


def attachment_for(person: Person, pk: int) -> Attachment | None:
    """A file the person may download: one of an item they read."""
    attachment = (
        Attachment.objects.select_related("entry__school_class__school", "work__school_class__school")
        .filter(pk=pk)
        .first()
    )
    if attachment is None or not policy.can_read_item(person, attachment.entry or attachment.work):
        return None
    return attachment


def tracks_done(school_class: SchoolClass) -> bool:
    return ClassSetting.objects.filter(school_class=school_class, track_done=True).exists()


@dataclass
class ToDo:
    """What a pupil has to do, in the order they need it."""

    next_day: datetime.date
    for_next_day: list[Work]
    this_week: list[Work]
    later: list[Work]
    recent_entries: list[Entry]


def next_school_day(today: datetime.date) -> datetime.date:
    """Tomorrow, or Monday after a Friday or a weekend day."""
    day = today + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def todo_of(pupil: Person, school_class: SchoolClass, *, today: datetime.date | None = None) -> ToDo:
    """The published works of the pupil's class still to come (each with `is_done` for this
    pupil) and the séances of the last week. Four queries."""
    today = today or timezone.localdate()
    next_day = next_school_day(today)
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    works = list(
        _with_attachments(
            published(Work.objects.filter(school_class=school_class)).filter(
                due_date__gt=today, due_date__lte=today + datetime.timedelta(days=45)
            )
        )
        .annotate(is_done=Exists(DoneMark.objects.filter(work=OuterRef("pk"), pupil=pupil)))
        .order_by("due_date", "subject", "id")[:60]
    )
    entries = list(
        published(Entry.objects.filter(school_class=school_class))
        .filter(date__gt=today - datetime.timedelta(days=7), date__lte=today)
        .order_by("-date", "subject", "id")[:12]
    )
    return ToDo(
        next_day=next_day,
        for_next_day=[w for w in works if w.due_date <= next_day],
        this_week=[w for w in works if next_day < w.due_date <= week_end],
        later=[w for w in works if w.due_date > max(week_end, next_day)],
        recent_entries=entries,
    )


def done_overview(person: Person, school_class: SchoolClass) -> QuerySet[Work]:
    """The class's published works with `done_count`, latest due first (the writers' follow-up)."""
    if not policy.can_follow_done(person, school_class):
        return Work.objects.none()
    return (
        published(Work.objects.filter(school_class=school_class))
        .annotate(done_count=Count("done_marks"))
        .order_by("-due_date", "subject", "id")
    )


def done_by(work: Work, pupils: list[Person]) -> set[int]:
    """The ids of those of `pupils` who marked the work done (one query, none without pupils)."""
    if not pupils:
        return set()
    return set(DoneMark.objects.filter(work=work, pupil__in=pupils).values_list("pupil_id", flat=True))


def pupils_with_done(work: Work) -> list[tuple[Person, DoneMark | None]]:
    """The pupils of the work's class, each with their done mark or None. Two queries."""
    pupils = Person.objects.filter(enrolments__school_class_id=work.school_class_id).order_by("last_name", "first_name")
    marks = {mark.pupil_id: mark for mark in DoneMark.objects.filter(work=work)}
    return [(pupil, marks.get(pupil.pk)) for pupil in pupils]
