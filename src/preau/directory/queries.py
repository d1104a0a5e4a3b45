"""Reads of the directory that depend on who is asking.

`access_of(person)` loads, once per request, everything that decides a person's scope: their
roles, the classes they teach and their children with their classes. Every other query and
every policy predicate reads it instead of going back to the database.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    ACADEMIE_PROFILES,
    CIRCONSCRIPTION_PROFILES,
    COMMUNE_PROFILES,
    DEPARTEMENT_PROFILES,
    Enrolment,
    GuardianLink,
    Person,
    Profile,
    Role,
    School,
    SchoolClass,
    current_school_year,
)


@dataclass
class Child:
    person: Person
    classes: list[SchoolClass]

    @property
    def school_ids(self) -> set[int]:
        return {c.school_id for c in self.classes}


@dataclass
class Access:
    """A person's scope, computed once. Empty for anonymous visitors."""

    person: Person | None
    year: int
    roles: list[Role] = field(default_factory=list)
    taught_classes: list[SchoolClass] = field(default_factory=list)
    own_classes: list[SchoolClass] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)

    @cached_property
    def profiles(self) -> set[str]:
        found = {role.profile for role in self.roles}
        if self.children:
            found.add(Profile.PARENT)
        return found

    def has(self, *profiles: str) -> bool:
        return bool(self.profiles.intersection(profiles))

    def _ids(self, attribute: str, profiles: set[str] | None = None) -> set[int]:
        return {
            getattr(role, attribute)
            for role in self.roles
            if getattr(role, attribute) is not None and (profiles is None or role.profile in profiles)
        }

    def school_ids(self, *profiles: str) -> set[int]:
        """Schools where the person holds one of `profiles` (any school profile if none)."""
        return self._ids("school_id", set(profiles) if profiles else None)

    @cached_property
    def commune_ids(self) -> set[int]:
        return self._ids("commune_id", COMMUNE_PROFILES)

    @cached_property
    def circonscription_ids(self) -> set[int]:
        return self._ids("circonscription_id", CIRCONSCRIPTION_PROFILES)

    @cached_property
    def departement_ids(self) -> set[int]:
        return self._ids("departement_id", DEPARTEMENT_PROFILES)

    @cached_property
    def academie_ids(self) -> set[int]:
        return self._ids("academie_id", ACADEMIE_PROFILES)

    @cached_property
    def child_school_ids(self) -> set[int]:
        return {school_id for child in self.children for school_id in child.school_ids}

    @cached_property
    def taught_class_ids(self) -> set[int]:
        return {c.id for c in self.taught_classes}

    @cached_property
    def child_ids(self) -> set[int]:
        return {child.person.id for child in self.children}

    def school_q(self, prefix: str = "") -> Q:
        """A filter on School (or, with a prefix such as "school__", on what has a school)."""
        q = Q(pk__in=[])
        conditions = [
            ("id__in", self.school_ids() | self.child_school_ids),
            ("commune_id__in", self.commune_ids),
            ("circonscription_id__in", self.circonscription_ids),
            ("circonscription__departement_id__in", self.departement_ids),
            ("circonscription__departement__academie_id__in", self.academie_ids),
        ]
        for lookup, ids in conditions:
            if ids:
                q |= Q(**{f"{prefix}{lookup}": ids})
        return q


def access_of(person) -> Access:
    """The scope of `person`, cached on the object for the rest of the request."""
    cached = getattr(person, "_preau_access", None)
    if cached is not None:
        return cached
    year = current_school_year()
    if person is None or not person.is_authenticated:
        return Access(person=None, year=year)
    roles = list(
        Role.objects.filter(person=person).select_related(
            "school", "commune", "circonscription", "departement", "academie"
        )
    )
    classes = list(
        SchoolClass.objects.filter(
            Q(teachings__teacher=person) | Q(enrolments__pupil=person), year=year
        )
        .select_related("school")
        .annotate(is_taught=Count("teachings", filter=Q(teachings__teacher=person)))
        .distinct()
    )
    links = GuardianLink.objects.filter(guardian=person).select_related("child").prefetch_related(
        Prefetch(
            "child__enrolments",
            queryset=Enrolment.objects.filter(school_class__year=year).select_related(
                "school_class__school"
            ),
        )
    )
    children = [
        Child(person=link.child, classes=[e.school_class for e in link.child.enrolments.all()])
        for link in links
        if link.child.is_active
    ]
    access = Access(
        person=person,
        year=year,
        roles=roles,
        taught_classes=[c for c in classes if c.is_taught],
        own_classes=[c for c in classes if not c.is_taught],
        children=sorted(children, key=lambda c: (c.person.birth_date is None, c.person.birth_date)),
    )
    person._preau_access = access
    return access


def schools_visible_to(person) -> QuerySet[School]:
    """The schools `person` may see: their own, their children's, their structures'."""
    return School.objects.filter(access_of(person).school_q()).select_related(
        "commune", "circonscription__departement__academie"
    )


def classes_visible_to(person, *, year: int | None = None) -> QuerySet[SchoolClass]:
    """Classes of the year: all of the schools a member of staff oversees, or one's own."""
    access = access_of(person)
    year = year or access.year
    staff_q = Q(school__in=[]) if not access.roles else staff_school_q(access, prefix="school__")
    own = {c.id for c in access.taught_classes + access.own_classes}
    own |= {c.id for child in access.children for c in child.classes}
    return (
        SchoolClass.objects.filter(Q(id__in=own) | staff_q, year=year)
        .select_related("school")
        .order_by("school__name", "name")
    )


def staff_school_q(access: Access, prefix: str = "") -> Q:
    """Schools overseen by the person as staff (directors and above), not as teacher or parent."""
    q = Q(pk__in=[])
    conditions = [
        ("id__in", access.school_ids(Profile.DIRECTOR)),
        ("circonscription_id__in", access.circonscription_ids),
        ("circonscription__departement_id__in", access.departement_ids),
        ("circonscription__departement__academie_id__in", access.academie_ids),
    ]
    for lookup, ids in conditions:
        if ids:
            q |= Q(**{f"{prefix}{lookup}": ids})
    return q


def pupils_of_class(school_class: SchoolClass) -> QuerySet[Person]:
    return Person.objects.filter(enrolments__school_class=school_class).order_by("last_name", "first_name")


def guardians_of_pupils(pupil_ids) -> QuerySet[GuardianLink]:
    return GuardianLink.objects.filter(child_id__in=pupil_ids).select_related("guardian")
