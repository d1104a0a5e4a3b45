"""Préau as an OpenID Connect provider: django-oauth-toolkit, shaped by the partner registrations.

A client may only ask the scopes its registration allows (`PartnerScopes`); the `sub` it
receives is its own opaque identifier of the person; every claim sent is journaled. The
authorization view refuses people outside the partner's académie and hands the browser back to
the client through a page (not a redirect), which the sign-in form's `form-action` CSP allows.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import SettingsScopes
from oauth2_provider.views import AuthorizationView

from preau.core.errors import NotAllowed

from .models import PartnerService
from .outbound import check_may_use, journal_release, release_for, remember_partner

# The scope a client must be granted for each attribute its registration may release.
SCOPE_OF_ATTRIBUTE = {
    PartnerService.Attribute.NAME: "profile",
    PartnerService.Attribute.PROFILE: "preau_profile",
    PartnerService.Attribute.UAI: "preau_uai",
    PartnerService.Attribute.CLASSES: "preau_classes",
}
SCOPES = {
    "openid": gettext_lazy("Vous identifier (un identifiant propre à ce service, sans votre nom)"),
    "profile": gettext_lazy("Vos nom et prénom"),
    "preau_profile": gettext_lazy("Vos profils (parent, enseignant…)"),
    "preau_uai": gettext_lazy("Les codes (UAI) de vos écoles"),
    "preau_classes": gettext_lazy("Vos classes ou celles de vos enfants"),
}


def partner_of(application) -> PartnerService | None:
    if application is None:
        return None
    return PartnerService.objects.filter(
        application=application, protocol=PartnerService.Protocol.OIDC, is_active=True
    ).first()


class PartnerScopes(SettingsScopes):
    """Per client: `openid`, and the scopes of the attributes its registration allows."""

    def get_all_scopes(self):
        return {name: str(label) for name, label in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        partner = partner_of(application)
        allowed = partner.released_attributes if partner else []
        return ["openid", *(SCOPE_OF_ATTRIBUTE[a] for a in allowed if a in SCOPE_OF_ATTRIBUTE)]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return ["openid"]


class PreauOAuth2Validator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "preau_profiles": "preau_profile",
        "preau_uai": "preau_uai",
        "preau_classes": "preau_classes",
    }

    def get_claim_dict(self, request):
        partner = partner_of(request.client)
        if partner is None:
            return {}
        released = release_for(request.user, partner)
        claims = {"sub": released.identifier}
        if released.first_name is not None:
            claims |= {
                "given_name": released.first_name,
                "family_name": released.last_name,
                "name": f"{released.first_name} {released.last_name}",
            }
        for claim, value in (
            ("preau_profiles", released.profiles),
            ("preau_uai", released.uais),
            ("preau_classes", released.classes),
        ):
            if value is not None:
                claims[claim] = value
        return claims

    def get_discovery_claims(self, request):
        return ["sub", "name", "given_name", "family_name", "preau_profiles", "preau_uai", "preau_classes"]

    def get_oidc_claims(self, token, token_handler, request):
        claims = super().get_oidc_claims(token, token_handler, request)
        partner = partner_of(request.client)
        if partner is not None:
            released = release_for(request.user, partner)
            journal_release(request.user, partner, released, protocol="oidc")
        return claims


class PartnerAuthorizationView(AuthorizationView):
    """The consent page (DSFR), for registered partners and the people of their académie only."""

    partner: PartnerService | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            client_id = request.GET.get("client_id") or request.POST.get("client_id") or ""
            self.partner = (
                PartnerService.objects.filter(
                    application__client_id=client_id, protocol=PartnerService.Protocol.OIDC, is_active=True
                )
                .select_related("application")
                .first()
            )
            try:
                if self.partner is None:
                    raise NotAllowed(_("Ce service n'est pas inscrit auprès de Préau, ou il a été désactivé."))
                check_may_use(request.user, self.partner)
            except NotAllowed as refused:
                return render(
                    request,
                    "sso/partner_refused.html",
                    {"message": refused.message, "title": _("Accès refusé")},
                    status=403,
                )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "partner": self.partner, "title": _("Autoriser un service")}

    def redirect(self, redirect_to, application):
        allowed = application.get_allowed_schemes() if application else ["https"]
        if redirect_to.split(":", 1)[0] not in allowed:
            raise NotAllowed(_("Adresse de retour refusée."))
        if self.partner is not None and "code=" in redirect_to:
            remember_partner(self.request, self.partner, logout_url=self.partner.logout_url)
        return render(
            self.request, "sso/redirect.html", {"url": redirect_to, "partner": self.partner, "title": _("Redirection")}
        )
