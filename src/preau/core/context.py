"""Where the current request comes from, for logs and the audit log.

The middleware sets it; actions read it so that imports and commands (no request) work the
same way with an empty context.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    request_id: str = ""
    ip: str | None = None
    user_agent: str = ""


# Origin is frozen, so sharing one default instance is safe.
current_origin: ContextVar[Origin] = ContextVar("current_origin", default=Origin())  # noqa: B039
