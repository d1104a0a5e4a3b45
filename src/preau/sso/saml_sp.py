"""Préau as a SAML 2 service provider (pysaml2 + xmlsec1) of one identity provider.

Each configured provider is its own SP entity (its metadata at a stable URL), so that an
académie registers Préau with its IdP independently of the others. Responses must be signed
(the response or the assertion, SHA-256 or better), answer a request of this browser session,
be meant for this SP and not be expired; the views refuse replays (`SeenAssertion`).
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, SAMLError
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.response import StatusError, UnsolicitedResponse
from saml2.saml import NameID, name_id_from_string
from saml2.sigver import SigverError

from preau.core.errors import DomainError

from .identity import InboundIdentity, identity_from
from .models import IdentityProvider
from .saml_common import (
    DIGEST_ALGORITHM,
    SIGNING_ALGORITHM,
    answer_logout_request,
    cached,
    common_config,
    logout_request_location,
    redirect_location,
    site_url,
)


def _config(site: str, provider_id: int, slug: str, metadata: str, stamp: float) -> SPConfig:
    """`site` and `stamp` are only part of the cache key (a moved site, a changed provider)."""
    config = SPConfig()
    config.load(
        {
            **common_config(),
            "entityid": site_url(reverse("sso:saml_metadata", args=[slug])),
            "service": {
                "sp": {
                    "name": "Préau",
                    "endpoints": {
                        "assertion_consumer_service": [
                            (site_url(reverse("sso:saml_acs", args=[slug])), BINDING_HTTP_POST)
                        ],
                        "single_logout_service": [
                            (site_url(reverse("sso:saml_slo", args=[slug])), BINDING_HTTP_REDIRECT)
                        ],
                    },
                    # Shibboleth (ÉduConnect) signs the response by default, other IdPs the
                    # assertion: one of the two must be, or the answer is refused.
                    "want_assertions_signed": False,
                    "want_response_signed": False,
                    "want_assertions_or_response_signed": True,
                    "authn_requests_signed": True,
                    "logout_requests_signed": True,
                    "logout_responses_signed": True,
                    "allow_unsolicited": False,
                }
            },
            "metadata": {"inline": [metadata]} if metadata else {},
        }
    )
    return config


def client_for(provider: IdentityProvider) -> Saml2Client:
    stamp = provider.updated_at.timestamp() if provider.updated_at else 0.0
    return Saml2Client(
        config=cached(_config, settings.PREAU_SITE_URL, provider.pk, provider.slug, provider.idp_metadata, stamp)
    )


def metadata_xml(provider: IdentityProvider) -> str:
    return str(entity_descriptor(client_for(provider).config))


def authn_redirect(provider: IdentityProvider, relay_state: str = "") -> tuple[str, str]:
    """The IdP's sign-in URL carrying a signed AuthnRequest, and the request's id."""
    try:
        request_id, info = client_for(provider).prepare_for_authenticate(
            entityid=provider.idp_entity_id,
            relay_state=relay_state,
            binding=BINDING_HTTP_REDIRECT,
            sign=True,
            sigalg=SIGNING_ALGORITHM,
            digest_alg=DIGEST_ALGORITHM,
        )
    except (SAMLError, KeyError, TypeError) as error:
        raise DomainError(
            _("La configuration SAML de ce fournisseur est incomplète : connexion impossible.")
        ) from error
    return redirect_location(info), request_id


def identity_from_response(
    provider: IdentityProvider, saml_response: str, outstanding: dict[str, str]
) -> tuple[InboundIdentity, dict]:
    """Check a POSTed response and read the identity; what single logout needs comes with it."""
    if not saml_response:
        raise DomainError(_("Aucune réponse SAML reçue."))
    try:
        response = client_for(provider).parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except SigverError as error:
        raise DomainError(
            _("La réponse SAML n'est pas signée, ou sa signature est invalide : connexion refusée.")
        ) from error
    except UnsolicitedResponse as error:
        raise DomainError(
            _("Cette réponse SAML ne répond à aucune demande de connexion en cours : recommencez la connexion.")
        ) from error
    except StatusError as error:
        raise DomainError(_("Le fournisseur d'identité n'a pas authentifié la personne.")) from error
    except Exception as error:  # pysaml2 raises bare Exceptions for the conditions it checks
        raise DomainError(_refusal(error)) from error
    if response is None or response.assertion is None:
        raise DomainError(_("La réponse SAML est invalide : connexion refusée."))
    if provider.idp_entity_id and response.issuer() != provider.idp_entity_id:
        raise DomainError(_("Cette réponse SAML ne vient pas du fournisseur attendu : connexion refusée."))
    info = response.session_info()
    name_id = info.get("name_id")
    identity = identity_from(provider, response.ava, fallback_subject=_persistent(name_id))
    expires = _expiry(info.get("not_on_or_after"))
    return identity, {
        "assertion_id": response.assertion.id,
        "expires_at": expires.isoformat(),
        "name_id": str(name_id) if name_id is not None else "",
        "session_index": info.get("session_index") or "",
    }


def _refusal(error: Exception) -> str:
    text = str(error)
    if "Audience" in text or "Not for me" in text:
        return _("Cette assertion SAML est destinée à un autre service que Préau : connexion refusée.")
    if "Condition" in text or "lifetime" in text.lower() or "expired" in text.lower() or "too old" in text.lower():
        return _("Cette assertion SAML a expiré ou n'est pas encore valable : recommencez la connexion.")
    return _("La réponse SAML est invalide : connexion refusée.")


def _persistent(name_id: NameID | None) -> str:
    transient = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
    if name_id is None or not name_id.text or name_id.format == transient:
        return ""
    return name_id.text.strip()


def _expiry(not_on_or_after) -> datetime.datetime:
    """When the assertion stops being valid (pysaml2 gives seconds since the epoch)."""
    try:
        return datetime.datetime.fromtimestamp(int(not_on_or_after), tz=datetime.UTC)
    except (TypeError, ValueError):
        return timezone.now() + datetime.timedelta(minutes=10)


def logout_redirect(provider: IdentityProvider, *, name_id: str, session_index: str) -> str:
    """The IdP's single logout URL with a signed LogoutRequest, or "" when it has none."""
    return logout_request_location(
        client_for(provider),
        provider.idp_entity_id,
        "idpsso",
        name_id_from_string(name_id),
        session_index=session_index,
    )


