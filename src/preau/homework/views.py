"""Pages to read the cahier de textes: what to do, a class's book, a séance, a work, the history.

The writing pages are in `editing.py`, the exports in `exports.py`. Views parse, call the
queries and actions, render; a class or item out of the person's scope is a 404.
"""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core import audit
from preau.core.errors import DomainError
from preau.core.files import serve
from preau.core.pagination import page_of
from preau.core.redirects import next_url
from preau.directory.queries import access_of

from . import actions, policy, queries
from .forms import HistoryForm
from .models import Entry, Work
from .publication import due_label


def class_or_404(request, class_id: int):
    school_class = queries.class_for(request.user, class_id)
    if school_class is None:
        raise Http404(_("Cette classe n'existe pas ou son cahier de textes ne vous est pas ouvert."))
    return school_class


def whose_todo(request):
    """The pupil whose work is shown and their class: oneself, or a child (`?enfant=<id>`).

    Returns (pupil, class, children, selected child); a forged `enfant` is a 404.
    """
    access = access_of(request.user)
    wanted = request.GET.get("enfant") or request.POST.get("enfant")
    if access.own_classes and not wanted:
        return request.user, access.own_classes[0], [], None
    children = access.children
    if wanted:
        child = next((c for c in children if str(c.person.pk) == wanted), None)
        if child is None:
            raise Http404(_("Cet enfant ne fait pas partie de vos enfants."))
    else:
        child = children[0] if children else None
    if child is None:
        return None, None, [], None
    return child.person, (child.classes[0] if child.classes else None), children, child


@require_GET
def index(request):
    """Pupils and parents go to what is to do; teachers, directors and inspectors see their classes."""
    access = access_of(request.user)
    written = list(queries.classes_written_by(request.user))
    inspected = policy.inspected_circonscription_ids(access)
    if not written and not inspected and (access.own_classes or access.children):
        return redirect("homework:todo")
    read = page_of(request, queries.classes_read_by(request.user).exclude(pk__in=[c.pk for c in written]), per_page=30)
    return render(
        request,
        "homework/index.html",
        {"title": _("Cahier de textes"), "written": written, "read": read, "access": access},
    )


@require_GET
def todo(request):
    """ "À faire": the pupil's (or the chosen child's) work for the next school day, the week, later."""
    pupil, school_class, children, selected = whose_todo(request)
    if pupil is None:
        raise Http404(_("Aucun élève à suivre."))
    is_self = pupil.pk == request.user.pk
    context = {
        "title": _("Mes devoirs") if is_self else _("Les devoirs de %(name)s") % {"name": pupil.first_name},
        "pupil": pupil,
        "is_self": is_self,
        "school_class": school_class,
        "children": children if len(children) > 1 else [],
        "selected": selected,
    }
    if school_class is not None:
        context["todo"] = queries.todo_of(pupil, school_class)
        context["next_day_label"] = due_label(context["todo"].next_day)
        context["track_done"] = queries.tracks_done(school_class)
    return render(request, "homework/todo.html", context)


@require_GET
def class_page(request, class_id: int):
    """A class's cahier de textes: upcoming work, the latest séances; for its writers, the
    drafts and scheduled items and the tools."""
    school_class = class_or_404(request, class_id)
    can_write = policy.can_write_class(request.user, school_class)
    upcoming = queries.works_visible_to(request.user, school_class, start=timezone.localdate())
    entries = page_of(request, queries.entries_visible_to(request.user, school_class), per_page=20)
    context = {
        "title": _("Cahier de textes — %(name)s") % {"name": school_class.name},
        "school_class": school_class,
        "can_write": can_write,
        "upcoming": list(queries.published(upcoming)[:30]),
        "entries": entries,
    }
    if can_write:  # what pupils and families do not see yet
        context["pending_entries"] = list(queries.pending(queries.entries_visible_to(request.user, school_class))[:30])
        context["pending_works"] = list(queries.pending(queries.works_visible_to(request.user, school_class))[:30])
        context["track_done"] = queries.tracks_done(school_class)
    return render(request, "homework/class.html", context)


def _item_or_404(request, model, pk: int):
    item = queries.item_for(request.user, model, pk)
    if item is None:
        raise Http404(_("Cet élément du cahier de textes n'existe pas ou ne vous est pas ouvert."))
    return item


