"""An académie administrator's writes: the identity providers it trusts and the partner
services that trust Préau. Secrets are encrypted (providers) or hashed (clients' secrets,
shown once); every change is journaled without any secret."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from lxml import etree
from oauth2_provider.models import get_application_model

from preau.core import audit
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Academie, Person

from . import policy
from .crypto import encrypt
from .models import IdentityProvider, PartnerService

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
PROVIDER_FIELDS = (
    "kind",
    "protocol",
    "slug",
    "label",
    "is_active",
    "allows_pupils",
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
    "client_id",
    "scopes",
    "idp_metadata",
    "attribute_map",
)


def _refuse_unless_admin(actor: Person, academie_id: int) -> None:
    if not policy.can_configure_sso_of(actor, academie_id):
        raise NotAllowed(_("Seuls les administrateurs de cette académie configurent sa connexion."))


def entity_id_of(metadata: str, descriptor: str) -> str:
    """The entityID of SAML metadata holding an IDPSSODescriptor or SPSSODescriptor (parsed
    without entities nor network), or a DomainError saying what is wrong."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(metadata.strip().encode(), parser=parser)
    except etree.XMLSyntaxError as error:
        raise DomainError(_("Ces métadonnées ne sont pas du XML valide."), field="metadata") from error
    entities = [root] if root.tag == f"{{{MD}}}EntityDescriptor" else root.findall(f"{{{MD}}}EntityDescriptor")
    found = [e for e in entities if e.find(f"{{{MD}}}{descriptor}") is not None]
    if len(found) != 1 or not found[0].get("entityID"):
        raise DomainError(
            _("Ces métadonnées doivent décrire exactement une entité SAML avec un %(descriptor)s.")
            % {"descriptor": descriptor},
            field="metadata",
        )
    return found[0].get("entityID")


def save_provider(
    actor: Person, provider: IdentityProvider | None, *, academie: Academie, client_secret: str = "", **fields
) -> IdentityProvider:
    """Create or change an identity provider of an académie (its administrators only).

    OIDC needs its endpoints and client; SAML its metadata (the entityID is read from it). An
    empty `client_secret` keeps the stored one.
    """
    _refuse_unless_admin(actor, academie.pk)
    if provider is not None:
        _refuse_unless_admin(actor, provider.academie_id)
    provider = provider or IdentityProvider()
    for name in PROVIDER_FIELDS:
        if name in fields:
            setattr(provider, name, fields[name])
    provider.academie = academie
    if client_secret:
        provider.client_secret_encrypted = encrypt(client_secret)
    if provider.protocol == IdentityProvider.Protocol.SAML:
        provider.idp_entity_id = entity_id_of(provider.idp_metadata, "IDPSSODescriptor")
    else:
        missing = [
            name
            for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "client_id")
            if not getattr(provider, name)
        ]
        if not provider.client_secret_encrypted:
            missing.append("client_secret")
        if missing:
            raise DomainError(_("Champs requis en OpenID Connect : %(fields)s.") % {"fields": ", ".join(missing)})
    created = provider.pk is None
    try:
        with transaction.atomic():
            provider.save()
            audit.record(
                actor,
                "sso.provider_saved",
                target=provider,
                academie_id=academie.pk,
                created=created,
                secret_changed=bool(client_secret),
            )
    except IntegrityError as error:
        raise DomainError(
            _("Cette académie a déjà un fournisseur de ce type, ou cet identifiant court est déjà pris."), field="slug"
        ) from error
    return provider


def delete_provider(actor: Person, provider: IdentityProvider) -> None:
    """Remove a provider and the identities linked through it (people keep their accounts)."""
    _refuse_unless_admin(actor, provider.academie_id)
    with transaction.atomic():
        audit.record(actor, "sso.provider_deleted", target=provider, academie_id=provider.academie_id)
        provider.delete()


def _application_for(partner: PartnerService, redirect_uris: str, secret: str):
    Application = get_application_model()
    application = partner.application or Application(
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    application.name = partner.name[:255]
    application.redirect_uris = " ".join(redirect_uris.split())
    application.post_logout_redirect_uris = application.redirect_uris
    if secret:
        application.client_secret = secret
    application.full_clean(exclude=["client_secret", "user"])
    application.save()
    return application


def save_partner(
    actor: Person,
    partner: PartnerService | None,
    *,
    academie: Academie,
    name: str,
    protocol: str,
    released_attributes: list[str],
    is_active: bool = True,
    sp_metadata: str = "",
    redirect_uris: str = "",
    service_url: str = "",
    logout_url: str = "",
) -> tuple[PartnerService, str]:
    """Register or change a partner service; returns it with a new OIDC client secret (shown
    once, stored hashed) when one was made."""
    _refuse_unless_admin(actor, academie.pk)
    if partner is not None:
        _refuse_unless_admin(actor, partner.academie_id)
        protocol = partner.protocol
    unknown = set(released_attributes) - set(PartnerService.Attribute.values)
    if unknown:
        raise DomainError(_("Attribut inconnu : %(names)s.") % {"names": ", ".join(sorted(unknown))})
    partner = partner or PartnerService(protocol=protocol, created_by=actor)
    partner.academie, partner.name, partner.is_active = academie, name.strip(), is_active
    partner.released_attributes = sorted(set(released_attributes))
    partner.logout_url = logout_url
    secret = ""
    if protocol == PartnerService.Protocol.SAML:
        partner.sp_metadata = sp_metadata.strip()
        partner.sp_entity_id = entity_id_of(partner.sp_metadata, "SPSSODescriptor")
    elif protocol == PartnerService.Protocol.CAS:
        if not service_url.startswith(("https://", "http://")):
            raise DomainError(_("Indiquez l'adresse du service (https://…)."), field="service_url")
        partner.service_url = service_url
    else:
        if not redirect_uris.split():
            raise DomainError(_("Indiquez au moins une adresse de retour du client."), field="redirect_uris")
        secret = "" if partner.application_id else secrets.token_urlsafe(32)
    created = partner.pk is None
    try:
        with transaction.atomic():
            if protocol == PartnerService.Protocol.OIDC:
                partner.application = _application_for(partner, redirect_uris, secret)
            partner.save()
            audit.record(
                actor,
                "sso.partner_saved",
                target=partner,
                academie_id=academie.pk,
                created=created,
                protocol=protocol,
                attributes=partner.released_attributes,
            )
    except IntegrityError as error:
        raise DomainError(_("Un autre service est déjà inscrit avec cet entityID.")) from error
    except ValidationError as error:
        raise DomainError(
            _("Adresse de retour invalide : %(error)s") % {"error": " ".join(error.messages)}, field="redirect_uris"
        ) from error
    return partner, secret


def new_client_secret(actor: Person, partner: PartnerService) -> str:
    """A new secret for an OIDC client (the old one stops working at once); shown once."""
    _refuse_unless_admin(actor, partner.academie_id)
    if partner.application is None:
        raise DomainError(_("Ce service n'est pas un client OpenID Connect."))
    secret = secrets.token_urlsafe(32)
    partner.application.client_secret = secret
    partner.application.save(update_fields=["client_secret"])
    audit.record(actor, "sso.partner_secret_renewed", target=partner, academie_id=partner.academie_id)
    return secret


def delete_partner(actor: Person, partner: PartnerService) -> None:
    _refuse_unless_admin(actor, partner.academie_id)
    with transaction.atomic():
        audit.record(actor, "sso.partner_deleted", target=partner, academie_id=partner.academie_id)
        application = partner.application
        partner.delete()
        if application is not None:
            application.delete()
