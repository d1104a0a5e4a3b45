"""Who receives a message: the people and lists chosen, resolved under the rules at send time.

Families chosen one by one are hidden from each other unless they are one family; members of a
family list, or of a list larger than PREAU_MESSAGING_VISIBLE_LIST_MAX, are hidden too.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Enrolment, GuardianLink, Person, Role
from preau.directory.queries import access_of

from . import rules
from .models import Message


@dataclass
class Recipient:
    hidden: bool = False
    is_family: bool = False
    via_list: str = ""


@dataclass
class Resolved:
    """The recipients of a message as resolved at send time."""

    recipients: dict[int, Recipient] = field(default_factory=dict)
    lists: list[rules.RecipientList] = field(default_factory=list)
    list_summaries: list[dict] = field(default_factory=list)
    people_names: list[str] = field(default_factory=list)
    pupil_ids: set[int] = field(default_factory=set)

    @property
    def label(self) -> str:
        parts = [item["label"] for item in self.list_summaries] + self.people_names[:3]
        extra = len(self.people_names) - 3
        label = ", ".join(parts)
        if extra > 0:
            label += " " + ngettext("et %(n)d autre", "et %(n)d autres", extra) % {"n": extra}
        return label[:300]


def person_ids(values) -> set[int]:
    try:
        return {int(value) for value in values}
    except (TypeError, ValueError) as error:
        raise DomainError(_("Un des destinataires choisis n'existe pas."), field="people") from error


def writable_people(actor: Person, people_ids: set[int], reply_to: Message | None = None) -> dict[int, Person]:
    """The people among `people_ids` the actor may write to now, by name: those the rules
    allow, and the author of the message they answer. The composer offers what this returns;
    sending refuses the rest."""
    found = {
        person.pk: person
        for person in rules.allowed_recipients(actor).filter(pk__in=people_ids).only("first_name", "last_name")
    }
    if reply_to is not None and reply_to.author_id in people_ids and reply_to.author_id not in found:
        # Answering the author of a message one received is always allowed.
        found[reply_to.author_id] = reply_to.author
    return found


def resolve_recipients(
    actor: Person, people: Sequence, list_codes: Sequence[str], reply_to: Message | None = None
) -> Resolved:
    """Who receives the message, under the rules in force now; refuses what they forbid."""
    resolved = Resolved()
    people_ids = person_ids(people) - {actor.pk}
    found = writable_people(actor, people_ids, reply_to)
    refused = len(people_ids - found.keys())
    if refused:
        raise NotAllowed(
            _("Les règles de communication de l'école ne vous permettent pas d'écrire à %(n)d des personnes choisies.")
            % {"n": refused}
        )
    _add_people(resolved, found)
    if list_codes:
        _add_lists(actor, resolved, list_codes)
    resolved.recipients.pop(actor.pk, None)
    if not resolved.recipients:
        raise DomainError(_("Choisissez au moins un destinataire."), field="people")
    return resolved


def _add_people(resolved: Resolved, found: dict[int, Person]) -> None:
    if not found:
        return
    children: dict[int, set[int]] = {}
    for guardian_id, child_id in GuardianLink.objects.filter(guardian_id__in=list(found)).values_list(
        "guardian_id", "child_id"
    ):
        children.setdefault(guardian_id, set()).add(child_id)
    # Families see each other only when they are one family (parents of the same child).
    one_family = len(children) <= 1 or bool(set.intersection(*children.values()))
    too_many = len(found) > settings.PREAU_MESSAGING_VISIBLE_LIST_MAX
    for person_id, person in found.items():
        is_family = person_id in children
        resolved.recipients[person_id] = Recipient(
            hidden=too_many or (is_family and not one_family), is_family=is_family
        )
        resolved.people_names.append(person.full_name)
        resolved.pupil_ids |= children.get(person_id, set())


def _add_lists(actor: Person, resolved: Resolved, list_codes: Sequence[str]) -> None:
    available = {item.code: item for item in rules.lists_for(actor)}
    for code in dict.fromkeys(list_codes):
        item = available.get(code)
        if item is None:
            raise NotAllowed(_("Une des listes choisies ne vous est pas ouverte."))
        members = list(item.resolve().values_list("pk", flat=True))
        hidden = item.hidden or len(members) > settings.PREAU_MESSAGING_VISIBLE_LIST_MAX
        for person_id in members:
            resolved.recipients.setdefault(
                person_id, Recipient(hidden=hidden, is_family=item.families, via_list=item.code)
            )
        resolved.lists.append(item)
        resolved.list_summaries.append(
            {"code": item.code, "label": item.label, "count": len(members), "hidden": hidden}
        )
        if item.families:
            pupils = Enrolment.objects.filter(school_class__year=access_of(actor).year)
            if item.class_id:
                pupils = pupils.filter(school_class_id=item.class_id)
            else:
                pupils = pupils.filter(school_class__school_id=item.school_id)
            resolved.pupil_ids |= set(pupils.values_list("pupil_id", flat=True))


def school_of(actor: Person, resolved: Resolved, reply_to: Message | None) -> int | None:
    """The school the message belongs to: its list's, the replied message's, or the sender's."""
    for item in resolved.lists:
        if item.school_id:
            return item.school_id
    if reply_to is not None and reply_to.school_id:
        return reply_to.school_id
    access = access_of(actor)
    own = access.school_ids() | access.child_school_ids
    if len(own) == 1:
        return next(iter(own))
    roles = Role.objects.filter(person_id__in=list(resolved.recipients)[:500], school__isnull=False)
    if own:
        roles = roles.filter(school_id__in=own)
    return roles.order_by("school_id").values_list("school_id", flat=True).first() or (min(own) if own else None)
