"""A small JSON API over the same queries: the conventions list and one convention.

Authenticated by the session; scoped like the pages (a commune's référent sees only their
commune's). GET only: writes go through the pages and their actions.
"""

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from preau.core.errors import NotAllowed
from preau.core.pagination import page_of

from . import policy, queries
from .models import Convention
from .views import parse_year


def _summary(c: Convention) -> dict:
    return {
        "id": c.pk,
        "school_year": c.year_label,
        "commune": {"id": c.commune_id, "name": c.commune.name, "siret": c.commune.siret},
        "departement": c.departement.code,
        "collectivite": c.collectivite_name,
        "state": c.state,
        "state_label": c.get_state_display(),
        "schools": c.school_count,
        "fee_per_school": str(c.fee_per_school),
        "amount_due": str(c.amount_due),
        "titre": {
            "state": c.titre_state,
            "reference": c.titre_reference,
            "issued_on": c.titre_issued_on.isoformat() if c.titre_issued_on else None,
            "paid_on": c.titre_paid_on.isoformat() if c.titre_paid_on else None,
        },
        "signed_on": c.signed_on.isoformat() if c.signed_on else None,
        "end_date": c.end_date.isoformat(),
        "url": reverse("conventions:detail", args=[c.pk]),
    }


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def conventions_list(request):
    """GET ?annee=2025&etat=signee&page=2 → {count, page, pages, results: [...]}."""
    if not policy.can_use_conventions(request.user):
        raise NotAllowed(_("Réservé à l'académie, aux DSDEN et aux référents ville."))
    state = request.GET.get("etat", "")
    page = page_of(
        request,
        queries.conventions_visible_to(
            request.user, year=parse_year(request, 0), state=state if state in Convention.State.values else ""
        ),
    )
    return _json(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [_summary(c) for c in page],
        }
    )


@require_GET
def convention_detail(request, convention_id: int):
    """One convention with its schools (UAI, name) and terminations."""
    convention = queries.convention_for(request.user, convention_id)
    if convention is None:
        raise Http404(_("Convention introuvable."))
    data = _summary(convention)
    data["schools_enrolled"] = [{"uai": s.uai, "name": s.name} for s in convention.enrolled.all()]
    data["signatories"] = {
        "academie": {"name": convention.academie_signatory_name, "title": convention.academie_signatory_title},
        "collectivite": {"name": convention.commune_signatory_name, "title": convention.commune_signatory_title},
    }
    data["terminations"] = [
        {
            "id": t.pk,
            "state": t.state,
            "initiated_by": t.initiated_by,
            "notice_date": t.notice_date.isoformat(),
            "conciliation_deadline": t.conciliation_deadline.isoformat(),
            "letter_date": t.letter_date.isoformat() if t.letter_date else None,
            "effective_date": t.effective_date.isoformat() if t.effective_date else None,
        }
        for t in convention.terminations.all()
    ]
    return _json(data)
