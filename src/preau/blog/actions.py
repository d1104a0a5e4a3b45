"""Every write of the blogs: policy, one transaction, journal, notices and the moderation queue."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit, moderation, notices
from preau.core.errors import DomainError, NotAllowed
from preau.core.files import delete_unused_files
from preau.core.richtext import clean_html, plain_text
from preau.core.uploads import SCHOOL_TYPES, check_upload
from preau.directory.models import Person, Profile, Role, current_school_year
from preau.directory.queries import pupils_of_class

from . import policy, queries
from .models import Blog, Category, Comment, ImageConsent, Post, PostFile

State = Post.State
MAX_FILE_BYTES = getattr(settings, "PREAU_BLOG_MAX_FILE_BYTES", 10 * 2**20)
MAX_FILES_PER_POST = 20


def _academie_id(blog: Blog) -> int | None:
    return blog.school.commune.departement.academie_id


# --- Blogs ---------------------------------------------------------------------------------------


def open_blog(actor, scope: str, structure, *, title: str = "") -> Blog:
    """Open the blog of a class, of the school or of a teacher's group."""
    if not policy.can_open_blog(actor, scope, structure):
        raise NotAllowed(_("Vous ne pouvez pas ouvrir ce blog."))
    fields = {
        Blog.Scope.CLASS: {"school_class": structure, "school_id": getattr(structure, "school_id", None)},
        Blog.Scope.SCHOOL: {"school": structure},
        Blog.Scope.GROUP: {"group": structure, "school_id": getattr(structure, "school_id", None)},
    }[scope]
    lookup = {k: v for k, v in fields.items() if k != "school_id"}
    if Blog.objects.filter(scope=scope, **lookup).exists():
        raise DomainError(_("Ce blog existe déjà."))
    default_title = {
        Blog.Scope.CLASS: _("Le blog de la classe %(name)s"),
        Blog.Scope.SCHOOL: _("Le blog de l'école %(name)s"),
        Blog.Scope.GROUP: _("Le blog du groupe %(name)s"),
    }[scope] % {"name": structure.name}
    with transaction.atomic():
        blog = Blog.objects.create(scope=scope, title=title.strip() or default_title, created_by=actor, **fields)
        audit.record(actor, "blog.opened", target=blog, school_id=blog.school_id)
    return blog


def update_blog_settings(
    actor,
    blog: Blog,
    *,
    title: str,
    description: str,
    audience: str,
    pupils_may_post: bool,
    pupils_may_comment: bool,
    parents_may_comment: bool,
) -> Blog:
    if not policy.can_manage_blog(actor, blog):
        raise NotAllowed(_("Seuls les enseignants de la classe et la direction règlent ce blog."))
    if audience not in Blog.Audience.values:
        raise DomainError(_("Ce public n'existe pas."), field="audience")
    with transaction.atomic():
        going_public = audience == Blog.Audience.PUBLIC and blog.audience != Blog.Audience.PUBLIC
        blog.title, blog.description = title.strip() or blog.title, description.strip()
        blog.audience = audience
        blog.pupils_may_post, blog.pupils_may_comment = pupils_may_post, pupils_may_comment
        blog.parents_may_comment = parents_may_comment
        if audience != Blog.Audience.PUBLIC:
            blog.public_approved_at, blog.public_approved_by = None, None
        elif going_public and policy.can_approve_public(actor, blog):
            blog.public_approved_at, blog.public_approved_by = timezone.now(), actor
        blog.save()
        audit.record(actor, "blog.settings_changed", target=blog, school_id=blog.school_id, audience=audience)
        if going_public and blog.public_approved_at is None:
            directors = list(
                Role.objects.filter(school_id=blog.school_id, profile=Profile.DIRECTOR).values_list(
                    "person_id", flat=True
                )
            )
            notices.announce(
                "blog.public_requested",
                directors,
                title=_("Ouverture au public demandée : %(title)s") % {"title": blog.title},
                url=reverse("blog:settings", args=[blog.pk]),
                actor_id=actor.pk,
                school_id=blog.school_id,
            )
    return blog


