"""Reads of the accounts app. The views check the policy on the class first."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from preau.directory.models import (
    Enrolment,
    GuardianLink,
    Person,
    School,
    SchoolClass,
    current_school_year,
)

from .models import ActivationCode, LoginCard


def class_for_staff(class_id: int) -> QuerySet[SchoolClass]:
    """The class with what the policy predicates read (school and its structures)."""
    return SchoolClass.objects.filter(pk=class_id).select_related("school__circonscription__departement")


def pupil_in_class(pupil_id: int, school_class: SchoolClass) -> Person | None:
    return Person.objects.filter(pk=pupil_id, is_active=True, enrolments__school_class=school_class).first()


def classes_of_pupil(pupil: Person) -> list[SchoolClass]:
    """The pupil's classes this year, ready for the policy predicates."""
    return list(
        SchoolClass.objects.filter(enrolments__pupil=pupil, year=current_school_year()).select_related(
            "school__circonscription__departement"
        )
    )


def schools_of_children(parent: Person) -> list[School]:
    """The schools of a parent's children this year, ready for the policy predicates."""
    return list(
        School.objects.filter(
            classes__enrolments__pupil__guardian_links__guardian=parent,
            classes__enrolments__pupil__is_active=True,
            classes__year=current_school_year(),
        )
        .select_related("circonscription__departement")
        .distinct()
    )


def pupils_with_cards(school_class: SchoolClass) -> list[Person]:
    """The class's pupils, each with `cards` (newest first): two queries whatever the size."""
    cards = LoginCard.objects.order_by("-created_at")
    return list(
        Person.objects.filter(enrolments__school_class=school_class, is_active=True)
        .order_by("first_name", "last_name")
        .prefetch_related(Prefetch("login_cards", queryset=cards, to_attr="cards"))
    )


def active_card(pupil: Person) -> LoginCard | None:
    """The card in use among `pupil.cards` (as `pupils_with_cards` loads them)."""
    return next((card for card in pupil.cards if card.revoked_at is None), None)


def pupils_for_tablet(school_class: SchoolClass) -> list[Person]:
    return list(
        Person.objects.filter(enrolments__school_class=school_class, is_active=True)
        .order_by("first_name", "last_name")
        .only("id", "first_name", "last_name")
    )


@dataclass
class ParentOfClass:
    parent: Person
    # (first name, class name) of each of the parent's children in the school this year.
    children: list[tuple[str, str]] = field(default_factory=list)
    codes: list[ActivationCode] = field(default_factory=list)

    @property
    def last_code(self) -> ActivationCode | None:
        return self.codes[0] if self.codes else None


def parents_of_class(
    school_class: SchoolClass, *, include_activated: bool = True, parent_ids: list[int] | None = None
) -> list[ParentOfClass]:
    """The parents of the class's pupils, with their children in the school and their codes.

    Three queries whatever the size of the class.
    """
    links = GuardianLink.objects.filter(
        child__enrolments__school_class=school_class, child__is_active=True, guardian__is_active=True
    )
    if parent_ids is not None:
        links = links.filter(guardian_id__in=parent_ids)
    if not include_activated:
        links = links.filter(guardian__activated_at__isnull=True)
    codes = ActivationCode.objects.order_by("-created_at")
    parents = {
        link.guardian.id: ParentOfClass(parent=link.guardian)
        for link in links.select_related("guardian")
        .prefetch_related(Prefetch("guardian__activation_codes", queryset=codes))
        .order_by("guardian__last_name", "guardian__first_name", "guardian_id")
    }
    for row in parents.values():
        row.codes = list(row.parent.activation_codes.all())
    enrolments = (
        Enrolment.objects.filter(
            pupil__guardian_links__guardian_id__in=list(parents),
            pupil__is_active=True,
            school_class__school_id=school_class.school_id,
            school_class__year=school_class.year,
        )
        .values_list("pupil__guardian_links__guardian_id", "pupil__first_name", "school_class__name")
        .order_by("pupil__first_name")
    )
    for guardian_id, first_name, class_name in enrolments:
        parents[guardian_id].children.append((first_name, class_name))
    return list(parents.values())
