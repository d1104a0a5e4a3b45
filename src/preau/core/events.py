"""Domain events, sent after the transaction commits.

Actions call `emit("homework.published", actor=..., ...)`; services subscribe with
`@subscriber("homework.published")`. Nothing is sent for a rolled-back transaction, and a
subscriber's failure is logged without undoing the action that emitted the event.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)
_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscriber(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(function: Callable[..., None]) -> Callable[..., None]:
        _subscribers[name].append(function)
        return function

    return register


def emit(name: str, **payload: Any) -> None:
    def deliver() -> None:
        for function in _subscribers.get(name, []):
            try:
                function(name=name, **payload)
            except Exception:
                log.exception("event subscriber failed", extra={"event": name})

    transaction.on_commit(deliver)
