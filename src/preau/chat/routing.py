"""WebSocket routes of this app, mounted by preau.asgi."""

from django.urls import path

from .consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/discussions/<int:room_id>/", RoomConsumer.as_asgi()),
]
