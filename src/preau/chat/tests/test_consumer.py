"""The room's WebSocket, through the whole ASGI application (origin check, session, routing).

pytest-asyncio is not installed: each test builds its world synchronously, then runs one
coroutine with asyncio.run; the database is read from it through database_sync_to_async.
"""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from preau.asgi import application
from preau.chat import actions
from preau.chat.models import Message
from preau.messaging.models import Suspension

from .conftest import open_all_week

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(person) -> str:
    client = Client()
    client.force_login(person)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def socket_for(person, room, *, origin: str = "http://testserver") -> WebsocketCommunicator:
    headers = [(b"origin", origin.encode())]
    if person is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_cookie(person)}".encode()))
    return WebsocketCommunicator(application, f"/ws/discussions/{room.pk}/", headers=headers)


async def connected(socket: WebsocketCommunicator) -> dict:
    """Connect and return the first frame (the person's state)."""
    accepted, code = await socket.connect(timeout=5)
    assert accepted, f"refused with {code}"
    return await socket.receive_json_from(timeout=5)


def run(scenario):
    asyncio.run(scenario())


@pytest.fixture(autouse=True)
def _empty_channel_layer():
    # The in-memory layer lives as long as the process: no group left from another test.
    asyncio.run(get_channel_layer().flush())


@pytest.fixture
def live(world, settings):
    settings.PREAU_CHAT_PUPILS_IN_SCHOOL_TIME_ONLY = False
    world["class_room"] = open_all_week(world["teacher"], world["class_room"])
    world["staff_room"] = open_all_week(world["director"], world["staff_room"])
    return world


@pytest.mark.parametrize("who", ["anonymous", "parent", "other_school_teacher", "outsider"])
def test_people_outside_the_room_are_refused_at_connection(live, outsider, who):
    person = {
        "anonymous": None,
        "parent": live["parent"],
        "other_school_teacher": live["other"].teachers[0],
        "outsider": outsider,
    }[who]
    socket = socket_for(person, live["class_room"])

    async def scenario():
        accepted, code = await socket.connect(timeout=5)
        assert not accepted
        assert code == (4401 if person is None else 4403)

    run(scenario)


def test_a_foreign_origin_is_refused(live):
    socket = socket_for(live["teacher"], live["class_room"], origin="https://ailleurs.example")

    async def scenario():
        accepted, _code = await socket.connect(timeout=5)
        assert not accepted

    run(scenario)


def test_a_message_is_broadcast_to_every_member_of_the_room(live):
    room = live["class_room"]
    teacher, pupil = socket_for(live["teacher"], room), socket_for(live["pupil"], room)

    async def scenario():
        assert (await connected(teacher)) == {"type": "state", "refus": ""}
        await connected(pupil)
        await teacher.send_json_to({"type": "post", "text": "Bonjour <b>tout le monde</b>"})
        for socket in (teacher, pupil):
            frame = await socket.receive_json_from(timeout=5)
            assert frame["type"] == "message"
            assert frame["message"]["texte"] == "Bonjour <b>tout le monde</b>"
            assert frame["message"]["auteur"] == live["teacher"].full_name
        # The pupil has read it: their marker moves.
        message_id = frame["message"]["id"]
        await pupil.send_json_to({"type": "read", "message": message_id})
        await pupil.send_json_to({"type": "post", "text": "Bonjour maîtresse"})
        assert (await teacher.receive_json_from(timeout=5))["message"]["texte"] == "Bonjour maîtresse"
        await teacher.disconnect()
        await pupil.disconnect()

    run(scenario)
    assert list(Message.objects.order_by("id").values_list("text", flat=True)) == [
        "Bonjour <b>tout le monde</b>",
        "Bonjour maîtresse",
    ]


