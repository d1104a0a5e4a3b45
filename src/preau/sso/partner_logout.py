"""Front-channel logout of the partner services a session signed in to: one hidden frame each."""

from urllib.parse import urlencode

from django.conf import settings

from . import saml_idp
from .models import PartnerService


def partner_logout_frames(used: list[dict]) -> list[str]:
    """The addresses to open: a signed SAML LogoutRequest for SAML partners, the registered
    logout address for the others (with `iss` for OpenID Connect front-channel logout)."""
    partners = PartnerService.objects.in_bulk([entry["partner"] for entry in used])
    frames, idp = [], None
    for entry in used:
        partner = partners.get(entry["partner"])
        if partner is None or not partner.is_active:
            continue
        if partner.protocol == PartnerService.Protocol.SAML and entry.get("name_id"):
            idp = idp or saml_idp.server()
            url = saml_idp.logout_request_url(idp, partner, entry["name_id"])
        elif partner.logout_url and partner.protocol == PartnerService.Protocol.OIDC:
            separator = "&" if "?" in partner.logout_url else "?"
            url = f"{partner.logout_url}{separator}{urlencode({'iss': settings.PREAU_SITE_URL})}"
        else:
            url = partner.logout_url
        if url:
            frames.append(url)
    return frames
