"""JSON of the agenda, for apps and integrations: the same items as the pages."""

import datetime

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import queries

MAX_DAYS = 366


def _day(value: str | None, default: datetime.date) -> datetime.date | None:
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@require_GET
def items(request):
    """`?debut=YYYY-MM-DD&fin=YYYY-MM-DD` (both included; today and 30 days by default)."""
    today = timezone.localdate()
    start = _day(request.GET.get("debut"), today)
    end = _day(request.GET.get("fin"), (start or today) + datetime.timedelta(days=30))
    if start is None or end is None:
        return JsonResponse({"erreur": _("Dates attendues au format AAAA-MM-JJ.")}, status=400)
    if end < start or (end - start).days > MAX_DAYS:
        return JsonResponse({"erreur": _("Demandez au plus une année, la fin après le début.")}, status=400)
    return JsonResponse(
        {
            "debut": start.isoformat(),
            "fin": end.isoformat(),
            "elements": [
                {
                    "uid": item.uid,
                    "type": item.kind,
                    "titre": item.title,
                    "agenda": item.source,
                    "categorie": item.category,
                    "toute_la_journee": item.all_day,
                    "premier_jour": item.starts_on.isoformat(),
                    "dernier_jour": item.ends_on.isoformat(),
                    "debut": item.starts_at.isoformat() if item.starts_at else None,
                    "fin": item.ends_at.isoformat() if item.ends_at else None,
                    "lieu": item.place,
                    "description_html": item.description,
                    "url": item.url,
                }
                for item in queries.agenda_items(request.user, start=start, end=end)
            ],
        }
    )
