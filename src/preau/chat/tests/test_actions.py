"""The chat's actions: what they change, what they refuse, what they journal."""

import datetime

import pytest
from django.utils import timezone

from preau.chat import actions, policy, queries
from preau.chat.models import Message, Participation, Room
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.factories import SchoolClassFactory
from preau.directory.models import Enrolment, Person
from preau.messaging.models import Suspension

from .conftest import SCHOOL_TUESDAY, WEDNESDAY_AFTERNOON, open_all_week

pytestmark = pytest.mark.django_db


def fresh(person: Person) -> Person:
    """The person as a new request would load them (no scope kept from before)."""
    return Person.objects.get(pk=person.pk)


def test_a_teacher_posts_and_the_message_is_journaled_without_its_text(world):
    room = world["class_room"]
    message = actions.post_message(world["teacher"], room, "  Bonjour la classe !\n", at=SCHOOL_TUESDAY)
    assert message.text == "Bonjour la classe !"
    assert message.created_at == SCHOOL_TUESDAY
    entry = AuditEntry.objects.get(action="chat.message_posted")
    assert entry.actor == world["teacher"] and entry.school_id == world["school"].id
    assert entry.details == {"message": message.pk}
    # The author has read their own message.
    assert Participation.objects.get(room=room, person=world["teacher"]).last_read_id == message.pk


def test_text_is_kept_plain_without_invisible_characters():
    assert actions.clean_text("a\u202eb\u200bc\x00d\r\ne") == "abcd\ne"
    assert actions.clean_text("un\n\n\n\n\ndeux") == "un\n\ndeux"
    assert actions.clean_text("<b>gras</b>") == "<b>gras</b>"  # stored as typed, shown escaped


def test_an_empty_or_too_long_message_is_refused_in_french(world, settings):
    settings.PREAU_CHAT_MAX_LENGTH = 20
    with pytest.raises(DomainError, match="vide"):
        actions.post_message(world["teacher"], world["class_room"], " \u200b \n", at=SCHOOL_TUESDAY)
    with pytest.raises(DomainError, match="21 caractères ; la limite est de 20"):
        actions.post_message(world["teacher"], world["class_room"], "x" * 21, at=SCHOOL_TUESDAY)
    assert not Message.objects.exists()


def test_a_pupil_posts_in_school_time_and_not_on_wednesday_afternoon(world):
    room = open_all_week(world["teacher"], world["class_room"])
    actions.post_message(world["pupil"], room, "J'ai fini !", at=SCHOOL_TUESDAY)
    with pytest.raises(NotAllowed, match="Il ouvrira le jeudi 26 novembre à 8h00"):
        actions.post_message(world["pupil"], room, "Et maintenant ?", at=WEDNESDAY_AFTERNOON)
    assert Message.objects.count() == 1


def test_pupils_write_only_when_the_teacher_lets_them(world):
    room = world["class_room"]
    actions.update_room_settings(
        world["teacher"], room, days="1245", opens_at=room.opens_at, closes_at=room.closes_at, pupils_may_write=False
    )
    with pytest.raises(NotAllowed, match="seuls les adultes écrivent"):
        actions.post_message(world["pupil"], room, "Coucou", at=SCHOOL_TUESDAY)
    actions.post_message(world["teacher"], room, "Lisez bien la consigne.", at=SCHOOL_TUESDAY)
    assert policy.can_read_now(world["pupil"], room, SCHOOL_TUESDAY)


def test_a_muted_member_cannot_post_until_the_end_of_the_silence_or_the_moderator_lifts_it(world, settings):
    settings.PREAU_CHAT_PUPILS_IN_SCHOOL_TIME_ONLY = False  # the silence runs on the real clock
    room = open_all_week(world["teacher"], world["class_room"])
    pupil = world["pupil"]
    actions.mute_member(world["teacher"], room, pupil, minutes=15)
    entry = AuditEntry.objects.get(action="chat.member_muted")
    assert entry.subject == pupil and entry.details == {"minutes": 15}
    with pytest.raises(NotAllowed, match="ne plus écrire jusqu'au"):
        actions.post_message(pupil, room, "Pardon")
    actions.post_message(pupil, room, "Pardon", at=timezone.now() + datetime.timedelta(minutes=16))
    actions.mute_member(world["teacher"], room, pupil, minutes=60)
    actions.unmute_member(world["teacher"], room, pupil)
    actions.post_message(pupil, room, "Merci")
    assert AuditEntry.objects.filter(action="chat.member_unmuted", subject=pupil).exists()
    with pytest.raises(DomainError, match="peut déjà écrire"):
        actions.unmute_member(world["teacher"], room, pupil)


