"""The mail pages: folders, conversation, composer, search, attachments. Thin: parse, call, render.

The settings pages (rules, suspensions, answering hours) are in `settings_views.py`.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from preau.core.errors import DomainError
from preau.core.files import serve
from preau.core.forms import show_error
from preau.core.pagination import page_of
from preau.core.richtext import external_links

from . import actions, display, policy, queries, rules
from .forms import ComposeForm, ReportForm
from .models import Delivery, Message
from .recipients import writable_people

Box = Delivery.Box


def _require_messaging(request) -> None:
    if not policy.can_use_messaging(request.user):
        raise Http404(_("La messagerie est réservée aux personnes rattachées à une école ou à une structure."))


def _nav(request, current: str) -> dict:
    """The folders' side menu: each folder with its count, and the unread count."""
    counts = queries.folder_counts(request.user)
    folders = [
        {
            "slug": folder.slug,
            "label": folder.label,
            "count": counts[folder.slug],
            "url": reverse("messaging:folder", args=[folder.slug]),
            "current": folder.slug == current,
        }
        for folder in queries.FOLDERS.values()
    ]
    return {"folders": folders, "unread": counts["non_lus"], "current": current}


# --- Folders and search -----------------------------------------------------------------------


@require_GET
def inbox(request, folder: str = "recus"):
    """One folder of the person's mail, 50 a page, unread ones marked; counts for every folder."""
    _require_messaging(request)
    if folder not in queries.FOLDERS:
        raise Http404(_("Ce dossier n'existe pas."))
    page = page_of(request, queries.deliveries_in_folder(request.user, folder).defer("message__body"))
    return render(
        request,
        "messaging/inbox.html",
        {
            "title": queries.FOLDERS[folder].label,
            "folder": queries.FOLDERS[folder],
            "page": page,
            "sent_view": folder in ("envoyes", "brouillons"),
            **_nav(request, folder),
        },
    )


@require_GET
def search(request):
    """The person's own mail whose subject, sender or text match the words typed."""
    _require_messaging(request)
    text = request.GET.get("q", "").strip()[:200]
    page = page_of(request, queries.search_deliveries(request.user, text).defer("message__body")) if text else None
    return render(
        request,
        "messaging/search.html",
        {"title": _("Rechercher dans mes messages"), "text": text, "page": page, **_nav(request, "")},
    )


@require_POST
def empty_trash(request):
    _require_messaging(request)
    count = actions.empty_trash(request.user)
    messages.success(request, ngettext("%(n)d message effacé.", "%(n)d messages effacés.", count) % {"n": count})
    return redirect("messaging:folder", folder="corbeille")


@require_POST
def file_message(request, pk: int):
    """Archive, delete, restore, erase or mark unread the person's own copy of a message."""
    delivery = queries.delivery_of(request.user, pk)
    if delivery is None:
        raise Http404(_("Ce message ne vous est pas accessible."))
    operation = request.POST.get("operation", "")
    try:
        actions.file_delivery(request.user, delivery, operation)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("messaging:conversation", pk=delivery.message.conversation_id)
    labels = {
        "archiver": _("Message archivé."),
        "desarchiver": _("Message remis dans sa boîte."),
        "supprimer": _("Message placé dans la corbeille."),
        "restaurer": _("Message restauré."),
        "effacer": _("Message effacé de votre corbeille."),
        "non-lu": _("Message marqué non lu."),
    }
    messages.success(request, labels[operation])
    if operation in ("restaurer", "desarchiver"):
        return redirect("messaging:conversation", pk=delivery.message.conversation_id)
    return redirect("messaging:inbox")


# --- Conversation -------------------------------------------------------------------------------


def _recipients_line(message: Message, viewer) -> dict:
    direct = [d.person for d in message.shown_deliveries if not d.via_list]
    lists = [item["label"] for item in message.lists]
    shown = len(message.shown_deliveries) + sum(item["count"] for item in message.lists if item["hidden"])
    hidden = max(message.recipient_count - shown, 0) if message.author_id == viewer.pk else 0
    return {"people": direct, "lists": lists, "hidden": hidden}


