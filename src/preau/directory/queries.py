"""Reads of the directory that depend on who is asking.

`access_of(person)` loads, once per request, everything that decides a person's scope: their
roles, the classes they teach and their children with their classes. Every other query and
every policy predicate reads it instead of going back to the database.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Prefetch, Q, QuerySet

from preau.core.models import AuditEntry

from .models import (
    ACADEMIE_PROFILES,
    CIRCONSCRIPTION_PROFILES,
    COMMUNE_PROFILES,
    DEPARTEMENT_PROFILES,
    Academie,
    Commune,
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
        SchoolClass.objects.filter(Q(teachings__teacher=person) | Q(enrolments__pupil=person), year=year)
        .select_related("school")
        .annotate(is_taught=Count("teachings", filter=Q(teachings__teacher=person)))
        .distinct()
    )
    links = (
        GuardianLink.objects.filter(guardian=person)
        .select_related("child")
        .prefetch_related(
            Prefetch(
                "child__enrolments",
                queryset=Enrolment.objects.filter(school_class__year=year).select_related("school_class__school"),
            )
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


def enrolled_pupil_ids(**where) -> list[int]:
    """The ids of the active pupils enrolled where `where` says (Enrolment lookups:
    `school_class_id=…`, `school_class__school_id=…, school_class__year=…`): the audience of a
    class's or a school's news, whose families the services tell."""
    return list(Enrolment.objects.filter(pupil__is_active=True, **where).values_list("pupil_id", flat=True).distinct())


def guardian_ids_of(pupil_ids) -> list[int]:
    """The legal guardians of these pupils, each once, in id order."""
    return sorted(set(GuardianLink.objects.filter(child_id__in=list(pupil_ids)).values_list("guardian_id", flat=True)))


# --- Consoles -----------------------------------------------------------------------------


def schools_overseen_by(person) -> QuerySet[School]:
    """Schools whose console the person may open: as director, IEN/CPC/ERUN, DSDEN or académie."""
    return (
        School.objects.filter(staff_school_q(access_of(person)))
        .select_related("commune", "circonscription__departement")
        .order_by("name")
    )


def search_schools(schools: QuerySet[School], text: str) -> QuerySet[School]:
    """Narrow `schools` to those whose name, UAI or commune contains `text`."""
    text = text.strip()
    if not text:
        return schools
    return schools.filter(
        Q(name__icontains=text) | Q(uai__icontains=text) | Q(commune__name__icontains=text) | Q(city__icontains=text)
    )


def school_classes_overview(school: School, year: int) -> QuerySet[SchoolClass]:
    """The school's classes of `year`, each with its teachers and counts of pupils and parents.

    `pupil_count`, `parent_count` and `activated_parent_count` are annotated, teachers are
    prefetched: two queries whatever the size of the school.
    """
    guardian = "enrolments__pupil__guardian_links__guardian"
    return (
        SchoolClass.objects.filter(school=school, year=year)
        .annotate(
            pupil_count=Count("enrolments", distinct=True),
            parent_count=Count(guardian, distinct=True),
            activated_parent_count=Count(
                guardian, distinct=True, filter=Q(**{f"{guardian}__activated_at__isnull": False})
            ),
        )
        .prefetch_related(Prefetch("teachers", queryset=Person.objects.order_by("last_name")))
        .order_by("name")
    )


def teachers_of_school(school: School, year: int) -> QuerySet[Person]:
    """People holding a teacher or director role in the school, with their classes of `year`."""
    return (
        Person.objects.filter(roles__school=school, roles__profile__in=[Profile.TEACHER, Profile.DIRECTOR])
        .distinct()
        .prefetch_related(
            Prefetch(
                "taught_classes",
                queryset=SchoolClass.objects.filter(school=school, year=year).order_by("name"),
                to_attr="classes_of_year",
            ),
            Prefetch("roles", queryset=Role.objects.filter(school=school), to_attr="school_roles"),
        )
        .order_by("last_name", "first_name")
    )


def class_register(school_class: SchoolClass) -> QuerySet[Person]:
    """The pupils of a class with their guardians (`guardian_links` prefetched, guardian joined)."""
    return pupils_of_class(school_class).prefetch_related(
        Prefetch(
            "guardian_links",
            queryset=GuardianLink.objects.select_related("guardian").order_by(
                "guardian__last_name", "guardian__first_name"
            ),
        )
    )


def classes_taught_by(person, *, year: int | None = None) -> QuerySet[SchoolClass]:
    """The classes a teacher teaches this year, with their school and pupil count."""
    return (
        SchoolClass.objects.filter(teachings__teacher=person, year=year or access_of(person).year)
        .select_related("school")
        .annotate(pupil_count=Count("enrolments", distinct=True))
        .order_by("school__name", "name")
    )


# --- Académie console -----------------------------------------------------------------------


def academies_administered_by(person) -> QuerySet[Academie]:
    """The académies whose console the person may use: all of them for operators."""
    academies = Academie.objects.order_by("name")
    if person.is_superuser:
        return academies
    return academies.filter(id__in=access_of(person).academie_ids)


def schools_administered_by(person) -> QuerySet[School]:
    """Schools the person may edit in the académie console."""
    schools = School.objects.select_related("commune", "circonscription__departement")
    if person.is_superuser:
        return schools
    return schools.filter(circonscription__departement__academie_id__in=access_of(person).academie_ids)


def communes_administered_by(person) -> QuerySet[Commune]:
    communes = Commune.objects.select_related("departement")
    if person.is_superuser:
        return communes
    return communes.filter(departement__academie_id__in=access_of(person).academie_ids)


def academie_administrators(academie: Academie) -> QuerySet[Person]:
    return Person.objects.filter(roles__academie=academie, roles__profile=Profile.ACADEMIE_ADMIN).order_by(
        "last_name", "first_name"
    )


# --- Journal ------------------------------------------------------------------------------


def people_with_roles_in(academie_ids) -> QuerySet[Role]:
    """Person ids holding any role in a structure of the académies (a subquery)."""
    return Role.objects.filter(
        Q(school__circonscription__departement__academie_id__in=academie_ids)
        | Q(commune__departement__academie_id__in=academie_ids)
        | Q(circonscription__departement__academie_id__in=academie_ids)
        | Q(departement__academie_id__in=academie_ids)
        | Q(academie_id__in=academie_ids)
    ).values("person_id")


def audit_entries_visible_to(
    person,
    *,
    who: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Journal entries the person may read, narrowed by the search filters.

    Operators (superusers) read everything. An académie administrator reads the entries
    scoped to their académies, to their académies' schools, or whose author or subject holds a
    role there. Anyone else reads nothing. One query, the scope as subqueries.
    """
    entries = AuditEntry.objects.all()
    if not person.is_superuser:
        academie_ids = sorted(access_of(person).academie_ids)
        if not academie_ids:
            return AuditEntry.objects.none()
        school_ids = School.objects.filter(circonscription__departement__academie_id__in=academie_ids).values("id")
        people = people_with_roles_in(academie_ids)
        entries = entries.filter(
            Q(academie_id__in=academie_ids)
            | Q(school_id__in=school_ids)
            | Q(actor_id__in=people)
            | Q(subject_id__in=people)
        )
    who = who.strip()
    if who:
        entries = entries.filter(
            Q(actor_label__icontains=who)
            | Q(subject_label__icontains=who)
            | Q(actor__username__iexact=who)
            | Q(subject__username__iexact=who)
        )
    if action.strip():
        entries = entries.filter(action__startswith=action.strip())
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries.order_by("-at", "-id")
