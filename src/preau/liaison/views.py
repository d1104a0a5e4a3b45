"""The cahier de liaison's pages. Thin: parse, call queries and actions, render.

Families: a child's notebook (`?enfant=<id>`, the portal's switcher) and a note in it, where
they sign, answer and reply. Staff: the notes they sent or follow, a note's signatures child
by child, one child's exchange, the form to write a note.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core import audit
from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.core.pagination import page_of
from preau.directory.queries import access_of, guardians_of_pupils

from . import actions, policy, queries
from .forms import NoteForm, RecipientsForm, ReplyForm

NOTES_PER_PAGE = 20
CHILDREN_PER_PAGE = 50


def refused(request, message: str, status: int = 403):
    """A refusal the person caused (a forged id, a page not theirs), said in French."""
    return render(request, "liaison/refused.html", {"title": _("Accès refusé"), "message": message}, status=status)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _note_url(note_id: int, child_id: int | None = None) -> str:
    url = reverse("liaison:note", args=[note_id])
    return f"{url}?enfant={child_id}" if child_id else url


# --- Families and pupils ---------------------------------------------------------------------


@require_GET
def notebook(request):
    children = queries.notebook_children(request.user)
    if not children:
        if policy.can_write_somewhere(request.user):
            return redirect("liaison:sent")
        return refused(request, _("Le cahier de liaison relie les familles et l'école : vous n'en avez pas."))
    child = queries.notebook_child(request.user, request.GET.get("enfant"))
    if child is None:
        return refused(request, _("Cet enfant ne fait pas partie de vos enfants."))
    counts = queries.notebook_counts(request.user, [c.pk for c in children]) if len(children) > 1 else {}
    classes = next((c.classes for c in access_of(request.user).children if c.person.pk == child.pk), None)
    if classes is None:
        classes = access_of(request.user).own_classes
    page = page_of(request, queries.notebook_of(request.user, child.pk), per_page=NOTES_PER_PAGE)
    return render(
        request,
        "liaison/notebook.html",
        {
            "title": _("Cahier de liaison de %(name)s") % {"name": child.first_name},
            "child": child,
            "is_own": child.pk == request.user.pk,
            "classes": classes,
            "switcher": [(c, counts.get(c.pk, {})) for c in children] if len(children) > 1 else [],
            "page": page,
            "can_write": policy.can_write_somewhere(request.user),
        },
    )


@require_GET
def note(request, note_id: int):
    rows = list(
        queries.own_recipients_of(request.user, note_id).select_related("note", "acknowledgement", "answered_by")
    )
    if not rows:
        if queries.note_followed_by(request.user, note_id) is not None:
            return redirect("liaison:tracking", note_id)
        raise Http404
    wanted = request.GET.get("enfant")
    recipient = rows[0] if wanted is None else next((r for r in rows if str(r.pupil_id) == wanted), None)
    if recipient is None:
        return refused(request, _("Ce mot ne s'adresse pas à cet enfant, ou cet enfant n'est pas le vôtre."))
    the_note = recipient.note
    actions.mark_note_read(request.user, recipient)
    is_guardian = policy.is_guardian_of(request.user, recipient.pupil_id)
    return render(
        request,
        "liaison/note.html",
        {
            "title": the_note.title,
            "parent_url": f"{reverse('liaison:notebook')}?enfant={recipient.pupil_id}",
            "parent_label": _("Mon cahier de liaison")
            if recipient.pupil_id == request.user.pk
            else _("Cahier de liaison de %(name)s") % {"name": recipient.pupil.first_name},
            "note": the_note,
            "recipient": recipient,
            "child": recipient.pupil,
            "siblings": rows if len(rows) > 1 else [],
            "acknowledgement": getattr(recipient, "acknowledgement", None),
            "is_guardian": is_guardian,
            "can_sign": policy.can_sign(request.user, the_note, recipient),
            "can_answer": policy.can_answer(request.user, the_note, recipient),
            "can_reply": is_guardian and policy.can_reply(request.user, the_note, recipient),
            "replies": list(queries.replies_of(the_note, recipient.pupil_id)) if is_guardian else [],
            "reply_form": ReplyForm(),
        },
    )


def _family_post(request, note_id: int, act):
    """Run `act(note, child_id)` for a guardian; a refusal is shown in French, nothing changes."""
    child_id = _int(request.POST.get("enfant"))
    recipient = queries.recipient_in_notebook(request.user, note_id, child_id) if child_id else None
    if recipient is None:
        return refused(request, _("Ce mot ne s'adresse pas à cet enfant, ou cet enfant n'est pas le vôtre."))
    try:
        message = act(recipient.note, child_id)
    except NotAllowed as error:
        return refused(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect(_note_url(note_id, child_id))


@require_POST
def sign(request, note_id: int):
    def act(the_note, child_id):
        answer = request.POST.get("answer") if the_note.has_form and "answer" in request.POST else None
        actions.sign_note(request.user, the_note, pupil_id=child_id, answer=answer)
        return _("Merci, votre signature est enregistrée.")

    return _family_post(request, note_id, act)


@require_POST
def answer(request, note_id: int):
    def act(the_note, child_id):
        actions.answer_note(request.user, the_note, pupil_id=child_id, answer=request.POST.get("answer", ""))
        return _("Votre réponse est enregistrée.")

    return _family_post(request, note_id, act)


@require_POST
def reply(request, note_id: int):
    def act(the_note, child_id):
        actions.reply_to_note(request.user, the_note, pupil_id=child_id, body=request.POST.get("body", ""))
        return _("Votre message est envoyé.")

    return _family_post(request, note_id, act)


# --- Staff -----------------------------------------------------------------------------------


@require_GET
def sent(request):
    if not policy.can_write_somewhere(request.user):
        return refused(request, _("Seuls les enseignants, la direction et la commune écrivent aux familles."))
    page = page_of(request, queries.notes_followed_by(request.user), per_page=NOTES_PER_PAGE)
    return render(
        request,
        "liaison/sent.html",
        {
            "title": _("Mots aux familles"),
            "page": page,
            "can_write": policy.can_write_somewhere(request.user),
            "has_children": bool(queries.notebook_children(request.user)),
        },
    )


def create(request):
    targets = queries.writing_targets(request.user)
    pupils = list(queries.pupils_writable_by(request.user))
    if not targets and not pupils:
        return refused(request, _("Vous n'écrivez aux familles d'aucune classe, école ou commune."))
    recipients_form = RecipientsForm(request.POST or None, targets=targets, pupils=pupils)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and recipients_form.is_valid() and form.is_valid():
        data = form.cleaned_data
        try:
            created = actions.publish_note(
                request.user,
                target_keys=recipients_form.cleaned_data["targets"],
                pupil_ids=recipients_form.cleaned_data.get("pupils", []),
                **data,
            )
        except DomainError as error:
            if error.field == "targets":
                recipients_form.add_error(None, error.message)
            else:
                show_error(form, error)
        else:
            messages.success(request, _("Le mot est envoyé aux familles."))
            return redirect("liaison:tracking", created.pk)
    return render(
        request,
        "liaison/create.html",
        {
            "title": _("Écrire un mot aux familles"),
            "recipients_form": recipients_form,
            "form": form,
            "school_targets": [t for t in targets if t.origin == "ecole"],
            "commune_targets": [t for t in targets if t.origin == "commune"],
        },
    )


def _followed_or_404(request, note_id: int):
    found = queries.note_followed_by(request.user, note_id)
    if found is None:
        raise Http404
    return found


@require_GET
def tracking(request, note_id: int):
    the_note = _followed_or_404(request, note_id)
    state = request.GET.get("etat", "tous")
    if state not in queries.STATES:
        state = "tous"
    page = page_of(
        request, queries.recipients_followed(request.user, the_note, state=state), per_page=CHILDREN_PER_PAGE
    )
    audit.record(
        request.user, "liaison.signatures_viewed", target=the_note, school_id=the_note.school_id, people=len(page)
    )
    summary = queries.summary_of(request.user, the_note)
    reminders = queries.latest_reminders(the_note)
    next_reminder = None
    if the_note.last_reminded_at:
        next_reminder = the_note.last_reminded_at + datetime.timedelta(hours=settings.PREAU_LIAISON_REMINDER_HOURS)
    return render(
        request,
        "liaison/tracking.html",
        {
            "title": the_note.title,
            "note": the_note,
            "page": page,
            "state": state,
            "summary": summary,
            "pending": summary["total"] - summary["signed"],
            "reminders": reminders,
            "can_remind": policy.can_remind(request.user, the_note),
            "reminder_waits": next_reminder is not None and next_reminder > timezone.now(),
            "next_reminder": next_reminder,
        },
    )


@require_POST
def remind(request, note_id: int):
    the_note = _followed_or_404(request, note_id)
    try:
        reminder = actions.remind_families(request.user, the_note)
    except NotAllowed as error:
        return refused(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Rappel envoyé aux familles de %(n)d enfant(s) qui n'ont pas signé.") % {"n": reminder.children},
        )
    return redirect("liaison:tracking", note_id)


def child(request, note_id: int, pupil_id: int):
    """One child's line of a note, for the staff who follow it: signature, answer, exchange."""
    the_note = _followed_or_404(request, note_id)
    recipient = queries.recipient_followed_by(request.user, the_note, pupil_id)
    if recipient is None:
        raise Http404
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reply_to_note(request.user, the_note, pupil_id=pupil_id, body=form.cleaned_data["body"])
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Votre message est envoyé à la famille."))
            return redirect("liaison:child", note_id, pupil_id)
    guardians = guardians_of_pupils([pupil_id]).order_by("guardian__last_name")
    audit.record(
        request.user, "liaison.family_viewed", target=the_note, subject=recipient.pupil, school_id=the_note.school_id
    )
    return render(
        request,
        "liaison/child.html",
        {
            "title": recipient.pupil.full_name,
            "note": the_note,
            "recipient": recipient,
            "acknowledgement": getattr(recipient, "acknowledgement", None),
            "guardians": list(guardians),
            "replies": list(queries.replies_of(the_note, pupil_id)),
            "form": form,
        },
    )
