"""JSON of the chat for apps and integrations: the same scoped queries and rules as the pages.

`GET api/salons/` lists the person's rooms with their unread counts; `GET
api/salons/<id>/messages/?avant=<id>` gives a room's messages, oldest first, 50 at most,
older than `avant` when given. Live messages come over the WebSocket of `consumers.py`.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import policy, queries, schedule
from .payloads import message_json, room_json

API_LIMIT = 50


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"erreur": message}, status=status)


@require_GET
def rooms(request):
    rooms = queries.rooms_with_unread(request.user)
    return JsonResponse(
        {
            "salons": [
                {**room_json(room), "non_lus": room.unread, "horaires": schedule.hours_label(room)} for room in rooms
            ]
        }
    )


@require_GET
def room_messages(request, room_id: int):
    room = queries.room_visible_to(request.user, room_id)
    if room is None:
        return _error(_("Ce salon n'existe pas ou ne vous est pas ouvert."), 404)
    now = timezone.now()
    if not policy.can_read_now(request.user, room, now):
        return _error(policy.closed_notice(request.user, room, now), 403)
    before = request.GET.get("avant", "")
    if before and not before.isdigit():
        return _error(_("Le paramètre « avant » doit être un numéro de message."), 400)
    history = queries.messages_before(room, int(before) if before else None, API_LIMIT + 1)
    has_older = len(history) > API_LIMIT
    history = history[-API_LIMIT:]
    older = None
    if has_older:
        older = f"{reverse('chat:api_messages', args=[room.pk])}?avant={history[0].pk}"
    refusal = policy.posting_refusal(request.user, room, now)
    return JsonResponse(
        {
            "salon": room_json(room),
            "messages": [message_json(message) for message in history],
            "plus_anciens": older,
            "peut_ecrire": refusal is None,
            "refus": refusal or "",
        }
    )
