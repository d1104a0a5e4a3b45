"""Request id, request origin and the one-line-per-request log."""

import logging
import time
import uuid

from django.conf import settings

from .context import Origin, current_origin

request_log = logging.getLogger("preau.request")


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_origin.get().request_id
        return True


def client_ip(request) -> str | None:
    if settings.SECURE_PROXY_SSL_HEADER:
        # Behind the load balancer, the first address of X-Forwarded-For is the client.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-Id", "")
        request.id = incoming[:64] if incoming.isascii() and incoming else uuid.uuid4().hex
        token = current_origin.set(
            Origin(
                request_id=request.id,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", "")[:300],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            current_origin.reset(token)
        response["X-Request-Id"] = request.id
        return response


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, who."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if settings.PREAU_REQUEST_LOG:
            user = getattr(request, "user", None)
            request_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "ip": current_origin.get().ip,
                },
            )
        return response
