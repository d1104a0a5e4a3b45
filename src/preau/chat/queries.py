"""Reads of the chat that depend on who is asking: always through these functions."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from preau.directory.models import Group, Person, Profile, School, SchoolClass
from preau.directory.queries import access_of

from .models import Message, Participation, Room
from .policy import can_open_class_room, can_open_group_room, can_open_staff_room, groups_of

ROOM_RELATED = (
    "school_class",
    "group",
    "school__circonscription__departement__academie",
    "group__commune__departement__academie",
)


def _visible_q(person: Person) -> Q:
    """The rooms whose member, moderator or reader `person` is (the same rules as policy.py)."""
    access = access_of(person)
    if access.person is None:
        return Q(pk__in=[])
    year = access.year
    own_classes = access.taught_class_ids | {c.id for c in access.own_classes}
    directed = access.school_ids(Profile.DIRECTOR)
    groups = groups_of(person)
    q = Q(kind=Room.Kind.CLASS, school_class_id__in=own_classes)
    q |= Q(kind=Room.Kind.CLASS, school_id__in=directed, school_class__year=year)
    q |= Q(kind=Room.Kind.STAFF, school_id__in=access.school_ids(Profile.TEACHER, Profile.DIRECTOR))
    q |= Q(kind=Room.Kind.GROUP, group_id__in=groups.member_ids)
    q |= Q(kind=Room.Kind.GROUP, group__year=year, group__school_id__in=directed)
    if access.has(Profile.CITY_REFERENT):
        q |= Q(
            kind=Room.Kind.GROUP,
            group__year=year,
            group__kind=Group.Kind.PERISCOLAIRE,
            group__commune_id__in=access.commune_ids,
        )
    return q


def rooms_visible_to(person: Person) -> QuerySet[Room]:
    """The rooms `person` sees, with what the policy and the titles need joined."""
    return Room.objects.filter(_visible_q(person)).select_related(*ROOM_RELATED)


def rooms_with_unread(person: Person) -> QuerySet[Room]:
    """The person's rooms, each with `unread`: messages of others after their last-read marker.

    One query whatever the number of rooms and messages. Removed messages do not count.
    """
    last_read = Participation.objects.filter(room=OuterRef("pk"), person=person).values("last_read_id")[:1]
    # Counted per room from the marker on (the room–id index), not over a join of each room's
    # whole history: the list costs what is unread, not what was ever written.
    unread = (
        Message.objects.filter(room=OuterRef("pk"), id__gt=OuterRef("last_read"), removed_at__isnull=True)
        .exclude(author=person)
        .order_by()
        .values("room")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        rooms_visible_to(person)
        .annotate(last_read=Coalesce(Subquery(last_read), Value(0), output_field=IntegerField()))
        .annotate(unread=Coalesce(Subquery(unread), Value(0), output_field=IntegerField()))
        .order_by("kind", "school__name", "id")
    )


def room_visible_to(person: Person, room_id: int) -> Room | None:
    return rooms_visible_to(person).filter(pk=room_id).first()


def history_of(room: Room) -> QuerySet[Message]:
    """The room's messages, newest first (pages then show them oldest at the top)."""
    return room.messages.select_related("author", "removed_by").order_by("-id")


def messages_before(room: Room, before_id: int | None, limit: int) -> list[Message]:
    """Up to `limit` messages older than `before_id` (the newest ones if None), oldest first."""
    messages = history_of(room)
    if before_id:
        messages = messages.filter(id__lt=before_id)
    return list(reversed(messages[:limit]))


def participation_of(person: Person, room: Room) -> Participation | None:
    return Participation.objects.filter(room=room, person=person).first()


@dataclass(frozen=True)
class Member:
    person: Person
    label: str  # "enseignant·e", "élève", …
    is_moderator: bool
    muted_until: datetime.datetime | None = None


def members_of(room: Room) -> list[Member]:
    """Who is in the room, from the directory (three queries at most, whatever the size)."""
    if room.kind == Room.Kind.CLASS:
        teachers = Person.objects.filter(teachings__school_class_id=room.school_class_id, is_active=True)
        pupils = Person.objects.filter(enrolments__school_class_id=room.school_class_id, is_active=True)
        people = [(p, _("enseignant·e"), True) for p in teachers.order_by("last_name", "first_name")]
        people += [(p, _("élève"), False) for p in pupils.order_by("last_name", "first_name")]
    elif room.kind == Room.Kind.STAFF:
        school_id = room.school_id
        roles = (
            Person.objects.filter(
                roles__school_id=school_id, roles__profile__in=[Profile.TEACHER, Profile.DIRECTOR], is_active=True
            )
            .annotate(directs=Count("roles", filter=Q(roles__profile=Profile.DIRECTOR, roles__school_id=school_id)))
            .order_by("last_name", "first_name")
        )
        people = [(p, _("direction") if p.directs else _("enseignant·e"), bool(p.directs)) for p in roles.distinct()]
    else:
        group = room.group
        members = Person.objects.filter(Q(member_groups=group) | Q(pk=group.owner_id), is_active=True).distinct()
        people = [
            (p, _("responsable") if p.pk == group.owner_id else _("membre"), p.pk == group.owner_id)
            for p in members.order_by("last_name", "first_name")
        ]
    mutes = dict(
        Participation.objects.filter(room=room, muted_until__isnull=False).values_list("person_id", "muted_until")
    )
    return [Member(person, label, moderator, mutes.get(person.pk)) for person, label, moderator in people]


@dataclass(frozen=True)
class Openable:
    """A room the person may open and that does not exist yet."""

    target: str  # "classe:12", "groupe:4", "ecole:3": what the opening form posts
    title: str
    school_name: str


def rooms_openable_by(person: Person, existing: list[Room]) -> list[Openable]:
    """Class, group and staff rooms `person` may open, among those not in `existing`.

    `existing` is the person's room list, already loaded: one query for the owned groups.
    """
    access = access_of(person)
    class_ids = {room.school_class_id for room in existing}
    group_ids = {room.group_id for room in existing}
    staff_school_ids = {room.school_id for room in existing if room.kind == Room.Kind.STAFF}
    found = [
        Openable(f"classe:{c.id}", c.name, c.school.name)
        for c in access.taught_classes
        if c.id not in class_ids and can_open_class_room(person, c)
    ]
    groups = Group.objects.filter(year=access.year).exclude(id__in=group_ids).select_related("school", "commune")
    steward_q = Q(owner=person) | Q(school_id__in=access.school_ids(Profile.DIRECTOR))
    if access.has(Profile.CITY_REFERENT):
        steward_q |= Q(kind=Group.Kind.PERISCOLAIRE, commune_id__in=access.commune_ids)
    for group in groups.filter(steward_q).order_by("name"):
        if can_open_group_room(person, group):
            where = group.school.name if group.school_id else group.commune.name
            found.append(Openable(f"groupe:{group.id}", group.name, where))
    for role in access.roles:
        directs = role.profile == Profile.DIRECTOR and role.school_id not in staff_school_ids
        if directs and can_open_staff_room(person, role.school):
            found.append(Openable(f"ecole:{role.school_id}", _("Salle des maîtres"), role.school.name))
    return found


def opening_target(target: str) -> SchoolClass | Group | School | None:
    """What an opening form names ("classe:12"), if it exists; the action checks the rights."""
    kind, _sep, raw_id = target.partition(":")
    if not raw_id.isdigit():
        return None
    model = {"classe": SchoolClass, "groupe": Group, "ecole": School}.get(kind)
    if model is None:
        return None
    return model.objects.filter(pk=int(raw_id)).first()
