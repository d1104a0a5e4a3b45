"""WebSocket routes of this app, mounted by preau.asgi."""

from django.urls import path

from .consumers import TimelineConsumer

websocket_urlpatterns: list = [
    path("ws/notifications/", TimelineConsumer.as_asgi()),
]