@require_GET
def entry(request, pk: int):
    """A séance, with the works given during it."""
    item = _item_or_404(request, Entry, pk)
    return render(
        request,
        "homework/entry.html",
        {
            "title": item.title,
            "item": item,
            "school_class": item.school_class,
            "can_write": policy.can_write_class(request.user, item.school_class),
            "works": queries.works_given_in(request.user, item),
        },
    )


@require_GET
def work(request, pk: int):
    """A work to do; its pupil (or their guardian) marks it done when the class tracks it."""
    item = _item_or_404(request, Work, pk)
    school_class = item.school_class
    can_write = policy.can_write_class(request.user, school_class)
    track_done = queries.tracks_done(school_class)
    markable = []
    if track_done and item.is_visible():
        candidates = [request.user] if policy.is_pupil_of(request.user, school_class) else []
        candidates += policy.children_in(request.user, school_class)
        done_ids = queries.done_by(item, candidates)
        markable = [(p, p.pk in done_ids, p.pk != request.user.pk) for p in candidates]
    return render(
        request,
        "homework/work.html",
        {
            "title": item.title,
            "item": item,
            "school_class": school_class,
            "can_write": can_write,
            "track_done": track_done,
            "markable": markable,
        },
    )


@require_GET
def attachment(request, pk: int):
    """A file of a séance or work, for those who read it; never from a public URL."""
    found = queries.attachment_for(request.user, pk)
    if found is None:
        raise Http404(_("Ce fichier n'existe pas ou ne vous est pas ouvert."))
    owner = found.entry or found.work
    audit.record(request.user, "homework.attachment_downloaded", target=found, school_id=owner.school_id)
    inline = found.content_type == "application/pdf" or found.content_type.startswith("image/")
    return serve(found.file, name=found.name, content_type=found.content_type, inline=inline)


@require_POST
def mark_done(request, pk: int):
    """Tick (or untick) a work done, for oneself or for one's child (`enfant`)."""
    item = _item_or_404(request, Work, pk)
    pupil = request.user
    wanted = request.POST.get("enfant")
    if wanted:
        pupil = next((c for c in policy.children_in(request.user, item.school_class) if str(c.pk) == wanted), None)
        if pupil is None:
            raise Http404(_("Cet enfant ne fait pas partie de vos enfants."))
    done = request.POST.get("fait") == "1"
    try:
        actions.mark_done(request.user, item, pupil=pupil, done=done)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("C'est noté : travail fait !") if done else _("C'est noté : travail pas encore fait.")
        )
    return redirect(next_url(request, reverse("homework:work", args=[item.pk])))


def history_of(request, school_class):
    """The séances and works of the chosen period and subject (shared by the page and exports)."""
    form = HistoryForm(
        request.GET or None, levels=school_class.levels, initial={"periode": "semaine", "jour": timezone.localdate()}
    )
    kind, start, end, subject = form.period(school_class.year)
    entries = queries.entries_visible_to(request.user, school_class, start=start, end=end, subject=subject)
    works = queries.works_visible_to(request.user, school_class, start=start, end=end, subject=subject)
    return form, kind, start, end, subject, list(entries.order_by("date", "subject", "id")), list(works)


def _neighbour(kind: str, start: datetime.date, end: datetime.date, forward: bool) -> datetime.date:
    if kind == "mois":
        return end + datetime.timedelta(days=1) if forward else start - datetime.timedelta(days=1)
    return start + datetime.timedelta(days=7 if forward else -7)


@require_GET
def history(request, class_id: int):
    """The year's cahier de textes by week, month or whole year, by subject; printable on A4."""
    school_class = class_or_404(request, class_id)
    form, kind, start, end, subject, entries, works = history_of(request, school_class)
    query = request.GET.copy()
    links = {}
    if kind != "annee":
        for name, forward in (("previous", False), ("next", True)):
            query["jour"] = _neighbour(kind, start, end, forward).isoformat()
            query["periode"] = kind
            links[name] = f"?{query.urlencode()}"
    return render(
        request,
        "homework/history.html",
        {
            "title": _("Historique — %(name)s") % {"name": school_class.name},
            "school_class": school_class,
            "can_write": policy.can_write_class(request.user, school_class),
            "form": form,
            "kind": kind,
            "start": start,
            "end": end,
            "rows": sorted(
                [(e.date, 0, e) for e in entries] + [(w.due_date, 1, w) for w in works],
                key=lambda row: (row[0], row[1], row[2].subject, row[2].pk),
            ),
            "links": links,
            "export_query": request.GET.urlencode(),
        },
    )
