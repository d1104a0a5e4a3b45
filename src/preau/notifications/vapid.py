"""The VAPID key pair of web push, as the browsers' Push API and pywebpush expect it.

No Django import: settings.py uses it to generate the embedded key pair.
"""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_private_key() -> str:
    """A new P-256 private key: its 32 raw bytes in base64url, as `web-push generate-vapid-keys` gives it."""
    key = ec.generate_private_key(ec.SECP256R1())
    return _b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def public_key_of(private_key: str) -> str:
    """The application server key a browser subscribes with: the uncompressed public point, base64url."""
    key = ec.derive_private_key(int.from_bytes(_unb64url(private_key), "big"), ec.SECP256R1())
    return _b64url(
        key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
