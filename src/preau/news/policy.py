"""Who publishes and who reads actualités and the commune's pages.

Writers are the publication directors of the conventions (art. 6) and those they delegate to:
a school's director, a class's teachers, the commune's référent and contributeurs, the
circonscription's IEN and advisers, the académie's administrators. Readers follow from the
structure the item belongs to and its audience, computed once from `access_of`.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from preau.directory.models import Departement, Profile
from preau.directory.queries import access_of

from .models import NewsItem

Scope, Audience = NewsItem.Scope, NewsItem.Audience
SCHOOL_STAFF = (Profile.TEACHER, Profile.DIRECTOR)
COMMUNE_WRITERS = {Profile.CITY_REFERENT, Profile.CITY_CONTRIBUTOR}
CIRCONSCRIPTION_WRITERS = {Profile.IEN, Profile.ADVISOR, Profile.ERUN}
# Staff who read the académie's news for staff (they belong to the académie by their account).
ACADEMIE_STAFF = {
    Profile.TEACHER, Profile.DIRECTOR, Profile.ADVISOR, Profile.ERUN, Profile.IEN,
    Profile.DSDEN_ADMIN, Profile.ACADEMIE_ADMIN,
}  # fmt: skip
AUDIENCES = {
    Scope.SCHOOL: [Audience.EVERYONE, Audience.FAMILIES, Audience.STAFF],
    Scope.CLASS: [Audience.EVERYONE],
    Scope.COMMUNE: [Audience.EVERYONE, Audience.FAMILIES, Audience.STAFF],
    Scope.CIRCONSCRIPTION: [Audience.STAFF],
    Scope.ACADEMIE: [Audience.STAFF],
}


@dataclass
class Readership:
    """The structures whose items a person reads, per audience."""

    class_ids: set[int] = field(default_factory=set)
    director_school_ids: set[int] = field(default_factory=set)  # every class's news of these schools
    school_everyone: set[int] = field(default_factory=set)
    school_families: set[int] = field(default_factory=set)
    school_staff: set[int] = field(default_factory=set)
    commune_families: set[int] = field(default_factory=set)
    commune_staff: set[int] = field(default_factory=set)
    circonscription_staff: set[int] = field(default_factory=set)
    academie_staff: set[int] = field(default_factory=set)
    # Staff belong to the académie of their school, circonscription or département: found
    # by a subquery of the news query itself (see `staff_academies`).
    staff_school_ids: set[int] = field(default_factory=set)
    staff_departement_ids: set[int] = field(default_factory=set)

    @cached_property
    def commune_ids(self) -> set[int]:
        return self.commune_families | self.commune_staff

    def staff_academies(self):
        """The académies of the person's staff structures, as a subquery (None if no such structure)."""
        if not (self.staff_school_ids or self.circonscription_staff or self.staff_departement_ids):
            return None
        return Departement.objects.filter(
            Q(id__in=self.staff_departement_ids)
            | Q(circonscriptions__id__in=self.circonscription_staff)
            | Q(circonscriptions__schools__id__in=self.staff_school_ids)
        ).values("academie_id")


def readership(person) -> Readership:
    access = access_of(person)
    cached = getattr(access, "_news_readership", None)
    if cached is not None:
        return cached
    found = Readership()
    if access.person is None:
        return found
    staff_schools = [role.school for role in access.roles if role.profile in SCHOOL_STAFF]
    family_schools = [school_class.school for child in access.children for school_class in child.classes]
    found.class_ids = access.taught_class_ids | {c.id for c in access.own_classes}
    found.class_ids |= {school_class.id for child in access.children for school_class in child.classes}
    found.director_school_ids = access.school_ids(Profile.DIRECTOR)
    found.school_staff = {school.id for school in staff_schools}
    found.school_families = access.child_school_ids | access.school_ids(Profile.ELECTED_PARENT) | found.school_staff
    found.school_everyone = found.school_families | access.school_ids(Profile.PUPIL)
    found.commune_staff = access.commune_ids | {school.commune_id for school in staff_schools}
    found.commune_families = (
        {school.commune_id for school in family_schools} | access.commune_ids | {s.commune_id for s in staff_schools}
    )
    found.circonscription_staff = access.circonscription_ids | {
        school.circonscription_id for school in staff_schools if school.circonscription_id
    }
    found.academie_staff = set(access.academie_ids)
    if person.academie_id and access.has(*ACADEMIE_STAFF):
        found.academie_staff.add(person.academie_id)
    found.staff_school_ids = found.school_staff
    found.staff_departement_ids = access.departement_ids
    access._news_readership = found
    return found


