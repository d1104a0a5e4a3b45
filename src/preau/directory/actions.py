"""Writes of the directory made from the consoles: structures, administrators, the rentrée.

Each action checks the policy, changes data in one transaction and writes the journal with
the académie and school it concerns, so that `audit_entries_visible_to` can scope it. Imports
(the feeder) have their own actions; these are the hand-made changes.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from preau.core import audit, events
from preau.core.errors import DomainError, NotAllowed

from . import policy
from .models import (
    Academie,
    Circonscription,
    Commune,
    Departement,
    Enrolment,
    Level,
    Person,
    Profile,
    Role,
    School,
    SchoolClass,
    Teaching,
)
from .validators import normalize_siret, normalize_uai, validate_siret, validate_uai

SCHOOL_FIELDS = (
    "uai",
    "name",
    "kind",
    "sector",
    "circonscription",
    "commune",
    "address",
    "postcode",
    "city",
    "email",
    "is_active",
)
COMMUNE_FIELDS = ("departement", "name", "insee_code", "siret", "address")


def _validated(validator, value: str, field_name: str) -> None:
    try:
        validator(value)
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field_name) from error


def _require_academie(actor: Person, academie: Academie) -> None:
    if not policy.can_administer_academie(actor, academie):
        raise NotAllowed(_("Vous n'administrez pas l'académie %(academie)s.") % {"academie": academie})


def _academie_of_school(school: School) -> Academie:
    return school.circonscription.departement.academie


# --- Schools ------------------------------------------------------------------------------


def _check_school_fields(actor: Person, values: dict, *, school: School | None = None) -> None:
    values["uai"] = normalize_uai(values["uai"])
    _validated(validate_uai, values["uai"], "uai")
    circonscription, commune = values["circonscription"], values["commune"]
    academie = circonscription.departement.academie
    _require_academie(actor, academie)
    if commune.departement.academie_id != academie.id:
        raise DomainError(
            _("La commune %(commune)s n'est pas dans l'académie de la circonscription choisie.") % {"commune": commune},
            field="commune",
        )
    duplicates = School.objects.filter(uai=values["uai"])
    if school is not None:
        duplicates = duplicates.exclude(pk=school.pk)
    if duplicates.exists():
        raise DomainError(
            _("Le code UAI « %(uai)s » est déjà celui d'une autre école : chaque école a son propre code.")
            % {"uai": values["uai"]},
            field="uai",
        )


def _save_unique(instance, message: str, field_name: str) -> None:
    """Save, turning a race on a unique column into the same French message as the check."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise DomainError(message, field=field_name) from error


def create_school(actor: Person, **values) -> School:
    """An académie administrator adds a school of their académie (fields: SCHOOL_FIELDS).

    Journal: `directory.school_created`.
    """
    _check_school_fields(actor, values)
    with transaction.atomic():
        school = School(**{name: values[name] for name in SCHOOL_FIELDS if name in values})
        _save_unique(school, _("Ce code UAI est déjà celui d'une autre école."), "uai")
        audit.record(
            actor,
            "directory.school_created",
            target=school,
            school_id=school.id,
            academie_id=values["circonscription"].departement.academie_id,
            uai=school.uai,
        )
    return school


def update_school(actor: Person, school: School, **values) -> School:
    """An administrator of the school's académie changes its identity, within their académies.

    Journal: `directory.school_updated` with the names of the changed fields.
    """
    if not policy.can_administer_school(actor, school):
        raise NotAllowed(_("Cette école n'est pas dans une académie que vous administrez."))
    _check_school_fields(actor, values, school=school)
    changed = [name for name in SCHOOL_FIELDS if name in values and getattr(school, name) != values[name]]
    with transaction.atomic():
        for name in changed:
            setattr(school, name, values[name])
        _save_unique(school, _("Ce code UAI est déjà celui d'une autre école."), "uai")
        audit.record(
            actor,
            "directory.school_updated",
            target=school,
            school_id=school.id,
            academie_id=_academie_of_school(school).id,
            fields=changed,
        )
    return school


# --- Communes and circonscriptions ---------------------------------------------------------


