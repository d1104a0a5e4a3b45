"""Web push: encrypted messages to the browsers' push services (Push API, VAPID, pywebpush).

A subscription the push service no longer knows (404 or 410) is deleted: the browser dropped
it, or the person withdrew the permission.
"""

import json
import logging
from functools import cache
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from .models import PushSubscription

log = logging.getLogger(__name__)

# A push waits a day at most in the push service for a device that is off.
TTL_SECONDS = 24 * 3600
TIMEOUT_SECONDS = 10
GONE = {404, 410}


@cache
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key)


def is_push_service(endpoint: str) -> bool:
    """Whether `endpoint` is a known push service (the server will post to it)."""
    parts = urlsplit(endpoint)
    allowed_schemes = {"https", "http"} if settings.PREAU_PUSH_ALLOW_HTTP else {"https"}
    host = (parts.hostname or "").lower()
    return (
        parts.scheme in allowed_schemes
        and bool(host)
        and any(host == known or host.endswith(f".{known}") for known in settings.PREAU_PUSH_SERVICE_HOSTS)
    )


def send(payloads: dict[int, dict]) -> int:
    """Send each person's payload to all their browsers; the number of messages accepted.

    One query for the subscriptions, one to note the sent ones, one to delete the expired ones.
    """
    subscriptions = list(PushSubscription.objects.filter(person_id__in=list(payloads)))
    if not subscriptions:
        return 0
    vapid = _vapid(settings.PREAU_VAPID_PRIVATE_KEY)
    sent, gone = [], []
    with requests.Session() as session:
        for subscription in subscriptions:
            try:
                webpush(
                    subscription.info,
                    json.dumps(payloads[subscription.person_id], ensure_ascii=False),
                    vapid_private_key=vapid,
                    # pywebpush completes the claims (audience, expiry) in place: a new dict each time.
                    vapid_claims={"sub": settings.PREAU_VAPID_SUBJECT},
                    ttl=TTL_SECONDS,
                    timeout=TIMEOUT_SECONDS,
                    requests_session=session,
                )
            except WebPushException as error:
                status = getattr(error.response, "status_code", None)
                if status in GONE:
                    gone.append(subscription.pk)
                else:
                    log.warning("push refused", extra={"status": status, "subscription": subscription.pk})
            except requests.RequestException:
                log.warning("push service unreachable", extra={"subscription": subscription.pk}, exc_info=True)
            else:
                sent.append(subscription.pk)
    if sent:
        PushSubscription.objects.filter(pk__in=sent).update(last_sent_at=timezone.now())
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
    return len(sent)
