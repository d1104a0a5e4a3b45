"""Web push against a real local push service (http.server in a thread) that gets the encrypted payload."""

import base64
import datetime
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.urls import reverse
from django.utils import timezone

from preau.core.errors import DomainError
from preau.core.models import AuditEntry
from preau.core.notices import Notice
from preau.notifications import actions
from preau.notifications.delivery import deliver
from preau.notifications.models import DigestItem, EmailMode, Entry, PushSubscription
from preau.notifications.preferences import Choice

from .conftest import DIGEST_KIND, URGENT_KIND, Browser

TUESDAY_NOON = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 0))
TUESDAY_NIGHT = timezone.make_aware(datetime.datetime(2026, 3, 10, 22, 0))


def subscribe(person, push_service, name: str) -> Browser:
    browser = Browser()
    actions.subscribe_push(
        person,
        endpoint=push_service.endpoint(name),
        p256dh=browser.p256dh,
        auth=base64.urlsafe_b64encode(browser.auth).rstrip(b"=").decode(),
        user_agent="Firefox 140",
    )
    return browser


def b64urldecode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_vapid(authorization: str, settings, audience: str) -> dict:
    """The push service's check: the JWT is signed by the key given beside it, ours."""
    scheme, _space, params = authorization.partition(" ")
    assert scheme == "vapid"
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    assert values["k"] == settings.PREAU_VAPID_PUBLIC_KEY
    header, claims, signature = values["t"].split(".")
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64urldecode(values["k"]))
    raw = b64urldecode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public_key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    decoded = json.loads(b64urldecode(claims))
    assert decoded["aud"] == audience and decoded["sub"] == settings.PREAU_VAPID_SUBJECT
    return decoded


def test_a_push_reaches_each_browser_encrypted_and_signed(built, push_service, settings):
    pupil = built.pupils[built.classes[0].id][0]
    parent = built.parents[pupil.pk][0]
    phone, laptop = subscribe(parent, push_service, "telephone"), subscribe(parent, push_service, "portable")
    notice_fields = {"school_id": built.school.pk, "pupil_ids": (pupil.pk,)}
    result = deliver(
        Notice(URGENT_KIND.code, (parent.pk,), "Nouveau mot à signer", "/m/7/", **notice_fields), now=TUESDAY_NOON
    )
    assert result["pushes"] == 2
    received = {r.path: r for r in push_service.received}
    assert set(received) == {"/push/telephone", "/push/portable"}
    entry = Entry.objects.get(person=parent)
    for path, browser in (("/push/telephone", phone), ("/push/portable", laptop)):
        request = received[path]
        assert request.headers["content-encoding"] == "aes128gcm"
        assert int(request.headers["ttl"]) == 86400
        verify_vapid(request.headers["authorization"], settings, push_service.origin)
        assert browser.decrypt(request.body) == {
            "title": f"{pupil.first_name} — Classe 1",
            "body": "Nouveau mot à signer",
            "url": reverse("notifications:open", args=[entry.pk]),
            "tag": f"entry-{entry.pk}",
        }
        assert b"Nouveau mot" not in request.body  # only the browser reads it
    assert PushSubscription.objects.filter(last_sent_at__isnull=False).count() == 2


def test_a_subscription_the_push_service_no_longer_knows_is_deleted(built, push_service):
    parent = built.parents[built.pupils[built.classes[0].id][0].pk][0]
    subscribe(parent, push_service, "ancien")
    push_service.status = 410
    result = deliver(Notice(URGENT_KIND.code, (parent.pk,), "Mot", "/m/8/"), now=TUESDAY_NOON)
    assert result["pushes"] == 0
    assert len(push_service.received) == 1
    assert not PushSubscription.objects.exists()


def test_a_refusal_of_another_kind_keeps_the_subscription(built, push_service):
    parent = built.parents[built.pupils[built.classes[0].id][0].pk][0]
    subscribe(parent, push_service, "surcharge")
    push_service.status = 429
    deliver(Notice(URGENT_KIND.code, (parent.pk,), "Mot", "/m/9/"), now=TUESDAY_NOON)
    assert PushSubscription.objects.count() == 1