@require_GET
def conversation(request, pk: int):
    """The thread as the person holds it: marks it read, shows receipts to the author."""
    _require_messaging(request)
    found = queries.conversation_visible_to(request.user, pk)
    if found is None:
        raise Http404(_("Cette conversation n'existe pas ou ne vous est pas accessible."))
    actions.mark_conversation_read(request.user, found)
    thread = list(queries.thread_visible_to(request.user, found))
    host = request.get_host().split(":")[0]
    directed = policy.directed_school_ids(request.user)
    items = [
        {
            "message": message,
            "copy": message.my_copies[0] if message.my_copies else None,
            "mine": message.author_id == request.user.pk,
            "recipients": _recipients_line(message, request.user),
            "external_links": external_links(message.body, host),
            "receipt": display.receipt_label(message) if message.author_id == request.user.pk else "",
            "may_suspend_author": message.school_id in directed and message.author_id != request.user.pk,
        }
        for message in thread
    ]
    return render(
        request,
        "messaging/conversation.html",
        {
            "title": found.subject,
            "conversation": found,
            "items": items,
            "last": items[-1] if items else None,
            "may_write": policy.can_write(request.user),
        },
    )


@require_GET
def receipts(request, pk: int):
    """Who read the author's message, and when (the author only)."""
    message = queries.message_sent_by(request.user, pk)
    if message is None:
        raise Http404(_("Seul l'auteur d'un message voit qui l'a lu."))
    page = page_of(request, queries.read_receipts(request.user, message))
    return render(
        request,
        "messaging/receipts.html",
        {"title": _("Lectures de « %(subject)s »") % {"subject": message.subject}, "message": message, "page": page},
    )


def report(request, pk: int):
    """A recipient reports a message to the school's direction."""
    delivery = queries.delivery_of(request.user, pk)
    if delivery is None or delivery.box != Box.INBOX:
        raise Http404(_("Ce message ne vous est pas accessible."))
    message = delivery.message
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_message(request.user, message, form.cleaned_data["reason"])
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Merci : votre signalement est transmis à la direction de l'école."))
            return redirect("messaging:conversation", pk=message.conversation_id)
    return render(
        request,
        "messaging/report.html",
        {"title": _("Signaler un message"), "message": message, "form": form},
    )


@require_GET
def attachment(request, pk: int):
    """Download an attachment of a message the person holds (checked, then served safely)."""
    found = queries.attachment_visible_to(request.user, pk)
    if found is None:
        raise Http404(_("Cette pièce jointe ne vous est pas accessible."))
    return serve(found.file, name=found.name, content_type=found.content_type, inline=False)


@require_POST
def remove_attachment(request, pk: int):
    found = queries.attachment_visible_to(request.user, pk)
    if found is None:
        raise Http404(_("Cette pièce jointe ne vous est pas accessible."))
    try:
        actions.remove_attachment(request.user, found)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('messaging:compose')}?brouillon={found.message_id}")


# --- Composer -----------------------------------------------------------------------------------


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _held(request, key: str) -> Message | None:
    """The message named by `key` in the query or form, if the person holds a copy of it."""
    message_id = _int(request.POST.get(key) or request.GET.get(key))
    if message_id is None:
        return None
    delivery = queries.delivery_of(request.user, message_id)
    if delivery is None or delivery.message.sent_at is None:
        raise Http404(_("Ce message ne vous est pas accessible."))
    return delivery.message


