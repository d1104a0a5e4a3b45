"""`{% agenda_upcoming %}`: what is coming up in the person's agenda, for the portal."""

from django import template
from django.conf import settings
from django.utils import timezone

from preau.agenda import policy, queries

register = template.Library()


@register.inclusion_tag("agenda/upcoming_block.html", takes_context=True)
def agenda_upcoming(context, limit: int = 5, heading_level: int = 2):
    request = context["request"]
    person = request.user
    items = []
    if person.is_authenticated and policy.has_agenda(person):
        items = queries.upcoming_for(
            person, today=timezone.localdate(), days=settings.PREAU_AGENDA_UPCOMING_DAYS, limit=limit
        )
    return {"items": items, "heading_level": heading_level, "shown": person.is_authenticated}
