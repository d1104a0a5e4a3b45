"""Reads of the blogs, scoped to who is asking."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from preau.directory.models import Person, Profile, Role, Teaching, current_school_year
from preau.directory.queries import access_of, enrolled_pupil_ids, guardian_ids_of

from . import policy
from .models import Blog, Comment, ImageConsent, Post, PostFile


def blogs_visible_to(person) -> QuerySet[Blog]:
    """The blogs of the person's classes, schools and groups (public blogs elsewhere are not listed)."""
    access = access_of(person)
    if access.person is None:
        return Blog.objects.none()
    class_ids = access.taught_class_ids | {c.id for c in access.own_classes}
    class_ids |= {c.id for child in access.children for c in child.classes}
    school_ids = access.school_ids(Profile.TEACHER, Profile.DIRECTOR, Profile.PUPIL, Profile.ELECTED_PARENT)
    school_ids |= access.child_school_ids
    people = {access.person.pk} | access.child_ids
    q = (
        Q(scope=Blog.Scope.CLASS, school_class_id__in=class_ids)
        | Q(scope=Blog.Scope.SCHOOL, school_id__in=school_ids)
        | Q(school_id__in=access.school_ids(Profile.DIRECTOR))
        | Q(scope=Blog.Scope.GROUP, group__owner=access.person)
        | Q(scope=Blog.Scope.GROUP, group__members__in=people)
    )
    return (
        Blog.objects.filter(q).distinct().select_related("school", "school_class", "group").order_by("scope", "title")
    )


def _post_queryset() -> QuerySet[Post]:
    return (
        Post.objects.select_related("author")
        .prefetch_related("categories", Prefetch("files", queryset=PostFile.objects.order_by("id")))
        .annotate(published_comments=Count("comments", filter=Q(comments__state=Comment.State.PUBLISHED)))
    )


def published_posts(blog: Blog, *, category_id: int | None = None) -> QuerySet[Post]:
    posts = _post_queryset().filter(blog=blog, state=Post.State.PUBLISHED, publish_at__lte=timezone.now())
    if category_id:
        posts = posts.filter(categories__id=category_id)
    return posts.order_by("-publish_at", "-id")


def posts_awaiting(blog: Blog, person) -> QuerySet[Post]:
    """Editors: everything not online (pending, refused, withdrawn, scheduled); others: their own."""
    posts = _post_queryset().filter(blog=blog).exclude(state=Post.State.PUBLISHED, publish_at__lte=timezone.now())
    if not policy.can_manage_blog(person, blog):
        posts = posts.filter(author=person)
    return posts.order_by("-created_at")


def comments_for(post: Post, person) -> list[Comment]:
    comments = post.comments.select_related("author")
    if policy.can_manage_blog(person, post.blog):
        return list(comments)
    return list(comments.filter(Q(state=Comment.State.PUBLISHED) | Q(author_id=getattr(person, "pk", None))))


def pupils_of_blog(blog: Blog) -> QuerySet[Person]:
    """The pupils who may be tagged on a post of this blog (the class's, the school's or the group's)."""
    if blog.scope == Blog.Scope.CLASS:
        return Person.objects.filter(enrolments__school_class_id=blog.school_class_id).order_by(
            "last_name", "first_name"
        )
    if blog.scope == Blog.Scope.GROUP:
        return blog.group.members.filter(roles__profile=Profile.PUPIL).distinct().order_by("last_name")
    return Person.objects.filter(
        enrolments__school_class__school_id=blog.school_id, enrolments__school_class__year=current_school_year()
    ).order_by("last_name", "first_name")


def consents(pupil_ids, year: int) -> dict[int, bool]:
    return dict(ImageConsent.objects.filter(pupil_id__in=pupil_ids, year=year).values_list("pupil_id", "allowed"))


def editor_ids(blog: Blog) -> list[int]:
    """Who validates pupils' posts: the class's teachers, the group's owner, the school's director."""
    ids = set(
        Role.objects.filter(school_id=blog.school_id, profile=Profile.DIRECTOR).values_list("person_id", flat=True)
    )
    if blog.scope == Blog.Scope.CLASS:
        ids |= set(Teaching.objects.filter(school_class_id=blog.school_class_id).values_list("teacher_id", flat=True))
    elif blog.scope == Blog.Scope.GROUP and blog.group.owner_id:
        ids.add(blog.group.owner_id)
    return sorted(ids)


def reader_ids(blog: Blog) -> list[int]:
    """Who is told of a new post: the class's or group's pupils, their families and teachers."""
    if blog.scope == Blog.Scope.CLASS:
        pupils = enrolled_pupil_ids(school_class_id=blog.school_class_id)
    elif blog.scope == Blog.Scope.GROUP:
        pupils = blog.group.members.values_list("pk", flat=True)
    else:
        return editor_ids(blog)  # a school's blog is read on the portal, not pushed to every family
    ids = set(pupils) | set(guardian_ids_of(pupils))
    return sorted(ids | set(editor_ids(blog)))
