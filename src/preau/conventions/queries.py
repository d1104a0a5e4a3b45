"""Reads of the conventions, scoped to who asks (the same sets as `policy.py`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from preau.directory.models import Academie, Commune, Person, Profile, Role, School
from preau.directory.queries import access_of

from .models import BINDING_STATES, Convention, ConventionSchool, Coverage, FeeSchedule, TemplateVersion, Termination
from .policy import referent_commune_ids

ZERO = Decimal("0")
OPEN_TERMINATION = (Termination.State.CONCILIATION, Termination.State.NOTIFIED)


def _scope_q(person: Person, prefix: str = "") -> Q:
    access = access_of(person)
    q = Q(pk__in=[])
    for lookup, ids in (
        ("academie_id__in", access.academie_ids),
        ("departement_id__in", access.departement_ids),
        ("commune_id__in", referent_commune_ids(person)),
    ):
        if ids:
            q |= Q(**{f"{prefix}{lookup}": sorted(ids)})
    return q


def conventions_visible_to(
    person: Person,
    *,
    year: int | None = None,
    state: str = "",
    search: str = "",
) -> QuerySet[Convention]:
    """Conventions the person may read: their académie's, département's or own commune's.

    Narrowed by school year, state and a search on the commune's name or SIRET.
    """
    conventions = Convention.objects.filter(_scope_q(person)).select_related("commune", "departement")
    if year:
        conventions = conventions.filter(school_year=year)
    if state:
        conventions = conventions.filter(state=state)
    if search.strip():
        text = search.strip()
        conventions = conventions.filter(
            Q(commune__name__icontains=text) | Q(commune__siret__startswith=text) | Q(collectivite_name__icontains=text)
        )
    return conventions.order_by("-school_year", "commune__name", "-id")


def convention_for(person: Person, convention_id: int) -> Convention | None:
    """One convention with its schools and terminations, or None outside the person's scope."""
    return (
        Convention.objects.filter(_scope_q(person), pk=convention_id)
        .select_related("commune", "departement", "academie", "template", "renewed_from")
        .prefetch_related(
            Prefetch("enrolled", queryset=ConventionSchool.objects.order_by("uai")),
            Prefetch("terminations", queryset=Termination.objects.order_by("-notice_date", "-id")),
            Prefetch("renewals", queryset=Convention.objects.exclude(state=Convention.State.TERMINATED)),
        )
        .first()
    )


def termination_for(person: Person, termination_id: int) -> Termination | None:
    return (
        Termination.objects.filter(_scope_q(person, "convention__"), pk=termination_id)
        .select_related("convention__commune", "requested_by")
        .first()
    )


def academies_managed_by(person: Person) -> QuerySet[Academie]:
    return Academie.objects.filter(pk__in=sorted(access_of(person).academie_ids)).order_by("name")


def fee_schedules_of(person: Person) -> QuerySet[FeeSchedule]:
    return (
        FeeSchedule.objects.filter(academie_id__in=sorted(access_of(person).academie_ids))
        .select_related("academie", "set_by")
        .order_by("academie__name", "-school_year")
    )


def fee_for(academie_id: int, school_year: int) -> FeeSchedule | None:
    return FeeSchedule.objects.filter(academie_id=academie_id, school_year=school_year).first()


def current_template(academie_id: int) -> TemplateVersion | None:
    """The académie's latest model, or None: Préau's default text applies."""
    return TemplateVersion.objects.filter(academie_id=academie_id).order_by("-version").first()


def communes_for_conventions(person: Person) -> QuerySet[Commune]:
    """Communes whose conventions the person may draw up: those of their académies."""
    return (
        Commune.objects.filter(departement__academie_id__in=sorted(access_of(person).academie_ids))
        .select_related("departement__academie__region")
        .order_by("name")
    )


def enrollable_schools(commune: Commune) -> QuerySet[School]:
    """The commune's schools a convention may enrol: those the directory still lists."""
    return School.objects.filter(commune=commune, detached_at__isnull=True).order_by("name")


def academie_admin_ids(academie_ids) -> dict[int, set[int]]:
    """Académie id → its administrators' ids, in one query."""
    found: dict[int, set[int]] = defaultdict(set)
    for academie_id, person_id in Role.objects.filter(
        profile=Profile.ACADEMIE_ADMIN, academie_id__in=set(academie_ids)
    ).values_list("academie_id", "person_id"):
        found[academie_id].add(person_id)
    return found


def referent_ids(commune_ids) -> dict[int, set[int]]:
    """Commune id → its référents ville's ids, in one query."""
    found: dict[int, set[int]] = defaultdict(set)
    for commune_id, person_id in Role.objects.filter(
        profile=Profile.CITY_REFERENT, commune_id__in=set(commune_ids)
    ).values_list("commune_id", "person_id"):
        found[commune_id].add(person_id)
    return found


def director_ids(school_ids) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for school_id, person_id in Role.objects.filter(
        profile=Profile.DIRECTOR, school_id__in=set(school_ids)
    ).values_list("school_id", "person_id"):
        found[school_id].add(person_id)
    return found


# --- Coverage -------------------------------------------------------------------------------


