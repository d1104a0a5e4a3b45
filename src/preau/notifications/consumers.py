"""Live updates of the timeline: each open page of a signed-in person listens to their group."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from preau.core.realtime import person_group

# Closed before the handshake: nobody signed in (the page's script then stops trying).
ANONYMOUS = 4401


class TimelineConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=ANONYMOUS)
            return
        self.group = person_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """The page only listens."""

    async def dispatch(self, message: dict) -> None:
        # The person's group may carry other services' messages: only ours concern this socket.
        if message["type"].startswith("websocket.") or message["type"] == "timeline.entry":
            await super().dispatch(message)

    async def timeline_entry(self, event: dict) -> None:
        await self.send_json(event)
