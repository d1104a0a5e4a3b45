"""The ASGI entry point: pages over HTTP, live updates (chat, timeline) over WebSocket."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preau.settings")
# Django first: the routes below import models.
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from preau.chat.routing import websocket_urlpatterns as chat_routes  # noqa: E402
from preau.core.overload import OverloadLimiter  # noqa: E402
from preau.notifications.routing import websocket_urlpatterns as notification_routes  # noqa: E402

application = ProtocolTypeRouter(
    {
        # A bounded number of pages at once per process; beyond it, a fast 503 (core.overload).
        "http": OverloadLimiter(django_application),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter([*notification_routes, *chat_routes]))),
    }
)
