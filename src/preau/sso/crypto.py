"""Secrets at rest and opaque identifiers.

The client secrets Préau presents to identity providers, and the TOTP seeds, must be usable,
so they are encrypted (Fernet: AES-128-CBC + HMAC-SHA256), never hashed. The key comes from
`PREAU_SSO_SECRET_KEY`, or is derived from `SECRET_KEY` when that is unset; after a change of
key, `PREAU_SSO_OLD_SECRET_KEYS` still decrypts what the previous one encrypted.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

from preau.core.errors import DomainError


def _fernet_key(secret: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"preau.sso.secrets").derive(secret.encode())
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    current = settings.PREAU_SSO_SECRET_KEY or settings.SECRET_KEY
    keys = [current, *settings.PREAU_SSO_OLD_SECRET_KEYS]
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DomainError(
            _("Un secret enregistré ne peut plus être lu (la clé de chiffrement a changé) : saisissez-le à nouveau.")
        ) from error


def opaque_identifier(salt: str, person_id: int) -> str:
    """The person's identifier for one partner: stable, and unlinkable from one partner to another."""
    digest = hmac.new(salt.encode(), f"preau-person:{person_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode().lower()
