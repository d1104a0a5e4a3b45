"""Every write of actualités and commune pages: policy, one transaction, journal, notice."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preau.core import audit, events, moderation, notices
from preau.core.errors import DomainError, NotAllowed
from preau.core.richtext import clean_html, plain_text
from preau.directory.models import Commune

from . import policy
from .models import CommunePage, NewsItem
from .queries import audience_ids, publication_targets

Scope = NewsItem.Scope
# The commune's usual pages, offered in one click to a référent who starts.
DEFAULT_PAGES = [
    ("menus-cantine", gettext_lazy("Menus de la cantine"), 10),
    ("periscolaire", gettext_lazy("Accueil périscolaire"), 20),
    ("inscriptions", gettext_lazy("Inscriptions"), 30),
    ("contacts", gettext_lazy("Contacts"), 40),
]


def _check_dates(publish_at: datetime.datetime, expires_at: datetime.datetime | None) -> None:
    if expires_at is not None and expires_at <= publish_at:
        raise DomainError(_("La date de retrait doit suivre la date de publication."), field="expires_at")


def publish_news(
    actor,
    *,
    target_key: str,
    audience: str,
    title: str,
    body: str,
    publish_at: datetime.datetime | None = None,
    expires_at: datetime.datetime | None = None,
) -> NewsItem:
    """Publish (now or later) an item in a structure the actor may publish in."""
    target = next((t for t in publication_targets(actor) if t.key == target_key), None)
    if target is None:
        raise NotAllowed(_("Vous ne pouvez pas publier d'actualité à cet endroit."))
    if audience not in policy.AUDIENCES[target.scope]:
        raise DomainError(_("Ce public n'est pas possible pour cette actualité."), field="audience")
    body = clean_html(body)
    if not title.strip() or not plain_text(body):
        raise DomainError(_("Une actualité a un titre et un texte."))
    publish_at = publish_at or timezone.now()
    _check_dates(publish_at, expires_at)
    structure = target.structure
    fields = {
        Scope.SCHOOL: {"school": structure},
        Scope.CLASS: {"school_class": structure, "school_id": getattr(structure, "school_id", None)},
        Scope.COMMUNE: {"commune": structure},
        Scope.CIRCONSCRIPTION: {"circonscription": structure},
        Scope.ACADEMIE: {"academie": structure},
    }[target.scope]
    with transaction.atomic():
        item = NewsItem.objects.create(
            scope=target.scope,
            audience=audience,
            title=title.strip(),
            body=body,
            publish_at=publish_at,
            expires_at=expires_at,
            author=actor,
            source_label=target.label,
            **fields,
        )
        audit.record(actor, "news.published", target=item, school_id=item.school_id, scope=item.scope)
        _announce_when_due(item)
    return item


def _announce_when_due(item: NewsItem) -> None:
    from .tasks import announce_news  # the task module imports these actions

    if item.publish_at <= timezone.now():
        announce(item)
    else:
        transaction.on_commit(lambda: announce_news.using(run_after=item.publish_at).enqueue(item.pk))


def announce(item: NewsItem) -> bool:
    """Tell the item's readers, once, when it is live. Returns whether it did."""
    if not item.is_live():
        return False  # rescheduled, withdrawn or expired: its own time will come, or never
    now = timezone.now()
    updated = NewsItem.objects.filter(pk=item.pk, announced_at__isnull=True, withdrawn_at__isnull=True).update(
        announced_at=now
    )
    if not updated:
        return False
    item.announced_at = now
    recipients = audience_ids(item)
    if recipients:
        notices.announce(
            "news.published",
            recipients,
            title=_("%(source)s : %(title)s") % {"source": item.source_label, "title": item.title},
            url=reverse("news:detail", args=[item.pk]),
            actor_id=item.author_id,
            school_id=item.school_id,
            body=plain_text(item.body, limit=300),
            group_key=f"news:{item.pk}",
        )
    events.emit("news.published", item_id=item.pk, scope=item.scope, school_id=item.school_id)
    _tell_the_queue(item)
    return True


def _tell_the_queue(item: NewsItem) -> None:
    """The item is online: its publication director sees it among the recent publications.

    The queue's publication directors are the school's and the commune's (moderation.policy),
    so the circonscription's and the académie's items are not announced there.
    """
    if item.school_id or item.commune_id:
        moderation.published("news.item", item.pk)


def update_news(
    actor,
    item: NewsItem,
    *,
    audience: str,
    title: str,
    body: str,
    publish_at: datetime.datetime,
    expires_at: datetime.datetime | None,
) -> NewsItem:
    if not policy.can_manage(actor, item):
        raise NotAllowed(_("Vous ne pouvez pas modifier cette actualité."))
    if audience not in policy.AUDIENCES[item.scope]:
        raise DomainError(_("Ce public n'est pas possible pour cette actualité."), field="audience")
    body = clean_html(body)
    if not title.strip() or not plain_text(body):
        raise DomainError(_("Une actualité a un titre et un texte."))
    _check_dates(publish_at, expires_at)
    with transaction.atomic():
        was_due = item.announced_at is None and item.publish_at > timezone.now()
        item.audience, item.title, item.body = audience, title.strip(), body
        item.publish_at, item.expires_at = publish_at, expires_at
        item.save()
        audit.record(actor, "news.updated", target=item, school_id=item.school_id)
        if was_due or item.announced_at is None:
            _announce_when_due(item)
    return item


