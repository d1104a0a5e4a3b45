"""How the moderation queue sees and acts on posts and comments (through core.moderation)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from preau.core import moderation
from preau.core.richtext import plain_text

from . import actions, policy
from .models import Comment, Post


def _post(post_id: int) -> Post | None:
    return Post.objects.select_related("blog", "author").filter(pk=post_id).first()


def _comment(comment_id: int) -> Comment | None:
    return Comment.objects.select_related("post__blog", "author").filter(pk=comment_id).first()


def describe_post(post_id: int) -> moderation.Described | None:
    post = _post(post_id)
    if post is None:
        return None
    return moderation.Described(
        title=post.title,
        excerpt=plain_text(post.body, limit=1000),
        author_id=post.author_id,
        author_label=post.author.full_name,
        url=reverse("blog:post", args=[post.pk]),
        school_id=post.blog.school_id,
        is_published=post.state == Post.State.PUBLISHED,
    )


def describe_comment(comment_id: int) -> moderation.Described | None:
    comment = _comment(comment_id)
    if comment is None:
        return None
    return moderation.Described(
        title=_("Commentaire sur « %(title)s »") % {"title": comment.post.title},
        excerpt=comment.body[:1000],
        author_id=comment.author_id,
        author_label=comment.author.full_name,
        url=reverse("blog:post", args=[comment.post_id]) + f"#commentaire-{comment.pk}",
        school_id=comment.post.blog.school_id,
        is_published=comment.state == Comment.State.PUBLISHED,
    )


def _decisions(fetch, decide) -> dict:
    """The queue's four decisions on an item, as the blog's own action for it."""
    return {
        "approve": lambda actor, pk: decide(actor, fetch(pk), "approve"),
        "refuse": lambda actor, pk, reason: decide(actor, fetch(pk), "refuse", reason=reason),
        "unpublish": lambda actor, pk, reason: decide(actor, fetch(pk), "unpublish", reason=reason),
        "restore": lambda actor, pk: decide(actor, fetch(pk), "restore"),
    }


POST = moderation.ModeratedKind(
    code="blog.post",
    label=_("article de blog"),
    describe=describe_post,
    visible_to=lambda person, post_id: (post := _post(post_id)) is not None and policy.can_see_post(person, post),
    **_decisions(_post, actions.decide_post),
)
COMMENT = moderation.ModeratedKind(
    code="blog.comment",
    label=_("commentaire de blog"),
    describe=describe_comment,
    visible_to=lambda person, comment_id: (c := _comment(comment_id)) is not None and policy.can_see_comment(person, c),
    **_decisions(_comment, actions.decide_comment),
)
