"""JSON of the cahier journal, for apps: the signed-in teacher's own day, the same query as the page."""

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from preau.homework.subjects import subject_label

from . import queries
from .views import classes_or_refuse, parse_day


@require_GET
def day(request):
    """`?date=YYYY-MM-DD` (today by default), `&classe=<id>` to keep one class; every class otherwise."""
    classes = classes_or_refuse(request)
    current = parse_day(request.GET.get("date"))
    class_id = None
    if request.GET.get("classe"):
        school_class = next((c for c in classes if str(c.pk) == request.GET["classe"]), None)
        if school_class is None:
            raise Http404
        class_id = school_class.pk
    slots = queries.slots_of(request.user, start=current, end=current, school_class_id=class_id)
    return JsonResponse(
        {
            "date": current.isoformat(),
            "seances": [
                {
                    "id": slot.pk,
                    "classe": {"id": slot.school_class_id, "nom": slot.school_class.name},
                    "debut": slot.starts_at.strftime("%H:%M"),
                    "fin": slot.ends_at.strftime("%H:%M"),
                    "discipline": slot.subject,
                    "discipline_libelle": subject_label(slot.subject),
                    "intitule": slot.title,
                    "objectifs": slot.objectives,
                    "organisation": slot.organisation,
                    "materiel": slot.material,
                    "evaluation": slot.assessment,
                    "bilan": slot.review,
                    "cahier_de_textes": reverse("homework:entry", args=[slot.homework_entry_id])
                    if slot.homework_entry_id
                    else None,
                }
                for slot in slots
            ],
        }
    )
