"""Fixtures of the notifications' tests: tasks run at once, kinds of notice of our own, a real SMTP
listener and a real local push service, each started by the test that needs it."""

import base64
import email
import email.policy
import json
import os
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from preau.core import notices
from preau.core.notices import DIGEST, EMAIL, PUSH, TIMELINE, NoticeKind
from preau.directory.factories import make_school

# Two kinds of notice for the tests: one sent at once by e-mail and push, one in the digest.
URGENT_KIND = NoticeKind("essai.mot", "Mot à signer", frozenset({TIMELINE, EMAIL, PUSH}), order=1)
DIGEST_KIND = NoticeKind("essai.devoirs", "Devoirs", frozenset({TIMELINE, DIGEST}), order=2)


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def notice_kinds():
    for kind in (URGENT_KIND, DIGEST_KIND):
        notices.register_kind(kind)
    yield
    for kind in (URGENT_KIND, DIGEST_KIND):
        notices._kinds.pop(kind.code, None)


@pytest.fixture
def built(db):
    """A school with two classes of three pupils, one parent each, every adult with an e-mail."""
    school = make_school(classes=2, pupils=3)
    for parents in school.parents.values():
        for parent in parents:
            parent.email = f"{parent.username}@familles.invalid"
            parent.save(update_fields=["email"])
    return school


def as_submitted(form) -> dict:
    """What the browser sends back for the form as it was shown (every registered kind)."""
    data = {}
    for name, form_field in form.fields.items():
        value = form.initial.get(name, form_field.initial)
        if form_field.widget.input_type == "checkbox":
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def texts(self) -> list[str]:
        return [message.get_body(("plain",)).get_content() for message in self.messages]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Browser:
    """What a browser keeps of its subscription: its P-256 key pair and its auth secret."""

    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return _b64url(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


class PushService:
    """A push service on 127.0.0.1 (http.server in a thread): keeps what it receives, answers `status`."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"


@pytest.fixture
def push_service(settings):
    service = PushService()
    service.thread.start()
    settings.PREAU_PUSH_SERVICE_HOSTS = ["127.0.0.1"]
    settings.PREAU_PUSH_ALLOW_HTTP = True
    yield service
    service.server.shutdown()
    service.server.server_close()
