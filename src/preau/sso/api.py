"""JSON of single sign-on for the académie's tools: its providers and partners (no secret)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import queries
from .policy import can_use_sso_console


def _refused():
    return JsonResponse({"erreur": _("Réservé aux administrateurs de l'académie.")}, status=403)


@require_GET
def providers(request):
    if not can_use_sso_console(request.user):
        return _refused()
    return JsonResponse(
        {
            "fournisseurs": [
                {
                    "id": p.pk,
                    "academie": p.academie.code,
                    "usagers": p.kind,
                    "protocole": p.protocol,
                    "identifiant": p.slug,
                    "nom": p.label,
                    "actif": p.is_active,
                    "eleves": p.allows_pupils,
                    "entite": p.idp_entity_id or p.issuer,
                    "liens": p.link_count,
                }
                for p in queries.providers_with_link_counts(request.user)
            ]
        }
    )


@require_GET
def partners(request):
    if not can_use_sso_console(request.user):
        return _refused()
    return JsonResponse(
        {
            "partenaires": [
                {
                    "id": p.pk,
                    "academie": p.academie.code,
                    "nom": p.name,
                    "protocole": p.protocol,
                    "actif": p.is_active,
                    "attributs": p.released_attributes,
                    "entite": p.sp_entity_id or p.service_url or (p.application.client_id if p.application else ""),
                }
                for p in queries.partners_administered_by(request.user).order_by("academie__name", "name")
            ]
        }
    )
