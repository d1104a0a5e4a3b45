"""How each person wants to hear of each kind of notice: e-mail (immediate, digest or none) and push.

The timeline always shows every notice. Until a person chooses, the kind's default channels
(`NoticeKind.default_channels`) decide.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from preau.core import notices
from preau.core.notices import DIGEST, EMAIL, PUSH, NoticeKind

from .models import EmailMode, Preference


@dataclass(frozen=True)
class Choice:
    email: str  # an EmailMode
    push: bool


def default_choice(kind_code: str) -> Choice:
    kind = notices.kind(kind_code)
    channels = kind.default_channels if kind else NoticeKind(kind_code, kind_code).default_channels
    if EMAIL in channels:
        email = EmailMode.IMMEDIATE
    elif DIGEST in channels:
        email = EmailMode.DIGEST
    else:
        email = EmailMode.NONE
    return Choice(email=email, push=PUSH in channels)


def choices_for(person_ids: Iterable[int], kind_code: str) -> dict[int, Choice]:
    """person id → their choice for `kind_code`, defaults included. One query."""
    person_ids = list(person_ids)
    chosen = {
        person_id: Choice(email=email, push=push)
        for person_id, email, push in Preference.objects.filter(person_id__in=person_ids, kind=kind_code).values_list(
            "person_id", "email", "push"
        )
    }
    default = default_choice(kind_code)
    return {person_id: chosen.get(person_id, default) for person_id in person_ids}


def choices_of(person) -> list[tuple[NoticeKind, Choice]]:
    """Every registered kind with the person's choice, in the order of the preferences page. One query."""
    chosen = {
        kind: Choice(email=email, push=push)
        for kind, email, push in Preference.objects.filter(person=person).values_list("kind", "email", "push")
    }
    return [(kind, chosen.get(kind.code, default_choice(kind.code))) for kind in notices.kinds()]
