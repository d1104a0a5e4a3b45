"""`{% unread_badge %}`: the header's link to the timeline with the number of unread entries.

The count comes from a cache the fan-out and the reads keep up to date: no query on most pages.
live.js updates it when a notification arrives.
"""

from django import template
from django.template.loader import render_to_string

from ..queries import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_badge(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return render_to_string("notifications/unread_badge.html", {"unread": unread_count(user)})
