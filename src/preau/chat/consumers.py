"""The WebSocket of a room page: `ws/discussions/<room_id>/`.

The person comes from the session (AuthMiddlewareStack in preau.asgi). The policy is checked
at connection and again at each message the page sends, from a fresh read of the directory
and the room. Writes go through `actions.py`, which broadcasts to the room's group after
the transaction commits; this consumer relays the group's events to its page.

Frames from the page: {"type": "post", "text": "…"} and {"type": "read", "message": id}.
Frames to the page: "message", "removed", "state" (may I write now, and why not), "error",
"closed" (the room is no longer readable: the socket closes next).
"""

import json

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core.context import Origin, current_origin
from preau.core.errors import DomainError
from preau.directory.models import Person

from . import actions, policy, queries

# Close codes the page's script understands: do not reconnect.
NOT_SIGNED_IN, NOT_ALLOWED = 4401, 4403


class RoomConsumer(JsonWebsocketConsumer):
    room = None
    person = None

    def connect(self) -> None:
        self.person = self.scope.get("user")
        if self.person is None or not self.person.is_authenticated:
            self.close(code=NOT_SIGNED_IN)
            return
        room = queries.room_visible_to(self.person, self.scope["url_route"]["kwargs"]["room_id"])
        if room is None or not policy.can_read_now(self.person, room, timezone.now()):
            self.close(code=NOT_ALLOWED)
            return
        self.room = room
        async_to_sync(self.channel_layer.group_add)(actions.room_group(room.pk), self.channel_name)
        self.accept()
        self._send_state()

    def disconnect(self, code) -> None:
        if self.room is not None:
            async_to_sync(self.channel_layer.group_discard)(actions.room_group(self.room.pk), self.channel_name)

    def _refresh(self) -> bool:
        """Read the person's scope and the room again; False (and the socket closes) if gone."""
        # A fresh person: no scope, suspension or group kept from an earlier message.
        self.person = Person.objects.filter(pk=self.person.pk, is_active=True).first()
        if self.person is None:
            self._close_room(None)
            return False
        room = queries.room_visible_to(self.person, self.room.pk)
        if room is None or not policy.can_read_now(self.person, room, timezone.now()):
            self._close_room(room)
            return False
        self.room = room
        return True

    def _close_room(self, room) -> None:
        if room is not None and self.person is not None:
            message = policy.closed_notice(self.person, room, timezone.now())
        else:
            message = _("Ce salon ne vous est plus ouvert.")
        self.send_json({"type": "closed", "message": message})
        self.close(code=NOT_ALLOWED)

    def _send_state(self) -> None:
        refusal = policy.posting_refusal(self.person, self.room, timezone.now())
        self.send_json({"type": "state", "refus": refusal or ""})

    @classmethod
    def decode_json(cls, text_data):
        # A frame that is not JSON is ignored, like any frame this consumer does not know.
        try:
            return json.loads(text_data)
        except ValueError:
            return None

    def receive_json(self, content, **kwargs) -> None:
        if not isinstance(content, dict) or self.room is None or self.person is None:
            return
        kind = content.get("type")
        client = self.scope.get("client") or (None, None)
        token = current_origin.set(Origin(request_id="", ip=client[0]))
        try:
            if kind == "post" and self._refresh():
                self._post(content.get("text"))
            elif kind == "read" and isinstance(content.get("message"), int):
                # Only the person's own marker moves: no need to read the directory again.
                actions.mark_read(self.person, self.room, content["message"])
        finally:
            current_origin.reset(token)

    def _post(self, text) -> None:
        if not isinstance(text, str):
            self.send_json({"type": "error", "message": _("Le message est vide.")})
            return
        try:
            actions.post_message(self.person, self.room, text)
        except DomainError as error:
            self.send_json({"type": "error", "message": error.message})

    # Events of the room's group (sent by actions.py after commit).

    def chat_message(self, event) -> None:
        if self.person is None:
            return
        if policy.can_read_now(self.person, self.room, timezone.now()):
            self.send_json({"type": "message", "message": event["message"]})
        else:
            self._close_room(self.room)

    def chat_removed(self, event) -> None:
        self.send_json({"type": "removed", "message_id": event["message_id"], "label": event["label"]})

    def chat_room(self, event) -> None:
        if self.person is not None and self._refresh():
            self._send_state()

    def chat_mute(self, event) -> None:
        if self.person is not None and event["person_id"] == self.person.pk:
            self._send_state()
