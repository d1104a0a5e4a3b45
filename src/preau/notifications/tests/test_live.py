"""Live updates: the WebSocket consumer at ws/notifications/, through Channels' communicator."""

import asyncio
import datetime

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from preau.core.notices import Notice
from preau.core.realtime import send_to_person
from preau.directory.factories import PersonFactory
from preau.notifications.consumers import ANONYMOUS
from preau.notifications.delivery import deliver
from preau.notifications.models import Entry
from preau.notifications.routing import websocket_urlpatterns

from .conftest import DIGEST_KIND

pytestmark = pytest.mark.django_db(transaction=True)

TUESDAY_NOON = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 0))


@pytest.fixture(autouse=True)
def fresh_channel_layer(settings):
    # A layer of its own for each test: its queues belong to the test's event loop.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def communicator_for(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/notifications/")
    communicator.scope["user"] = user
    return communicator


def test_an_open_page_hears_of_a_new_entry_with_the_unread_count():
    parent, neighbour = PersonFactory(), PersonFactory()

    async def scenario():
        mine, theirs = communicator_for(parent), communicator_for(neighbour)
        assert (await mine.connect())[0] and (await theirs.connect())[0]
        notice = Notice(DIGEST_KIND.code, (parent.pk,), "Devoirs pour jeudi", "/devoirs/")
        await sync_to_async(deliver)(notice, now=TUESDAY_NOON)
        heard = await mine.receive_json_from(timeout=5)
        nothing_for_the_neighbour = await theirs.receive_nothing(timeout=0.2)
        await mine.disconnect()
        await theirs.disconnect()
        return heard, nothing_for_the_neighbour

    heard, nothing_for_the_neighbour = asyncio.run(scenario())
    entry = Entry.objects.get(person=parent)
    assert heard == {
        "type": "timeline.entry",
        "id": entry.pk,
        "title": "Devoirs pour jeudi",
        "url": f"/notifications/{entry.pk}/ouvrir/",
        "unread": 1,
        "label": "Nouvelle notification :",
        "close_label": "Masquer le message",
    }
    assert nothing_for_the_neighbour


def test_an_anonymous_visitor_is_turned_away():
    async def scenario():
        connected, code = await communicator_for(AnonymousUser()).connect()
        return connected, code

    assert asyncio.run(scenario()) == (False, ANONYMOUS)


def test_the_session_is_what_identifies_the_person(client):
    """Through the same middleware as preau.asgi: the session cookie of a signed-in person."""
    person = PersonFactory()
    client.force_login(person)
    cookie = f"{client.cookies['preau_session'].key}={client.cookies['preau_session'].value}"
    application = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))

    async def scenario():
        signed_in = WebsocketCommunicator(application, "/ws/notifications/", headers=[(b"cookie", cookie.encode())])
        anonymous = WebsocketCommunicator(application, "/ws/notifications/")
        results = (await signed_in.connect())[0], (await anonymous.connect())[0]
        await sync_to_async(send_to_person)(person.pk, {"type": "timeline.entry", "id": 1, "unread": 3})
        heard = await signed_in.receive_json_from(timeout=5)
        await signed_in.disconnect()
        return results, heard

    (signed_in, anonymous), heard = asyncio.run(scenario())
    assert (signed_in, anonymous) == (True, False)
    assert heard["unread"] == 3


def test_other_messages_of_the_persons_group_are_ignored():
    person = PersonFactory()

    async def scenario():
        communicator = communicator_for(person)
        await communicator.connect()
        await sync_to_async(send_to_person)(person.pk, {"type": "chat.message", "text": "coucou"})
        await sync_to_async(send_to_person)(person.pk, {"type": "timeline.entry", "id": 2, "unread": 1})
        heard = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return heard

    assert asyncio.run(scenario())["id"] == 2