def _prefill(request) -> dict:
    """What the composer starts with: a draft, a reply, a reply to all, a forward or nothing."""
    user = request.user
    draft_id = _int(request.GET.get("brouillon"))
    if draft_id is not None:
        draft = queries.draft_of(user, draft_id)
        if draft is None:
            raise Http404(_("Ce brouillon n'existe pas."))
        return {
            "draft": draft,
            "subject": draft.subject,
            "body": draft.body,
            "people": draft.draft_recipients.get("people", []),
            "lists": draft.draft_recipients.get("lists", []),
            "reply_to": draft.reply_to,
            "forwarded_from": draft.forwarded_from,
        }
    for key, everyone in (("repondre", False), ("repondre-a-tous", True)):
        original = _held(request, key)
        if original is not None:
            return _reply_prefill(user, original, everyone)
    original = _held(request, "transferer")
    if original is not None:
        return {
            "subject": _prefixed(_("Tr :"), original.subject),
            "body": _forward_quote(original),
            "forwarded_from": original,
        }
    lists = request.GET.getlist("liste")
    class_id = _int(request.GET.get("classe"))
    if class_id is not None:
        lists.append(f"classe-parents:{class_id}")  # "write to my class's parents"
    return {"people": [i for i in (_int(v) for v in request.GET.getlist("a")) if i], "lists": lists}


def _prefixed(prefix: str, subject: str) -> str:
    return subject if subject.startswith(prefix) else f"{prefix} {subject}"[:200]


def _reply_prefill(user, original: Message, everyone: bool) -> dict:
    people, lists = [], []
    if original.author_id != user.pk:
        people.append(original.author_id)
    if everyone or original.author_id == user.pk:
        # The recipients everyone saw (never hidden families); those the rules keep from the
        # person are left out of the composer.
        people += [pk for pk in queries.shown_recipient_ids(original) if pk != user.pk]
        if original.author_id == user.pk:
            lists = [item["code"] for item in original.lists]
    return {
        "subject": _prefixed(_("Re :"), original.subject),
        "people": people,
        "lists": lists,
        "reply_to": original,
    }


def _forward_quote(original: Message) -> str:
    sent = formats.date_format(timezone.localtime(original.sent_at), "DATETIME_FORMAT")
    header = _("Message transféré — de %(author)s, le %(date)s, objet : %(subject)s") % {
        "author": original.author.full_name,
        "date": sent,
        "subject": original.subject,
    }
    return f"<p></p><p><em>{escape(header)}</em></p><blockquote>{original.body}</blockquote>"


def _composer_context(request, form, chosen_people, chosen_lists, *, search_text="", **extra) -> dict:
    user = request.user
    allowed = rules.allowed_recipients(user)
    chosen = list(writable_people(user, chosen_people, extra.get("reply_to")).values()) if chosen_people else []
    chosen_ids = {p.pk for p in chosen}
    if search_text:
        offered = queries.search_candidates(allowed, search_text, limit=30)
    else:
        offered = list(allowed[:41])
        if len(offered) > 40:
            offered = []
    candidates = chosen + [p for p in offered if p.pk not in chosen_ids]
    hours = queries.answering_hours_of(p.pk for p in candidates)
    suspension = rules.active_suspension(user)
    entries = [
        {"person": p, "checked": p.pk in chosen_ids, "hours": display.hours_label(hours[p.pk]) if p.pk in hours else ""}
        for p in candidates
    ]
    return {
        "title": _("Écrire un message"),
        "form": form,
        "candidates": entries,
        "hours_shown": any(entry["checked"] and entry["hours"] for entry in entries),
        "lists": [{"item": item, "checked": item.code in chosen_lists} for item in rules.lists_for(user)],
        "search_text": search_text,
        "searched": bool(search_text),
        "suspension": suspension,
        **_nav(request, ""),
        **extra,
    }


