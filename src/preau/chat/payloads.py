"""The JSON shape of a room and a message: one for the API, the live updates and the page's JS.

A removed message never carries its text: only moderators read it, on the page.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Message, Room


def removed_label(room: Room) -> str:
    if room.kind == Room.Kind.CLASS:
        return _("Message retiré par l'enseignant·e")
    return _("Message retiré par la modération")


def author_name(message: Message) -> str:
    return message.author.full_name if message.author_id else _("Compte supprimé")


def message_json(message: Message) -> dict:
    local = timezone.localtime(message.created_at)
    return {
        "id": message.pk,
        "salon": message.room_id,
        "auteur": author_name(message),
        "auteur_id": message.author_id,
        "texte": "" if message.is_removed else message.text,
        "retire": message.is_removed,
        "mention_retrait": removed_label(message.room) if message.is_removed else "",
        "envoye_le": local.isoformat(),
        "heure": date_format(local, "H:i"),
        "date": date_format(local, "l j F"),
    }


def room_json(room: Room) -> dict:
    return {
        "id": room.pk,
        "titre": str(room.title),
        "type": room.kind,
        "type_libelle": str(room.get_kind_display()),
        "ecole": room.school.name if room.school_id else "",
        "ouvert": room.is_open,
        "url": reverse("chat:room", args=[room.pk]),
        "websocket": f"/ws/discussions/{room.pk}/",
    }
