"""Reads of the cahier journal, always those of one teacher (or of their named replacement)."""

import datetime

from django.db.models import Count, QuerySet

from preau.directory.models import Person, SchoolClass
from preau.directory.queries import access_of

from . import policy
from .models import DayTemplate, JournalShare, Slot


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def journal_classes(person) -> list[SchoolClass]:
    """The classes a teacher plans for: those they teach this year (no query)."""
    return sorted(access_of(person).taught_classes, key=lambda c: (c.school.name, c.name))


def slots_of(person, *, start: datetime.date, end: datetime.date, school_class_id: int | None = None) -> QuerySet[Slot]:
    """The person's own sessions from `start` to `end` (included), of one class or all."""
    slots = Slot.objects.filter(author_id=person.pk, date__gte=start, date__lte=end)
    if school_class_id is not None:
        slots = slots.filter(school_class_id=school_class_id)
    return slots.select_related("school_class").order_by("date", "starts_at", "id")


def shared_slots(share: JournalShare, *, start: datetime.date, end: datetime.date) -> QuerySet[Slot]:
    """The author's sessions of the days a share covers, within `start`…`end`."""
    return (
        Slot.objects.filter(
            author_id=share.author_id,
            date__gte=max(start, share.starts_on),
            date__lte=min(end, share.ends_on),
        )
        .select_related("school_class")
        .order_by("date", "school_class__name", "starts_at", "id")
    )


def slot_of_author(person, slot_id: int) -> Slot | None:
    """One of the person's own sessions, or None (someone else's is none of their business)."""
    return Slot.objects.select_related("school_class__school").filter(author_id=person.pk, pk=slot_id).first()


def templates_of(person) -> QuerySet[DayTemplate]:
    return DayTemplate.objects.filter(author_id=person.pk).annotate(slot_count=Count("slots")).order_by("name")


def template_of_author(person, template_id) -> DayTemplate | None:
    return DayTemplate.objects.filter(author_id=person.pk, pk=template_id).first()


def shares_given_by(person) -> QuerySet[JournalShare]:
    return JournalShare.objects.filter(author_id=person.pk).select_related("replacement").order_by("-starts_on", "-id")


def share_given_by(person, share_id: int) -> JournalShare | None:
    """One of the loans the person made, or None."""
    return JournalShare.objects.select_related("replacement").filter(author_id=person.pk, pk=share_id).first()


def shares_received_by(person) -> list[JournalShare]:
    """The journals lent to the person that still run."""
    return policy.active_shares_received(person)


def replacement_candidates(person) -> QuerySet[Person]:
    """The teaching staff of the schools where the person teaches, the person aside."""
    schools = policy.taught_school_ids(person)
    return (
        Person.objects.filter(
            roles__school_id__in=schools, roles__profile__in=policy.REPLACEMENT_PROFILES, is_active=True
        )
        .exclude(pk=person.pk)
        .distinct()
        .order_by("last_name", "first_name")
    )
