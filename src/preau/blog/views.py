"""Blogs: thin views over the actions and queries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.core.files import serve
from preau.core.forms import show_error
from preau.core.pagination import page_of
from preau.directory.models import Group, Profile, School, SchoolClass, current_school_year
from preau.directory.queries import access_of, pupils_of_class

from . import actions, policy, queries
from .forms import CommentForm, PostForm, ReasonForm, SettingsForm
from .models import Blog, Comment, Post, PostFile

POSTS_PER_PAGE = 10
BLOG_RELATED = ("school__commune__departement", "school_class", "group")


def _blog_or_404(request, blog_id: int) -> Blog:
    blog = get_object_or_404(Blog.objects.select_related(*BLOG_RELATED), pk=blog_id)
    if not policy.can_read_blog(request.user, blog):
        raise Http404
    return blog


def _post_or_404(request, post_id: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("author", *(f"blog__{r}" for r in BLOG_RELATED)), pk=post_id)
    if not policy.can_see_post(request.user, post):
        raise Http404
    return post


@require_GET
def index(request):
    access = access_of(request.user)
    blogs = list(queries.blogs_visible_to(request.user))
    with_blog = {(b.scope, b.school_class_id or b.group_id or b.school_id) for b in blogs}
    can_open = [
        (Blog.Scope.CLASS, c.pk, _("Ouvrir le blog de la classe %(name)s") % {"name": c.name})
        for c in access.taught_classes
        if (Blog.Scope.CLASS, c.pk) not in with_blog
    ]
    can_open += [
        (Blog.Scope.SCHOOL, role.school_id, _("Ouvrir le blog de l'école %(name)s") % {"name": role.school.name})
        for role in access.roles
        if role.profile == Profile.DIRECTOR and (Blog.Scope.SCHOOL, role.school_id) not in with_blog
    ]
    return render(request, "blog/index.html", {"title": _("Blogs"), "blogs": blogs, "can_open": can_open})


@require_POST
def open_blog(request):
    scope, structure_id = request.POST.get("scope"), request.POST.get("structure")
    model = {Blog.Scope.CLASS: SchoolClass, Blog.Scope.SCHOOL: School, Blog.Scope.GROUP: Group}.get(scope)
    if model is None or not str(structure_id).isdigit():
        raise Http404
    structure = get_object_or_404(model, pk=structure_id)
    try:
        blog = actions.open_blog(request.user, scope, structure)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("blog:index")
    messages.success(request, _("Le blog est ouvert. Réglez qui peut écrire et commenter."))
    return redirect("blog:settings", blog.pk)


def _category(request) -> int | None:
    value = request.GET.get("categorie", "")
    return int(value) if value.isdigit() else None


@require_GET
def blog_detail(request, blog_id: int):
    blog = _blog_or_404(request, blog_id)
    page = page_of(request, queries.published_posts(blog, category_id=_category(request)), per_page=POSTS_PER_PAGE)
    return render(
        request,
        "blog/blog.html",
        {
            "title": blog.title,
            "blog": blog,
            "page": page,
            "categories": list(blog.categories.all()),
            "current_category": _category(request),
            "awaiting": list(queries.posts_awaiting(blog, request.user)[:50]),
            "can_post": policy.can_post(request.user, blog),
            "can_manage": policy.can_manage_blog(request.user, blog),
        },
    )


def post_create(request, blog_id: int):
    blog = _blog_or_404(request, blog_id)
    if not policy.can_post(request.user, blog):
        raise NotAllowed(_("Vous ne pouvez pas écrire dans ce blog."))
    pupils = list(queries.pupils_of_blog(blog))
    consent = queries.consents([p.pk for p in pupils], current_school_year()) if pupils else {}
    form = PostForm(request.POST or None, request.FILES or None, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = actions.write_post(
                request.user,
                blog,
                title=data["title"],
                body=data["body"],
                categories=form.category_names(),
                files=data["files"],
                tagged_pupil_ids=[int(pk) for pk in data["tagged_pupils"]],
                image_rights_confirmed=data["image_rights_confirmed"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            if post.state == Post.State.PENDING:
                messages.success(request, _("Ton article est envoyé : ton enseignant le lira avant de le publier."))
            else:
                messages.success(request, _("L'article est publié."))
            return redirect("blog:post", post.pk)
    return render(
        request,
        "blog/post_form.html",
        {
            "title": _("Nouvel article"),
            "blog": blog,
            "form": form,
            "without_consent": [p for p in pupils if not consent.get(p.pk)],
        },
    )


def post_detail(request, post_id: int):
    post = _post_or_404(request, post_id)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = actions.write_comment(request.user, post, form.cleaned_data["body"])
        except DomainError as error:
            show_error(form, error)
        else:
            if comment.state == Comment.State.PENDING:
                messages.warning(request, _("Votre commentaire sera publié après relecture par la direction."))
            else:
                messages.success(request, _("Votre commentaire est publié."))
            return redirect("blog:post", post.pk)
    return render(
        request,
        "blog/post.html",
        {
            "title": post.title,
            "post": post,
            "blog": post.blog,
            "files": list(post.files.all()),
            "comments": queries.comments_for(post, request.user),
            "form": form,
            "can_comment": post.is_visible_now() and policy.can_comment(request.user, post.blog),
            "can_manage": policy.can_manage_blog(request.user, post.blog),
            "can_edit": policy.can_edit_post(request.user, post),
            "reason_form": ReasonForm(),
        },
    )


def post_edit(request, post_id: int):
    post = _post_or_404(request, post_id)
    if not policy.can_edit_post(request.user, post):
        raise NotAllowed(_("Vous ne pouvez pas modifier cet article."))
    initial = {"title": post.title, "body": post.body, "categories": ", ".join(c.name for c in post.categories.all())}
    form = PostForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_post(
                request.user, post, title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                categories=form.category_names(),
            )  # fmt: skip
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("L'article est modifié."))
            return redirect("blog:post", post.pk)
    return render(request, "blog/post_form.html", {"title": _("Modifier l'article"), "blog": post.blog, "form": form})


def _decide(request, decide, content, post_id: int):
    verb = request.POST.get("verb", "")
    if verb not in actions.DECISIONS:
        raise Http404
    try:
        decide(request.user, content, verb, reason=request.POST.get("reason", "")[:2000])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("C'est fait : l'auteur voit votre décision."))
    return redirect("blog:post", post_id)


@require_POST
def post_decide(request, post_id: int):
    post = _post_or_404(request, post_id)
    return _decide(request, actions.decide_post, post, post.pk)


@require_POST
def comment_decide(request, comment_id: int):
    comment = get_object_or_404(Comment.objects.select_related("post__blog"), pk=comment_id)
    if not policy.can_see_comment(request.user, comment):
        raise Http404
    return _decide(request, actions.decide_comment, comment, comment.post_id)


def blog_settings(request, blog_id: int):
    blog = _blog_or_404(request, blog_id)
    if not policy.can_manage_blog(request.user, blog):
        raise NotAllowed(_("Seuls les enseignants de la classe et la direction règlent ce blog."))
    fields = ("title", "description", "audience", "pupils_may_post", "pupils_may_comment", "parents_may_comment")
    form = SettingsForm(request.POST or None, initial={name: getattr(blog, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_blog_settings(request.user, blog, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            if blog.audience == Blog.Audience.PUBLIC and not blog.public_approved_at:
                messages.info(request, _("L'ouverture au public attend l'accord de la direction de l'école."))
            else:
                messages.success(request, _("Les réglages sont enregistrés."))
            return redirect("blog:blog", blog.pk)
    return render(
        request,
        "blog/settings.html",
        {
            "title": _("Réglages du blog"),
            "blog": blog,
            "form": form,
            "can_approve_public": policy.can_approve_public(request.user, blog),
        },
    )


@require_POST
def approve_public(request, blog_id: int):
    blog = _blog_or_404(request, blog_id)
    try:
        actions.approve_public(request.user, blog)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le blog est ouvert au public."))
    return redirect("blog:settings", blog.pk)


@login_not_required
@require_GET
def post_file(request, file_id: int):
    found = get_object_or_404(PostFile.objects.select_related("post__blog__group"), pk=file_id)
    post = found.post
    public = post is not None and post.blog.is_public and post.is_visible_now()
    if not public and (
        not request.user.is_authenticated or post is None or not policy.can_see_post(request.user, post)
    ):
        raise Http404
    return serve(found.file, name=found.name, content_type=found.content_type, inline=found.is_image)


def image_consents(request, class_id: int):
    school_class = get_object_or_404(SchoolClass.objects.select_related("school"), pk=class_id)
    if not policy.can_record_image_consent(request.user, school_class):
        raise Http404
    pupils = list(pupils_of_class(school_class))
    if request.method == "POST":
        answers = {p.pk: request.POST.get(f"eleve-{p.pk}") == "oui" for p in pupils}
        actions.record_image_consents(request.user, school_class, answers)
        messages.success(request, _("Le registre du droit à l'image est à jour."))
        return redirect("blog:image_consents", school_class.pk)
    allowed = queries.consents([pupil.pk for pupil in pupils], school_class.year)
    rows = [(pupil, allowed.get(pupil.pk)) for pupil in pupils]
    return render(
        request,
        "blog/image_consents.html",
        {"title": _("Droit à l'image"), "school_class": school_class, "rows": rows},
    )


# --- The public web ----------------------------------------------------------------------------------


def _public_blog_or_404(blog_id: int) -> Blog:
    blog = get_object_or_404(Blog.objects.select_related(*BLOG_RELATED), pk=blog_id)
    if not blog.is_public:
        raise Http404
    return blog


def _pupil_ids(blog: Blog) -> set[int]:
    return set(queries.pupils_of_blog(blog).values_list("pk", flat=True))


@login_not_required
@require_GET
def public_blog(request, blog_id: int):
    blog = _public_blog_or_404(blog_id)
    page = page_of(request, queries.published_posts(blog, category_id=_category(request)), per_page=POSTS_PER_PAGE)
    return render(
        request,
        "blog/public_blog.html",
        {"title": blog.title, "blog": blog, "page": page, "pupil_ids": _pupil_ids(blog)},
    )


@login_not_required
@require_GET
def public_post(request, post_id: int):
    post = get_object_or_404(Post.objects.select_related("author", *(f"blog__{r}" for r in BLOG_RELATED)), pk=post_id)
    if not post.blog.is_public or not post.is_visible_now():
        raise Http404
    return render(
        request,
        "blog/public_post.html",
        {"title": post.title, "post": post, "blog": post.blog, "files": list(post.files.all()),
         "pupil_ids": _pupil_ids(post.blog)},
    )  # fmt: skip