def same_subject(stored: str, named: str) -> bool:
    """Whether two NameIDs (as kept in the session and as a LogoutRequest names it) are the same
    subject: their values, whatever prefixes each XML serialisation chose."""
    if not stored or not named:
        return False
    first, second = name_id_from_string(stored), name_id_from_string(named)
    return bool(first and second and first.text and (first.text.strip() == (second.text or "").strip()))


def parse_logout_request(provider: IdentityProvider, params: dict[str, str]) -> tuple[str, list[str], str]:
    """The provider's signed LogoutRequest (HTTP-Redirect): the NameID, session indexes and the
    URL of the LogoutResponse to send back."""
    if not params.get("SAMLRequest") or not params.get("Signature") or not params.get("SigAlg"):
        raise DomainError(_("Demande de déconnexion SAML non signée : ignorée."))
    try:
        message, response_url = answer_logout_request(client_for(provider), params, descriptor="idpsso")
    except Exception as error:  # a forged or broken request: pysaml2 raises many kinds
        raise DomainError(_("Demande de déconnexion SAML invalide : ignorée.")) from error
    issuer = message.issuer.text if message.issuer is not None else ""
    if provider.idp_entity_id and issuer != provider.idp_entity_id:
        raise DomainError(_("Demande de déconnexion SAML invalide : ignorée."))
    indexes = [index.text for index in (message.session_index or []) if index.text]
    return (str(message.name_id) if message.name_id else ""), indexes, response_url
