"""Reads of actualités and commune pages, scoped to who is asking."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.directory.models import (
    Commune,
    Enrolment,
    GuardianLink,
    Profile,
    Role,
    Teaching,
    current_school_year,
)
from preau.directory.queries import access_of

from .models import CommunePage, NewsItem
from .policy import CIRCONSCRIPTION_WRITERS, COMMUNE_WRITERS, Audience, Scope, readership


def live_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(withdrawn_at__isnull=True, publish_at__lte=now) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def news_visible_to(person, *, now=None) -> QuerySet[NewsItem]:
    """The items published for `person` and still current, newest first."""
    found = readership(person)
    q = Q(pk__in=[])
    pairs = [
        (Q(scope=Scope.CLASS), Q(school_class_id__in=found.class_ids) | Q(school_id__in=found.director_school_ids)),
        (Q(scope=Scope.SCHOOL, audience=Audience.EVERYONE), Q(school_id__in=found.school_everyone)),
        (Q(scope=Scope.SCHOOL, audience=Audience.FAMILIES), Q(school_id__in=found.school_families)),
        (Q(scope=Scope.SCHOOL, audience=Audience.STAFF), Q(school_id__in=found.school_staff)),
        (Q(scope=Scope.COMMUNE, audience=Audience.EVERYONE), Q(commune_id__in=found.commune_ids)),
        (Q(scope=Scope.COMMUNE, audience=Audience.FAMILIES), Q(commune_id__in=found.commune_families)),
        (Q(scope=Scope.COMMUNE, audience=Audience.STAFF), Q(commune_id__in=found.commune_staff)),
        (Q(scope=Scope.CIRCONSCRIPTION), Q(circonscription_id__in=found.circonscription_staff)),
        (Q(scope=Scope.ACADEMIE), Q(academie_id__in=found.academie_staff)),
    ]
    academies = found.staff_academies()
    if academies is not None:
        pairs.append((Q(scope=Scope.ACADEMIE), Q(academie_id__in=academies)))
    for scope_q, ids_q in pairs:
        q |= scope_q & ids_q
    return NewsItem.objects.filter(q & live_q(now)).order_by("-publish_at", "-id")


def news_managed_by(person) -> QuerySet[NewsItem]:
    """Everything `person` wrote or answers for, scheduled and expired included."""
    access = access_of(person)
    if access.person is None:
        return NewsItem.objects.none()
    referent_communes = {r.commune_id for r in access.roles if r.profile == Profile.CITY_REFERENT}
    ien_circonscriptions = {r.circonscription_id for r in access.roles if r.profile == Profile.IEN}
    q = Q(author=access.person)
    q |= Q(scope__in=[Scope.SCHOOL, Scope.CLASS], school_id__in=access.school_ids(Profile.DIRECTOR))
    q |= Q(scope=Scope.COMMUNE, commune_id__in=referent_communes)
    q |= Q(scope=Scope.CIRCONSCRIPTION, circonscription_id__in=ien_circonscriptions)
    q |= Q(scope=Scope.ACADEMIE, academie_id__in=access.academie_ids)
    return NewsItem.objects.filter(q).select_related("author", "withdrawn_by").order_by("-publish_at", "-id")


@dataclass(frozen=True)
class Target:
    """A place where a person may publish: its key is "scope:id" in the form."""

    scope: str
    structure: object
    label: str

    @property
    def key(self) -> str:
        return f"{self.scope}:{self.structure.pk}"


def publication_targets(person) -> list[Target]:
    access = access_of(person)
    targets = []
    for role in access.roles:
        if role.profile == Profile.DIRECTOR:
            targets.append(Target(Scope.SCHOOL, role.school, _("École %(name)s") % {"name": role.school.name}))
    for school_class in access.taught_classes:
        label = _("Classe %(name)s — %(school)s") % {"name": school_class.name, "school": school_class.school.name}
        targets.append(Target(Scope.CLASS, school_class, label))
    for role in access.roles:
        if role.profile in COMMUNE_WRITERS:
            targets.append(Target(Scope.COMMUNE, role.commune, _("Commune de %(name)s") % {"name": role.commune.name}))
        elif role.profile in CIRCONSCRIPTION_WRITERS:
            label = _("Circonscription %(name)s") % {"name": role.circonscription.name}
            targets.append(Target(Scope.CIRCONSCRIPTION, role.circonscription, label))
        elif role.profile == Profile.ACADEMIE_ADMIN:
            targets.append(
                Target(Scope.ACADEMIE, role.academie, _("Académie de %(name)s") % {"name": role.academie.name})
            )
    unique = {target.key: target for target in targets}
    return list(unique.values())


def communes_with_pages_for(person) -> QuerySet[Commune]:
    return Commune.objects.filter(id__in=readership(person).commune_ids).order_by("name")


def pages_of(commune: Commune, *, include_drafts: bool = False) -> QuerySet[CommunePage]:
    pages = CommunePage.objects.filter(commune=commune)
    return pages if include_drafts else pages.filter(is_published=True)


def audience_ids(item: NewsItem) -> list[int]:
    """The people told of a new item (the portal shows it to them as well)."""
    audience = item.audience
    families = audience in (Audience.EVERYONE, Audience.FAMILIES)
    staff = audience in (Audience.EVERYONE, Audience.STAFF)
    pupils = audience == Audience.EVERYONE
    if item.scope == Scope.CLASS:
        enrolments = Enrolment.objects.filter(school_class_id=item.school_class_id)
        teachers = Teaching.objects.filter(school_class_id=item.school_class_id).values_list("teacher_id", flat=True)
        return _people(enrolments, teachers, families=True, pupils=True)
    if item.scope == Scope.SCHOOL:
        enrolments = Enrolment.objects.filter(
            school_class__school_id=item.school_id, school_class__year=current_school_year()
        )
        staff_ids = Role.objects.filter(school_id=item.school_id, profile__in=[Profile.TEACHER, Profile.DIRECTOR])
        return _people(enrolments, staff_ids.values_list("person_id", flat=True) if staff else [], families, pupils)
    if item.scope == Scope.COMMUNE:
        enrolments = Enrolment.objects.filter(
            school_class__school__commune_id=item.commune_id, school_class__year=current_school_year()
        )
        staff_ids = Role.objects.filter(
            Q(school__commune_id=item.commune_id, profile__in=[Profile.TEACHER, Profile.DIRECTOR])
            | Q(commune_id=item.commune_id)
        ).values_list("person_id", flat=True)
        return _people(enrolments, staff_ids if staff else [], families, pupils=False)
    # The circonscription's and the académie's news are for staff, on their portal only: an
    # académie of 2,000 schools is not notified of each item.
    return []


def _people(enrolments, staff_ids, families: bool, pupils: bool) -> list[int]:
    ids: set[int] = set(staff_ids)
    pupil_ids = enrolments.values_list("pupil_id", flat=True)
    if pupils:
        ids.update(pupil_ids)
    if families:
        ids.update(GuardianLink.objects.filter(child_id__in=pupil_ids).values_list("guardian_id", flat=True))
    return sorted(ids)
