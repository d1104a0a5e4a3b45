"""Préau as identity provider: SAML 2 IdP and CAS 3 server pages. Thin: parse, check, render."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT

from preau.accounts.actions import sign_out
from preau.core.errors import DomainError, NotAllowed

from . import cas, saml_idp
from .actions import SESSION_KEY
from .middleware import LOGOUT_KEY
from .outbound import PARTNERS_KEY, check_may_use, identifier_for, journal_release, release_for, remember_partner
from .saml_common import origin_of

IDP_REQUEST_KEY = "preau_sso_idp_request"


def _error(request, message: str, *, status: int = 400):
    return render(request, "sso/error.html", {"message": message, "title": _("Service partenaire")}, status=status)


def _refused(request, message: str):
    return render(request, "sso/partner_refused.html", {"message": message, "title": _("Accès refusé")}, status=403)


def _to_partner(request, url: str, partner):
    """Back to the partner through a page: a redirect right after the sign-in form would be
    blocked by the form's `form-action` policy."""
    return render(request, "sso/redirect.html", {"url": url, "partner": partner, "title": _("Redirection")})


# --- SAML 2 identity provider ------------------------------------------------------------------


@login_not_required
def idp_metadata(request):
    return HttpResponse(saml_idp.metadata_xml(), content_type="application/samlmetadata+xml")


@never_cache
@csrf_exempt
@login_not_required
def idp_sso(request):
    """A partner's AuthnRequest (HTTP-Redirect or HTTP-POST): checked, kept, then the sign-in."""
    params = request.GET if request.method == "GET" else request.POST
    binding = BINDING_HTTP_REDIRECT if request.method == "GET" else BINDING_HTTP_POST
    if (
        binding == BINDING_HTTP_POST
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "resent" not in request.GET
    ):
        # Posted from the partner's site: the SameSite=Lax cookie stayed behind, and a new session
        # would replace the person's. Post it again from Préau's own page, where it comes along.
        fields = {name: params[name] for name in ("SAMLRequest", "RelayState") if name in params}
        return render(
            request,
            "sso/post_binding.html",
            {"destination": f"{request.path}?resent=1", "fields": fields, "title": _("Connexion au service")},
        )
    if not params.get("SAMLRequest"):
        return _error(request, _("Aucune demande d'authentification SAML reçue."))
    try:
        saml_idp.parse_request(params["SAMLRequest"], binding, params.dict())
    except DomainError as error:
        return _error(request, error.message)
    request.session[IDP_REQUEST_KEY] = {"binding": binding, "params": params.dict()}
    return redirect("sso:idp_sso_continue")


@never_cache
def idp_sso_continue(request):
    """The signed-in person goes back to the partner with a signed assertion."""
    kept = request.session.pop(IDP_REQUEST_KEY, None)
    if not kept:
        return _error(request, _("Aucune demande d'authentification en attente : retournez sur le service partenaire."))
    try:
        saml_request, partner = saml_idp.parse_request(kept["params"]["SAMLRequest"], kept["binding"], kept["params"])
        check_may_use(request.user, partner)
        released = release_for(request.user, partner)
        destination, response = saml_idp.authn_response(saml_request, released, request.session.session_key or "")
    except NotAllowed as refused:
        return _refused(request, refused.message)
    except DomainError as error:
        return _error(request, error.message)
    journal_release(request.user, partner, released, protocol="saml")
    remember_partner(request, partner, name_id=released.identifier)
    fields = {"SAMLResponse": response}
    if kept["params"].get("RelayState"):
        fields["RelayState"] = kept["params"]["RelayState"]
    page = render(
        request,
        "sso/post_binding.html",
        {"destination": destination, "fields": fields, "partner": partner, "title": _("Connexion au service")},
    )
    page._csp_update = {"form-action": [origin_of(destination)]}
    return page


@never_cache
@login_not_required
def idp_slo(request):
    """A partner's answer to our front-channel LogoutRequest, or its own signed request to sign
    the person out: their Préau session ends (and the others' it opened), then the partner gets
    its LogoutResponse."""
    if "SAMLRequest" not in request.GET:
        return HttpResponse("", content_type="text/plain")
    try:
        partner, name_id, response_url = saml_idp.parse_logout_request(request.GET.dict())
    except DomainError as error:
        return _error(request, error.message)
    if not request.user.is_authenticated or name_id != identifier_for(request.user, partner):
        # Nobody here, or someone else than the person the partner signs out: nothing to end.
        return redirect(response_url)
    leaving = _leaving(request) or {"federation": None, "partners": []}
    # The partner that asked has already ended its own session: no frame for it.
    leaving["partners"] = [entry for entry in leaving["partners"] if entry["partner"] != partner.pk]
    sign_out(request)
    request.session[LOGOUT_KEY] = {**leaving, "destination": response_url}
    return redirect("sso:signed_out")


def _leaving(request) -> dict | None:
    federation = request.session.get(SESSION_KEY)
    partners = request.session.get(PARTNERS_KEY, [])
    return {"federation": federation, "partners": partners} if (federation or partners) else None


# --- CAS 3 -----------------------------------------------------------------------------------------


@never_cache
@login_not_required
def cas_login(request):
    service = request.GET.get("service", "")
    if not service:
        return redirect("portal:home")
    try:
        partner = cas.partner_for_service(service)
    except DomainError as error:
        return _error(request, error.message)
    if not request.user.is_authenticated:
        if request.GET.get("gateway") == "true":
            return _to_partner(request, service, partner)
        return redirect_to_login(request.get_full_path())
    try:
        check_may_use(request.user, partner)
    except NotAllowed as refused:
        return _refused(request, refused.message)
    ticket = cas.issue_ticket(request.user, partner, service)
    remember_partner(request, partner, logout_url=partner.logout_url)
    separator = "&" if "?" in service else "?"
    return _to_partner(request, f"{service}{separator}{urlencode({'ticket': ticket.ticket})}", partner)


@never_cache
@login_not_required
def cas_service_validate(request):
    """serviceValidate and p3/serviceValidate: the XML answer a CAS client reads."""
    try:
        _person, released = cas.validate(
            request.GET.get("service", ""), request.GET.get("ticket", ""), renew=request.GET.get("renew") == "true"
        )
        body = cas.success_xml(released)
    except cas.ValidationFailure as failure:
        body = cas.failure_xml(failure)
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@never_cache
@login_not_required
def cas_logout(request):
    """CAS logout: Préau's session ends (and with it the IdP's and partners', front-channel)."""
    destination = _registered_service(request.GET.get("service", ""))
    if not request.user.is_authenticated:
        return redirect(destination or "accounts:login")
    leaving = _leaving(request) or {"federation": None, "partners": []}
    sign_out(request)
    request.session[LOGOUT_KEY] = {**leaving, "destination": destination}
    return redirect("sso:signed_out")


def _registered_service(service: str) -> str:
    """The service address when a CAS partner is registered for it (never an open redirect)."""
    try:
        cas.partner_for_service(service)
    except DomainError:
        return ""
    return service
