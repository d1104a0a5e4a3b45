"""Reads of single sign-on: matching a federated identity to directory records, the providers
and partners an administrator sees, what the sign-in pages list."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from preau.directory.models import Academie, GuardianLink, Person, Role, School
from preau.directory.queries import access_of, people_with_roles_in, schools_visible_to

from .identity import AafKey, normalize_academie_code
from .models import FederatedLink, IdentityProvider, MergedRecord, PartnerService, SecurityKey, TotpDevice
from .policy import AGENT_PROFILES


def records_for_refids(keys: list[AafKey], *, pupils: bool) -> list[Person]:
    """The active directory records ÉduConnect's {AAF} references name: (académie, jointure).

    Only the family the affiliation says (guardians or pupils): a parent's reference never
    opens a child's account. Never a lookup by name.
    """
    if not keys:
        return []
    academies = {normalize_academie_code(code): pk for pk, code in Academie.objects.values_list("id", "code")}
    condition = Q(pk__in=[])
    for key in keys:
        if key.academie_code in academies:
            condition |= Q(academie_id=academies[key.academie_code], external_id=key.jointure)
    return list(
        Person.objects.filter(condition, is_active=True, external_category="Eleve" if pupils else "PersRelEleve")
        .select_related("academie")
        .order_by("pk")
    )


def staff_records_for_email(email: str, academie_id: int) -> list[Person]:
    """Active staff records of the académie with this académie e-mail.

    Staff: from the AAF's PersEducNat family or holding a staff profile; of the académie: their
    record comes from it or they hold a role in one of its structures. A guardian who gave the
    same address to the school is not staff, and is never matched this way.
    """
    if not email:
        return []
    staff = Q(external_category="PersEducNat") | Q(roles__profile__in=sorted(AGENT_PROFILES))
    in_academie = Q(academie_id=academie_id) | Q(pk__in=people_with_roles_in([academie_id]))
    return list(
        Person.objects.filter(staff, in_academie, email__iexact=email.strip(), is_active=True).distinct().order_by("pk")
    )


def link_for(provider: IdentityProvider, subject: str) -> FederatedLink | None:
    return FederatedLink.objects.filter(provider=provider, subject=subject).select_related("person").first()


def children_of_records(record_ids: list[int]) -> list[GuardianLink]:
    """The active children of guardian records, for the confirmation of a first match."""
    return list(GuardianLink.objects.filter(guardian_id__in=record_ids, child__is_active=True).select_related("child"))


def schools_of_staff(person: Person) -> list[School]:
    """The schools where the person holds a role, for the choice after an agent's sign-in."""
    return list(School.objects.filter(roles__person=person).distinct().select_related("commune").order_by("name"))


def school_academie_ids(person: Person) -> set[int]:
    """The académies of the schools the person works in or has a child in (one query)."""
    return set(schools_visible_to(person).values_list("circonscription__departement__academie_id", flat=True))


def providers_for_wayf(kind: str) -> list[IdentityProvider]:
    return list(
        IdentityProvider.objects.filter(kind=kind, is_active=True).select_related("academie").order_by("academie__name")
    )


def active_provider(slug: str) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(slug=slug, is_active=True).select_related("academie").first()


def _administered(person: Person) -> list[int]:
    return sorted(access_of(person).academie_ids)


def providers_administered_by(person: Person) -> QuerySet[IdentityProvider]:
    return IdentityProvider.objects.filter(academie_id__in=_administered(person)).select_related("academie")


def partners_administered_by(person: Person) -> QuerySet[PartnerService]:
    return PartnerService.objects.filter(academie_id__in=_administered(person)).select_related(
        "academie", "application"
    )


def merges_of_academie(academie_id: int) -> QuerySet[MergedRecord]:
    """Folded records of an académie, to follow the feed's changes of their children."""
    return MergedRecord.objects.filter(record__academie_id=academie_id)


def records_with_schools(record_ids: list[int]) -> list[Person]:
    """The records an agent chooses among, each with the schools of its roles."""
    return list(
        Person.objects.filter(pk__in=record_ids, is_active=True)
        .select_related("academie")
        .prefetch_related(
            Prefetch("roles", queryset=Role.objects.select_related("school", "circonscription"), to_attr="all_roles")
        )
        .order_by("pk")
    )


def schools_by_ids(school_ids: list[int]) -> list[School]:
    """Schools in the given order (the agent's FrEduRne ones first)."""
    found = School.objects.select_related("commune").in_bulk(school_ids)
    return [found[pk] for pk in school_ids if pk in found]


def providers_with_link_counts(person: Person) -> QuerySet[IdentityProvider]:
    return providers_administered_by(person).annotate(link_count=Count("links")).order_by("academie__name", "kind")


@dataclass(frozen=True)
class SecondFactors:
    """What protects a person's local sign-in besides the password."""

    application: bool  # a confirmed authenticator application
    keys: int  # security keys and passkeys

    @property
    def count(self) -> int:
        return int(self.application) + self.keys


def second_factors_of(person: Person) -> SecondFactors:
    """The person's second factors (two queries)."""
    return SecondFactors(
        application=TotpDevice.objects.filter(person=person, confirmed_at__isnull=False).exists(),
        keys=SecurityKey.objects.filter(person=person).count(),
    )