def approve_public(actor, blog: Blog) -> Blog:
    """The director, publication director of the school, lets a blog be read on the public web."""
    if not policy.can_approve_public(actor, blog):
        raise NotAllowed(_("Seule la direction de l'école ouvre un blog au public."))
    if blog.audience != Blog.Audience.PUBLIC:
        raise DomainError(_("Ce blog n'est pas réglé pour le public."))
    with transaction.atomic():
        blog.public_approved_at, blog.public_approved_by = timezone.now(), actor
        blog.save(update_fields=["public_approved_at", "public_approved_by"])
        audit.record(actor, "blog.public_approved", target=blog, school_id=blog.school_id)
    return blog


# --- Posts ---------------------------------------------------------------------------------------


def _check_files(files) -> list:
    checked = []
    if len(files) > MAX_FILES_PER_POST:
        raise DomainError(_("Un article compte au plus %(n)d fichiers.") % {"n": MAX_FILES_PER_POST}, field="files")
    for upload in files:
        try:
            checked.append(check_upload(upload, max_bytes=MAX_FILE_BYTES, allowed=SCHOOL_TYPES))
        except ValidationError as error:
            raise DomainError(error.messages[0], field="files") from error
    return checked


def _check_image_rights(blog: Blog, has_images: bool, tagged_ids: list[int], confirmed: bool) -> None:
    if not has_images:
        return
    if not confirmed:
        raise DomainError(
            _(
                "Cet article contient des photos : confirmez que les familles des élèves visibles"
                " ont donné leur accord."
            ),
            field="image_rights_confirmed",
        )
    if tagged_ids:
        allowed = queries.consents(tagged_ids, current_school_year())
        refused = [pupil_id for pupil_id in tagged_ids if not allowed.get(pupil_id)]
        if refused:
            names = ", ".join(p.first_name for p in Person.objects.filter(pk__in=refused).order_by("first_name"))
            raise DomainError(
                _("Pas d'accord des familles pour publier l'image de : %(names)s. Retirez leurs photos ou leur nom.")
                % {"names": names},
                field="tagged_pupils",
            )


def _set_categories(post: Post, names: list[str]) -> None:
    categories = []
    for name in {n.strip()[:60] for n in names if n.strip()}:
        category, _created = Category.objects.get_or_create(blog=post.blog, name=name)
        categories.append(category)
    post.categories.set(categories)


def write_post(
    actor,
    blog: Blog,
    *,
    title: str,
    body: str,
    categories: list[str] = (),
    publish_at: datetime.datetime | None = None,
    files=(),
    tagged_pupil_ids: list[int] = (),
    image_rights_confirmed: bool = False,
) -> Post:
    """A post: online at once (or at its date) for editors; waiting for the teacher for pupils."""
    if not policy.can_post(actor, blog):
        raise NotAllowed(_("Vous ne pouvez pas écrire dans ce blog."))
    body = clean_html(body)
    if not title.strip() or not (plain_text(body) or files):
        raise DomainError(_("Un article a un titre et un texte."))
    checked = _check_files(list(files))
    allowed_pupils = set(queries.pupils_of_blog(blog).values_list("pk", flat=True))
    tagged = [pupil_id for pupil_id in tagged_pupil_ids if pupil_id in allowed_pupils]
    _check_image_rights(blog, any(c.is_image for c in checked), tagged, image_rights_confirmed)
    waits = policy.post_waits_for_validation(actor, blog)
    with transaction.atomic():
        post = Post.objects.create(
            blog=blog,
            author=actor,
            title=title.strip()[:200],
            body=body,
            state=State.PENDING if waits else State.PUBLISHED,
            publish_at=publish_at or timezone.now(),
            image_rights_confirmed=image_rights_confirmed,
        )
        _set_categories(post, list(categories))
        post.tagged_pupils.set(tagged)
        for found in checked:
            PostFile.objects.create(
                post=post,
                blog=blog,
                uploaded_by=actor,
                file=found.file,
                name=found.name,
                content_type=found.content_type,
                size=found.size,
            )
        audit.record(actor, "blog.post_written", target=post, school_id=blog.school_id, state=post.state)
        if waits:
            flags = moderation.screen(f"{post.title}\n{plain_text(body)}", _academie_id(blog))
            moderation.submit("blog.post", post.pk, cause="pupil", flags=flags, decider_ids=queries.editor_ids(blog))
        else:
            _went_online(post)
    return post


