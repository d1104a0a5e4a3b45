"""The chat's JSON API: the same scope and rules as the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.chat import actions
from preau.chat.models import Message

from .conftest import open_all_week

pytestmark = pytest.mark.django_db

API_LIST_QUERIES = 7
API_MESSAGES_QUERIES = 10


@pytest.fixture
def live_class_room(world, settings):
    settings.PREAU_CHAT_PUPILS_IN_SCHOOL_TIME_ONLY = False
    return open_all_week(world["teacher"], world["class_room"])


@pytest.mark.parametrize("count", [3, 2000])
def test_the_room_list_gives_unread_counts_at_a_constant_cost(
    world, live_class_room, client_for, django_assert_max_num_queries, count
):
    Message.objects.bulk_create(
        Message(room=live_class_room, author=world["teacher"], text=f"n°{index}") for index in range(count)
    )
    client = client_for(world["pupil"])
    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = client.get(reverse("chat:api_rooms"))
    rooms = {room["id"]: room for room in response.json()["salons"]}
    assert set(rooms) == {live_class_room.pk, world["group_room"].pk, world["peri_room"].pk}
    assert rooms[live_class_room.pk]["non_lus"] == count
    assert rooms[live_class_room.pk]["websocket"] == f"/ws/discussions/{live_class_room.pk}/"
    assert rooms[world["group_room"].pk]["non_lus"] == 0


def test_recent_messages_come_oldest_first_with_a_link_to_older_ones(
    world, live_class_room, client_for, django_assert_max_num_queries
):
    start = timezone.now() - datetime.timedelta(hours=2)
    Message.objects.bulk_create(
        Message(room=live_class_room, author=world["teacher"], text=f"n°{index}", created_at=start)
        for index in range(120)
    )
    removed = actions.post_message(world["teacher"], live_class_room, "À retirer")
    removed.room = live_class_room
    actions.remove_message(world["teacher"], removed)
    client = client_for(world["pupil"])
    url = reverse("chat:api_messages", args=[live_class_room.pk])
    with django_assert_max_num_queries(API_MESSAGES_QUERIES):
        body = client.get(url).json()
    texts = [message["texte"] for message in body["messages"]]
    assert len(texts) == 50 and texts[0] == "n°71" and texts[-2] == "n°119"
    assert body["messages"][-1] == {**body["messages"][-1], "texte": "", "retire": True}
    assert body["peut_ecrire"] is True and body["salon"]["titre"] == world["class"].name
    older = client.get(body["plus_anciens"]).json()
    assert [m["texte"] for m in older["messages"]][-1] == "n°70"
    oldest = client.get(older["plus_anciens"]).json()
    assert len(oldest["messages"]) == 21 and oldest["plus_anciens"] is None


def test_the_api_refuses_outsiders_closed_hours_and_bad_cursors(world, client_for, outsider):
    room = world["class_room"]
    url = reverse("chat:api_messages", args=[room.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(world["parent"]).get(url).status_code == 404
    today = str(timezone.localdate().isoweekday())
    actions.update_room_settings(
        world["teacher"],
        room,
        days="".join(day for day in "1234567" if day != today),
        opens_at=room.opens_at,
        closes_at=room.closes_at,
        pupils_may_write=True,
    )
    response = client_for(world["pupil"]).get(url)
    assert response.status_code == 403 and "fermé" in response.json()["erreur"]
    response = client_for(world["teacher"]).get(url + "?avant=abc")
    assert response.status_code == 400 and "numéro de message" in response.json()["erreur"]
    assert client_for(world["teacher"]).post(url).status_code == 405
