"""JSON of the timeline, for apps and integrations: the same scoped queries as the pages."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from preau.core.pagination import page_of

from . import queries
from .models import Entry

API_PAGE = 50


def entry_json(entry: Entry) -> dict:
    return {
        "id": entry.pk,
        "type": entry.kind,
        "concerne": entry.concerns,
        "titre": entry.title,
        "extrait": entry.body,
        "nombre": entry.count,
        "date": entry.created_at.isoformat(),
        "lue": entry.read_at is not None,
        "lien": entry.url,
        "ouvrir": reverse("notifications:open", args=[entry.pk]),
    }


@require_GET
def entries(request):
    page = page_of(request, queries.entries_visible_to(request.user), per_page=API_PAGE)
    return JsonResponse(
        {
            "non_lues": queries.unread_count(request.user),
            "page": page.number,
            "pages": page.paginator.num_pages,
            "entrees": [entry_json(entry) for entry in page],
        }
    )


@require_GET
def entry(request, entry_id: int):
    return JsonResponse(entry_json(get_object_or_404(queries.entries_visible_to(request.user), pk=entry_id)))
