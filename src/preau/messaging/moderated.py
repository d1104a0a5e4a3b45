"""How the moderation queue sees a reported message (through core.moderation).

A message is private: the queue shows its words to the school's publication director, who
can warn its author (and suspend their right to write from the messagerie); it cannot be
"unpublished" from its recipients' mailboxes, which keep it for the legal retention period.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from preau.core import moderation

from . import queries
from .models import Message


def describe(message_id: int) -> moderation.Described | None:
    message = Message.objects.select_related("author").filter(pk=message_id).first()
    if message is None:
        return None
    return moderation.Described(
        title=_("Message : %(subject)s") % {"subject": message.subject},
        excerpt=message.body_text[:1000],
        author_id=message.author_id,
        author_label=message.author.full_name,
        url=reverse("messaging:conversation", args=[message.conversation_id]),
        school_id=message.school_id,
        is_published=True,
    )


def visible_to(person, message_id: int) -> bool:
    return queries.delivery_of(person, message_id) is not None


KIND = moderation.ModeratedKind(code="messaging.message", label=_("message"), describe=describe, visible_to=visible_to)
