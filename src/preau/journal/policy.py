"""Who may read and write a cahier journal.

A teacher's preparation is theirs: only its author reads and writes it. Neither the director
nor the IEN nor an administrator reads it. The one exception is a replacement the author names
for some dates (`JournalShare`): they read, never write, the author's days within those dates,
until the last of them has passed. The matrix test `tests/test_policy_matrix.py` is the table.
"""

import datetime

from django.utils import timezone

from preau.directory.models import Person, Profile, SchoolClass
from preau.directory.queries import access_of

from .models import JournalShare, Slot

# Who may be named as a replacement: the school's teaching staff.
REPLACEMENT_PROFILES = (Profile.TEACHER, Profile.DIRECTOR)


def keeps_journal(person) -> bool:
    """Teachers of a class this year keep a cahier journal (the portal tile, the pages)."""
    return bool(access_of(person).taught_classes)


def taught_school_ids(person) -> set[int]:
    """The schools of the classes the person teaches this year (where their replacements work)."""
    return {c.school_id for c in access_of(person).taught_classes}


def can_plan_for(person, school_class: SchoolClass) -> bool:
    """Plan sessions for a class: its teachers this year."""
    return school_class.id in access_of(person).taught_class_ids


def is_author(person, slot: Slot) -> bool:
    return person is not None and person.pk is not None and slot.author_id == person.pk


def can_edit(person, slot: Slot) -> bool:
    """Change, delete or write the bilan of a session: its author only."""
    return is_author(person, slot)


def active_shares_received(person, today: datetime.date | None = None) -> list[JournalShare]:
    """Journals lent to `person` that are still running (one query, kept for the request)."""
    access = access_of(person)
    if access.person is None:
        return []
    cached = getattr(access, "_journal_shares", None)
    if cached is None:
        today = today or timezone.localdate()
        cached = list(
            JournalShare.objects.filter(replacement=person, revoked_at__isnull=True, ends_on__gte=today)
            .select_related("author", "school")
            .order_by("starts_on", "id")
        )
        access._journal_shares = cached
    return cached


def is_running(share: JournalShare, today: datetime.date | None = None) -> bool:
    return share.revoked_at is None and (today or timezone.localdate()) <= share.ends_on


def can_read_shared(person, share: JournalShare) -> bool:
    """Read the days a share covers: its replacement, while it runs."""
    return person is not None and share.replacement_id == person.pk and is_running(share)


def can_read(person, slot: Slot) -> bool:
    """Read a session: its author, or a replacement with a running share covering its date."""
    if is_author(person, slot):
        return True
    return any(
        share.author_id == slot.author_id and share.covers(slot.date) for share in active_shares_received(person)
    )


def can_report_to_homework(person, slot: Slot) -> bool:
    """Report a session to the cahier de textes: its author, still teaching the class, once."""
    return is_author(person, slot) and slot.homework_entry_id is None and can_plan_for(person, slot.school_class)


def may_be_replacement(author, replacement: Person) -> bool:
    """A replacement is someone else of the teaching staff of a school where the author teaches."""
    if getattr(replacement, "pk", None) is None or replacement.pk == author.pk or not replacement.is_active:
        return False
    return replacement.roles.filter(school_id__in=taught_school_ids(author), profile__in=REPLACEMENT_PROFILES).exists()
