"""What Préau's SAML SP and IdP share: the signing pair, xmlsec1, SHA-256, the bindings' output."""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from saml2 import BINDING_HTTP_REDIRECT, SAMLError, xmldsig
from saml2.s_utils import UnsupportedBinding
from saml2.saml import NameID
from saml2.sigver import verify_redirect_signature

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


def logout_request_location(entity, peer: str, descriptor: str, name_id: NameID, *, session_index: str = "") -> str:
    """The peer's single logout address (HTTP-Redirect, from its metadata: `descriptor` is
    "idpsso" or "spsso") carrying our signed LogoutRequest, or "" when it has none."""
    try:
        destination = entity.metadata.single_logout_service(peer, BINDING_HTTP_REDIRECT, descriptor)[0]["location"]
        _request_id, request = entity.create_logout_request(
            destination,
            peer,
            name_id=name_id,
            session_indexes=[session_index] if session_index else None,
            sign=False,  # HTTP-Redirect signs the query string instead
        )
        info = entity.apply_binding(
            BINDING_HTTP_REDIRECT, str(request), destination, "", sign=True, sigalg=SIGNING_ALGORITHM
        )
    except (SAMLError, UnsupportedBinding, IndexError, KeyError, TypeError, ValueError, AttributeError):
        return ""
    return redirect_location(info)


def answer_logout_request(entity, params: dict[str, str], *, descriptor: str):
    """A LogoutRequest of the HTTP-Redirect binding, signed by its issuer, and the address of
    the signed LogoutResponse to send back: (message, address). Raises when anything is wrong.

    pysaml2 checks that signature only where its configuration demands signed AuthnRequests,
    which neither Préau's SP nor its IdP does: it is checked here against the signing
    certificates of the issuer's metadata (`descriptor`: "idpsso" or "spsso").
    """
    signed = {name: params[name] for name in ("SAMLRequest", "RelayState", "SigAlg", "Signature") if name in params}
    request = entity.parse_logout_request(
        params["SAMLRequest"],
        BINDING_HTTP_REDIRECT,
        relay_state=params.get("RelayState"),
        sigalg=params["SigAlg"],
        signature=params["Signature"],
    )
    message = request.message
    issuer = message.issuer.text if message.issuer is not None else ""
    certificates = entity.metadata.certs(issuer, descriptor, "signing")
    if not any(verify_redirect_signature(signed, entity.sec.sec_backend, cert) for _name, cert in certificates):
        raise ValueError("LogoutRequest not signed by its issuer")
    response = entity.create_logout_response(message, bindings=[BINDING_HTTP_REDIRECT])
    args = entity.response_args(message, [BINDING_HTTP_REDIRECT])
    info = entity.apply_binding(
        args["binding"],
        str(response),
        args["destination"],
        params.get("RelayState", ""),
        response=True,
        sign=True,
        sigalg=SIGNING_ALGORITHM,
    )
    return message, redirect_location(info)
