"""Who may see, read, write in and moderate a room. The matrix test is the table of these rules.

Membership comes from the directory at read time, through `access_of(person)` (loaded once
per request) and the person's groups of the year (one query, kept on the person too):
  class room   members: the class's teachers (moderators) and pupils; the director reads it
               and may remove a message, as the school's publication director.
  group room   members: the group's members and its owner; moderators: the owner, and the
               director of the group's school (the référent ville for a périscolaire group).
  staff room   members: the school's teachers and its director (moderator).
Nobody else sees a room: not parents, not the circonscription, not the operators.

Pupils read and write only while the room is open AND during school time (`schedule.py`);
adults read at any time and write during the opening hours. Nobody writes while a moderator
has silenced them, nor while their director has suspended their writing (`messaging.rules`),
and pupils write in a room only when its moderator lets them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from preau.directory.models import Group, Person, Profile, School, SchoolClass
from preau.directory.queries import Access, access_of

from . import schedule
from .models import Participation, Room


@dataclass(frozen=True)
class Standing:
    """A person's place in one room."""

    member: bool = False  # writes there (within the rules)
    moderator: bool = False  # removes messages, silences members, sets hours, closes the room
    overseer: bool = False  # reads and removes messages without being a member
    pupil: bool = False  # a pupil member: school time applies

    @property
    def sees(self) -> bool:
        return self.member or self.moderator or self.overseer


@dataclass(frozen=True)
class Groups:
    member_ids: frozenset[int]
    owned_ids: frozenset[int]


NO_GROUPS = Groups(frozenset(), frozenset())


def groups_of(person: Person) -> Groups:
    """The person's directory groups of the year (one query, then kept on the person)."""
    cached = getattr(person, "_preau_chat_groups", None)
    if cached is not None:
        return cached
    if person is None or not person.is_authenticated:
        return NO_GROUPS
    rows = (
        Group.objects.filter(Q(members=person) | Q(owner=person), year=access_of(person).year)
        .values_list("id", "owner_id")
        .distinct()
    )
    rows = list(rows)
    groups = Groups(
        member_ids=frozenset(group_id for group_id, _owner in rows),
        owned_ids=frozenset(group_id for group_id, owner in rows if owner == person.pk),
    )
    person._preau_chat_groups = groups
    return groups


def _is_pupil(access: Access) -> bool:
    return access.has(Profile.PUPIL)


def _group_steward(access: Access, group: Group) -> bool:
    """Directs the group's school, or is référent ville of a périscolaire group's commune."""
    if group.kind == Group.Kind.PERISCOLAIRE:
        return group.commune_id in access.commune_ids and access.has(Profile.CITY_REFERENT)
    return group.school_id in access.school_ids(Profile.DIRECTOR)


def standing(person: Person, room: Room) -> Standing:
    """Where `person` stands in `room`; costs no query for class and staff rooms."""
    access = access_of(person)
    if access.person is None:
        return Standing()
    if room.kind == Room.Kind.CLASS:
        if room.school_class.year != access.year:
            return Standing()
        if room.school_class_id in access.taught_class_ids:
            return Standing(member=True, moderator=True)
        if any(c.id == room.school_class_id for c in access.own_classes):
            return Standing(member=True, pupil=True)
        return Standing(overseer=room.school_id in access.school_ids(Profile.DIRECTOR))
    if room.kind == Room.Kind.STAFF:
        if room.school_id in access.school_ids(Profile.DIRECTOR):
            return Standing(member=True, moderator=True)
        return Standing(member=room.school_id in access.school_ids(Profile.TEACHER))
    group = room.group
    if group.year != access.year:
        return Standing()
    groups = groups_of(person)
    steward = group.id in groups.owned_ids or _group_steward(access, group)
    member = group.id in groups.member_ids
    return Standing(member=member or steward, moderator=steward, pupil=member and not steward and _is_pupil(access))


def can_see_room(person: Person, room: Room) -> bool:
    """Sees the room in their list and opens its page (what they read there depends on time)."""
    return standing(person, room).sees


def can_moderate(person: Person, room: Room) -> bool:
    return standing(person, room).moderator


def can_remove_messages(person: Person, room: Room) -> bool:
    place = standing(person, room)
    return place.moderator or place.overseer


def can_read_now(person: Person, room: Room, now: datetime.datetime) -> bool:
    """Reads the messages at `now`: adults whenever they see the room, pupils while it is open."""
    place = standing(person, room)
    if not place.sees:
        return False
    if not place.pupil:
        return True
    return room.is_open and schedule.is_room_open(room, now, pupil=True)


def closed_notice(person: Person, room: Room, now: datetime.datetime) -> str:
    """What a pupil reads instead of the messages: when the room opens next."""
    if not room.is_open:
        return _("Ce salon est fermé par l'enseignant·e.")
    opening = schedule.next_opening(room, now, pupil=standing(person, room).pupil)
    if opening is None:
        return _("Ce salon est fermé en ce moment.")
    return _("Ce salon est fermé en ce moment. Il ouvrira le %(when)s.") % {"when": _moment_label(opening)}


def _moment_label(moment: datetime.datetime) -> str:
    """ "lundi 24 novembre à 8h30", in local time."""
    local = timezone.localtime(moment)
    return _("%(day)s à %(time)s") % {
        "day": formats.date_format(local, "l j F"),
        "time": schedule.time_label(local.time()),
    }


def _suspension_refusal(person: Person) -> str | None:
    # The communication rules of the mail apply here too (an allowed exception to the
    # "services never import each other" rule, see DECISIONS.md), with the same sentence.
    from preau.messaging.rules import suspension_refusal

    return suspension_refusal(person)


# "Not loaded yet", as opposed to None: the person has no participation in the room.
NOT_LOADED = object()


def posting_refusal(person: Person, room: Room, now: datetime.datetime, *, participation=NOT_LOADED) -> str | None:
    """Why `person` may not post in `room` at `now` (a French sentence), or None if they may.

    Pass the person's participation (or None) when it is already loaded: the mute check then
    costs no query. The suspension check asks the messaging rules (one query at most).
    """
    place = standing(person, room)
    if not place.member:
        return _("Vous ne participez pas à ce salon.")
    if not room.is_open:
        return _("Ce salon est fermé.")
    if place.pupil and not room.pupils_may_write:
        return _("Dans ce salon, seuls les adultes écrivent.")
    if not schedule.is_room_open(room, now, pupil=place.pupil):
        return closed_notice(person, room, now)
    if participation is NOT_LOADED:
        participation = Participation.objects.filter(room=room, person=person).first()
    if participation is not None and participation.is_muted(now):
        return _("Un modérateur vous a demandé de ne plus écrire jusqu'au %(when)s.") % {
            "when": _moment_label(participation.muted_until)
        }
    return _suspension_refusal(person)


def can_post(person: Person, room: Room, now: datetime.datetime) -> bool:
    return posting_refusal(person, room, now) is None


def can_open_class_room(person: Person, school_class: SchoolClass) -> bool:
    """The class's teachers open its room, for the classes of the current year."""
    access = access_of(person)
    return school_class.id in access.taught_class_ids and school_class.year == access.year


def can_open_group_room(person: Person, group: Group) -> bool:
    access = access_of(person)
    if access.person is None or group.year != access.year:
        return False
    return group.owner_id == person.pk or _group_steward(access, group)


def can_open_staff_room(person: Person, school: School) -> bool:
    return school.id in access_of(person).school_ids(Profile.DIRECTOR)


def can_be_muted(person: Person, room: Room) -> bool:
    """Moderators silence members who are not moderators themselves."""
    place = standing(person, room)
    return place.member and not place.moderator