def _check_commune_fields(actor: Person, values: dict, *, commune: Commune | None = None) -> None:
    values["siret"] = normalize_siret(values["siret"])
    _validated(validate_siret, values["siret"], "siret")
    _require_academie(actor, values["departement"].academie)
    duplicates = Commune.objects.filter(siret=values["siret"])
    if commune is not None:
        duplicates = duplicates.exclude(pk=commune.pk)
    if duplicates.exists():
        raise DomainError(
            _("Le SIRET %(siret)s est déjà celui d'une autre commune.") % {"siret": values["siret"]},
            field="siret",
        )


def create_commune(actor: Person, **values) -> Commune:
    """An académie administrator adds a commune (collectivité) of one of their départements.

    Journal: `directory.commune_created`.
    """
    _check_commune_fields(actor, values)
    with transaction.atomic():
        commune = Commune(**{name: values[name] for name in COMMUNE_FIELDS if name in values})
        _save_unique(commune, _("Ce SIRET est déjà celui d'une autre commune."), "siret")
        audit.record(
            actor,
            "directory.commune_created",
            target=commune,
            academie_id=commune.departement.academie_id,
            siret=commune.siret,
        )
    return commune


def update_commune(actor: Person, commune: Commune, **values) -> Commune:
    """An administrator of the commune's académie corrects it.

    Journal: `directory.commune_updated` with the names of the changed fields.
    """
    _require_academie(actor, commune.departement.academie)
    _check_commune_fields(actor, values, commune=commune)
    changed = [name for name in COMMUNE_FIELDS if name in values and getattr(commune, name) != values[name]]
    with transaction.atomic():
        for name in changed:
            setattr(commune, name, values[name])
        _save_unique(commune, _("Ce SIRET est déjà celui d'une autre commune."), "siret")
        audit.record(
            actor,
            "directory.commune_updated",
            target=commune,
            academie_id=commune.departement.academie_id,
            fields=changed,
        )
    return commune


def create_circonscription(actor: Person, *, departement: Departement, name: str, code: str = "") -> Circonscription:
    """An académie administrator opens a circonscription in one of their départements.

    Journal: `directory.circonscription_created`.
    """
    _require_academie(actor, departement.academie)
    name = name.strip()
    if Circonscription.objects.filter(departement=departement, name__iexact=name).exists():
        raise DomainError(
            _("Le département %(departement)s a déjà une circonscription nommée « %(name)s ».")
            % {"departement": departement, "name": name},
            field="name",
        )
    with transaction.atomic():
        circonscription = Circonscription(departement=departement, name=name, code=code.strip())
        _save_unique(circonscription, _("Ce nom de circonscription est déjà pris."), "name")
        audit.record(
            actor,
            "directory.circonscription_created",
            target=circonscription,
            academie_id=departement.academie_id,
        )
    return circonscription


# --- Administrators -----------------------------------------------------------------------


