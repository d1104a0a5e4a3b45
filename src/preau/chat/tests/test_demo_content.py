"""The demo's chat content, written through the actions when the demo académie is loaded."""

import pytest

from preau.chat.models import Room
from preau.chat.queries import rooms_with_unread
from preau.demo.data import load_demo
from preau.directory.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_opens_the_ce1_room_of_bourtoulets_with_a_morning_of_messages():
    load_demo()
    room = Room.objects.select_related("school_class__school", "opened_by").get(kind=Room.Kind.CLASS)
    assert (room.school_class.school.uai, room.school_class.levels) == ("0651067G", "CE1")
    assert room.opened_by.username == "julien.abadie"
    authors = list(room.messages.order_by("id").values_list("author__username", flat=True))
    assert len(authors) == 6 and authors[0] == "julien.abadie" and authors[1] == "lea.fourcade"
    # What the others wrote after Léa's answer is unread for her; her mother sees no room.
    lea = Person.objects.get(username="lea.fourcade")
    assert {r.pk: r.unread for r in rooms_with_unread(lea)} == {room.pk: 4}
    assert not rooms_with_unread(Person.objects.get(username="sophie.fourcade")).exists()
    staff_room = Room.objects.get(kind=Room.Kind.STAFF)
    assert staff_room.messages.get().author.username == "isabelle.dupuy"