def compose(request):
    """Write, save as a draft, or send. Without JavaScript, "Chercher" finds more recipients."""
    _require_messaging(request)
    user = request.user
    may_urgent = bool(policy.directed_school_ids(user))
    form_options = {
        "may_send_urgent": may_urgent,
        "max_file_label": filesizeformat(settings.PREAU_MESSAGING_MAX_FILE_BYTES),
    }
    if request.method != "POST":
        start = _prefill(request)
        form = ComposeForm(initial={"subject": start.get("subject", ""), "body": start.get("body", "")}, **form_options)
        context = _composer_context(
            request,
            form,
            set(start.get("people", [])),
            set(start.get("lists", [])),
            draft=start.get("draft"),
            reply_to=start.get("reply_to"),
            forwarded_from=start.get("forwarded_from"),
        )
        return render(request, "messaging/compose.html", context)
    form = ComposeForm(request.POST, request.FILES, **form_options)
    draft = queries.draft_of(user, request.POST.get("brouillon")) if _int(request.POST.get("brouillon")) else None
    reply_to = draft.reply_to if draft else _held(request, "reponse_a")
    forwarded_from = draft.forwarded_from if draft else _held(request, "transfert_de")
    people = [i for i in (_int(v) for v in request.POST.getlist("people")) if i]
    lists = request.POST.getlist("lists")
    intent = request.POST.get("intent", "send")
    extra = {"draft": draft, "reply_to": reply_to, "forwarded_from": forwarded_from}
    if intent == "search" or not form.is_valid():
        search_text = request.POST.get("chercher", "").strip()[:100]
        context = _composer_context(request, form, set(people), set(lists), search_text=search_text, **extra)
        return render(request, "messaging/compose.html", context, status=200 if intent == "search" else 400)
    data = form.cleaned_data
    fields = {
        "subject": data["subject"],
        "body": data["body"],
        "people": people,
        "lists": lists,
        "files": data["files"],
        "draft": draft,
    }
    try:
        if intent == "draft":
            saved = actions.save_draft(user, reply_to=reply_to, forwarded_from=forwarded_from, **fields)
            messages.success(request, _("Brouillon enregistré."))
            return redirect(f"{reverse('messaging:compose')}?brouillon={saved.pk}")
        sent = actions.send_message(
            user, reply_to=reply_to, forwarded_from=forwarded_from, urgent=data.get("urgent", False), **fields
        )
    except DomainError as error:
        show_error(form, error)
        context = _composer_context(request, form, set(people), set(lists), **extra)
        return render(request, "messaging/compose.html", context, status=400)
    messages.success(
        request,
        ngettext("Message envoyé à %(n)d destinataire.", "Message envoyé à %(n)d destinataires.", sent.recipient_count)
        % {"n": sent.recipient_count},
    )
    return redirect(reverse("messaging:conversation", args=[sent.conversation_id]) + f"#message-{sent.pk}")


@require_POST
def autosave(request):
    """The composer's script saves the draft as one types (files aside): JSON answer."""
    _require_messaging(request)
    user = request.user
    draft_id = _int(request.POST.get("brouillon"))
    draft = queries.draft_of(user, draft_id) if draft_id else None
    if draft_id and draft is None:
        return JsonResponse({"erreur": _("Ce brouillon n'existe plus.")}, status=404)
    try:
        saved = actions.save_draft(
            user,
            draft=draft,
            subject=request.POST.get("subject", "")[:200],
            body=request.POST.get("body", "")[:50_000],
            people=[i for i in (_int(v) for v in request.POST.getlist("people")) if i],
            lists=request.POST.getlist("lists"),
            reply_to=None if draft else _held(request, "reponse_a"),
            forwarded_from=None if draft else _held(request, "transfert_de"),
        )
    except DomainError as error:
        return JsonResponse({"erreur": error.message}, status=400)
    saved_at = formats.time_format(timezone.localtime(saved.updated_at), "H:i")
    return JsonResponse({"brouillon": saved.pk, "message": _("Brouillon enregistré à %(time)s.") % {"time": saved_at}})


@require_GET
def recipient_search(request):
    """People the person may write to whose name matches `q` (for the composer's script)."""
    _require_messaging(request)
    found = queries.search_candidates(rules.allowed_recipients(request.user), request.GET.get("q", ""), limit=20)
    hours = queries.answering_hours_of(p.pk for p in found)
    return JsonResponse(
        {
            "personnes": [
                {
                    "id": person.pk,
                    "nom": person.full_name,
                    "horaires": display.hours_label(hours[person.pk]) if person.pk in hours else "",
                }
                for person in found
            ]
        }
    )
