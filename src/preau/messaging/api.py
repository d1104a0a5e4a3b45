"""JSON of the messagerie for apps and integrations: the same scoped queries as the pages,
authenticated by the session. Reading a conversation marks it read, as the page does."""

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from preau.core.pagination import page_of

from . import actions, display, policy, queries


def _person(person) -> dict:
    return {"id": person.pk, "nom": person.full_name}


def _require_messaging(request) -> None:
    if not policy.can_use_messaging(request.user):
        raise Http404("Messagerie indisponible pour ce compte.")


@require_GET
def folder(request):
    """One page (50) of a folder: ?dossier=recus|envoyes|brouillons|archives|corbeille&page=N."""
    _require_messaging(request)
    slug = request.GET.get("dossier", "recus")
    if slug not in queries.FOLDERS:
        return JsonResponse({"erreur": "Ce dossier n'existe pas."}, status=400)
    page = page_of(request, queries.deliveries_in_folder(request.user, slug).defer("message__body"))
    return JsonResponse(
        {
            "dossier": slug,
            "compteurs": queries.folder_counts(request.user),
            "page": page.number,
            "pages": page.paginator.num_pages,
            "messages": [
                {
                    "id": delivery.message_id,
                    "conversation": delivery.message.conversation_id,
                    "objet": delivery.message.subject,
                    "auteur": _person(delivery.message.author),
                    "destinataires": delivery.message.recipients_label,
                    "extrait": delivery.message.body_text[:160],
                    "date": delivery.sort_at.isoformat(),
                    "lu": delivery.read_at is not None,
                    "urgent": delivery.message.urgent,
                    "pieces_jointes": delivery.has_attachments,
                    "url": reverse("messaging:conversation", args=[delivery.message.conversation_id]),
                }
                for delivery in page
            ],
        }
    )


@require_GET
def conversation(request, pk: int):
    _require_messaging(request)
    found = queries.conversation_visible_to(request.user, pk)
    if found is None:
        return JsonResponse({"erreur": "Cette conversation n'existe pas ou ne vous est pas accessible."}, status=404)
    actions.mark_conversation_read(request.user, found)
    thread = list(queries.thread_visible_to(request.user, found))
    return JsonResponse(
        {
            "id": found.pk,
            "objet": found.subject,
            "messages": [
                {
                    "id": message.pk,
                    "auteur": _person(message.author),
                    "objet": message.subject,
                    "envoye_le": message.sent_at.isoformat(),
                    "urgent": message.urgent,
                    "texte_html": message.body,
                    "listes": [item["label"] for item in message.lists],
                    "destinataires": [_person(d.person) for d in message.shown_deliveries if not d.via_list],
                    "pieces_jointes": [
                        {
                            "nom": attachment.name,
                            "taille": attachment.size,
                            "type": attachment.content_type,
                            "url": reverse("messaging:attachment", args=[attachment.pk]),
                        }
                        for attachment in message.attachments.all()
                    ],
                    "accuse_de_lecture": display.receipt_label(message)
                    if message.author_id == request.user.pk
                    else None,
                }
                for message in thread
            ],
        }
    )