def test_only_moderators_mute_and_never_a_moderator(world):
    room = world["class_room"]
    with pytest.raises(NotAllowed):
        actions.mute_member(world["pupil"], room, world["pupils"][1], minutes=15)
    with pytest.raises(NotAllowed):
        actions.mute_member(world["director"], room, world["pupil"], minutes=15)
    with pytest.raises(DomainError, match="pas un membre"):
        actions.mute_member(world["teacher"], room, world["teacher"], minutes=15)
    with pytest.raises(DomainError, match="une minute à une semaine"):
        actions.mute_member(world["teacher"], room, world["pupil"], minutes=60 * 24 * 30)
    assert not Participation.objects.filter(muted_until__isnull=False).exists()


def test_a_person_suspended_by_the_director_cannot_post(world):
    teacher = world["teacher"]
    Suspension.objects.create(person=teacher, school=world["school"], reason="Enquête", created_by=world["director"])
    with pytest.raises(NotAllowed, match="suspendu votre droit d'écrire") as refused:
        actions.post_message(fresh(teacher), world["class_room"], "Bonjour", at=SCHOOL_TUESDAY)
    assert not Message.objects.exists()
    # The same sentence as the messagerie's: the school and the director's reason.
    assert world["school"].name in refused.value.message and "Enquête" in refused.value.message


def test_posting_is_rate_limited_per_person(world, settings):
    settings.PREAU_CHAT_RATE_MESSAGES = 3
    room = world["class_room"]
    for index in range(3):
        actions.post_message(world["teacher"], room, f"Message {index}", at=SCHOOL_TUESDAY)
    with pytest.raises(DomainError, match="trop vite"):
        actions.post_message(world["teacher"], world["group_room"], "Un de trop", at=SCHOOL_TUESDAY)
    actions.post_message(world["pupil"], room, "Moi je peux", at=SCHOOL_TUESDAY)
    assert Message.objects.count() == 4


def test_a_removed_message_is_kept_with_who_removed_it(world):
    room = world["class_room"]
    message = actions.post_message(world["pupil"], room, "Un gros mot", at=SCHOOL_TUESDAY)
    message.room = room
    with pytest.raises(NotAllowed):
        actions.remove_message(world["pupils"][1], message)
    actions.remove_message(world["teacher"], message)
    message.refresh_from_db()
    assert message.is_removed and message.removed_by == world["teacher"] and message.text == "Un gros mot"
    entry = AuditEntry.objects.get(action="chat.message_removed")
    assert entry.subject == world["pupil"] and entry.details == {"message": message.pk}
    with pytest.raises(DomainError, match="déjà retiré"):
        actions.remove_message(world["teacher"], message)


def test_the_director_removes_a_message_as_publication_director(world):
    room = world["class_room"]
    message = actions.post_message(world["teacher"], room, "Texte à retirer", at=SCHOOL_TUESDAY)
    message.room = room
    actions.remove_message(world["director"], message)
    assert Message.objects.get(pk=message.pk).removed_by == world["director"]


def test_a_teacher_opens_the_class_room_once_and_reopens_it_after_closing(world):
    room = world["class_room"]
    assert actions.open_class_room(world["teacher"], world["class"]) == room
    actions.close_room(world["teacher"], room)
    assert not Room.objects.get(pk=room.pk).is_open
    with pytest.raises(DomainError, match="déjà fermé"):
        actions.close_room(world["teacher"], room)
    with pytest.raises(NotAllowed, match="Ce salon est fermé"):
        actions.post_message(world["teacher"], room, "Encore là ?", at=SCHOOL_TUESDAY)
    reopened = actions.reopen_room(world["teacher"], room)
    assert reopened.pk == room.pk and reopened.is_open and reopened.closed_at is None
    actions_logged = AuditEntry.objects.filter(target_type="chat.room", target_id=str(room.pk))
    assert {"chat.room_opened", "chat.room_closed", "chat.room_reopened"} <= set(
        actions_logged.values_list("action", flat=True)
    )


