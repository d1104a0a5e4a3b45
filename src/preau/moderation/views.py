"""The publication director's queue, the report form and the screen's word lists. Thin views."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from preau.core import moderation
from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.core.pagination import page_of
from preau.directory.models import Academie
from preau.directory.queries import access_of

from . import actions, policy, queries
from .forms import DecisionForm, ReportForm, WordListForm
from .models import Decision, QueueItem, WordList

VIEWS = {
    "attente": (_("À valider"), queries.pending_for),
    "signalements": (_("Signalements"), queries.reported_for),
    "recents": (_("Publiés récemment"), queries.recent_for),
}


@require_GET
def queue(request):
    if not policy.can_open_queue(request.user):
        raise NotAllowed(_("La modération revient aux directeurs de la publication et aux enseignants."))
    current = request.GET.get("vue", "attente")
    if current not in VIEWS:
        raise Http404
    label, query = VIEWS[current]
    page = page_of(request, query(request.user), per_page=30)
    tabs = [{"code": code, "label": tab_label, "current": code == current} for code, (tab_label, _q) in VIEWS.items()]
    return render(
        request, "moderation/queue.html", {"title": _("Modération"), "page": page, "tabs": tabs, "current_label": label}
    )


def _item_or_404(request, item_id: int) -> QueueItem:
    item = get_object_or_404(QueueItem.objects.select_related("author", "school", "commune"), pk=item_id)
    decider_ids = set(item.deciders.values_list("pk", flat=True))
    if not (policy.is_publication_director(request.user, item) or request.user.pk in decider_ids):
        raise Http404
    item.decider_ids = decider_ids
    return item


def item_detail(request, item_id: int):
    item = _item_or_404(request, item_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide(request.user, item, form.cleaned_data["verb"], reason=form.cleaned_data["reason"])
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Votre décision est enregistrée et l'auteur en est informé."))
            return redirect("moderation:item", item.pk)
    verbs = [
        (verb, Decision.Verb(verb).label)
        for verb, (allowed_from, _state, _f) in actions.TRANSITIONS.items()
        if item.state in allowed_from and policy.can_decide(request.user, item, verb, decider_ids=item.decider_ids)
    ]
    if not item.open_reports:
        verbs = [(verb, label) for verb, label in verbs if verb != Decision.Verb.DISMISS]
    return render(
        request,
        "moderation/item.html",
        {
            "title": item.title,
            "item": item,
            "form": form,
            "verbs": verbs,
            "reports": list(item.reports.select_related("reporter")[:50]),
            "decisions": list(item.decisions.select_related("actor")[:50]),
            "kind": moderation.kind(item.kind),
        },
    )


def report(request, kind: str, object_id: int):
    if not policy.can_report(request.user, kind, object_id):
        raise Http404
    described = moderation.kind(kind).describe(object_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_content(request.user, kind, object_id, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request, _("Merci : votre signalement est transmis au directeur de la publication, qui va l'examiner.")
            )
            return redirect(described.url)
    return render(
        request, "moderation/report.html", {"title": _("Signaler un contenu"), "form": form, "described": described}
    )


def word_lists(request):
    academies = list(Academie.objects.filter(id__in=access_of(request.user).academie_ids).order_by("name"))
    if not academies:
        raise NotAllowed(_("Les listes du filtre sont tenues par les administrateurs de l'académie."))
    academie = next((a for a in academies if str(a.pk) == request.GET.get("academie")), academies[0])
    existing = {w.category: w.words for w in WordList.objects.filter(academie=academie)}
    forms = [
        WordListForm(
            request.POST if request.method == "POST" else None,
            category=category,
            initial={"words": existing.get(category, "")},
        )
        for category in WordList.Category.values
    ]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        for form in forms:
            actions.save_word_list(request.user, academie, form.prefix, form.cleaned_data["words"])
        messages.success(request, _("Les listes du filtre sont enregistrées."))
        return redirect(f"{request.path}?academie={academie.pk}")
    return render(
        request,
        "moderation/word_lists.html",
        {"title": _("Filtre automatique"), "forms": forms, "academie": academie, "academies": academies},
    )
