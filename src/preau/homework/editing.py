"""Pages to write the cahier de textes: séances, works, copies, the class's settings and the
follow-up of work done. Only a class's writers reach them (others get a 403 or a 404)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.core.pagination import page_of

from . import actions, policy, queries
from .forms import CopyWeekForm, EntryForm, SettingsForm, WorkForm
from .models import Entry, Work
from .publication import item_url
from .views import class_or_404


def _writable_class_or_403(request, class_id: int):
    school_class = class_or_404(request, class_id)
    if not policy.can_write_class(request.user, school_class):
        raise NotAllowed(_("Seuls les enseignants de la classe et la direction écrivent dans ce cahier de textes."))
    return school_class


def _writable_item_or_404(request, model, pk: int):
    item = queries.item_for(request.user, model, pk)
    if item is None:
        raise Http404(_("Cet élément du cahier de textes n'existe pas ou ne vous est pas ouvert."))
    if not policy.can_write_class(request.user, item.school_class):
        raise NotAllowed(_("Seuls les enseignants de la classe et la direction écrivent dans ce cahier de textes."))
    return item


def _chosen_classes(form, classes) -> list:
    wanted = set(form.cleaned_data["classes"])
    return [c for c in classes if str(c.pk) in wanted]


def _initial(request, classes) -> dict:
    """Today's date, the next school day, and the class named by `?classe=` (or the only one)."""
    today = timezone.localdate()
    wanted = request.GET.get("classe", "") if len(classes) > 1 else str(classes[0].pk)
    return {
        "classes": [wanted] if any(str(c.pk) == wanted for c in classes) else [],
        "date": today,
        "assigned_on": today,
        "due_date": queries.next_school_day(today),
    }


def _content_of(form) -> dict:
    data = form.cleaned_data
    return {
        "subject": data["subject"],
        "title": data["title"],
        "body": data["body"],
        "links": actions.clean_links(data["links"].splitlines()),
        "files": data["files"],
        "publish_at": data["publish_at_value"],
    }


def _render_form(request, form, *, title, item=None):
    return render(
        request,
        "homework/form.html",
        {
            "title": title,
            "form": form,
            "item": item,
            "school_class": getattr(item, "school_class", None),
        },
    )


def _saved_message(request, item) -> None:
    if item.is_draft:
        messages.success(request, _("Enregistré en brouillon : les élèves et les familles ne le voient pas."))
    elif item.is_scheduled:
        messages.success(request, _("Publication programmée."))
    else:
        messages.success(request, _("Publié."))


