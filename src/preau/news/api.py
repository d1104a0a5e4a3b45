"""JSON of the actualités, for apps and integrations: the same scoped query as the pages."""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import queries

API_LIMIT = 50


@require_GET
def news(request):
    items = queries.news_visible_to(request.user)[:API_LIMIT]
    return JsonResponse(
        {
            "actualites": [
                {
                    "id": item.pk,
                    "titre": item.title,
                    "origine": item.source_label,
                    "portee": item.scope,
                    "public": item.audience,
                    "publiee_le": item.publish_at.isoformat(),
                    "retrait_le": item.expires_at.isoformat() if item.expires_at else None,
                    "texte_html": item.body,
                    "url": reverse("news:detail", args=[item.pk]),
                }
                for item in items
            ]
        }
    )