def test_no_push_at_night_nor_for_kinds_not_chosen(built, push_service):
    parent = built.parents[built.pupils[built.classes[0].id][0].pk][0]
    subscribe(parent, push_service, "nuit")
    deliver(
        Notice(URGENT_KIND.code, (parent.pk,), "Mot du soir", "/m/10/", school_id=built.school.pk), now=TUESDAY_NIGHT
    )
    deliver(Notice(DIGEST_KIND.code, (parent.pk,), "Devoirs", "/d/1/"), now=TUESDAY_NOON)
    assert push_service.received == []
    assert DigestItem.objects.filter(held=True).count() == 1  # the evening's push waits in the digest
    actions.save_preferences(parent, {DIGEST_KIND.code: Choice(email=EmailMode.NONE, push=True)})
    deliver(Notice(DIGEST_KIND.code, (parent.pk,), "Devoirs", "/d/2/"), now=TUESDAY_NOON)
    assert len(push_service.received) == 1


def test_the_browser_subscribes_and_unsubscribes_through_the_page(built, push_service, client_for):
    parent = built.parents[built.pupils[built.classes[0].id][0].pk][0]
    client = client_for(parent)
    browser = Browser()
    subscription = {
        "endpoint": push_service.endpoint("page"),
        "keys": {"p256dh": browser.p256dh, "auth": base64.urlsafe_b64encode(browser.auth).decode().rstrip("=")},
    }
    response = client.post(
        reverse("notifications:push_subscribe"), subscription, content_type="application/json", HTTP_USER_AGENT="Edge"
    )
    assert response.status_code == 201
    saved = PushSubscription.objects.get()
    assert (saved.person, saved.user_agent) == (parent, "Edge")
    assert AuditEntry.objects.filter(action="notifications.push_subscribed", actor=parent).exists()
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Mes appareils abonnés" in page and "Edge" in page
    response = client.post(
        reverse("notifications:push_unsubscribe"), {"endpoint": saved.endpoint}, content_type="application/json"
    )
    assert response.json() == {"abonne": False}
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("endpoint", "p256dh", "auth", "message"),
    [
        ("https://attaquant.invalid/push/1", None, None, "Ce service de notifications n'est pas reconnu."),
        ("file:///etc/passwd", None, None, "Ce service de notifications n'est pas reconnu."),
        (None, "Y2xlZg", None, "Les clés de cet abonnement ne sont pas valides."),
        (None, None, "!!", "Les clés de cet abonnement ne sont pas valides."),
    ],
)
def test_a_forged_subscription_is_refused_in_french(built, push_service, client_for, endpoint, p256dh, auth, message):
    parent = built.parents[built.pupils[built.classes[0].id][0].pk][0]
    browser = Browser()
    data = {
        "endpoint": endpoint or push_service.endpoint("x"),
        "keys": {"p256dh": p256dh or browser.p256dh, "auth": auth or "AAAAAAAAAAAAAAAAAAAAAA"},
    }
    response = client_for(parent).post(reverse("notifications:push_subscribe"), data, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"erreur": message}
    assert not PushSubscription.objects.exists()


def test_push_services_are_https_only_outside_the_tests(built, settings):
    settings.PREAU_PUSH_SERVICE_HOSTS = ["push.services.mozilla.com"]
    settings.PREAU_PUSH_ALLOW_HTTP = False
    parent = built.parents[built.pupils[built.classes[0].id][0].pk][0]
    keys = {"p256dh": Browser().p256dh, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}
    with pytest.raises(DomainError):
        actions.subscribe_push(parent, endpoint="http://updates.push.services.mozilla.com/wpush/v2/x", **keys)
    with pytest.raises(DomainError):
        actions.subscribe_push(parent, endpoint="https://push.services.mozilla.com.attaquant.invalid/x", **keys)
    actions.subscribe_push(parent, endpoint="https://updates.push.services.mozilla.com/wpush/v2/x", **keys)
    assert PushSubscription.objects.count() == 1


def test_a_browser_moves_to_whoever_subscribes_it_last(built, push_service):
    first = built.parents[built.pupils[built.classes[0].id][0].pk][0]
    second = built.parents[built.pupils[built.classes[0].id][1].pk][0]
    subscribe(first, push_service, "tablette-familiale")
    subscribe(second, push_service, "tablette-familiale")
    assert PushSubscription.objects.get().person == second


def test_the_service_worker_is_served_from_the_notifications_scope(client):
    response = client.get("/notifications/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert 'addEventListener("push"' in response.content.decode()
