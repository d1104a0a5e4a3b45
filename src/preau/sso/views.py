"""Sign-in pages of single sign-on: the WAYF, the providers' callbacks, the questions of a
first match, the single logout and the second factor. Thin: parse, call, render or redirect."""

import datetime
import time
from urllib.parse import quote, urlsplit

from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from preau.accounts.actions import sign_out
from preau.core.errors import DomainError, NotAllowed
from preau.core.redirects import next_url
from preau.directory.models import Person
from preau.directory.policy import can_oversee_school

from . import actions, oidc_client, queries, saml_sp, security_keys, totp
from .actions import FLOW_KEY, SCHOOLS_KEY, SESSION_KEY, Outcome
from .forms import ConfirmIdentityForm, TotpCodeForm
from .lifetime import AWAITING_CODE, MUST_ENROL, SECOND_FACTOR_KEY
from .middleware import LOGOUT_KEY
from .models import IdentityProvider, TotpDevice
from .partner_logout import partner_logout_frames
from .saml_common import origin_of, site_url

AFTER_LOGOUT_KEY = "preau_sso_after_logout"
# The WAYF ("je suis…") → which providers, if any.
WAYF = {
    "parent": (IdentityProvider.Kind.EDUCONNECT, False),
    "eleve": (IdentityProvider.Kind.EDUCONNECT, True),
    "personnel": (IdentityProvider.Kind.AGENTS, False),
}


def _error(request, message: str, *, status: int = 400):
    return render(request, "sso/error.html", {"message": message, "title": _("Connexion impossible")}, status=status)


def _provider_or_404(slug: str) -> IdentityProvider:
    provider = queries.active_provider(slug)
    if provider is None:
        raise Http404(_("Fournisseur d'identité inconnu ou désactivé."))
    return provider


def _follow(outcome: Outcome):
    if outcome.step == "confirm":
        return redirect("sso:confirm")
    if outcome.step == "choose":
        return redirect("sso:choose")
    if outcome.step == "choose_school":
        return redirect("sso:choose_school")
    return redirect(outcome.next_url or "portal:home")


# --- Where are you from? ------------------------------------------------------------------------


@login_not_required
def wayf(request, who: str):
    """ "Je suis parent / élève / personnel de l'Éducation nationale": the providers for that."""
    if who == "commune":
        return redirect(f"{reverse('accounts:login')}#id_username")
    if who not in WAYF:
        raise Http404
    kind, pupils = WAYF[who]
    providers = [p for p in queries.providers_for_wayf(kind) if p.allows_pupils or not pupils]
    back = next_url(request)
    if len(providers) == 1:
        return redirect(f"{reverse('sso:start', args=[providers[0].slug])}?next={quote(back, safe='/')}")
    return render(
        request,
        "sso/wayf.html",
        {"who": who, "providers": providers, "next": back, "title": _("Choisir mon académie")},
    )


@never_cache
@login_not_required
def start(request, slug: str):
    """Leave for the provider's sign-in page with a fresh request (state, nonce, PKCE / AuthnRequest)."""
    provider = _provider_or_404(slug)
    back = next_url(request)
    try:
        if provider.protocol == IdentityProvider.Protocol.OIDC:
            url, flow = oidc_client.authorization_redirect(provider, _oidc_callback_url(provider))
        else:
            url, request_id = saml_sp.authn_redirect(provider)
            flow = {"request_id": request_id}
    except DomainError as error:
        return _error(request, error.message)
    request.session[FLOW_KEY] = {"provider": provider.pk, "next": back, "started": time.time(), **flow}
    return redirect(url)


def _oidc_callback_url(provider: IdentityProvider) -> str:
    return site_url(reverse("sso:oidc_callback", args=[provider.slug]))


def _flow_of(request, provider: IdentityProvider) -> dict | None:
    flow = request.session.get(FLOW_KEY)
    return flow if flow and flow.get("provider") == provider.pk else None


