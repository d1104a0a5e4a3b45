"""Every write of the chat. Each checks the policy, writes in one transaction, journals, and
sends the live update to the room's WebSocket group once the transaction has committed.

Chat messages are not announced on the timeline (see DECISIONS.md): the room list's unread
counts say what is new.
"""

import datetime
import re
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit, events
from preau.core.errors import DomainError, NotAllowed
from preau.core.realtime import send_to_group
from preau.directory.models import Group, Person, School, SchoolClass

from . import policy
from .models import Message, Participation, Room
from .payloads import message_json, removed_label

# Control characters, zero-width and bidirectional overrides: nothing that hides or reorders text.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")
ALL_DAYS = "1234567"
# A silence lasts from a minute to a week.
MAX_MUTE_MINUTES = 7 * 24 * 60
STAFF_ROOM_HOURS = (datetime.time(7, 30), datetime.time(19, 0))


def room_group(room_id: int) -> str:
    """The Channels group of a room's open pages."""
    return f"chat.room.{room_id}"


def _broadcast(room: Room, message: dict) -> None:
    transaction.on_commit(lambda: send_to_group(room_group(room.pk), message))


def clean_text(text: str) -> str:
    """Plain text as typed, without invisible characters; refused when empty or too long."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    text = _BLANK_LINES.sub("\n\n", _INVISIBLE.sub("", text)).strip()
    if not text:
        raise DomainError(_("Le message est vide."), field="text")
    limit = settings.PREAU_CHAT_MAX_LENGTH
    if len(text) > limit:
        message = _("Le message fait %(length)s caractères ; la limite est de %(limit)s.")
        raise DomainError(message % {"length": len(text), "limit": limit}, field="text")
    return text


def _count_against_rate(actor: Person) -> None:
    """At most PREAU_CHAT_RATE_MESSAGES messages per PREAU_CHAT_RATE_SECONDS, all rooms together."""
    key = f"preau:chat:rate:{actor.pk}"
    window = settings.PREAU_CHAT_RATE_SECONDS
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    if count > settings.PREAU_CHAT_RATE_MESSAGES:
        raise DomainError(_("Vous écrivez trop vite : patientez quelques secondes avant le prochain message."))


def post_message(actor: Person, room: Room, text: str, *, at: datetime.datetime | None = None) -> Message:
    """Post `text` in `room` as `actor` (a member allowed to write at that moment).

    `at` is the moment of posting (now unless the demo or a test sets it). The message is
    journaled, emits `chat.message_posted` and goes live to the room's open pages.
    """
    now = at or timezone.now()
    clean = clean_text(text)
    refusal = policy.posting_refusal(actor, room, now)
    if refusal:
        raise NotAllowed(refusal)
    _count_against_rate(actor)
    with transaction.atomic():
        message = Message.objects.create(room=room, author=actor, text=clean, created_at=now)
        _advance_marker(actor, room, message.pk, now)
        audit.record(actor, "chat.message_posted", target=room, school_id=room.school_id, message=message.pk)
        events.emit("chat.message_posted", room_id=room.pk, message_id=message.pk, author_id=actor.pk)
        _broadcast(room, {"type": "chat.message", "message": message_json(message)})
    return message


def remove_message(actor: Person, message: Message) -> Message:
    """Withdraw a message (its room's moderators, or the director of the school).

    The text stays in the database for the record, with who removed it and when; readers
    see "message retiré par l'enseignant·e". Journaled; emits `chat.message_removed`.
    """
    room = message.room
    if not policy.can_remove_messages(actor, room):
        raise NotAllowed(_("Seuls les modérateurs du salon retirent un message."))
    if message.is_removed:
        raise DomainError(_("Ce message est déjà retiré."))
    with transaction.atomic():
        message.removed_at = timezone.now()
        message.removed_by = actor
        message.save(update_fields=["removed_at", "removed_by"])
        audit.record(
            actor,
            "chat.message_removed",
            target=room,
            subject=message.author,
            school_id=room.school_id,
            message=message.pk,
        )
        events.emit("chat.message_removed", room_id=room.pk, message_id=message.pk, actor_id=actor.pk)
        _broadcast(room, {"type": "chat.removed", "message_id": message.pk, "label": removed_label(room)})
    return message


def mute_member(actor: Person, room: Room, person: Person, *, minutes: int) -> Participation:
    """Silence a member of `room` for `minutes` (its moderators). Journaled; the member's open
    pages learn it at once."""
    if not policy.can_moderate(actor, room):
        raise NotAllowed(_("Seuls les modérateurs du salon demandent à un membre de ne plus écrire."))
    if not policy.can_be_muted(person, room):
        raise DomainError(_("Cette personne n'est pas un membre du salon que vous pouvez faire taire."))
    if not 1 <= minutes <= MAX_MUTE_MINUTES:
        raise DomainError(_("La durée doit aller d'une minute à une semaine."), field="minutes")
    until = timezone.now() + datetime.timedelta(minutes=minutes)
    with transaction.atomic():
        participation, _created = Participation.objects.get_or_create(room=room, person=person)
        participation.muted_until, participation.muted_by = until, actor
        participation.save(update_fields=["muted_until", "muted_by"])
        audit.record(actor, "chat.member_muted", target=room, subject=person, school_id=room.school_id, minutes=minutes)
        _broadcast(room, {"type": "chat.mute", "person_id": person.pk, "until": until.isoformat()})
    return participation


def unmute_member(actor: Person, room: Room, person: Person) -> None:
    """Give a silenced member the floor again (the room's moderators). Journaled."""
    if not policy.can_moderate(actor, room):
        raise NotAllowed(_("Seuls les modérateurs du salon rendent la parole."))
    with transaction.atomic():
        changed = Participation.objects.filter(room=room, person=person, muted_until__isnull=False).update(
            muted_until=None, muted_by=None
        )
        if not changed:
            raise DomainError(_("Cette personne peut déjà écrire."))
        audit.record(actor, "chat.member_unmuted", target=room, subject=person, school_id=room.school_id)
        _broadcast(room, {"type": "chat.mute", "person_id": person.pk, "until": None})


def _open(actor: Person, *, kind: str, school: School | None, target: dict) -> Room:
    with transaction.atomic():
        room = Room.objects.select_for_update().filter(kind=kind, **target).first()
        if room is not None and room.is_open:
            return room
        if room is not None:
            room.is_open, room.closed_at = True, None
            room.save(update_fields=["is_open", "closed_at"])
            action = "chat.room_reopened"
        else:
            extra = {}
            if kind == Room.Kind.STAFF:
                extra = {"days": "12345", "opens_at": STAFF_ROOM_HOURS[0], "closes_at": STAFF_ROOM_HOURS[1]}
            try:
                with transaction.atomic():
                    room = Room.objects.create(kind=kind, opened_by=actor, **{"school": school, **target}, **extra)
            except IntegrityError:  # opened at the same moment by another moderator
                room = Room.objects.get(kind=kind, **target)
                return room
            action = "chat.room_opened"
        audit.record(actor, action, target=room, school_id=room.school_id)
        events.emit(action, room_id=room.pk, actor_id=actor.pk)
        _broadcast(room, {"type": "chat.room"})
    return room


def open_class_room(actor: Person, school_class: SchoolClass) -> Room:
    """Open (or reopen) the room of a class of this year: its teachers. Journaled."""
    if not policy.can_open_class_room(actor, school_class):
        raise NotAllowed(_("Seuls les enseignant·es de la classe ouvrent son salon."))
    return _open(actor, kind=Room.Kind.CLASS, school=school_class.school, target={"school_class": school_class})


def open_group_room(actor: Person, group: Group) -> Room:
    """Open (or reopen) a group's room: its owner, or the director (référent ville for a
    périscolaire group). Journaled."""
    if not policy.can_open_group_room(actor, group):
        raise NotAllowed(_("Seuls le ou la responsable du groupe et la direction ouvrent son salon."))
    return _open(actor, kind=Room.Kind.GROUP, school=group.school, target={"group": group})


def open_staff_room(actor: Person, school: School) -> Room:
    """Open (or reopen) the staff room of a school: its director. Journaled."""
    if not policy.can_open_staff_room(actor, school):
        raise NotAllowed(_("Seule la direction de l'école ouvre la salle des maîtres."))
    return _open(actor, kind=Room.Kind.STAFF, school=school, target={"school": school})


def reopen_room(actor: Person, room: Room) -> Room:
    """Reopen a closed room: whoever may open it. Journaled."""
    if room.kind == Room.Kind.CLASS:
        return open_class_room(actor, room.school_class)
    if room.kind == Room.Kind.GROUP:
        return open_group_room(actor, room.group)
    return open_staff_room(actor, room.school)


def close_room(actor: Person, room: Room) -> Room:
    """Close a room (its moderators): nobody writes, pupils no longer read. Journaled."""
    if not policy.can_moderate(actor, room):
        raise NotAllowed(_("Seuls les modérateurs du salon le ferment."))
    if not room.is_open:
        raise DomainError(_("Ce salon est déjà fermé."))
    with transaction.atomic():
        room.is_open, room.closed_at = False, timezone.now()
        room.save(update_fields=["is_open", "closed_at"])
        audit.record(actor, "chat.room_closed", target=room, school_id=room.school_id)
        events.emit("chat.room_closed", room_id=room.pk, actor_id=actor.pk)
        _broadcast(room, {"type": "chat.room"})
    return room


def update_room_settings(
    actor: Person,
    room: Room,
    *,
    days: str,
    opens_at: datetime.time,
    closes_at: datetime.time,
    pupils_may_write: bool,
) -> Room:
    """Set a room's opening hours and whether pupils write (its moderators). Journaled."""
    if not policy.can_moderate(actor, room):
        raise NotAllowed(_("Seuls les modérateurs du salon en règlent les horaires."))
    days = "".join(sorted(set(days)))
    if not days or not set(days) <= set(ALL_DAYS):
        raise DomainError(_("Choisissez au moins un jour d'ouverture."), field="days")
    if opens_at >= closes_at:
        raise DomainError(_("L'heure de fermeture doit suivre l'heure d'ouverture."), field="closes_at")
    before = {"days": room.days, "opens_at": room.opens_at.isoformat(), "closes_at": room.closes_at.isoformat()}
    with transaction.atomic():
        room.days, room.opens_at, room.closes_at = days, opens_at, closes_at
        room.pupils_may_write = pupils_may_write
        room.save(update_fields=["days", "opens_at", "closes_at", "pupils_may_write"])
        audit.record(
            actor,
            "chat.room_settings_changed",
            target=room,
            school_id=room.school_id,
            before=before,
            after={"days": days, "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()},
            pupils_may_write=pupils_may_write,
        )
        _broadcast(room, {"type": "chat.room"})
    return room


def _advance_marker(person: Person, room: Room, message_id: int, now: datetime.datetime) -> None:
    updated = Participation.objects.filter(room=room, person=person, last_read_id__lt=message_id).update(
        last_read_id=message_id, read_at=now
    )
    if not updated:
        Participation.objects.get_or_create(
            room=room, person=person, defaults={"last_read_id": message_id, "read_at": now}
        )


def mark_read(person: Person, room: Room, up_to: int) -> None:
    """Move the person's last-read marker up to message `up_to` of `room` (never backwards).

    A marker, not an act on anyone's data: it is not journaled.
    """
    if not policy.can_see_room(person, room):
        raise NotAllowed(_("Vous ne participez pas à ce salon."))
    latest = room.messages.filter(id__lte=up_to).aggregate(latest=Max("id"))["latest"]
    if latest:
        _advance_marker(person, room, latest, timezone.now())


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the rooms of the school (staff room), of its classes and of its groups, with their
    messages and participations. A commune's périscolaire rooms stay.

    Rows deleted; idempotent. Runs in the purge's transaction (`core.school_data`).
    """
    return Room.objects.filter(
        Q(school_id=school_id) | Q(school_class__school_id=school_id) | Q(group__school_id=school_id)
    ).delete()[0]
