"""Live updates through Channels: the group names every consumer and sender agree on.

Senders call `send_to_person()` / `send_to_group()` from synchronous code (actions, tasks);
nothing happens when no channel layer is configured, so that real time stays an addition.
"""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


def person_group(person_id: int) -> str:
    return f"person.{person_id}"


def send_to_group(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        # A live update is a courtesy: the page shows the same on its next load.
        log.warning("live update not sent", extra={"group": group}, exc_info=True)


def send_to_person(person_id: int, message: dict[str, Any]) -> None:
    send_to_group(person_group(person_id), message)