def withdraw_news(actor, item: NewsItem, *, reason: str, tell_author: bool = True) -> NewsItem:
    """Take an item off the portals; it stays, with why and by whom, for the record.

    `tell_author=False` when the moderation queue withdraws it: the queue tells the author itself.
    """
    if not policy.can_manage(actor, item):
        raise NotAllowed(_("Vous ne pouvez pas retirer cette actualité."))
    if item.withdrawn_at is not None:
        raise DomainError(_("Cette actualité est déjà retirée."))
    reason = reason.strip()
    if item.author_id != actor.pk and not reason:
        raise DomainError(_("Dites à l'auteur pourquoi son actualité est retirée."), field="reason")
    with transaction.atomic():
        item.withdrawn_at, item.withdrawn_by, item.withdrawn_reason = timezone.now(), actor, reason[:500]
        item.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"])
        audit.record(actor, "news.withdrawn", target=item, school_id=item.school_id, reason=reason)
        if tell_author and item.author_id != actor.pk:
            notices.announce(
                "news.withdrawn",
                [item.author_id],
                title=_("Votre actualité « %(title)s » a été retirée : %(reason)s")
                % {"title": item.title, "reason": reason},
                url=reverse("news:detail", args=[item.pk]),
                actor_id=actor.pk,
                school_id=item.school_id,
            )
        events.emit("news.withdrawn", item_id=item.pk, actor_id=actor.pk, reason=reason)
        if tell_author:
            # Withdrawn on the news page: the queue's item (if any) must not stay published.
            moderation.withdrawn("news.item", item.pk)
    return item


def restore_news(actor, item: NewsItem) -> NewsItem:
    if not policy.is_publication_director(actor, item) and not (
        policy.can_manage(actor, item) and item.withdrawn_by_id == actor.pk
    ):
        raise NotAllowed(_("Seul le directeur de la publication peut remettre en ligne cette actualité."))
    if item.withdrawn_at is None:
        raise DomainError(_("Cette actualité est en ligne."))
    with transaction.atomic():
        item.withdrawn_at, item.withdrawn_by, item.withdrawn_reason = None, None, ""
        item.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"])
        audit.record(actor, "news.restored", target=item, school_id=item.school_id)
        _tell_the_queue(item)
    return item


# --- The commune's pages --------------------------------------------------------------------


def save_commune_page(
    actor,
    commune: Commune,
    *,
    title: str,
    body: str,
    order: int = 100,
    is_published: bool = True,
    page: CommunePage | None = None,
) -> CommunePage:
    """Create or change one of the commune's pages (référent and contributeurs)."""
    if not policy.can_edit_commune_pages(actor, commune) or (page is not None and page.commune_id != commune.pk):
        raise NotAllowed(_("Vous ne pouvez pas modifier les pages de cette commune."))
    title = title.strip()
    if not title:
        raise DomainError(_("Une page a un titre."), field="title")
    with transaction.atomic():
        if page is None:
            base = slugify(title)[:70] or "page"
            slug, rank = base, 2
            while CommunePage.objects.filter(commune=commune, slug=slug).exists():
                slug, rank = f"{base}-{rank}", rank + 1
            page = CommunePage(commune=commune, slug=slug)
            verb = "news.page_created"
        else:
            verb = "news.page_updated"
        page.title, page.body, page.order, page.is_published = title, clean_html(body), order, is_published
        page.updated_by = actor
        page.save()
        audit.record(actor, verb, target=page, commune=commune.name)
    return page


def create_default_pages(actor, commune: Commune) -> list[CommunePage]:
    if not policy.can_edit_commune_pages(actor, commune):
        raise NotAllowed(_("Vous ne pouvez pas modifier les pages de cette commune."))
    created = []
    with transaction.atomic():
        for slug, title, order in DEFAULT_PAGES:
            page, made = CommunePage.objects.get_or_create(
                commune=commune,
                slug=slug,
                defaults={"title": str(title), "order": order, "is_published": False, "updated_by": actor},
            )
            if made:
                created.append(page)
        audit.record(actor, "news.default_pages_created", commune=commune.name, pages=len(created))
    return created


def delete_commune_page(actor, page: CommunePage) -> None:
    if not policy.can_edit_commune_pages(actor, page.commune):
        raise NotAllowed(_("Vous ne pouvez pas modifier les pages de cette commune."))
    with transaction.atomic():
        audit.record(actor, "news.page_deleted", target=page, title=page.title)
        page.delete()


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the news of the school and of its classes (its pages are the commune's and stay).

    Rows deleted; idempotent. Runs in the purge's transaction (`core.school_data`).
    """
    return NewsItem.objects.filter(Q(school_id=school_id) | Q(school_class__school_id=school_id)).delete()[0]
