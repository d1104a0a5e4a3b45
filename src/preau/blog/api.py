"""JSON of a blog's posts, for apps and integrations: the same scoped queries as the pages."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import policy, queries
from .models import Blog

API_LIMIT = 50


@require_GET
def posts(request, blog_id: int):
    blog = get_object_or_404(Blog.objects.select_related("group"), pk=blog_id)
    if not policy.can_read_blog(request.user, blog):
        raise Http404
    return JsonResponse(
        {
            "blog": {"id": blog.pk, "titre": blog.title},
            "articles": [
                {
                    "id": post.pk,
                    "titre": post.title,
                    "auteur": post.author.full_name,
                    "publie_le": post.publish_at.isoformat(),
                    "categories": [c.name for c in post.categories.all()],
                    "commentaires": post.published_comments,
                    "texte_html": post.body,
                    "url": reverse("blog:post", args=[post.pk]),
                }
                for post in queries.published_posts(blog)[:API_LIMIT]
            ],
        }
    )
