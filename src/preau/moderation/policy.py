"""Who moderates what: the publication director of each space (conventions, art. 6).

A school's director answers for the school's and its classes' spaces; the commune's référent
ville for the commune's. For a pupil's contribution waiting for validation, the teachers the
service named (decider_ids) decide as well. Reporting is open to anyone who can see the item.
"""

from preau.core import moderation
from preau.directory.models import Profile
from preau.directory.queries import access_of

from .models import QueueItem


def director_scope(person) -> tuple[set[int], set[int]]:
    """(school ids, commune ids) whose publications `person` answers for."""
    access = access_of(person)
    if access.person is None:
        return set(), set()
    communes = {role.commune_id for role in access.roles if role.profile == Profile.CITY_REFERENT}
    return access.school_ids(Profile.DIRECTOR), communes


def is_publication_director(person, item: QueueItem) -> bool:
    schools, communes = director_scope(person)
    return (item.school_id is not None and item.school_id in schools) or (
        item.commune_id is not None and item.commune_id in communes
    )


def can_decide(person, item: QueueItem, verb: str, *, decider_ids: set[int] | None = None) -> bool:
    """`decider_ids`: the item's deciders when already loaded (else one query)."""
    if is_publication_director(person, item):
        return True
    if verb not in ("approve", "refuse") or item.state != QueueItem.State.PENDING or not getattr(person, "pk", None):
        return False
    # A teacher validates (or refuses) their pupils' contributions, nothing else.
    if decider_ids is None:
        return item.deciders.filter(pk=person.pk).exists()
    return person.pk in decider_ids


def can_open_queue(person) -> bool:
    schools, communes = director_scope(person)
    return bool(schools or communes or access_of(person).taught_class_ids)


def can_report(person, kind_code: str, object_id: int) -> bool:
    kind = moderation.kind(kind_code)
    return kind is not None and getattr(person, "is_authenticated", False) and kind.visible_to(person, object_id)


def can_edit_word_lists(person, academie) -> bool:
    return academie.id in access_of(person).academie_ids
