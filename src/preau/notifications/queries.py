"""Reads of the notifications, scoped to the person who asks: one's own timeline, one's own
devices, the schools whose quiet hours one sets."""

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, QuerySet

from preau.directory.models import Profile, School
from preau.directory.queries import access_of

from .models import Entry, PushSubscription, QuietHours

PORTAL_ENTRIES = 5
# The counter is forgotten by every fan-out and every read: a day is only a bound.
_UNREAD_TIMEOUT = 24 * 3600


def entries_visible_to(person) -> QuerySet[Entry]:
    """The person's own timeline, latest first (grouped entries show their latest notice)."""
    if not person.is_authenticated:
        return Entry.objects.none()
    return Entry.objects.filter(person=person).order_by("-created_at", "-id")


def latest_entries_of(person, limit: int = PORTAL_ENTRIES) -> list[Entry]:
    """The first entries of the timeline, for the portal's home page. One query."""
    return list(entries_visible_to(person)[:limit])


def _counters():
    return caches[settings.PREAU_NOTIFICATIONS_CACHE]


def _unread_key(person_id: int) -> str:
    return f"notifications:unread:{person_id}"


def unread_count(person) -> int:
    """How many entries the person has not read: from the cache, one query when it has forgotten."""
    if not person.is_authenticated:
        return 0
    count = _counters().get(_unread_key(person.pk))
    if count is None:
        count = Entry.objects.filter(person=person, read_at__isnull=True).count()
        _counters().set(_unread_key(person.pk), count, _UNREAD_TIMEOUT)
    return count


def unread_counts(person_ids: Iterable[int]) -> dict[int, int]:
    """The unread entries of many people, counted in one query; their cached counters forgotten.

    Forgetting rather than writing: each person's next page counts again, and a cache of
    files (embedded mode) is spared hundreds of writes.
    """
    person_ids = list(person_ids)
    found = dict(
        Entry.objects.filter(person_id__in=person_ids, read_at__isnull=True)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    _counters().delete_many([_unread_key(person_id) for person_id in person_ids])
    return {person_id: found.get(person_id, 0) for person_id in person_ids}


def forget_unread_count(person_id: int) -> None:
    _counters().delete(_unread_key(person_id))


def push_subscriptions_of(person) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(person=person).order_by("-created_at")


def schools_with_quiet_hours_of(person) -> QuerySet[School]:
    """The schools whose quiet hours the person sets: those they direct."""
    return (
        School.objects.filter(pk__in=access_of(person).school_ids(Profile.DIRECTOR))
        .select_related("circonscription__departement__academie")
        .order_by("name")
    )


def quiet_hours_of(school: School) -> QuietHours:
    """The school's quiet hours, or the defaults (unsaved) when the director never changed them."""
    return QuietHours.objects.filter(school=school).first() or QuietHours(school=school)


def forget_unread_counts(person_ids: Iterable[int]) -> None:
    _counters().delete_many([_unread_key(person_id) for person_id in person_ids])