def _went_online(post: Post) -> None:
    moderation.published("blog.post", post.pk)
    notices.announce(
        "blog.post",
        queries.reader_ids(post.blog),
        title=_("%(blog)s : %(title)s") % {"blog": post.blog.title, "title": post.title},
        url=reverse("blog:post", args=[post.pk]),
        actor_id=post.author_id,
        school_id=post.blog.school_id,
        pupil_ids=list(queries.pupils_of_blog(post.blog).values_list("pk", flat=True))
        if post.blog.scope != Blog.Scope.SCHOOL
        else [],
        body=plain_text(post.body, limit=300),
        group_key=f"blog:{post.blog_id}",
    )


def update_post(actor, post: Post, *, title: str, body: str, categories: list[str] = ()) -> Post:
    if not policy.can_edit_post(actor, post):
        raise NotAllowed(_("Vous ne pouvez pas modifier cet article."))
    body = clean_html(body)
    if not title.strip() or not plain_text(body):
        raise DomainError(_("Un article a un titre et un texte."))
    with transaction.atomic():
        post.title, post.body = title.strip()[:200], body
        post.save(update_fields=["title", "body", "updated_at"])
        _set_categories(post, list(categories))
        audit.record(actor, "blog.post_updated", target=post, school_id=post.blog.school_id)
    return post


# What each decision does: the states it applies to, and the state it leaves the content in.
DECISIONS = {
    "approve": ({State.PENDING}, State.PUBLISHED),
    "refuse": ({State.PENDING}, State.REFUSED),
    "unpublish": ({State.PUBLISHED}, State.UNPUBLISHED),
    "restore": ({State.UNPUBLISHED, State.REFUSED}, State.PUBLISHED),
}
DONE = {"approve": "approved", "refuse": "refused", "unpublish": "unpublished", "restore": "restored"}


def _decide(actor, content: Post | Comment, blog: Blog, verb: str, reason: str, *, in_state: str) -> None:
    """Move a post or a comment along DECISIONS and journal it (`blog.post_approved`, …)."""
    if verb not in DECISIONS:
        raise DomainError(_("Cette décision n'existe pas."))
    # The editors: the class's teachers, the group's owner and the school's director (publication director).
    if not policy.can_manage_blog(actor, blog):
        raise NotAllowed(_("Cette décision revient aux enseignants de la classe et à la direction."))
    allowed_from, new_state = DECISIONS[verb]
    if content.state not in allowed_from:
        raise DomainError(in_state % {"state": content.get_state_display()})
    reason = reason.strip()[:2000]
    content.state, content.moderation_reason = new_state, reason
    fields = ["state", "moderation_reason"] + (["updated_at"] if isinstance(content, Post) else [])
    content.save(update_fields=fields)
    noun = content._meta.model_name
    audit.record(actor, f"blog.{noun}_{DONE[verb]}", target=content, school_id=blog.school_id, reason=reason)
    if new_state in (State.REFUSED, State.UNPUBLISHED):
        # Decided on the blog page: the queue's item must not stay pending or reported.
        moderation.withdrawn(f"blog.{noun}", content.pk, refused=new_state == State.REFUSED)


def decide_post(actor, post: Post, verb: str, *, reason: str = "") -> Post:
    """Approve, refuse, unpublish or restore a post (an editor of its blog); online again, it is announced."""
    if verb == "refuse" and not reason.strip():
        raise DomainError(_("Dites à l'élève pourquoi l'article n'est pas publié."), field="reason")
    with transaction.atomic():
        _decide(actor, post, post.blog, verb, reason, in_state=_("Cet article est %(state)s."))
        if post.state == State.PUBLISHED:
            _went_online(post)
    return post


# --- Comments ------------------------------------------------------------------------------------