def can_read(person, item: NewsItem) -> bool:
    return item.author_id == getattr(person, "pk", None) or can_manage(person, item) or is_reader(person, item)


def is_reader(person, item: NewsItem) -> bool:
    """Is `person` among the item's audience? (`queries.news_visible_to` is the same rule in SQL.)"""
    found = readership(person)
    audience = item.audience
    match item.scope:
        case Scope.CLASS:
            return item.school_class_id in found.class_ids or item.school_id in found.director_school_ids
        case Scope.SCHOOL:
            ids = {
                Audience.EVERYONE: found.school_everyone,
                Audience.FAMILIES: found.school_families,
                Audience.STAFF: found.school_staff,
            }[audience]
            return item.school_id in ids
        case Scope.COMMUNE:
            ids = {
                Audience.EVERYONE: found.commune_ids,
                Audience.FAMILIES: found.commune_families,
                Audience.STAFF: found.commune_staff,
            }[audience]
            return item.commune_id in ids
        case Scope.CIRCONSCRIPTION:
            return item.circonscription_id in found.circonscription_staff
        case Scope.ACADEMIE:
            if item.academie_id in found.academie_staff:
                return True
            academies = found.staff_academies()
            return academies is not None and academies.filter(academie_id=item.academie_id).exists()
    return False


def can_publish(person, scope: str, structure) -> bool:
    """May `person` publish in `structure` (a School, SchoolClass, Commune, …) at `scope`?"""
    return structure is not None and publishes_in(person, scope, structure.id)


def publishes_in(person, scope: str, structure_id: int | None) -> bool:
    access = access_of(person)
    if access.person is None or structure_id is None:
        return False
    match scope:
        case Scope.SCHOOL:
            return structure_id in access.school_ids(Profile.DIRECTOR)
        case Scope.CLASS:
            return structure_id in access.taught_class_ids
        case Scope.COMMUNE:
            return any(r.commune_id == structure_id and r.profile in COMMUNE_WRITERS for r in access.roles)
        case Scope.CIRCONSCRIPTION:
            return any(
                r.circonscription_id == structure_id and r.profile in CIRCONSCRIPTION_WRITERS for r in access.roles
            )
        case Scope.ACADEMIE:
            return structure_id in access.academie_ids
    return False


def is_publication_director(person, item: NewsItem) -> bool:
    """The one who answers for the item: the school's director, the commune's référent, …"""
    access = access_of(person)
    if access.person is None:
        return False
    match item.scope:
        case Scope.SCHOOL | Scope.CLASS:
            return item.school_id in access.school_ids(Profile.DIRECTOR)
        case Scope.COMMUNE:
            return any(r.commune_id == item.commune_id and r.profile == Profile.CITY_REFERENT for r in access.roles)
        case Scope.CIRCONSCRIPTION:
            return any(
                r.circonscription_id == item.circonscription_id and r.profile == Profile.IEN for r in access.roles
            )
        case Scope.ACADEMIE:
            return item.academie_id in access.academie_ids
    return False


def can_manage(person, item: NewsItem) -> bool:
    """Edit, reschedule or withdraw: the author while they may still publish there, or the director."""
    if is_publication_director(person, item):
        return True
    return item.author_id == getattr(person, "pk", None) and publishes_in(person, item.scope, structure_id(item))


def structure_id(item: NewsItem) -> int | None:
    return {
        Scope.SCHOOL: item.school_id,
        Scope.CLASS: item.school_class_id,
        Scope.COMMUNE: item.commune_id,
        Scope.CIRCONSCRIPTION: item.circonscription_id,
        Scope.ACADEMIE: item.academie_id,
    }[item.scope]


def can_publish_somewhere(person) -> bool:
    access = access_of(person)
    return bool(
        access.school_ids(Profile.DIRECTOR)
        or access.taught_class_ids
        or any(r.profile in COMMUNE_WRITERS | CIRCONSCRIPTION_WRITERS for r in access.roles)
        or access.academie_ids
    )


def can_read_commune_pages(person, commune) -> bool:
    return commune.id in readership(person).commune_ids


def can_edit_commune_pages(person, commune) -> bool:
    return can_publish(person, Scope.COMMUNE, commune)
