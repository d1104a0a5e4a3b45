"""The chat's pages, through Django's test client: the form path that works without JavaScript."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.chat import actions
from preau.chat.models import Message, Room
from preau.core.models import AuditEntry
from preau.core.services import services_for
from preau.directory.models import Person

from .conftest import open_all_week

pytestmark = pytest.mark.django_db

ROOM_PAGE_QUERIES = 21
LIST_PAGE_QUERIES = 9


def _bulk_messages(room: Room, author: Person, count: int) -> None:
    start = timezone.now() - datetime.timedelta(days=3)
    Message.objects.bulk_create(
        Message(room=room, author=author, text=f"Message numéro {index}", created_at=start) for index in range(count)
    )


@pytest.fixture
def live_rooms(world, settings):
    """Every room open all week, pupils not held to school time: pages read at any test moment."""
    settings.PREAU_CHAT_PUPILS_IN_SCHOOL_TIME_ONLY = False
    for key, moderator in (("class_room", "teacher"), ("group_room", "teacher"), ("staff_room", "director")):
        world[key] = open_all_week(world[moderator], world[key])
    return world


@pytest.mark.parametrize("count", [10, 2000])
def test_the_room_page_costs_the_same_with_10_or_2000_messages(
    live_rooms, client_for, django_assert_max_num_queries, count
):
    room = live_rooms["class_room"]
    _bulk_messages(room, live_rooms["pupils"][1], count)
    client = client_for(live_rooms["teacher"])
    with django_assert_max_num_queries(ROOM_PAGE_QUERIES):
        response = client.get(reverse("chat:room", args=[room.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('id="message-') == min(count, 50)
    # Newest at the bottom, and the older ones a link away.
    assert html.index(f"Message numéro {count - 2}") < html.index(f"Message numéro {count - 1}")
    assert ("Charger les messages plus anciens" in html) is (count > 50)
    assert 'role="log"' in html and 'aria-live="polite"' in html


def test_older_messages_are_one_link_away(live_rooms, client_for):
    room = live_rooms["class_room"]
    _bulk_messages(room, live_rooms["teacher"], 120)
    client = client_for(live_rooms["pupil"])
    html = client.get(reverse("chat:room", args=[room.pk]) + "?page=3").content.decode()
    assert "Message numéro 0<" in html and "Message numéro 20<" not in html
    assert "Revenir aux derniers messages" in html


@pytest.mark.parametrize("rooms_with_messages", [0, 2000])
def test_the_list_shows_unread_counts_at_a_constant_cost(
    live_rooms, client_for, django_assert_max_num_queries, rooms_with_messages
):
    if rooms_with_messages:
        _bulk_messages(live_rooms["class_room"], live_rooms["teacher"], rooms_with_messages)
        _bulk_messages(live_rooms["group_room"], live_rooms["pupils"][1], 7)
    client = client_for(live_rooms["pupil"])
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = client.get(reverse("chat:rooms"))
    html = response.content.decode()
    assert response.status_code == 200
    assert live_rooms["class"].name in html and "Chorale" in html and "Atelier théâtre" in html
    assert "Salle des maîtres" not in html
    if rooms_with_messages:
        assert "2000 non lus" in html and "7 non lus" in html


def test_a_teacher_opens_a_room_from_the_list(world, client_for):
    world["class_room"].delete()
    client = client_for(world["teacher"])
    html = client.get(reverse("chat:rooms")).content.decode()
    assert f"classe:{world['class'].pk}" in html
    response = client.post(reverse("chat:open"), {"cible": f"classe:{world['class'].pk}"})
    room = Room.objects.get(school_class=world["class"])
    assert response.status_code == 302 and response.url == reverse("chat:room", args=[room.pk])
    assert room.opened_by == world["teacher"]


def test_a_forged_opening_changes_nothing(world, client_for):
    client = client_for(world["teacher"])
    response = client.post(reverse("chat:open"), {"cible": "classe:999999"}, follow=True)
    assert "introuvable" in response.content.decode()
    other_class = world["other"].classes[0]
    assert client.post(reverse("chat:open"), {"cible": f"classe:{other_class.pk}"}).status_code == 403
    assert client.post(reverse("chat:open"), {"cible": "n'importe quoi"}).status_code == 302
    assert not Room.objects.filter(school_class=other_class).exists()


def test_the_form_posts_a_message_and_a_pupil_reads_it_escaped(live_rooms, client_for):
    room = live_rooms["class_room"]
    teacher = client_for(live_rooms["teacher"])
    response = teacher.post(reverse("chat:room", args=[room.pk]), {"text": "Bonjour <script>alert(1)</script>"})
    assert response.status_code == 302 and response.url.endswith("#composer")
    html = client_for(live_rooms["pupil"]).get(reverse("chat:room", args=[room.pk])).content.decode()
    assert "Bonjour &lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_new_messages_are_marked_from_the_second_visit_on(live_rooms, client_for):
    room, teacher = live_rooms["class_room"], live_rooms["teacher"]
    url = reverse("chat:room", args=[room.pk])
    pupil = client_for(live_rooms["pupil"])
    actions.post_message(teacher, room, "Premier message")
    assert "Nouveaux messages" not in pupil.get(url).content.decode()
    actions.post_message(teacher, room, "Second message")
    html = pupil.get(url).content.decode()
    assert html.index("Premier message") < html.index("Nouveaux messages") < html.index("Second message")
    assert "Nouveaux messages" not in pupil.get(url).content.decode()


def test_a_refused_post_says_why_and_keeps_the_text(live_rooms, client_for):
    room = live_rooms["class_room"]
    actions.mute_member(live_rooms["teacher"], room, live_rooms["pupil"], minutes=15)
    response = client_for(live_rooms["pupil"]).post(reverse("chat:room", args=[room.pk]), {"text": "Je veux parler"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "ne plus écrire jusqu" in html and "Je veux parler" in html
    assert not Message.objects.exists()


def test_outside_its_hours_a_pupil_reads_when_the_room_opens_instead_of_the_messages(world, client_for):
    room = world["class_room"]
    actions.post_message(
        world["teacher"], room, "Message du matin", at=timezone.now().replace(year=2026, month=11, day=24, hour=9)
    )
    today = str(timezone.localdate().isoweekday())
    other_days = "".join(day for day in "1234567" if day != today)
    actions.update_room_settings(
        world["teacher"], room, days=other_days, opens_at=room.opens_at, closes_at=room.closes_at, pupils_may_write=True
    )
    response = client_for(world["pupil"]).get(reverse("chat:room", args=[room.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le salon n&#x27;est pas ouvert maintenant" in html or "Le salon n'est pas ouvert maintenant" in html
    assert "Message du matin" not in html and "chat/room.js" not in html
    # The teacher reads at any time.
    assert "Message du matin" in client_for(world["teacher"]).get(reverse("chat:room", args=[room.pk])).content.decode()


@pytest.mark.parametrize("who", ["parent", "outsider", "other_teacher"])
def test_people_outside_the_room_get_a_404(world, client_for, outsider, who):
    person = {"parent": world["parent"], "outsider": outsider, "other_teacher": world["other"].teachers[0]}[who]
    client = client_for(person)
    room = world["class_room"]
    assert client.get(reverse("chat:room", args=[room.pk])).status_code == 404
    assert client.post(reverse("chat:room", args=[room.pk]), {"text": "Intrus"}).status_code == 404
    assert client.get(reverse("chat:api_messages", args=[room.pk])).status_code == 404
    assert not Message.objects.exists()


def test_the_teacher_removes_a_message_and_pupils_see_the_mention(live_rooms, client_for):
    room = live_rooms["class_room"]
    message = actions.post_message(live_rooms["pupil"], room, "Un mot méchant")
    pupil = client_for(live_rooms["pupils"][1])
    url = reverse("chat:remove_message", args=[room.pk, message.pk])
    assert pupil.post(url).status_code == 403
    teacher = client_for(live_rooms["teacher"])
    assert teacher.post(url).status_code == 302
    html = pupil.get(reverse("chat:room", args=[room.pk])).content.decode()
    assert "Message retiré par l&#x27;enseignant·e" in html and "Un mot méchant" not in html
    # Moderators still read what was removed, and by whom.
    html = teacher.get(reverse("chat:room", args=[room.pk])).content.decode()
    assert "Un mot méchant" in html and "Retiré par" in html


def test_moderation_from_the_page_mute_unmute_close_reopen(live_rooms, client_for):
    room, pupil = live_rooms["class_room"], live_rooms["pupil"]
    teacher = client_for(live_rooms["teacher"])
    assert teacher.post(reverse("chat:mute", args=[room.pk, pupil.pk]), {"minutes": "60"}).status_code == 302
    html = teacher.get(reverse("chat:room", args=[room.pk])).content.decode()
    assert "ne peut plus écrire jusqu" in html
    assert teacher.post(reverse("chat:unmute", args=[room.pk, pupil.pk])).status_code == 302
    assert teacher.post(reverse("chat:close", args=[room.pk])).status_code == 302
    assert not Room.objects.get(pk=room.pk).is_open
    pupil_page = client_for(pupil).get(reverse("chat:room", args=[room.pk])).content.decode()
    assert "fermé par l&#x27;enseignant·e" in pupil_page
    assert teacher.post(reverse("chat:reopen", args=[room.pk])).status_code == 302
    assert Room.objects.get(pk=room.pk).is_open
    assert client_for(pupil).post(reverse("chat:close", args=[room.pk])).status_code == 403
    assert (
        client_for(live_rooms["pupils"][1])
        .post(reverse("chat:mute", args=[room.pk, pupil.pk]), {"minutes": "15"})
        .status_code
        == 403
    )
    actions_done = set(AuditEntry.objects.filter(actor=live_rooms["teacher"]).values_list("action", flat=True))
    assert {"chat.member_muted", "chat.member_unmuted", "chat.room_closed", "chat.room_reopened"} <= actions_done


def test_the_settings_form_saves_and_explains_its_errors(live_rooms, client_for, django_assert_max_num_queries):
    room = live_rooms["class_room"]
    teacher = client_for(live_rooms["teacher"])
    url = reverse("chat:settings", args=[room.pk])
    data = {"reglages-days": ["1", "2"], "reglages-opens_at": "09:00", "reglages-closes_at": "08:00"}
    with django_assert_max_num_queries(ROOM_PAGE_QUERIES):
        response = teacher.post(url, data)
    assert response.status_code == 400
    assert "L&#x27;heure de fermeture doit suivre" in response.content.decode()
    data["reglages-closes_at"] = "11:30"
    assert teacher.post(url, data).status_code == 302
    room.refresh_from_db()
    assert (room.days, room.closes_at, room.pupils_may_write) == ("12", datetime.time(11, 30), False)
    assert client_for(live_rooms["pupil"]).post(url, data).status_code == 403


def test_the_director_reads_the_class_room_without_writing(live_rooms, client_for):
    room = live_rooms["class_room"]
    actions.post_message(live_rooms["teacher"], room, "Sortie vendredi")
    client = client_for(live_rooms["director"])
    html = client.get(reverse("chat:room", args=[room.pk])).content.decode()
    assert "Sortie vendredi" in html and 'id="chat-composer"' not in html
    assert "directeur·trice de publication" in html
    client.post(reverse("chat:room", args=[room.pk]), {"text": "Je m'invite"})
    assert not Message.objects.filter(author=live_rooms["director"]).exists()


def test_the_portal_tile_is_for_the_people_who_have_rooms(world):
    def has_tile(person):
        return "chat" in {service.code for service in services_for(Person.objects.get(pk=person.pk))}

    assert has_tile(world["pupil"]) and has_tile(world["teacher"]) and has_tile(world["director"])
    assert not has_tile(world["parent"])
