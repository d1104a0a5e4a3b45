"""Reads of the messagerie, each scoped to the person asking.

A person reads only their own copies (`Delivery`): a folder, a search, a conversation, an
attachment are all reached through them, so nobody can open another's mail by changing an id.
The cost of a folder or a conversation page does not grow with the size of the mailbox.
"""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Academie, Enrolment, GuardianLink, Person, Profile, Role, School, SchoolClass
from preau.directory.queries import access_of

from .models import (
    AnsweringHours,
    Attachment,
    ClassRule,
    CommunicationRules,
    Conversation,
    Delivery,
    Message,
    Suspension,
)
from .policy import can_see_read_receipts
from .rules import rules_for_schools

Box, State = Delivery.Box, Delivery.State


@dataclass(frozen=True)
class Folder:
    slug: str
    label: str
    condition: Q


FOLDERS = {
    folder.slug: folder
    for folder in (
        Folder("recus", _("Reçus"), Q(box=Box.INBOX, state=State.ACTIVE)),
        Folder("envoyes", _("Envoyés"), Q(box=Box.SENT, state=State.ACTIVE)),
        Folder("brouillons", _("Brouillons"), Q(box=Box.DRAFT, state=State.ACTIVE)),
        Folder("archives", _("Archivés"), Q(state=State.ARCHIVED)),
        Folder("corbeille", _("Corbeille"), Q(state=State.TRASHED)),
    )
}
UNREAD = Q(box=Box.INBOX, state=State.ACTIVE, read_at__isnull=True)


def folder_counts(person: Person) -> dict[str, int]:
    """How many copies each folder holds, and `non_lus` (unread received): one query."""
    counts = Delivery.objects.filter(person=person).aggregate(
        non_lus=Count("pk", filter=UNREAD),
        **{slug: Count("pk", filter=folder.condition) for slug, folder in FOLDERS.items()},
    )
    return {key: value or 0 for key, value in counts.items()}


def _listed(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    # A correlated EXISTS, not a COUNT over a join: the page's 50 rows are read in the order of
    # the folder index and the database stops there, whatever the size of the mailbox.
    return deliveries.select_related("message__author").annotate(
        has_attachments=Exists(Attachment.objects.filter(message_id=OuterRef("message_id")))
    )


def deliveries_in_folder(person: Person, slug: str) -> QuerySet[Delivery]:
    """The person's copies in one folder, newest first, each with its message and author."""
    folder = FOLDERS[slug]
    return _listed(Delivery.objects.filter(folder.condition, person=person)).order_by("-sort_at", "-id")


def search_deliveries(person: Person, text: str) -> QuerySet[Delivery]:
    """The person's copies (drafts and emptied trash aside) whose subject, author or text match.

    PostgreSQL: French full-text search ("websearch" syntax: words, "phrases", -exclusions).
    Elsewhere: every word must appear, case-insensitively.
    """
    deliveries = Delivery.objects.filter(person=person).exclude(box=Box.DRAFT).exclude(state=State.PURGED)
    text = text.strip()
    if not text:
        return deliveries.none()
    messages = Message.objects.all()
    if connections[messages.db].vendor == "postgresql":
        messages = messages.annotate(document=SearchVector("search_document", config="french")).filter(
            document=SearchQuery(text, config="french", search_type="websearch")
        )
    else:
        for word in text.split()[:10]:
            messages = messages.filter(search_document__icontains=word)
    matched = deliveries.filter(message__in=messages.values("pk"))
    return _listed(matched).order_by("-sort_at", "-id")


def delivery_of(person: Person, message_id: int) -> Delivery | None:
    """The person's copy of a message, unless they emptied it from their trash."""
    return (
        Delivery.objects.filter(person=person, message_id=message_id)
        .exclude(state=State.PURGED)
        .select_related("message__conversation", "message__author", "message__school")
        .first()
    )


def conversation_visible_to(person: Person, conversation_id: int) -> Conversation | None:
    """A conversation of which the person holds at least one sent or received message."""
    # From the conversation's messages to the person's copies (the unique message–person index),
    # never through all of the person's copies.
    messages = Message.objects.filter(conversation_id=conversation_id, sent_at__isnull=False).values("pk")
    holds = Delivery.objects.filter(message_id__in=messages, person=person).exclude(state=State.PURGED)
    return Conversation.objects.filter(pk=conversation_id).filter(Exists(holds)).first()


def thread_visible_to(person: Person, conversation: Conversation) -> QuerySet[Message]:
    """The conversation's sent messages the person holds, oldest first, ready to show.

    Each has its author, attachments, the recipients the person may see (`shown_deliveries`:
    the visible ones, never families of a list), the person's own copy (`my_copies`) and the
    read-receipt counts (`total`, `read`, `families`, `families_read`); six queries in all.
    """
    mine = Delivery.objects.filter(person=person).exclude(state=State.PURGED).exclude(box=Box.DRAFT)
    inbox = Q(deliveries__box=Box.INBOX)
    family = inbox & Q(deliveries__is_family=True)
    read = Q(deliveries__read_at__isnull=False)
    return (
        Message.objects.filter(
            Exists(mine.filter(message=OuterRef("pk"))), conversation=conversation, sent_at__isnull=False
        )
        .select_related("author", "school")
        .annotate(
            total=Count("deliveries", filter=inbox),
            read=Count("deliveries", filter=inbox & read),
            families=Count("deliveries", filter=family),
            families_read=Count("deliveries", filter=family & read),
        )
        .prefetch_related(
            "attachments",
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.filter(box=Box.INBOX, hidden=False)
                .select_related("person")
                .order_by("person__last_name", "person__first_name"),
                to_attr="shown_deliveries",
            ),
            Prefetch("deliveries", queryset=mine, to_attr="my_copies"),
        )
        .order_by("sent_at", "id")
    )


