"""Actualités and the commune's pages. Thin views: parse, call actions and queries, render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.core.pagination import page_of
from preau.directory.models import Commune

from . import actions, policy, queries
from .forms import CommunePageForm, NewsForm, WithdrawForm
from .models import CommunePage, NewsItem

NEWS_PER_PAGE = 20


@require_GET
def news_list(request):
    page = page_of(request, queries.news_visible_to(request.user), per_page=NEWS_PER_PAGE)
    return render(
        request,
        "news/list.html",
        {
            "title": _("Actualités"),
            "page": page,
            "can_publish": policy.can_publish_somewhere(request.user),
            "communes": queries.communes_with_pages_for(request.user),
        },
    )


def _item_or_404(request, item_id: int) -> NewsItem:
    item = get_object_or_404(NewsItem.objects.select_related("author", "withdrawn_by"), pk=item_id)
    manager = policy.can_manage(request.user, item)
    if item.author_id == request.user.pk or manager:
        return item
    if not item.is_live() or not policy.can_read(request.user, item):
        raise Http404
    return item


@require_GET
def news_detail(request, item_id: int):
    item = _item_or_404(request, item_id)
    return render(
        request,
        "news/detail.html",
        {
            "title": item.title,
            "item": item,
            "can_manage": policy.can_manage(request.user, item),
            "can_restore": item.withdrawn_at is not None and policy.is_publication_director(request.user, item),
            "now": timezone.now(),
        },
    )


def news_create(request):
    targets = queries.publication_targets(request.user)
    if not targets:
        raise NotAllowed(_("Vous ne publiez d'actualités pour aucune école, classe ou commune."))
    form = NewsForm(request.POST or None, targets=targets, initial={"publish_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = actions.publish_news(
                request.user,
                target_key=data["target"],
                audience=data["audience"],
                title=data["title"],
                body=data["body"],
                publish_at=data["publish_at"],
                expires_at=data["expires_at"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            if item.publish_at > timezone.now():
                messages.success(request, _("L'actualité paraîtra à la date prévue."))
            else:
                messages.success(request, _("L'actualité est publiée."))
            return redirect("news:detail", item.pk)
    return render(request, "news/form.html", {"title": _("Publier une actualité"), "form": form})


def news_edit(request, item_id: int):
    item = _item_or_404(request, item_id)
    if not policy.can_manage(request.user, item):
        raise NotAllowed(_("Vous ne pouvez pas modifier cette actualité."))
    initial = {
        "audience": item.audience,
        "title": item.title,
        "body": item.body,
        "publish_at": timezone.localtime(item.publish_at),
        "expires_at": timezone.localtime(item.expires_at) if item.expires_at else None,
    }
    form = NewsForm(request.POST or None, initial=initial, editing=True)
    form.fields["audience"].choices = [(a.value, a.label) for a in policy.AUDIENCES[item.scope]]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_news(request.user, item, **{k: data[k] for k in initial})
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("L'actualité est modifiée."))
            return redirect("news:detail", item.pk)
    return render(request, "news/form.html", {"title": _("Modifier l'actualité"), "form": form, "item": item})


def news_withdraw(request, item_id: int):
    item = _item_or_404(request, item_id)
    if not policy.can_manage(request.user, item):
        raise NotAllowed(_("Vous ne pouvez pas retirer cette actualité."))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw_news(request.user, item, reason=form.cleaned_data["reason"])
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("L'actualité est retirée des portails."))
            return redirect("news:detail", item.pk)
    return render(request, "news/withdraw.html", {"title": _("Retirer l'actualité"), "form": form, "item": item})


@require_POST
def news_restore(request, item_id: int):
    item = _item_or_404(request, item_id)
    try:
        actions.restore_news(request.user, item)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("L'actualité est de nouveau en ligne."))
    return redirect("news:detail", item.pk)


@require_GET
def news_manage(request):
    if not policy.can_publish_somewhere(request.user):
        raise NotAllowed(_("Vous ne publiez d'actualités pour aucune école, classe ou commune."))
    page = page_of(request, queries.news_managed_by(request.user), per_page=NEWS_PER_PAGE)
    return render(
        request,
        "news/manage.html",
        {"title": _("Mes publications"), "page": page, "now": timezone.now()},
    )


# --- The commune's pages ----------------------------------------------------------------------


def _commune_or_404(request, commune_id: int) -> Commune:
    commune = get_object_or_404(Commune, pk=commune_id)
    if not (
        policy.can_read_commune_pages(request.user, commune) or policy.can_edit_commune_pages(request.user, commune)
    ):
        raise Http404
    return commune


@require_GET
def communes(request):
    found = list(queries.communes_with_pages_for(request.user))
    if len(found) == 1:
        return redirect("news:commune", found[0].pk)
    return render(request, "news/communes.html", {"title": _("Pages des communes"), "communes": found})


@require_GET
def commune(request, commune_id: int, slug: str | None = None):
    commune = _commune_or_404(request, commune_id)
    can_edit = policy.can_edit_commune_pages(request.user, commune)
    pages = list(queries.pages_of(commune, include_drafts=can_edit))
    if slug is None:
        current = pages[0] if pages else None
    else:
        current = next((page for page in pages if page.slug == slug), None)
        if current is None:
            raise Http404
    return render(
        request,
        "news/commune.html",
        {
            "title": current.title if current else _("Commune de %(name)s") % {"name": commune.name},
            "commune": commune,
            "pages": pages,
            "current": current,
            "can_edit": can_edit,
        },
    )


def commune_page_edit(request, commune_id: int, slug: str | None = None):
    commune = _commune_or_404(request, commune_id)
    if not policy.can_edit_commune_pages(request.user, commune):
        raise NotAllowed(_("Seuls le référent et les contributeurs de la commune modifient ses pages."))
    page = get_object_or_404(CommunePage, commune=commune, slug=slug) if slug else None
    initial = (
        {"title": page.title, "body": page.body, "order": page.order, "is_published": page.is_published}
        if page
        else None
    )
    form = CommunePageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_commune_page(request.user, commune, page=page, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("La page est enregistrée."))
            return redirect("news:commune_page", commune.pk, saved.slug)
    title = _("Modifier la page") if page else _("Nouvelle page")
    return render(request, "news/page_form.html", {"title": title, "form": form, "commune": commune, "page": page})


@require_POST
def commune_page_delete(request, commune_id: int, slug: str):
    commune = _commune_or_404(request, commune_id)
    page = get_object_or_404(CommunePage, commune=commune, slug=slug)
    try:
        actions.delete_commune_page(request.user, page)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La page est supprimée."))
    return redirect("news:commune", commune.pk)


@require_POST
def commune_default_pages(request, commune_id: int):
    commune = _commune_or_404(request, commune_id)
    try:
        created = actions.create_default_pages(request.user, commune)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)d pages créées, à compléter puis publier.") % {"count": len(created)})
    return redirect("news:commune", commune.pk)
