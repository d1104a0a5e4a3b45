"""Who reads, writes, comments and moderates the blogs.

Each person has one standing in a blog, computed from `access_of` (and, for group blogs, the
group's members, one query): editor (the class's teachers, the school's director, the
group's owner), pupil, parent, reader, or none. Everything else follows from it and from the
blog's settings.
"""

from preau.directory.models import Group, Profile
from preau.directory.queries import access_of

from .models import Blog, Comment, Post

EDITOR, PUPIL, PARENT, READER = "editor", "pupil", "parent", "reader"


def _group_member_ids(access, group_id: int) -> set[int]:
    cache = access.__dict__.setdefault("_blog_groups", {})
    if group_id not in cache:
        cache[group_id] = set(
            Group.members.through.objects.filter(group_id=group_id).values_list("person_id", flat=True)
        )
    return cache[group_id]


def standing(person, blog: Blog) -> str | None:
    access = access_of(person)
    if access.person is None:
        return None
    if blog.school_id in access.school_ids(Profile.DIRECTOR):
        return EDITOR
    if blog.scope == Blog.Scope.CLASS:
        if blog.school_class_id in access.taught_class_ids:
            return EDITOR
        if any(c.id == blog.school_class_id for c in access.own_classes):
            return PUPIL
        if any(c.id == blog.school_class_id for child in access.children for c in child.classes):
            return PARENT
        return None
    if blog.scope == Blog.Scope.SCHOOL:
        if blog.school_id in access.school_ids(Profile.TEACHER):
            return EDITOR
        if blog.school_id in access.school_ids(Profile.PUPIL):
            return PUPIL
        if blog.school_id in access.child_school_ids:
            return PARENT
        if blog.school_id in access.school_ids(Profile.ELECTED_PARENT):
            return READER
        return None
    members = _group_member_ids(access, blog.group_id)
    if blog.group.owner_id == access.person.pk:
        return EDITOR
    if access.person.pk in members:
        return PUPIL if access.has(Profile.PUPIL) else READER
    if access.child_ids & members:
        return PARENT
    return None


def can_read_blog(person, blog: Blog) -> bool:
    return blog.is_public or standing(person, blog) is not None


def can_post(person, blog: Blog) -> bool:
    found = standing(person, blog)
    return found == EDITOR or (found == PUPIL and blog.pupils_may_post)


def post_waits_for_validation(person, blog: Blog) -> bool:
    return standing(person, blog) != EDITOR


def can_comment(person, blog: Blog) -> bool:
    found = standing(person, blog)
    return (
        found == EDITOR
        or (found == PUPIL and blog.pupils_may_comment)
        or (found == PARENT and blog.parents_may_comment)
    )


def can_manage_blog(person, blog: Blog) -> bool:
    return standing(person, blog) == EDITOR


def can_approve_public(person, blog: Blog) -> bool:
    return blog.school_id in access_of(person).school_ids(Profile.DIRECTOR)


def can_see_post(person, post: Post) -> bool:
    if post.author_id == getattr(person, "pk", None) or can_manage_blog(person, post.blog):
        return True
    return post.is_visible_now() and can_read_blog(person, post.blog)


def can_edit_post(person, post: Post) -> bool:
    if can_manage_blog(person, post.blog):
        return True
    return post.author_id == getattr(person, "pk", None) and post.state == Post.State.PENDING


def can_see_comment(person, comment: Comment) -> bool:
    if comment.author_id == getattr(person, "pk", None) or can_manage_blog(person, comment.post.blog):
        return True
    return comment.state == Comment.State.PUBLISHED and can_see_post(person, comment.post)


def can_open_blog(person, scope: str, structure) -> bool:
    access = access_of(person)
    if scope == Blog.Scope.CLASS:
        return structure.id in access.taught_class_ids or structure.school_id in access.school_ids(Profile.DIRECTOR)
    if scope == Blog.Scope.SCHOOL:
        return structure.id in access.school_ids(Profile.DIRECTOR)
    return structure.owner_id == getattr(access.person, "pk", None) and structure.school_id in access.school_ids(
        Profile.TEACHER, Profile.DIRECTOR
    )


def can_record_image_consent(person, school_class) -> bool:
    access = access_of(person)
    return school_class.id in access.taught_class_ids or school_class.school_id in access.school_ids(Profile.DIRECTOR)