def add_academie_admin(
    actor: Person,
    academie: Academie,
    *,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> Person:
    """Give the académie administrator profile to a person found by username, or create them.

    A created person has no password yet: they activate their account with a letter (accounts).
    Journal: `directory.person_created` (if created) and `directory.academie_admin_added`.
    """
    _require_academie(actor, academie)
    username = username.strip()
    person = Person.objects.filter(username__iexact=username).first()
    with transaction.atomic():
        if person is None:
            if not (first_name.strip() and last_name.strip()):
                raise DomainError(
                    _(
                        "Aucune personne n'a l'identifiant « %(username)s ». Pour lui créer un"
                        " compte, indiquez aussi son prénom et son nom."
                    )
                    % {"username": username},
                    field="username",
                )
            person = Person(
                username=username,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email.strip(),
                academie=academie,
                source=Person.Source.MANUAL,
            )
            person.set_unusable_password()
            person.save()
            audit.record(
                actor,
                "directory.person_created",
                target=person,
                subject=person,
                academie_id=academie.id,
            )
        elif Role.objects.filter(person=person, profile=Profile.ACADEMIE_ADMIN, academie=academie).exists():
            raise DomainError(
                _("%(person)s administre déjà l'académie %(academie)s.") % {"person": person, "academie": academie},
                field="username",
            )
        role = Role.objects.create(person=person, profile=Profile.ACADEMIE_ADMIN, academie=academie)
        audit.record(
            actor,
            "directory.academie_admin_added",
            target=role,
            subject=person,
            academie_id=academie.id,
        )
    return person


# --- Rentrée ------------------------------------------------------------------------------


@dataclass
class NewClass:
    """One class of the coming year, as the director plans it."""

    name: str
    levels: str
    teacher_ids: list[int] = field(default_factory=list)
    pupil_ids: list[int] = field(default_factory=list)


def normalize_levels(levels: str) -> str:
    """ "ce1, CE2" → "CE1 CE2"; a French error naming the unknown code otherwise."""
    codes = levels.replace(",", " ").upper().split()
    unknown = [code for code in codes if code not in Level.values]
    if unknown or not codes:
        raise DomainError(
            _("Niveaux inconnus : « %(levels)s ». Indiquez des niveaux parmi %(known)s.")
            % {"levels": levels, "known": ", ".join(Level.values)},
            field="levels",
        )
    return " ".join(dict.fromkeys(codes))


def _check_rollover(school: School, to_year: int, classes: list[NewClass]) -> None:
    if SchoolClass.objects.filter(school=school, year=to_year).exists():
        raise DomainError(
            _("Les classes de l'année %(year)s-%(next)s existent déjà pour cette école.")
            % {"year": to_year, "next": to_year + 1}
        )
    names = [new.name.strip().lower() for new in classes]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise DomainError(_("Chaque nouvelle classe doit avoir un nom, différent des autres."))
    pupils = [pupil_id for new in classes for pupil_id in new.pupil_ids]
    if len(set(pupils)) != len(pupils):
        raise DomainError(_("Un élève ne peut aller que dans une seule classe."))
    known_pupils = set(
        Enrolment.objects.filter(school_class__school=school, school_class__year=to_year - 1).values_list(
            "pupil_id", flat=True
        )
    )
    if not set(pupils) <= known_pupils:
        raise DomainError(_("Seuls les élèves de l'école de l'année passée peuvent être répartis."))
    teachers = {teacher_id for new in classes for teacher_id in new.teacher_ids}
    known_teachers = set(
        Role.objects.filter(school=school, profile__in=[Profile.TEACHER, Profile.DIRECTOR]).values_list(
            "person_id", flat=True
        )
    )
    if not teachers <= known_teachers:
        raise DomainError(_("Seuls les enseignants de l'école peuvent recevoir une classe."))


def roll_over_school_year(actor: Person, school: School, to_year: int, *, classes: list[NewClass]) -> list[SchoolClass]:
    """Open the classes of `to_year` and move last year's pupils into them (the rentrée).

    The director (or an académie administrator) gives, for each new class, its name, levels,
    teachers and pupils; pupils given no class leave the school (their account stays). Last
    year's classes and enrolments stay as history. Journal: `directory.school_year_rolled_over`;
    event of the same name.
    """
    if not policy.can_prepare_school_year(actor, school):
        raise NotAllowed(_("Seuls la direction de l'école et l'académie préparent la rentrée."))
    for new in classes:
        new.name = new.name.strip()
        new.levels = normalize_levels(new.levels)
    _check_rollover(school, to_year, classes)
    created = []
    with transaction.atomic():
        for new in classes:
            school_class = SchoolClass.objects.create(school=school, year=to_year, name=new.name, levels=new.levels)
            Teaching.objects.bulk_create(
                Teaching(teacher_id=teacher_id, school_class=school_class) for teacher_id in new.teacher_ids
            )
            Enrolment.objects.bulk_create(
                Enrolment(pupil_id=pupil_id, school_class=school_class) for pupil_id in new.pupil_ids
            )
            created.append(school_class)
        moved = sum(len(new.pupil_ids) for new in classes)
        audit.record(
            actor,
            "directory.school_year_rolled_over",
            target=school,
            school_id=school.id,
            academie_id=_academie_of_school(school).id,
            year=to_year,
            classes=len(created),
            pupils=moved,
        )
        events.emit("directory.school_year_rolled_over", actor=actor, school_id=school.id, year=to_year)
    return created


def record_class_viewed(actor: Person, school_class: SchoolClass, *, page: str, people: int) -> None:
    """Journal that `actor` opened a page listing the people of a class (art. 8: *journalisation*).

    Called by every page that shows a class's pupils or families (class page, cards, parents).
    Journal: `directory.class_viewed`, scoped to the school and its académie.
    """
    school = school_class.school
    audit.record(
        actor,
        "directory.class_viewed",
        target=school_class,
        school_id=school.id,
        academie_id=school.circonscription.departement.academie_id,
        page=page,
        people=people,
    )
