"""The académie administrators' console: identity providers and partner services."""

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.directory.models import Academie
from preau.directory.queries import access_of

from . import admin_actions, queries, saml_idp
from .forms import PartnerForm, ProviderForm
from .models import PartnerService
from .policy import can_use_sso_console
from .saml_common import site_url


def _administered_academies(request):
    if not can_use_sso_console(request.user):
        raise NotAllowed(_("Réservé aux administrateurs de l'académie."))
    return Academie.objects.filter(id__in=sorted(access_of(request.user).academie_ids)).order_by("name")


def console(request):
    academies = _administered_academies(request)
    return render(
        request,
        "sso/console.html",
        {
            "academies": academies,
            "providers": queries.providers_administered_by(request.user).order_by("academie__name", "kind"),
            "partners": queries.partners_administered_by(request.user).order_by("academie__name", "name"),
            "idp_metadata_url": site_url(reverse("sso:idp_metadata")),
            "idp_entity_id": saml_idp.entity_id(),
            "cas_url": site_url(reverse("sso:cas_login")).rsplit("/login", 1)[0],
            "oidc_issuer": site_url(""),
            "protocols": PartnerService.Protocol.choices,
            "title": _("Connexion fédérée"),
        },
    )


def _provider_fields(form: ProviderForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("academie")
    data.pop("client_secret")
    return data


def provider_form(request, provider_id: int | None = None):
    academies = _administered_academies(request)
    provider = None
    if provider_id is not None:
        provider = get_object_or_404(queries.providers_administered_by(request.user), pk=provider_id)
    initial = {}
    if provider is not None:
        initial = {name: getattr(provider, name) for name in admin_actions.PROVIDER_FIELDS}
        initial["academie"] = provider.academie_id
        initial["attribute_map"] = json.dumps(provider.attribute_map) if provider.attribute_map else ""
    form = ProviderForm(request.POST or None, initial=initial, academies=academies)
    if request.method == "POST" and form.is_valid():
        try:
            admin_actions.save_provider(
                request.user,
                provider,
                academie=form.cleaned_data["academie"],
                client_secret=form.cleaned_data["client_secret"],
                **_provider_fields(form),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Fournisseur d'identité enregistré."))
            return redirect("sso:console")
    return render(
        request,
        "sso/provider_form.html",
        {"form": form, "provider": provider, "title": _("Fournisseur d'identité")},
        status=400 if form.errors else 200,
    )


@require_POST
def provider_delete(request, provider_id: int):
    provider = get_object_or_404(queries.providers_administered_by(request.user), pk=provider_id)
    admin_actions.delete_provider(request.user, provider)
    messages.success(request, _("Fournisseur d'identité supprimé."))
    return redirect("sso:console")


def partner_form(request, partner_id: int | None = None, protocol: str = ""):
    academies = _administered_academies(request)
    partner = None
    if partner_id is not None:
        partner = get_object_or_404(queries.partners_administered_by(request.user), pk=partner_id)
        protocol = partner.protocol
    if protocol not in PartnerService.Protocol.values:
        raise Http404
    initial = PartnerForm.initial_for(partner) if partner else {}
    form = PartnerForm(request.POST or None, initial=initial, academies=academies, protocol=protocol)
    secret = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner, secret = admin_actions.save_partner(
                request.user,
                partner,
                academie=data["academie"],
                name=data["name"],
                protocol=protocol,
                released_attributes=form.released_attributes(),
                is_active=data["is_active"],
                sp_metadata=data.get("sp_metadata", ""),
                redirect_uris=data.get("redirect_uris", ""),
                service_url=data.get("service_url", ""),
                logout_url=data.get("logout_url", ""),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            if not secret:
                messages.success(request, _("Service partenaire enregistré."))
                return redirect("sso:console")
    return render(
        request,
        "sso/partner_form.html",
        {
            "form": form,
            "partner": partner,
            "protocol_label": PartnerService.Protocol(protocol).label,
            "secret": secret,
            "title": _("Service partenaire"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def partner_secret(request, partner_id: int):
    partner = get_object_or_404(queries.partners_administered_by(request.user), pk=partner_id)
    try:
        secret = admin_actions.new_client_secret(request.user, partner)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("sso:console")
    return render(
        request,
        "sso/partner_secret.html",
        {"partner": partner, "secret": secret, "title": _("Nouveau secret client")},
    )


@require_POST
def partner_delete(request, partner_id: int):
    partner = get_object_or_404(queries.partners_administered_by(request.user), pk=partner_id)
    admin_actions.delete_partner(request.user, partner)
    messages.success(request, _("Service partenaire supprimé."))
    return redirect("sso:console")