@dataclass
class SchoolCoverage:
    school: School
    coverage: Coverage | None
    conventions: list[Convention]  # this year's and next year's, newest first

    @property
    def covering(self) -> Convention | None:
        return self.coverage.convention if self.coverage and self.coverage.state == Coverage.State.COVERED else None


def coverage_for(person: Person, *, today: datetime.date) -> list[SchoolCoverage]:
    """The schools the person directs, or their communes' as référent, with their coverage.

    Three queries whatever the number of schools.
    """
    access = access_of(person)
    schools = list(
        School.objects.filter(
            Q(id__in=sorted(access.school_ids(Profile.DIRECTOR)))
            | Q(commune_id__in=sorted(referent_commune_ids(person)))
        )
        .select_related("commune")
        .order_by("commune__name", "name")
    )
    ids = [school.id for school in schools]
    coverages = {c.school_id: c for c in Coverage.objects.filter(school_id__in=ids).select_related("convention")}
    by_school: dict[int, list[Convention]] = defaultdict(list)
    year = access.year
    for enrolled in (
        ConventionSchool.objects.filter(school_id__in=ids, convention__school_year__gte=year)
        .exclude(convention__state=Convention.State.TERMINATED)
        .select_related("convention")
        .order_by("-convention__school_year")
    ):
        by_school[enrolled.school_id].append(enrolled.convention)
    return [SchoolCoverage(school, coverages.get(school.id), by_school.get(school.id, [])) for school in schools]


# --- Dashboard ------------------------------------------------------------------------------


@dataclass
class Dashboard:
    year: int
    totals: dict = field(default_factory=dict)
    by_state: list[dict] = field(default_factory=list)
    by_academie: list[dict] = field(default_factory=list)
    by_departement: list[dict] = field(default_factory=list)
    by_year: list[dict] = field(default_factory=list)
    to_renew: list[Convention] = field(default_factory=list)
    to_renew_count: int = 0
    terminations: list[Termination] = field(default_factory=list)


MONEY = {
    "schools": Coalesce(Sum("school_count"), 0),
    "due": Coalesce(Sum("amount_due"), ZERO),
    "collected": Coalesce(Sum("amount_due", filter=Q(titre_state=Convention.Titre.PAID)), ZERO),
    "issued": Coalesce(Sum("amount_due", filter=~Q(titre_state=Convention.Titre.TO_ISSUE)), ZERO),
}


def to_renew(person: Person, year: int) -> QuerySet[Convention]:
    """Signed conventions of `year` (running or expired) with no convention yet for the next year."""
    following = Convention.objects.filter(school_year=year + 1).exclude(state=Convention.State.TERMINATED)
    return (
        conventions_visible_to(person, year=year)
        .filter(state__in=[Convention.State.SIGNED, Convention.State.EXPIRED])
        .exclude(commune_id__in=following.values("commune_id"))
        .order_by("end_date", "commune__name")
    )


def dashboard_for(person: Person, year: int, *, list_size: int = 20) -> Dashboard:
    """Enrolment and money of the year in the person's scope, at a constant number of queries.

    Schools enrolled and fees count signed conventions only (signed, expired or terminated:
    sums received are never refunded, art. 11); `by_state` shows every convention of the year.
    """
    visible = conventions_visible_to(person)
    of_year = visible.filter(school_year=year).order_by()
    binding = of_year.filter(state__in=BINDING_STATES)
    dashboard = Dashboard(year=year)
    dashboard.totals = binding.aggregate(conventions=Count("id"), **MONEY)
    dashboard.by_state = list(
        of_year.values("state").annotate(conventions=Count("id"), schools=Coalesce(Sum("school_count"), 0))
    )
    labels = dict(Convention.State.choices)
    for row in dashboard.by_state:
        row["label"] = labels[row["state"]]
    dashboard.by_academie = list(
        binding.values("academie__name")
        .annotate(communes=Count("commune_id", distinct=True), **MONEY)
        .order_by("academie__name")
    )
    dashboard.by_departement = list(
        binding.values("departement__code", "departement__name")
        .annotate(communes=Count("commune_id", distinct=True), **MONEY)
        .order_by("departement__code")
    )
    dashboard.by_year = list(
        visible.filter(state__in=BINDING_STATES)
        .order_by()
        .values("school_year")
        .annotate(conventions=Count("id"), **MONEY)
        .order_by("-school_year")
    )
    renew = to_renew(person, year)
    dashboard.to_renew = list(renew[:list_size])
    dashboard.to_renew_count = renew.count()
    dashboard.terminations = list(
        Termination.objects.filter(_scope_q(person, "convention__"), state__in=OPEN_TERMINATION)
        .select_related("convention__commune")
        .order_by("conciliation_deadline")[:list_size]
    )
    return dashboard


def communes_of_year(person: Person, year: int) -> QuerySet[Convention]:
    """The signed conventions of the year, one per commune, for the per-commune table."""
    return (
        conventions_visible_to(person, year=year)
        .filter(state__in=BINDING_STATES)
        .order_by("departement__code", "commune__name")
    )


def conventions_for_export(person: Person, year: int) -> QuerySet[Convention]:
    """Every convention of the year with its schools (one prefetch), for the CSV export."""
    return conventions_visible_to(person, year=year).prefetch_related(
        Prefetch("enrolled", queryset=ConventionSchool.objects.order_by("uai"))
    )
