"""Overload protection: degrade, never collapse.

`OverloadLimiter` wraps Django's HTTP application (see `preau/asgi.py`). It counts the
requests in flight in its server process; a request that arrives when its priority class's
ceiling is reached gets at once a 503 with `Retry-After` and a calm French waiting page,
instead of queueing behind the others until everyone times out. Heavy pages (exports,
journals, search) are shed first, at a share of the limit; the cahier de textes, the
cahier de liaison and signing in last, with a reserve above it; health checks and static
files never. Why an ASGI middleware and these thresholds: `docs/decisions/` (overload).

The counter lives in the event loop of the process: every change happens in that one
thread, so it needs no lock.
"""

import json
import math
import random
from collections import Counter
from dataclasses import dataclass

from csp.utils import build_policy
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

EXEMPT, HEAVY, NORMAL, ESSENTIAL = "exempt", "heavy", "normal", "essential"
# Matched in this order; the first class with a matching pattern wins.
CLASS_ORDER = (EXEMPT, HEAVY, ESSENTIAL)
RETRY_PLACEHOLDER = "__PREAU_RETRY_AFTER__"
SAFE_METHODS = {"GET", "HEAD"}


@dataclass(frozen=True)
class OverloadPolicy:
    """How many requests a process takes at once, and which ones it refuses first."""

    max_in_flight: int
    shares: dict[str, float]
    paths: dict[str, list[str]]
    retry_after: tuple[int, int]

    @classmethod
    def from_settings(cls) -> "OverloadPolicy":
        return cls(
            max_in_flight=settings.PREAU_OVERLOAD_MAX_IN_FLIGHT,
            shares=settings.PREAU_OVERLOAD_SHARES,
            paths=settings.PREAU_OVERLOAD_PATHS,
            retry_after=settings.PREAU_OVERLOAD_RETRY_AFTER,
        )

    def priority_of(self, path: str) -> str:
        """The class of a path: a pattern starting with "*" is a suffix, any other a prefix."""
        for priority in CLASS_ORDER:
            for pattern in self.paths.get(priority, ()):
                if path.endswith(pattern[1:]) if pattern.startswith("*") else path.startswith(pattern):
                    return priority
        return NORMAL

    def ceiling(self, priority: str) -> int:
        """How many requests may be in flight when one of this class arrives and is let in."""
        return max(1, math.ceil(self.max_in_flight * self.shares.get(priority, 1.0)))

    def draw_retry_after(self) -> int:
        low, high = self.retry_after
        return random.randint(low, max(low, high))


class OverloadLimiter:
    """ASGI middleware: a bounded number of HTTP requests in flight, a fast 503 beyond it."""

    def __init__(self, app, policy: OverloadPolicy | None = None) -> None:
        self.app = app
        self.policy = policy or OverloadPolicy.from_settings()
        self.in_flight = 0
        self.refused: Counter[str] = Counter()
        # Rendered once: refusing must cost next to nothing when the process is busiest.
        self.pages = {safe: waiting_page(retry_by_itself=safe).encode() for safe in (True, False)}
        # The waiting page never goes through Django's middleware: it takes the policy of every
        # page from django-csp itself, without the nonce (its only script is a static file).
        self.csp = build_policy().encode()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or self.policy.max_in_flight <= 0:
            await self.app(scope, receive, send)
            return
        priority = self.policy.priority_of(scope["path"])
        if priority == EXEMPT:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.policy.ceiling(priority):
            self.refused[priority] += 1
            await self.refuse(scope, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def refuse(self, scope, send) -> None:
        retry_after = self.policy.draw_retry_after()
        if _wants_json(scope):
            message = _("Préau est très sollicité en ce moment. Réessayez dans %(n)d secondes.") % {"n": retry_after}
            body = json.dumps({"detail": message, "retry_after": retry_after}).encode()
            content_type = b"application/json"
        else:
            page = self.pages[scope.get("method", "GET") in SAFE_METHODS]
            body = page.replace(RETRY_PLACEHOLDER.encode(), str(retry_after).encode())
            content_type = b"text/html; charset=utf-8"
        headers = [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(retry_after).encode()),
            (b"cache-control", b"no-store"),
            (b"content-security-policy", self.csp),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _wants_json(scope) -> bool:
    accept = next((value for name, value in scope.get("headers", ()) if name == b"accept"), b"")
    return b"application/json" in accept and b"text/html" not in accept


def waiting_page(*, retry_by_itself: bool) -> str:
    """The French waiting page; `retry_by_itself` for a GET (a refused form is never resent)."""
    return render_to_string(
        "core/overloaded.html", {"retry_by_itself": retry_by_itself, "retry_after": RETRY_PLACEHOLDER}
    )