@never_cache
@login_not_required
def oidc_callback(request, slug: str):
    provider = _provider_or_404(slug)
    flow = _flow_of(request, provider)
    try:
        actions.refuse_if_over_limit()
        identity, info = oidc_client.identity_from_callback(
            provider, _oidc_callback_url(provider), flow or {}, request.GET.dict()
        )
        request.session.pop(FLOW_KEY, None)
        outcome = actions.finish_sign_in(request, provider, identity, info, (flow or {}).get("next", ""))
    except DomainError as error:
        actions.refuse(provider, error)
        return _error(request, error.message)
    return _follow(outcome)


@never_cache
@csrf_exempt
@require_POST
@login_not_required
def saml_acs(request, slug: str):
    """The IdP's signed answer, posted by the browser."""
    provider = _provider_or_404(slug)
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and "resent" not in request.GET:
        # Posted from the IdP's site: a SameSite=Lax cookie does not come with a cross-site POST.
        # Post it again from our own page, where it does.
        return render(
            request,
            "sso/post_binding.html",
            {
                "destination": f"{request.path}?resent=1",
                "fields": {k: request.POST[k] for k in ("SAMLResponse", "RelayState") if k in request.POST},
                "title": _("Connexion en cours"),
            },
        )
    flow = _flow_of(request, provider)
    outstanding = {flow["request_id"]: flow.get("next", "")} if flow and "request_id" in flow else {}
    try:
        actions.refuse_if_over_limit()
        identity, info = saml_sp.identity_from_response(provider, request.POST.get("SAMLResponse", ""), outstanding)
        actions.consume_assertion(
            provider, info.pop("assertion_id"), datetime.datetime.fromisoformat(info.pop("expires_at"))
        )
        request.session.pop(FLOW_KEY, None)
        outcome = actions.finish_sign_in(request, provider, identity, info, (flow or {}).get("next", ""))
    except DomainError as error:
        actions.refuse(provider, error)
        return _error(request, error.message)
    return _follow(outcome)


@login_not_required
def saml_metadata(request, slug: str):
    provider = _provider_or_404(slug)
    return HttpResponse(saml_sp.metadata_xml(provider), content_type="application/samlmetadata+xml")


# --- A first match: confirm, or choose ------------------------------------------------------------


