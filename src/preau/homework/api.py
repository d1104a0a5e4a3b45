"""JSON of the cahier de textes, for apps and integrations: the same scoped queries as the pages.

- `api_todo` (`?enfant=<id>` for a parent): a pupil's work to do, from the next school day on;
- `api_class` (`?page=`): a class's séances (latest first, by pages) and its coming works.
"""

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from preau.core.pagination import page_of

from . import queries
from .publication import item_url
from .views import whose_todo

PAGE_SIZE = 50


def _attachments(item) -> list[dict]:
    return [
        {"nom": a.name, "type": a.content_type, "taille": a.size, "url": reverse("homework:attachment", args=[a.pk])}
        for a in item.attachments.all()
    ]


def work_json(work) -> dict:
    return {
        "id": work.pk,
        "matiere": work.subject,
        "matiere_libelle": work.subject_label,
        "titre": work.title,
        "donne_le": work.assigned_on.isoformat(),
        "pour_le": work.due_date.isoformat(),
        "consignes_html": work.body,
        "liens": work.links,
        "pieces_jointes": _attachments(work),
        "url": item_url(work),
    }


def entry_json(entry) -> dict:
    return {
        "id": entry.pk,
        "date": entry.date.isoformat(),
        "matiere": entry.subject,
        "matiere_libelle": entry.subject_label,
        "titre": entry.title,
        "contenu_html": entry.body,
        "liens": entry.links,
        "pieces_jointes": _attachments(entry),
        "url": item_url(entry),
    }


@require_GET
def api_todo(request):
    try:
        pupil, school_class, _children, _selected = whose_todo(request)
    except Http404:
        return JsonResponse({"detail": _("Cet enfant ne fait pas partie de vos enfants.")}, status=403)
    if pupil is None or school_class is None:
        return JsonResponse({"detail": _("Aucune classe à suivre.")}, status=404)
    todo = queries.todo_of(pupil, school_class)
    works = [*todo.for_next_day, *todo.this_week, *todo.later]
    return JsonResponse(
        {
            "eleve": {"id": pupil.pk, "prenom": pupil.first_name},
            "classe": {"id": school_class.pk, "nom": school_class.name},
            "prochain_jour": todo.next_day.isoformat(),
            "travaux": [work_json(w) | {"fait": w.is_done} for w in works],
        }
    )


@require_GET
def api_class(request, class_id: int):
    school_class = queries.class_for(request.user, class_id)
    if school_class is None:
        return JsonResponse({"detail": _("Cette classe n'existe pas ou ne vous est pas ouverte.")}, status=404)
    page = page_of(request, queries.entries_visible_to(request.user, school_class), per_page=PAGE_SIZE)
    works = queries.works_visible_to(request.user, school_class, start=timezone.localdate())
    return JsonResponse(
        {
            "classe": {"id": school_class.pk, "nom": school_class.name, "ecole": school_class.school.name},
            "page": page.number,
            "pages": page.paginator.num_pages,
            "seances": [entry_json(e) | {"publie": e.is_visible()} for e in page],
            "travaux_a_venir": [work_json(w) | {"publie": w.is_visible()} for w in works[:PAGE_SIZE]],
        }
    )