def read_receipts(person: Person, message: Message) -> QuerySet[Delivery]:
    """Who received the author's message and when they read it (for its author only)."""
    if not can_see_read_receipts(person, message):
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(message=message, box=Box.INBOX)
        .select_related("person")
        .order_by("read_at", "person__last_name", "person__first_name")
    )


def shown_recipient_ids(message: Message) -> list[int]:
    """The recipients every reader of the message sees (never the hidden families of a list).

    For a message the caller holds (a "reply to all" answers those only)."""
    return list(message.deliveries.filter(box=Box.INBOX, hidden=False).values_list("person_id", flat=True))


def message_sent_by(person: Person, message_id: int) -> Message | None:
    return Message.objects.filter(pk=message_id, author=person, sent_at__isnull=False).first()


def draft_of(person: Person, draft_id) -> Message | None:
    return (
        Message.objects.filter(
            pk=draft_id, author=person, sent_at__isnull=True, deliveries__person=person, deliveries__box=Box.DRAFT
        )
        .exclude(deliveries__state=State.PURGED)
        .prefetch_related("attachments")
        .first()
    )


def attachment_visible_to(person: Person, attachment_id: int) -> Attachment | None:
    """An attachment of a message the person holds (sent, received or drafted)."""
    holds = Delivery.objects.filter(message=OuterRef("message_id"), person=person).exclude(state=State.PURGED)
    return Attachment.objects.filter(Exists(holds), pk=attachment_id).select_related("message").first()


def sent_in_last_hour(person: Person, now: datetime.datetime | None = None) -> tuple[int, int]:
    """(messages, recipients) the person sent in the last hour."""
    since = (now or timezone.now()) - datetime.timedelta(hours=1)
    totals = Message.objects.filter(author=person, sent_at__gte=since).aggregate(
        messages=Count("pk"), recipients=Sum("recipient_count")
    )
    return totals["messages"] or 0, totals["recipients"] or 0


def quota_used(person: Person) -> int:
    """Bytes of the files the person uploaded (forwarded copies count for their uploader only)."""
    return Attachment.objects.filter(uploaded_by=person, is_copy=False).aggregate(total=Sum("size"))["total"] or 0


def answering_hours_of(person_ids) -> dict[int, AnsweringHours]:
    return {hours.person_id: hours for hours in AnsweringHours.objects.filter(person_id__in=list(person_ids))}


def search_candidates(candidates: QuerySet[Person], text: str, limit: int = 20) -> list[Person]:
    """People among `candidates` whose name or login starts with or contains `text`."""
    text = text.strip()
    if len(text) < 2:
        return []
    matched = candidates
    for word in text.split()[:3]:
        matched = matched.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    return list(matched[:limit])


def suspensions_visible_to(person: Person) -> QuerySet[Suspension]:
    """Suspensions in force in the schools the person directs."""
    return (
        Suspension.objects.filter(school_id__in=access_of(person).school_ids(Profile.DIRECTOR), lifted_at__isnull=True)
        .select_related("person", "school", "created_by")
        .order_by("-created_at")
    )


def directed_schools(person: Person) -> QuerySet[School]:
    return School.objects.filter(id__in=access_of(person).school_ids(Profile.DIRECTOR)).order_by("name")


def ruled_academies(person: Person) -> QuerySet[Academie]:
    """The académies whose communication rules the person sets (as their administrator)."""
    return Academie.objects.filter(id__in=access_of(person).academie_ids).order_by("name")


def own_rules_of(*, school: School | None = None, academie: Academie | None = None) -> CommunicationRules | None:
    """The row a school or an académie saved for itself, if any (the rules in force are `rules`')."""
    if school is not None:
        return CommunicationRules.objects.filter(school=school).first()
    return CommunicationRules.objects.filter(academie=academie).first()


def people_of_schools(school_ids, text: str, *, year: int, limit: int = 30) -> list[Person]:
    """People of the schools (staff, pupils of the year, their parents) whose name matches `text`."""
    text = text.strip()
    if len(text) < 2 or not school_ids:
        return []
    ids = list(school_ids)
    members = (
        Q(pk__in=Role.objects.filter(school_id__in=ids).values("person_id"))
        | Q(
            pk__in=Enrolment.objects.filter(school_class__school_id__in=ids, school_class__year=year).values("pupil_id")
        )
        | Q(
            pk__in=GuardianLink.objects.filter(
                child__enrolments__school_class__school_id__in=ids, child__enrolments__school_class__year=year
            ).values("guardian_id")
        )
    )
    matched = Person.objects.filter(members, is_active=True)
    for word in text.split()[:3]:
        matched = matched.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    return list(matched.order_by("last_name", "first_name")[:limit])


def taught_classes_with_rules(person: Person) -> list:
    """The classes the person teaches this year, each with `pupils_write_classmates` (the
    teacher's choice) and `school_allows` (whether its school's rules let pupils write to
    each other at all). Three queries, whatever the number of classes and schools."""
    classes = list(
        SchoolClass.objects.filter(id__in=access_of(person).taught_class_ids).select_related(
            "school__circonscription__departement"
        )
    )
    allowed = set(
        ClassRule.objects.filter(school_class__in=classes, pupils_write_classmates=True).values_list(
            "school_class_id", flat=True
        )
    )
    in_force = rules_for_schools(c.school for c in classes)
    for school_class in classes:
        school_class.pupils_write_classmates = school_class.id in allowed
        school_class.school_allows = in_force[school_class.school_id].pupils_write_classmates
    return sorted(classes, key=lambda c: (c.school.name, c.name))
