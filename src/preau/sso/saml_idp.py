"""Préau as a SAML 2 identity provider (pysaml2 + xmlsec1) for the partners an académie registered.

Metadata at a stable URL, SHA-256 signatures on the response and the assertion, a persistent
NameID that is the partner's own opaque identifier of the person, and only the attributes the
registration allows. AuthnRequests come from registered SPs only; their ACS is read from the
SP's metadata, never from the request alone.
"""

import base64

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, SAMLError
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

from preau.core.errors import DomainError

from .models import PartnerService
from .outbound import Released, as_attributes
from .saml_common import (
    DIGEST_ALGORITHM,
    SIGNING_ALGORITHM,
    answer_logout_request,
    cached,
    common_config,
    logout_request_location,
    site_url,
)

AUTHN_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
ASSERTION_MINUTES = 5


def entity_id() -> str:
    return site_url(reverse("sso:idp_metadata"))


def _config(site: str, metadata: tuple[str, ...]) -> IdPConfig:
    """`site` is only part of the cache key."""
    config = IdPConfig()
    config.load(
        {
            **common_config(),
            "entityid": entity_id(),
            "service": {
                "idp": {
                    "name": "Préau",
                    "endpoints": {
                        "single_sign_on_service": [
                            (site_url(reverse("sso:idp_sso")), BINDING_HTTP_REDIRECT),
                            (site_url(reverse("sso:idp_sso")), BINDING_HTTP_POST),
                        ],
                        "single_logout_service": [(site_url(reverse("sso:idp_slo")), BINDING_HTTP_REDIRECT)],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "sign_response": True,
                    "sign_assertion": True,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": ASSERTION_MINUTES},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "metadata": {"inline": list(metadata)} if metadata else {},
        }
    )
    return config


def server() -> Server:
    partners = PartnerService.objects.filter(protocol=PartnerService.Protocol.SAML, is_active=True).exclude(
        sp_metadata=""
    )
    metadata = tuple(partner.sp_metadata for partner in partners.order_by("pk"))
    return Server(config=cached(_config, settings.PREAU_SITE_URL, metadata))


def metadata_xml() -> str:
    return str(entity_descriptor(cached(_config, settings.PREAU_SITE_URL, ())))


def parse_request(saml_request: str, binding: str, params: dict[str, str]):
    """The AuthnRequest of a registered SP (signature checked when it is signed), and its SP."""
    try:
        request = server().parse_authn_request(
            saml_request,
            binding,
            relay_state=params.get("RelayState"),
            sigalg=params.get("SigAlg"),
            signature=params.get("Signature"),
        )
    except Exception as error:  # unknown issuer, bad signature, broken XML: pysaml2 raises many kinds
        raise DomainError(
            _("Cette demande d'authentification SAML est invalide ou vient d'un service inconnu.")
        ) from error
    if request is None:
        raise DomainError(_("Cette demande d'authentification SAML est invalide ou vient d'un service inconnu."))
    issuer = request.message.issuer.text if request.message.issuer is not None else ""
    partner = PartnerService.objects.filter(
        protocol=PartnerService.Protocol.SAML, is_active=True, sp_entity_id=issuer
    ).first()
    if partner is None:
        raise DomainError(_("Ce service n'est pas inscrit auprès de Préau, ou il a été désactivé."))
    return request, partner


def authn_response(request, released: Released, session_index: str) -> tuple[str, str]:
    """The signed response to post to the SP's ACS: (destination, base64 SAMLResponse)."""
    idp = server()
    try:
        args = idp.response_args(request.message, [BINDING_HTTP_POST])
        response = idp.create_authn_response(
            as_attributes(released),
            in_response_to=args["in_response_to"],
            destination=args["destination"],
            sp_entity_id=args["sp_entity_id"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=released.identifier),
            authn={"class_ref": AUTHN_CONTEXT},
            sign_response=True,
            sign_assertion=True,
            sign_alg=SIGNING_ALGORITHM,
            digest_alg=DIGEST_ALGORITHM,
            session_not_on_or_after=None,
        )
    except (SAMLError, KeyError, IndexError) as error:
        raise DomainError(_("Préau n'a pas pu répondre à ce service (métadonnées incomplètes).")) from error
    # The HTTP-POST binding: our own auto-posting form carries it (pysaml2's has an inline script).
    return args["destination"], base64.b64encode(str(response).encode()).decode()


def logout_request_url(idp: Server, partner: PartnerService, identifier: str) -> str:
    """A signed LogoutRequest to the partner's SLO endpoint (front-channel), or "" if it has none."""
    name_id = NameID(format=NAMEID_FORMAT_PERSISTENT, text=identifier)
    return logout_request_location(idp, partner.sp_entity_id, "spsso", name_id)


def parse_logout_request(params: dict[str, str]) -> tuple[PartnerService, str, str]:
    """A registered partner's signed LogoutRequest (HTTP-Redirect): the partner, the NameID it
    names (its opaque identifier of the person) and the URL of the LogoutResponse to send back."""
    if not params.get("SAMLRequest") or not params.get("Signature") or not params.get("SigAlg"):
        raise DomainError(_("Demande de déconnexion SAML non signée : ignorée."))
    try:
        message, response_url = answer_logout_request(server(), params, descriptor="spsso")
    except Exception as error:  # a forged or broken request, an unknown SP: pysaml2 raises many kinds
        raise DomainError(_("Demande de déconnexion SAML invalide : ignorée.")) from error
    issuer = message.issuer.text if message.issuer is not None else ""
    partner = PartnerService.objects.filter(
        protocol=PartnerService.Protocol.SAML, is_active=True, sp_entity_id=issuer
    ).first()
    if partner is None:
        raise DomainError(_("Ce service n'est pas inscrit auprès de Préau, ou il a été désactivé."))
    name_id = message.name_id.text.strip() if message.name_id is not None and message.name_id.text else ""
    return partner, name_id, response_url
