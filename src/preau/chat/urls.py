from django.urls import path

from . import api, views

app_name = "chat"

urlpatterns = [
    path("", views.rooms, name="rooms"),
    path("ouvrir/", views.open_room, name="open"),
    path("<int:room_id>/", views.room, name="room"),
    path("<int:room_id>/reglages/", views.room_settings, name="settings"),
    path("<int:room_id>/fermer/", views.close_room, name="close"),
    path("<int:room_id>/rouvrir/", views.reopen_room, name="reopen"),
    path("<int:room_id>/messages/<int:message_id>/retirer/", views.remove_message, name="remove_message"),
    path("<int:room_id>/membres/<int:person_id>/silence/", views.mute_member, name="mute"),
    path("<int:room_id>/membres/<int:person_id>/parole/", views.unmute_member, name="unmute"),
    path("api/salons/", api.rooms, name="api_rooms"),
    path("api/salons/<int:room_id>/messages/", api.room_messages, name="api_messages"),
]