def test_a_message_posted_by_the_form_reaches_open_sockets_and_removal_too(live):
    room = live["class_room"]
    pupil = socket_for(live["pupil"], room)

    async def scenario():
        await connected(pupil)
        message = await database_sync_to_async(actions.post_message)(live["teacher"], room, "Par le formulaire")
        frame = await pupil.receive_json_from(timeout=5)
        assert frame["message"]["id"] == message.pk

        def remove():
            message.room = room
            actions.remove_message(live["teacher"], message)

        await database_sync_to_async(remove)()
        frame = await pupil.receive_json_from(timeout=5)
        assert frame == {"type": "removed", "message_id": message.pk, "label": "Message retiré par l'enseignant·e"}
        await pupil.disconnect()

    run(scenario)


def test_a_suspended_person_is_told_so_and_their_messages_are_refused(live):
    room = live["staff_room"]
    Suspension.objects.create(person=live["teacher"], school=live["school"], reason="Enquête")
    teacher, director = socket_for(live["teacher"], room), socket_for(live["director"], room)

    async def scenario():
        state = await connected(teacher)
        assert "suspendu votre droit d'écrire" in state["refus"]
        await connected(director)
        await teacher.send_json_to({"type": "post", "text": "Je passe quand même"})
        frame = await teacher.receive_json_from(timeout=5)
        assert frame["type"] == "error" and "suspendu" in frame["message"]
        assert await director.receive_nothing(timeout=0.3)
        await teacher.disconnect()
        await director.disconnect()

    run(scenario)
    assert not Message.objects.exists()


def test_a_muted_member_learns_it_at_once_and_cannot_post(live):
    room = live["class_room"]
    pupil = socket_for(live["pupil"], room)

    async def scenario():
        await connected(pupil)
        await database_sync_to_async(actions.mute_member)(live["teacher"], room, live["pupil"], minutes=15)
        state = await pupil.receive_json_from(timeout=5)
        assert state["type"] == "state" and "ne plus écrire" in state["refus"]
        await pupil.send_json_to({"type": "post", "text": "Mais euh"})
        frame = await pupil.receive_json_from(timeout=5)
        assert frame["type"] == "error" and "ne plus écrire" in frame["message"]
        await pupil.disconnect()

    run(scenario)
    assert not Message.objects.exists()


def test_posting_too_fast_is_refused(live, settings):
    settings.PREAU_CHAT_RATE_MESSAGES = 2
    teacher = socket_for(live["teacher"], live["class_room"])

    async def scenario():
        await connected(teacher)
        for index in range(3):
            await teacher.send_json_to({"type": "post", "text": f"Message {index}"})
        frames = [await teacher.receive_json_from(timeout=5) for _ in range(3)]
        assert [frame["type"] for frame in frames] == ["message", "message", "error"]
        assert "trop vite" in frames[2]["message"]
        await teacher.disconnect()

    run(scenario)
    assert Message.objects.count() == 2


def test_closing_the_room_sends_pupils_away(live):
    room = live["class_room"]
    pupil, director = socket_for(live["pupil"], room), socket_for(live["director"], room)

    async def scenario():
        await connected(pupil)
        await connected(director)
        await database_sync_to_async(actions.close_room)(live["teacher"], room)
        frame = await pupil.receive_json_from(timeout=5)
        assert frame == {"type": "closed", "message": "Ce salon est fermé par l'enseignant·e."}
        assert (await pupil.receive_output(timeout=5))["type"] == "websocket.close"
        # An adult keeps reading the history; the director never wrote there anyway.
        assert (await director.receive_json_from(timeout=5))["type"] == "state"
        await director.disconnect()

    run(scenario)


def test_malformed_frames_change_nothing(live):
    teacher = socket_for(live["teacher"], live["class_room"])

    async def scenario():
        await connected(teacher)
        await teacher.send_json_to({"type": "post", "text": {"html": "<script>"}})
        assert (await teacher.receive_json_from(timeout=5))["type"] == "error"
        await teacher.send_json_to(["post", "liste"])
        await teacher.send_to(text_data="pas du JSON")
        await teacher.send_json_to({"type": "read", "message": "tout"})
        assert await teacher.receive_nothing(timeout=0.3)
        await teacher.disconnect()

    run(scenario)
    assert not Message.objects.exists()
