"""What Préau's SAML SP and IdP share: the signing pair, xmlsec1, SHA-256, the bindings' output."""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from saml2 import xmldsig

SIGNING_ALGORITHM = xmldsig.SIG_RSA_SHA256
DIGEST_ALGORITHM = xmldsig.DIGEST_SHA256


def common_config() -> dict:
    return {
        "key_file": str(settings.PREAU_SSO_SIGNING_KEY_FILE),
        "cert_file": str(settings.PREAU_SSO_SIGNING_CERT_FILE),
        "encryption_keypairs": [
            {
                "key_file": str(settings.PREAU_SSO_SIGNING_KEY_FILE),
                "cert_file": str(settings.PREAU_SSO_SIGNING_CERT_FILE),
            }
        ],
        "xmlsec_binary": settings.PREAU_SSO_XMLSEC_BINARY,
        "signing_algorithm": SIGNING_ALGORITHM,
        "digest_algorithm": DIGEST_ALGORITHM,
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
    }


def site_url(path: str) -> str:
    return f"{settings.PREAU_SITE_URL}{path}"


def redirect_location(http_info: dict) -> str:
    """The Location of an HTTP-Redirect binding's answer."""
    return dict(http_info["headers"])["Location"]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@functools.lru_cache(maxsize=64)
def cached(factory, *key):
    """Parsing metadata costs; a configuration is rebuilt only when its source changes."""
    return factory(*key)
