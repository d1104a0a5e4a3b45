"""How the moderation queue sees and acts on actualités (through core.moderation)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from preau.core import moderation
from preau.core.richtext import plain_text

from . import actions, policy
from .models import NewsItem


def _item(item_id: int) -> NewsItem | None:
    return NewsItem.objects.select_related("author").filter(pk=item_id).first()


def describe(item_id: int) -> moderation.Described | None:
    item = _item(item_id)
    if item is None:
        return None
    return moderation.Described(
        title=item.title,
        excerpt=plain_text(item.body, limit=1000),
        author_id=item.author_id,
        author_label=item.author.full_name,
        url=reverse("news:detail", args=[item.pk]),
        school_id=item.school_id,
        commune_id=item.commune_id,
        is_published=item.withdrawn_at is None,
    )


def visible_to(person, item_id: int) -> bool:
    item = _item(item_id)
    return item is not None and item.is_live() and policy.can_read(person, item)


def unpublish(actor, item_id: int, reason: str) -> None:
    # The queue tells the author of its decision (moderation.decision): one notice, not two.
    actions.withdraw_news(actor, _item(item_id), reason=reason, tell_author=False)


def restore(actor, item_id: int) -> None:
    actions.restore_news(actor, _item(item_id))


KIND = moderation.ModeratedKind(
    code="news.item",
    label=_("actualité"),
    describe=describe,
    visible_to=visible_to,
    unpublish=unpublish,
    restore=restore,
)