def _save(request, form, write, *, title: str, item=None):
    """On a valid POST, `write(**dates, **content)` and go to the item it returns; the form
    otherwise, with the refusal on its field."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = write(**form.dates(), **_content_of(form))
        except DomainError as error:
            show_error(form, error)
        else:
            _saved_message(request, saved)
            return redirect(item_url(saved))
    return _render_form(request, form, title=title, item=item)


def _classes_written(request) -> list:
    classes = list(queries.classes_written_by(request.user))
    if not classes:
        raise NotAllowed(_("Vous n'écrivez dans aucun cahier de textes."))
    return classes


@require_http_methods(["GET", "POST"])
def entry_create(request):
    """A new séance, for one or several of the classes the person writes."""
    classes = _classes_written(request)
    form = EntryForm(request.POST or None, request.FILES or None, classes=classes, initial=_initial(request, classes))

    def create(**fields):
        return actions.create_entry(request.user, school_classes=_chosen_classes(form, classes), **fields)[0]

    return _save(request, form, create, title=_("Nouvelle séance"))


@require_http_methods(["GET", "POST"])
def work_create(request):
    """A new work to do, for one or several classes; `?seance=<id>` ties it to a séance."""
    classes = _classes_written(request)
    session = None
    if request.GET.get("seance", "").isdigit():
        session = queries.item_for(request.user, Entry, int(request.GET["seance"]))
    initial = _initial(request, classes)
    if session is not None:
        initial.update(classes=[str(session.school_class_id)], assigned_on=session.date, subject=session.subject)
    form = WorkForm(request.POST or None, request.FILES or None, classes=classes, initial=initial)

    def create(**fields):
        chosen = _chosen_classes(form, classes)
        return actions.create_work(request.user, school_classes=chosen, entry=session, **fields)[0]

    return _save(request, form, create, title=_("Nouveau travail à faire"))


def _edit(request, model, pk: int, *, form_class, update, title: str):
    item = _writable_item_or_404(request, model, pk)
    form = form_class(request.POST or None, request.FILES or None, item=item)

    def save(**fields):
        removed = [int(value) for value in form.cleaned_data.get("remove_attachments", [])]
        return update(request.user, item, remove_attachment_ids=removed, **fields)

    return _save(request, form, save, title=title, item=item)


@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    return _edit(request, Entry, pk, form_class=EntryForm, update=actions.update_entry, title=_("Modifier la séance"))


@require_http_methods(["GET", "POST"])
def work_edit(request, pk: int):
    return _edit(
        request, Work, pk, form_class=WorkForm, update=actions.update_work, title=_("Modifier le travail à faire")
    )


def _delete(request, model, pk: int):
    item = _writable_item_or_404(request, model, pk)
    if request.method == "POST":
        class_id = item.school_class_id
        actions.delete_item(request.user, item)
        messages.success(request, _("Supprimé du cahier de textes."))
        return redirect("homework:class", class_id)
    return render(
        request,
        "homework/delete.html",
        {
            "title": _("Supprimer « %(title)s »") % {"title": item.title},
            "item": item,
            "school_class": item.school_class,
        },
    )


@require_http_methods(["GET", "POST"])
def entry_delete(request, pk: int):
    return _delete(request, Entry, pk)


@require_http_methods(["GET", "POST"])
def work_delete(request, pk: int):
    return _delete(request, Work, pk)


@require_http_methods(["GET", "POST"])
def copy_week(request, class_id: int):
    """Copy a week of this class to another class (or another week) the person writes."""
    source = _writable_class_or_403(request, class_id)
    classes = list(queries.classes_written_by(request.user))
    form = CopyWeekForm(request.POST or None, classes=classes, initial={"target": str(source.pk)})
    if request.method == "POST" and form.is_valid():
        target = next(c for c in classes if str(c.pk) == form.cleaned_data["target"])
        try:
            entries, works = actions.copy_week(
                request.user,
                source=source,
                target=target,
                week_of=form.cleaned_data["week_of"],
                target_week_of=form.cleaned_data["target_week_of"],
                as_drafts=form.cleaned_data["as_drafts"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Copié vers %(name)s : %(entries)s séance(s) et %(works)s travail(s).")
                % {"name": target.name, "entries": entries, "works": works},
            )
            return redirect("homework:class", target.pk)
    return render(
        request,
        "homework/copy_week.html",
        {"title": _("Copier une semaine"), "form": form, "school_class": source},
    )


@require_http_methods(["GET", "POST"])
def class_settings(request, class_id: int):
    """The class's choices: whether pupils tell which work they did."""
    school_class = _writable_class_or_403(request, class_id)
    form = SettingsForm(request.POST or None, initial={"track_done": queries.tracks_done(school_class)})
    if request.method == "POST" and form.is_valid():
        actions.set_track_done(request.user, school_class, track_done=form.cleaned_data["track_done"])
        messages.success(request, _("Réglages enregistrés."))
        return redirect("homework:class", school_class.pk)
    return render(
        request,
        "homework/settings.html",
        {"title": _("Réglages du cahier de textes"), "form": form, "school_class": school_class},
    )


@require_http_methods(["GET"])
def done_tracking(request, class_id: int):
    """The class's works, each with how many pupils marked it done."""
    school_class = _writable_class_or_403(request, class_id)
    page = page_of(request, queries.done_overview(request.user, school_class), per_page=20)
    return render(
        request,
        "homework/done_tracking.html",
        {
            "title": _("Suivi du travail fait — %(name)s") % {"name": school_class.name},
            "school_class": school_class,
            "page": page,
            "pupil_count": school_class.enrolments.count(),
            "track_done": queries.tracks_done(school_class),
        },
    )


@require_http_methods(["GET"])
def work_done(request, pk: int):
    """Which pupils marked one work done."""
    item = _writable_item_or_404(request, Work, pk)
    rows = queries.pupils_with_done(item)
    return render(
        request,
        "homework/work_done.html",
        {
            "title": _("Qui a fait « %(title)s »") % {"title": item.title},
            "item": item,
            "school_class": item.school_class,
            "rows": rows,
            "done_count": sum(1 for _pupil, mark in rows if mark),
        },
    )