def write_comment(actor, post: Post, body: str) -> Comment:
    """A comment; a pupil's or a parent's that the screen flags waits for the director's decision."""
    if not policy.can_see_post(actor, post) or not post.is_visible_now() or not policy.can_comment(actor, post.blog):
        raise NotAllowed(_("Vous ne pouvez pas commenter cet article."))
    body = body.strip()
    if not body:
        raise DomainError(_("Le commentaire est vide."), field="body")
    if len(body) > 2000:
        raise DomainError(_("Un commentaire compte au plus 2 000 caractères."), field="body")
    screened = policy.standing(actor, post.blog) in (policy.PUPIL, policy.PARENT)
    flags = moderation.screen(body, _academie_id(post.blog)) if screened else []
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post, author=actor, body=body, state=State.PENDING if flags else State.PUBLISHED
        )
        audit.record(actor, "blog.comment_written", target=comment, school_id=post.blog.school_id, flagged=bool(flags))
        if flags:
            moderation.submit(
                "blog.comment", comment.pk, cause="screen", flags=flags, decider_ids=queries.editor_ids(post.blog)
            )
        else:
            moderation.published("blog.comment", comment.pk)
            notices.announce(
                "blog.comment",
                [post.author_id],
                title=_("Nouveau commentaire sur « %(title)s »") % {"title": post.title},
                url=reverse("blog:post", args=[post.pk]),
                actor_id=actor.pk,
                school_id=post.blog.school_id,
                group_key=f"blog-comments:{post.pk}",
            )
    return comment


def decide_comment(actor, comment: Comment, verb: str, *, reason: str = "") -> Comment:
    """Approve, refuse, unpublish or restore a comment (an editor of its blog)."""
    with transaction.atomic():
        _decide(actor, comment, comment.post.blog, verb, reason, in_state=_("Ce commentaire est %(state)s."))
        if comment.state == State.PUBLISHED:
            # Approved on the blog page, it must leave the queue's "to validate" list as well.
            moderation.published("blog.comment", comment.pk)
    return comment


# --- Image rights --------------------------------------------------------------------------------


def record_image_consents(actor, school_class, allowed_by_pupil: dict[int, bool]) -> int:
    """The class's teacher or the director records the families' answers, for this school year."""
    if not policy.can_record_image_consent(actor, school_class):
        raise NotAllowed(_("Seuls les enseignants de la classe et la direction tiennent ce registre."))
    pupils = set(pupils_of_class(school_class).values_list("pk", flat=True))
    if not set(allowed_by_pupil) <= pupils:
        raise DomainError(_("Un élève indiqué n'est pas dans cette classe."))
    with transaction.atomic():
        # One upsert for the whole class, not two queries a pupil.
        ImageConsent.objects.bulk_create(
            [
                ImageConsent(pupil_id=pupil_id, year=school_class.year, allowed=allowed, recorded_by=actor)
                for pupil_id, allowed in allowed_by_pupil.items()
            ],
            update_conflicts=True,
            unique_fields=["pupil", "year"],
            update_fields=["allowed", "recorded_by", "recorded_at"],
        )
        audit.record(
            actor, "blog.image_consents_recorded", target=school_class, school_id=school_class.school_id,
            allowed=sum(allowed_by_pupil.values()), refused=len(allowed_by_pupil) - sum(allowed_by_pupil.values()),
        )  # fmt: skip
    return len(allowed_by_pupil)


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the blogs of the school, of its classes and of its groups, with their posts,
    comments, categories and files (from storage too, once the purge commits).

    The pupils' image consents stay: each is the pupil's own, per school year, not the school's,
    and an anonymised pupil's identifies nobody. Rows deleted; idempotent.
    """
    blogs = Blog.objects.filter(
        Q(school_id=school_id) | Q(school_class__school_id=school_id) | Q(group__school_id=school_id)
    )
    names = list(PostFile.objects.filter(blog__in=blogs).values_list("file", flat=True))
    deleted = blogs.delete()[0]
    delete_unused_files(PostFile, "file", names)
    return deleted
