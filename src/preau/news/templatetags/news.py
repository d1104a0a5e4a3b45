from django import template

from preau.news.queries import news_visible_to

register = template.Library()
PORTAL_ITEMS = 4


@register.inclusion_tag("news/portal_block.html", takes_context=True)
def news_block(context):
    """The latest actualités for the person, on their home page (one query)."""
    return {"items": list(news_visible_to(context["request"].user)[:PORTAL_ITEMS])}