def test_only_the_class_teachers_open_its_room_and_only_for_this_year(world):
    with pytest.raises(NotAllowed):
        actions.open_class_room(world["other"].teachers[0], world["class"])
    with pytest.raises(NotAllowed):
        actions.open_class_room(world["director"], world["class"])
    last_year = SchoolClassFactory(school=world["school"], year=world["class"].year - 1)
    last_year.teachings.create(teacher=world["teacher"])
    with pytest.raises(NotAllowed):
        actions.open_class_room(fresh(world["teacher"]), last_year)


def test_settings_are_checked_and_journaled_with_before_and_after(world):
    room, teacher = world["class_room"], world["teacher"]
    with pytest.raises(DomainError, match="au moins un jour"):
        actions.update_room_settings(
            teacher, room, days="", opens_at=room.opens_at, closes_at=room.closes_at, pupils_may_write=True
        )
    with pytest.raises(DomainError, match="doit suivre"):
        actions.update_room_settings(
            teacher,
            room,
            days="12",
            opens_at=datetime.time(10, 0),
            closes_at=datetime.time(9, 0),
            pupils_may_write=True,
        )
    with pytest.raises(NotAllowed):
        actions.update_room_settings(
            world["pupil"], room, days="12", opens_at=room.opens_at, closes_at=room.closes_at, pupils_may_write=True
        )
    actions.update_room_settings(
        teacher, room, days="21", opens_at=datetime.time(9, 0), closes_at=datetime.time(11, 0), pupils_may_write=True
    )
    assert Room.objects.get(pk=room.pk).days == "12"
    entry = AuditEntry.objects.get(action="chat.room_settings_changed")
    assert entry.details["before"]["days"] == "1245" and entry.details["after"]["opens_at"] == "09:00:00"


def test_unread_counts_others_messages_after_the_marker_and_never_removed_ones(world):
    room, teacher, pupil = world["class_room"], world["teacher"], world["pupil"]
    first = actions.post_message(teacher, room, "Un", at=SCHOOL_TUESDAY)
    actions.post_message(teacher, room, "Deux", at=SCHOOL_TUESDAY)
    third = actions.post_message(teacher, room, "Trois", at=SCHOOL_TUESDAY)
    actions.post_message(world["pupils"][1], world["group_room"], "Chorale", at=SCHOOL_TUESDAY)
    unread = {r.pk: r.unread for r in queries.rooms_with_unread(fresh(pupil))}
    assert unread[room.pk] == 3 and unread[world["group_room"].pk] == 1
    actions.mark_read(pupil, room, first.pk)
    third.room = room
    actions.remove_message(teacher, third)
    assert {r.pk: r.unread for r in queries.rooms_with_unread(fresh(pupil))}[room.pk] == 1
    actions.mark_read(pupil, room, 10**9)  # clamped to the room's last message
    actions.mark_read(pupil, room, first.pk)  # never backwards
    assert Participation.objects.get(room=room, person=pupil).last_read_id == third.pk
    assert {r.pk: r.unread for r in queries.rooms_with_unread(fresh(teacher))}[room.pk] == 0


def test_an_outsider_cannot_move_a_marker(world, outsider):
    with pytest.raises(NotAllowed):
        actions.mark_read(outsider, world["class_room"], 1)


def test_membership_follows_the_directory_at_once(world):
    pupil, room = world["pupil"], world["class_room"]
    assert policy.can_see_room(fresh(pupil), room)
    Enrolment.objects.filter(pupil=pupil).delete()
    assert not policy.can_see_room(fresh(pupil), room)
    assert room.pk not in {r.pk for r in queries.rooms_visible_to(fresh(pupil))}
    world["group"].members.remove(pupil)
    assert not policy.can_see_room(fresh(pupil), world["group_room"])
