"""The moderation queue, scoped to the person who decides."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import QueueItem
from .policy import director_scope

RECENT_DAYS = 14


def items_for(person) -> QuerySet[QueueItem]:
    """Everything in the person's spaces, plus the pupils' posts they validate."""
    schools, communes = director_scope(person)
    q = Q(school_id__in=schools) | Q(commune_id__in=communes)
    if getattr(person, "pk", None):
        q |= Q(deciders=person)
    return QueueItem.objects.filter(q).distinct().select_related("author")


def pending_for(person) -> QuerySet[QueueItem]:
    return items_for(person).filter(state=QueueItem.State.PENDING).order_by("created_at")


def reported_for(person) -> QuerySet[QueueItem]:
    schools, communes = director_scope(person)
    return (
        QueueItem.objects.filter(Q(school_id__in=schools) | Q(commune_id__in=communes), open_reports__gt=0)
        .select_related("author")
        .order_by("-updated_at")
    )


def recent_for(person) -> QuerySet[QueueItem]:
    schools, communes = director_scope(person)
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    return (
        QueueItem.objects.filter(
            Q(school_id__in=schools) | Q(commune_id__in=communes),
            state=QueueItem.State.PUBLISHED,
            updated_at__gte=since,
        )
        .select_related("author")
        .order_by("-updated_at")
    )