@never_cache
@login_not_required
def confirm(request):
    """The first ÉduConnect sign-in when the match is not certain: a child's first name and birth date."""
    try:
        waiting = actions.pending(request, "confirm")
    except DomainError as error:
        return _error(request, error.message)
    form = ConfirmIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = actions.confirm_identity(
                request, first_name=form.cleaned_data["first_name"], birth_date=form.cleaned_data["birth_date"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _follow(outcome)
    return render(
        request,
        "sso/confirm.html",
        {"form": form, "pupil": waiting["pupil"], "title": _("Confirmer qui vous êtes")},
        status=400 if form.errors else 200,
    )


@never_cache
@login_not_required
def choose(request):
    """An agent whose académie e-mail is on several directory records chooses one."""
    try:
        waiting = actions.pending(request, "choose")
    except DomainError as error:
        return _error(request, error.message)
    if request.method == "POST":
        try:
            outcome = actions.choose_account(request, record_id=int(request.POST.get("compte", "0")))
        except (DomainError, ValueError) as error:
            return _error(request, getattr(error, "message", _("Choix invalide.")))
        return _follow(outcome)
    records = queries.records_with_schools(waiting["records"])
    return render(request, "sso/choose.html", {"records": records, "title": _("Choisir mon compte")})


@never_cache
def choose_school(request):
    """After an agent's sign-in, with several schools: where to begin."""
    school_ids = request.session.get(SCHOOLS_KEY) or []
    schools = queries.schools_by_ids(school_ids)
    if request.method == "POST":
        school = next((s for s in schools if str(s.pk) == request.POST.get("ecole")), None)
        if school is None:
            return _error(request, _("Ce choix ne fait pas partie de vos écoles."))
        request.session.pop(SCHOOLS_KEY, None)
        request.session["preau_school_id"] = school.pk
        if can_oversee_school(request.user, school):
            return redirect("directory:school_console", uai=school.uai)
        return redirect(next_url(request, reverse("portal:home")))
    if not schools:
        return redirect("portal:home")
    return render(
        request, "sso/choose_school.html", {"schools": schools, "next": next_url(request), "title": _("Mon école")}
    )


# --- Single logout -------------------------------------------------------------------------------


def url_retour_allowed(url: str) -> bool:
    """FrEduUrlRetour is followed only to the configured hosts (never an open redirect)."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        return False
    return any(
        host == entry.lstrip(".") or (entry.startswith(".") and host.endswith(entry))
        for entry in settings.PREAU_SSO_URL_RETOUR_HOSTS
    )


@never_cache
@login_not_required
def signed_out(request):
    """After Préau's sign-out: end the partners' sessions (hidden frames), then the IdP's."""
    leaving = request.session.pop(LOGOUT_KEY, None)
    if not leaving:
        return redirect("accounts:login")
    federation = leaving.get("federation") or {}
    destination = leaving.get("destination") or ""
    if not destination and url_retour_allowed(federation.get("url_retour", "")):
        destination = federation["url_retour"]
    destination = destination or reverse("accounts:login")
    next_hop = _provider_logout_url(federation)
    if next_hop:
        request.session[AFTER_LOGOUT_KEY] = destination
    frames = partner_logout_frames(leaving.get("partners") or [])
    response = render(
        request,
        "sso/signed_out.html",
        {"frames": frames, "next_hop": next_hop or destination, "title": _("Déconnexion")},
    )
    if frames:
        response._csp_update = {"frame-src": sorted({origin_of(url) for url in frames})}
    return response


def _provider_logout_url(federation: dict) -> str:
    provider = IdentityProvider.objects.filter(pk=federation.get("provider"), is_active=True).first()
    if provider is None:
        return ""
    if provider.protocol == IdentityProvider.Protocol.SAML:
        if not federation.get("name_id"):
            return ""
        return saml_sp.logout_redirect(
            provider, name_id=federation["name_id"], session_index=federation.get("session_index", "")
        )
    if not federation.get("id_token"):
        return ""
    return oidc_client.end_session_url(
        provider, id_token=federation["id_token"], post_logout_redirect_uri=site_url(reverse("sso:after_idp_logout"))
    )


@never_cache
@login_not_required
def after_idp_logout(request):
    """Back from the IdP's logout: to FrEduUrlRetour, or the sign-in page."""
    return redirect(request.session.pop(AFTER_LOGOUT_KEY, None) or reverse("accounts:login"))


@never_cache
@login_not_required
def saml_slo(request, slug: str):
    """The IdP's LogoutResponse (after ours), or its own LogoutRequest (it signed the person out)."""
    provider = _provider_or_404(slug)
    if "SAMLResponse" in request.GET:
        return after_idp_logout(request)
    try:
        name_id, indexes, response_url = saml_sp.parse_logout_request(provider, request.GET.dict())
    except DomainError as error:
        return _error(request, error.message)
    actions.end_provider_session(provider, indexes)
    # The browser's own session ends only if the request names its subject: a signed request
    # for someone else, replayed in this browser, signs nobody else out.
    federation = (request.session.get(SESSION_KEY) or {}) if request.user.is_authenticated else {}
    if federation.get("provider") == provider.pk and saml_sp.same_subject(federation.get("name_id", ""), name_id):
        sign_out(request)
    return redirect(response_url)


@xframe_options_exempt
@csp_exempt()
@never_cache
@login_not_required
def oidc_frontchannel_logout(request, slug: str):
    """OpenID Connect front-channel logout: the IdP opens this in a frame with its iss and sid."""
    provider = _provider_or_404(slug)
    if request.GET.get("iss") == provider.issuer and request.GET.get("sid"):
        actions.end_provider_session(provider, [request.GET["sid"]])
    federation = (request.session.get(SESSION_KEY) or {}) if request.user.is_authenticated else {}
    if federation.get("provider") == provider.pk and federation.get("sid") == request.GET.get("sid"):
        sign_out(request)
    return HttpResponse("", content_type="text/plain")


# --- The second factor -----------------------------------------------------------------------------


def _owes_code(request) -> bool:
    return request.session.get(SECOND_FACTOR_KEY) == AWAITING_CODE


@never_cache
def totp_setup(request):
    """One's second factors: the authenticator application and the security keys, added or
    removed (from "Mon compte", or when an administrator must add one)."""
    if _owes_code(request):
        # A session that still owes its code adds nothing: that would skip the code.
        return redirect(f"{reverse('sso:totp_verify')}?{urlencode({'next': next_url(request)})}")
    person: Person = request.user
    device = TotpDevice.objects.filter(person=person).first()
    form = TotpCodeForm(request.POST or None)
    action = request.POST.get("action", "")
    key_error = ""
    try:
        if request.method == "POST" and action == "start":
            device = totp.start_enrolment(person)
            form = TotpCodeForm()
        elif request.method == "POST" and action == "remove_key":
            form = TotpCodeForm()
            security_keys.remove(request, _int(request.POST.get("key")))
            return redirect("sso:totp_setup")
        elif request.method == "POST" and form.is_valid():
            if action == "confirm":
                totp.confirm_enrolment(request, form.cleaned_data["code"])
                return redirect(next_url(request, reverse("sso:totp_setup")))
            if action == "remove":
                totp.remove_device(request, form.cleaned_data["code"])
                return redirect("sso:totp_setup")
    except DomainError as error:
        if action == "remove_key":
            key_error = error.message
        else:
            form.add_error(None if action == "start" else "code", error.message)
    context = {
        "form": form,
        "device": device,
        "keys": security_keys.keys_of(person),
        "key_error": key_error,
        "must": request.session.get(SECOND_FACTOR_KEY) == MUST_ENROL,
        "next": next_url(request),
        "title": _("Double authentification"),
    }
    if device is not None and device.confirmed_at is None:
        context["uri"], context["qr"] = totp.provisioning(device)
        context["secret"] = totp.secret_for_display(device)
    return render(request, "sso/totp_setup.html", context, status=400 if form.errors or key_error else 200)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@never_cache
def totp_verify(request):
    """The second step of a local sign-in: a code, or a security key (`security_key_*`)."""
    if not _owes_code(request):
        return redirect(next_url(request, reverse("portal:home")))
    person: Person = request.user
    factors = queries.second_factors_of(person)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp.verify_sign_in(request, form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            return redirect(next_url(request, reverse("portal:home")))
    context = {
        "form": form,
        "next": next_url(request),
        "has_application": factors.application,
        "has_keys": bool(factors.keys),
        "title": _("Code de connexion"),
    }
    return render(request, "sso/totp_verify.html", context, status=400 if form.errors else 200)


def _json_refusal(error: DomainError) -> JsonResponse:
    return JsonResponse({"error": error.message}, status=403 if isinstance(error, NotAllowed) else 400)


@never_cache
@require_POST
def security_key_options(request):
    """The challenge to create a new key (JSON, for the page script)."""
    if _owes_code(request):
        return JsonResponse({"error": _("Connectez-vous d'abord avec votre second facteur.")}, status=403)
    try:
        return HttpResponse(security_keys.registration_options(request), content_type="application/json")
    except DomainError as error:
        return _json_refusal(error)


@never_cache
@require_POST
def security_key_add(request):
    """The new key the browser created: checked and kept."""
    if _owes_code(request):
        return JsonResponse({"error": _("Connectez-vous d'abord avec votre second facteur.")}, status=403)
    try:
        payload = security_keys.parse(request.body)
        security_keys.register(request, payload.get("credential") or {}, str(payload.get("name", "")))
    except DomainError as error:
        return _json_refusal(error)
    return JsonResponse({"redirect": next_url(request, reverse("sso:totp_setup"))})


@never_cache
@require_POST
def security_key_challenge(request):
    """The challenge of the second step of a sign-in (JSON)."""
    if not _owes_code(request):
        return JsonResponse({"error": _("Aucune connexion n'attend de second facteur.")}, status=400)
    try:
        return HttpResponse(security_keys.sign_in_options(request), content_type="application/json")
    except DomainError as error:
        return _json_refusal(error)


@never_cache
@require_POST
def security_key_sign_in(request):
    """The key's answer to the challenge: the session opens, or a clear refusal."""
    if not _owes_code(request):
        return JsonResponse({"error": _("Aucune connexion n'attend de second facteur.")}, status=400)
    try:
        payload = security_keys.parse(request.body)
        security_keys.verify_sign_in(request, payload.get("credential") or {})
    except DomainError as error:
        return _json_refusal(error)
    return JsonResponse({"redirect": next_url(request, reverse("portal:home"))})
