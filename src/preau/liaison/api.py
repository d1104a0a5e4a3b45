"""JSON of the cahier de liaison, for apps and integrations: the same scoped queries as the pages.

- `api_notebook` (`?enfant=<id>`): a child's notes of the year, for their guardians or the pupil;
- `api_signatures` (`?page=`): a note's state child by child, for the staff who follow it.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from preau.core.pagination import page_of

from . import queries

API_LIMIT = 50
PAGE_SIZE = 50


def _moment(value):
    return value.isoformat() if value else None


@require_GET
def notebook(request):
    child = queries.notebook_child(request.user, request.GET.get("enfant"))
    if child is None:
        return JsonResponse({"detail": _("Cet enfant ne fait pas partie de vos enfants.")}, status=403)
    rows = queries.notebook_of(request.user, child.pk)[:API_LIMIT]
    return JsonResponse(
        {
            "enfant": {"id": child.pk, "prenom": child.first_name, "nom": child.last_name},
            "mots": [
                {
                    "id": row.note_id,
                    "titre": row.note.title,
                    "origine": row.note.origin,
                    "source": row.note.source_label,
                    "auteur": row.note.author_label,
                    "publie_le": _moment(row.note.published_at),
                    "lu": row.is_read,
                    "signature_demandee": row.note.requires_ack,
                    "signe_par": row.acknowledgement.guardian_label if hasattr(row, "acknowledgement") else None,
                    "signe_le": _moment(row.acknowledgement.at) if hasattr(row, "acknowledgement") else None,
                    "question": row.note.question or None,
                    "reponse": row.answer or None,
                    "texte_html": row.note.body,
                    "url": f"{reverse('liaison:note', args=[row.note_id])}?enfant={child.pk}",
                }
                for row in rows
            ],
        }
    )


@require_GET
def signatures(request, note_id: int):
    note = queries.note_followed_by(request.user, note_id)
    if note is None:
        return JsonResponse({"detail": _("Ce mot n'existe pas ou vous ne le suivez pas.")}, status=404)
    summary = queries.summary_of(request.user, note)
    page = page_of(request, queries.recipients_followed(request.user, note), per_page=PAGE_SIZE)
    return JsonResponse(
        {
            "id": note.pk,
            "titre": note.title,
            "signature_demandee": note.requires_ack,
            "enfants": summary["total"],
            "signes": summary["signed"],
            "reponses": dict(summary["answers"]),
            "page": page.number,
            "pages": page.paginator.num_pages,
            "suivi": [
                {
                    "eleve": {"id": row.pupil_id, "nom": row.pupil.full_name},
                    "classe": row.school_class.name if row.school_class else None,
                    "signe_par": row.acknowledgement.guardian_label if hasattr(row, "acknowledgement") else None,
                    "signe_le": _moment(row.acknowledgement.at) if hasattr(row, "acknowledgement") else None,
                    "reponse": row.answer or None,
                    "lu_par_la_famille": row.family_read,
                    "messages": row.reply_count,
                }
                for row in page.object_list
            ],
        }
    )
