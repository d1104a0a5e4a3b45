"""The communication rules: who may write to whom. Public: the chat app imports it.

    may_write(sender, recipient) -> bool
    is_suspended(person) -> bool
    suspension_refusal(person) -> str | None
    allowed_recipients(sender) -> QuerySet[Person]
    lists_for(sender) -> list[RecipientList]

`allowed_recipients` is THE rule: a queryset built from the sender's `access_of()` (ids only,
no join over the sender's own data) and the school rules in force; `may_write` asks it about one
person (one query), so the composer, the server check and the chat never disagree.

Defaults (each school or académie may change the switches of `CommunicationRules`):
  pupil            their teachers; their classmates when the teacher allows it for the class
  parent           their children's teachers, the director, the parents' elected representatives;
                   other families only where the school allows it; the commune's staff
  elected parent   as a parent, plus the school's staff and the other representatives
  teacher          the school's staff and representatives, the pupils and families of their
                   classes, the commune's staff, the circonscription's staff
  director         the whole school (staff, pupils, families), the commune's staff, the
                   circonscription, the DSDEN and the académie
  commune staff    families of the commune's schools (périscolaire), their directors and
                   teachers, the commune's staff
  circonscription, DSDEN, académie staff
                   the directors and teachers of the schools they oversee, and each other
Nobody writes while suspended; operators without a profile write to nobody.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import reduce

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from preau.directory.models import (
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
    Teaching,
)
from preau.directory.queries import Access, access_of

from .models import ClassRule, CommunicationRules, Suspension

SCHOOL_STAFF = (Profile.TEACHER, Profile.DIRECTOR)
AUTHORITY_PROFILES = CIRCONSCRIPTION_PROFILES | DEPARTEMENT_PROFILES | ACADEMIE_PROFILES


@dataclass(frozen=True)
class Rules:
    """The switches in force for one school."""

    pupils_write_teachers: bool = True
    pupils_write_classmates: bool = True
    parents_write_families: bool = False
    parents_write_representatives: bool = True
    representatives_write_families: bool = False
    commune_staff_write_families: bool = True
    teachers_write_school_families: bool = False

    @classmethod
    def of(cls, row: CommunicationRules | None) -> "Rules":
        if row is None:
            return cls()
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class RecipientList:
    """A named group of recipients, resolved when the message is sent.

    `hidden`: the members never see each other (families, large groups).
    """

    code: str  # "classe-parents:12"
    label: str  # "Parents de CE1 A"
    members: QuerySet  # of Person, not evaluated until resolved
    hidden: bool = False
    school_id: int | None = None
    class_id: int | None = None  # the pupils concerned are the class's (parents' lists)
    families: bool = False

    def resolve(self) -> QuerySet[Person]:
        return self.members.filter(is_active=True).distinct()


@dataclass
class _Context:
    """The school rules that matter to a sender, loaded once and kept on the person."""

    rules: dict[int, Rules]  # school id → rules
    commune_schools: dict[int, list[int]]  # commune id → its schools (for commune staff)
    classmates_classes: set[int]  # the pupil's classes where classmates write to each other

    def of(self, school_id: int | None) -> Rules:
        return self.rules.get(school_id, DEFAULT_RULES)


# --- Rules in force -------------------------------------------------------------------------


def _rules_in_force(academie_of: dict[int, int]) -> dict[int, Rules]:
    """school id → its rules (its own row, else its académie's, else the defaults), from
    school id → académie id. One query for all the schools."""
    if not academie_of:
        return {}
    rows = CommunicationRules.objects.filter(
        Q(school_id__in=list(academie_of)) | Q(academie_id__in=set(academie_of.values()))
    )
    own = {row.school_id: row for row in rows if row.school_id}
    by_academie = {row.academie_id: row for row in rows if row.academie_id}
    return {
        school_id: Rules.of(own.get(school_id) or by_academie.get(academie_id))
        for school_id, academie_id in academie_of.items()
    }


def rules_for_schools(schools: Iterable[School]) -> dict[int, Rules]:
    """school id → the rules in force there, in one query (schools with their académie joined)."""
    return _rules_in_force({school.id: school.circonscription.departement.academie_id for school in schools})


def rules_for_school(school: School) -> Rules:
    """The rules of one school: its own row, else its académie's, else the defaults."""
    return rules_for_schools([school])[school.id]


def _context(sender: Person) -> _Context:
    cached = getattr(sender, "_preau_messaging_rules", None)
    if cached is not None:
        return cached
    access = access_of(sender)
    school_ids = access.school_ids() | access.child_school_ids
    schools = []
    if school_ids or access.commune_ids:
        schools = list(
            School.objects.filter(Q(id__in=school_ids) | Q(commune_id__in=access.commune_ids)).values_list(
                "id", "commune_id", "circonscription__departement__academie_id"
            )
        )
    rules = _rules_in_force({school_id: academie_id for school_id, _commune, academie_id in schools})
    commune_schools: dict[int, list[int]] = {}
    for school_id, commune_id, _academie in schools:
        if commune_id in access.commune_ids:
            commune_schools.setdefault(commune_id, []).append(school_id)
    classmates: set[int] = set()
    if access.own_classes:
        classmates = set(
            ClassRule.objects.filter(
                school_class_id__in=[c.id for c in access.own_classes], pupils_write_classmates=True
            ).values_list("school_class_id", flat=True)
        )
    context = _Context(rules=rules, commune_schools=commune_schools, classmates_classes=classmates)
    sender._preau_messaging_rules = context
    return context


# --- Building blocks: subqueries of person ids ----------------------------------------------


def _teachers_of(class_ids) -> Q:
    return Q(pk__in=Teaching.objects.filter(school_class_id__in=class_ids).values("teacher_id"))


def _pupils_of(class_ids) -> Q:
    return Q(pk__in=Enrolment.objects.filter(school_class_id__in=class_ids).values("pupil_id"))


def _families_of_classes(class_ids) -> Q:
    return Q(
        pk__in=GuardianLink.objects.filter(
            child__enrolments__school_class_id__in=class_ids, child__is_active=True
        ).values("guardian_id")
    )


def _families_of_schools(school_ids, year: int) -> Q:
    return Q(
        pk__in=GuardianLink.objects.filter(
            child__enrolments__school_class__school_id__in=school_ids,
            child__enrolments__school_class__year=year,
            child__is_active=True,
        ).values("guardian_id")
    )


def _pupils_of_schools(school_ids, year: int) -> Q:
    return Q(
        pk__in=Enrolment.objects.filter(school_class__school_id__in=school_ids, school_class__year=year).values(
            "pupil_id"
        )
    )


def _holders(profiles, **structure) -> Q:
    return Q(pk__in=Role.objects.filter(profile__in=list(profiles), **structure).values("person_id"))


def _any(parts: list[Q]) -> Q:
    return reduce(operator.or_, parts) if parts else Q(pk__in=[])


# --- Per profile ----------------------------------------------------------------------------


def _as_pupil(access: Access, context: _Context) -> list[Q]:
    parts = []
    teach = [c.id for c in access.own_classes if context.of(c.school_id).pupils_write_teachers]
    if teach:
        parts.append(_teachers_of(teach))
    mates = [
        c.id
        for c in access.own_classes
        if c.id in context.classmates_classes and context.of(c.school_id).pupils_write_classmates
    ]
    if mates:
        parts.append(_pupils_of(mates))
    return parts


def _as_parent(access: Access, context: _Context) -> list[Q]:
    class_ids = {c.id for child in access.children for c in child.classes}
    schools = {c.school_id: c.school for child in access.children for c in child.classes}
    if not class_ids:
        return []
    parts = [_teachers_of(class_ids), _holders([Profile.DIRECTOR], school_id__in=list(schools))]
    representatives = [s for s in schools if context.of(s).parents_write_representatives]
    if representatives:
        parts.append(_holders([Profile.ELECTED_PARENT], school_id__in=representatives))
    families = [s for s in schools if context.of(s).parents_write_families]
    if families:
        parts.append(_families_of_schools(families, access.year))
    communes = {school.commune_id for s, school in schools.items() if context.of(s).commune_staff_write_families}
    if communes:
        parts.append(_holders(COMMUNE_PROFILES, commune_id__in=communes))
    return parts


def _as_representative(access: Access, context: _Context) -> list[Q]:
    schools = sorted(access.school_ids(Profile.ELECTED_PARENT))
    if not schools:
        return []
    parts = [_holders([*SCHOOL_STAFF, Profile.ELECTED_PARENT], school_id__in=schools)]
    families = [s for s in schools if context.of(s).representatives_write_families]
    if families:
        parts.append(_families_of_schools(families, access.year))
    return parts


def _as_school_staff(access: Access, context: _Context) -> list[Q]:
    schools = {role.school_id: role.school for role in access.roles if role.profile in SCHOOL_STAFF}
    directed = sorted(access.school_ids(Profile.DIRECTOR))
    taught = sorted(access.taught_class_ids)
    parts = []
    if schools:
        ids = sorted(schools)
        parts += [
            _holders([*SCHOOL_STAFF, Profile.ELECTED_PARENT], school_id__in=ids),
            _holders(COMMUNE_PROFILES, commune_id__in={s.commune_id for s in schools.values()}),
            _holders(CIRCONSCRIPTION_PROFILES, circonscription_id__in={s.circonscription_id for s in schools.values()}),
        ]
        wide = [s for s in ids if s not in directed and context.of(s).teachers_write_school_families]
        if wide:
            parts.append(_families_of_schools(wide, access.year))
    if taught:
        parts += [_pupils_of(taught), _families_of_classes(taught)]
    if directed:
        parts += [
            _pupils_of_schools(directed, access.year),
            _families_of_schools(directed, access.year),
            _holders(DEPARTEMENT_PROFILES, departement__circonscriptions__schools__id__in=directed),
            _holders(ACADEMIE_PROFILES, academie__departements__circonscriptions__schools__id__in=directed),
        ]
    return parts


def _as_commune_staff(access: Access, context: _Context) -> list[Q]:
    communes = sorted(access.commune_ids)
    if not communes:
        return []
    parts = [
        _holders(COMMUNE_PROFILES, commune_id__in=communes),
        _holders(SCHOOL_STAFF, school__commune_id__in=communes),
    ]
    schools = [s for ids in context.commune_schools.values() for s in ids if context.of(s).commune_staff_write_families]
    if schools:
        parts.append(_families_of_schools(schools, access.year))
    return parts


def _as_authority(access: Access) -> list[Q]:
    parts = []
    if access.circonscription_ids:
        circonscriptions = sorted(access.circonscription_ids)
        departements = {r.circonscription.departement_id for r in access.roles if r.circonscription_id}
        parts += [
            _holders(SCHOOL_STAFF, school__circonscription_id__in=circonscriptions),
            _holders(CIRCONSCRIPTION_PROFILES, circonscription_id__in=circonscriptions),
            _holders(DEPARTEMENT_PROFILES, departement_id__in=departements),
            _holders(ACADEMIE_PROFILES, academie__departements__id__in=departements),
        ]
    if access.departement_ids:
        departements = sorted(access.departement_ids)
        parts += [
            _holders(SCHOOL_STAFF, school__circonscription__departement_id__in=departements),
            _holders(CIRCONSCRIPTION_PROFILES, circonscription__departement_id__in=departements),
            _holders(DEPARTEMENT_PROFILES, departement_id__in=departements),
            _holders(ACADEMIE_PROFILES, academie__departements__id__in=departements),
        ]
    if access.academie_ids:
        academies = sorted(access.academie_ids)
        parts += [
            _holders(SCHOOL_STAFF, school__circonscription__departement__academie_id__in=academies),
            _holders(CIRCONSCRIPTION_PROFILES, circonscription__departement__academie_id__in=academies),
            _holders(DEPARTEMENT_PROFILES, departement__academie_id__in=academies),
            _holders(ACADEMIE_PROFILES, academie_id__in=academies),
        ]
    return parts


def _reach(sender: Person) -> Q | None:
    """The Q of everyone the sender may write to, or None when they may write to nobody."""
    access = access_of(sender)
    if access.person is None or not (access.roles or access.children):
        return None
    context = _context(sender)
    parts = []
    if access.own_classes:
        parts += _as_pupil(access, context)
    if access.children:
        parts += _as_parent(access, context)
    if access.has(Profile.ELECTED_PARENT):
        parts += _as_representative(access, context)
    if access.has(*SCHOOL_STAFF) or access.taught_classes:
        parts += _as_school_staff(access, context)
    if access.commune_ids:
        parts += _as_commune_staff(access, context)
    parts += _as_authority(access)
    return _any(parts) if parts else None


# --- Public API -----------------------------------------------------------------------------


def is_suspended(person: Person) -> bool:
    """Whether a director has suspended the person's right to write (one query, then cached)."""
    return active_suspension(person) is not None


def active_suspension(person: Person) -> Suspension | None:
    """The suspension in force for `person`, with its reason and school (one query, cached)."""
    if person is None or not person.is_authenticated:
        return None
    if not hasattr(person, "_preau_messaging_suspension"):
        person._preau_messaging_suspension = (
            Suspension.objects.filter(person=person, lifted_at__isnull=True).select_related("school").first()
        )
    return person._preau_messaging_suspension


def suspension_refusal(person: Person) -> str | None:
    """Why a suspended person may not write, mail or chat: their school and the director's
    reason, which they must be able to read. None when they may write (one query, cached)."""
    suspension = active_suspension(person)
    if suspension is None:
        return None
    return _("La direction de %(school)s a suspendu votre droit d'écrire : %(reason)s") % {
        "school": suspension.school.name,
        "reason": suspension.reason,
    }


def allowed_recipients(sender: Person) -> QuerySet[Person]:
    """Everyone `sender` may write to under the rules in force (active accounts, not themselves).

    Empty for a suspended person. The queryset is not evaluated: narrow it, search it, page it.
    """
    reach = _reach(sender)
    if reach is None or is_suspended(sender):
        return Person.objects.none()
    return Person.objects.filter(reach, is_active=True).exclude(pk=sender.pk).order_by("last_name", "first_name")


def may_write(sender: Person, recipient: Person) -> bool:
    """Whether `sender` may write to `recipient` now (one query after the sender's scope)."""
    if sender is None or recipient is None or sender.pk == recipient.pk:
        return False
    return allowed_recipients(sender).filter(pk=recipient.pk).exists()


def lists_for(sender: Person) -> list[RecipientList]:
    """The named lists `sender` may write to, members already narrowed to the allowed ones."""
    access = access_of(sender)
    if access.person is None or is_suspended(sender) or _reach(sender) is None:
        return []
    context = _context(sender)
    allowed = allowed_recipients(sender)
    found: list[RecipientList] = []
    for school_class in _classes_spoken_to(access):
        found += _class_lists(school_class)
    if access.own_classes:
        found += _pupil_lists(access, context)
    for role in access.roles:
        if role.profile in SCHOOL_STAFF or role.profile == Profile.ELECTED_PARENT:
            found += _school_lists(access, context, role)
    if access.children:
        found += _parent_lists(access, context)
    for school_ids in context.commune_schools.values():
        found += _commune_lists(access, context, school_ids)
    found += _authority_lists(access)
    unique = {item.code: item for item in found}
    return [
        RecipientList(**{**item.__dict__, "members": allowed.filter(pk__in=item.members.values("pk"))})
        for item in unique.values()
    ]


def list_by_code(sender: Person, code: str) -> RecipientList | None:
    return next((item for item in lists_for(sender) if item.code == code), None)


# --- The lists each profile sees ------------------------------------------------------------


def _classes_spoken_to(access: Access) -> list[SchoolClass]:
    """The classes whose pupils and parents the person addresses as a whole: taught or directed."""
    classes = {c.id: c for c in access.taught_classes}
    directed = access.school_ids(Profile.DIRECTOR)
    if directed:
        for school_class in SchoolClass.objects.filter(school_id__in=directed, year=access.year).select_related(
            "school"
        ):
            classes.setdefault(school_class.id, school_class)
    return sorted(classes.values(), key=lambda c: (c.school.name, c.name))


def _class_lists(school_class: SchoolClass) -> list[RecipientList]:
    return [
        RecipientList(
            code=f"classe-parents:{school_class.id}",
            label=_("Parents de %(class)s") % {"class": school_class.name},
            members=Person.objects.filter(_families_of_classes([school_class.id])),
            hidden=True,
            school_id=school_class.school_id,
            class_id=school_class.id,
            families=True,
        ),
        RecipientList(
            code=f"classe-eleves:{school_class.id}",
            label=_("Élèves de %(class)s") % {"class": school_class.name},
            members=Person.objects.filter(_pupils_of([school_class.id])),
            school_id=school_class.school_id,
            class_id=school_class.id,
        ),
    ]


def _pupil_lists(access: Access, context: _Context) -> list[RecipientList]:
    found = []
    for school_class in access.own_classes:
        found.append(
            RecipientList(
                code=f"classe-enseignants:{school_class.id}",
                label=_("Mes enseignant·es (%(class)s)") % {"class": school_class.name},
                members=Person.objects.filter(_teachers_of([school_class.id])),
                school_id=school_class.school_id,
            )
        )
        if school_class.id in context.classmates_classes:
            found.append(
                RecipientList(
                    code=f"classe-eleves:{school_class.id}",
                    label=_("Ma classe (%(class)s)") % {"class": school_class.name},
                    members=Person.objects.filter(_pupils_of([school_class.id])),
                    school_id=school_class.school_id,
                    class_id=school_class.id,
                )
            )
    return found


def _school_lists(access: Access, context: _Context, role: Role) -> list[RecipientList]:
    school = role.school
    found = [
        RecipientList(
            code=f"ecole-enseignants:{school.id}",
            label=_("Enseignant·es de %(school)s") % {"school": school.name},
            members=Person.objects.filter(_holders(SCHOOL_STAFF, school_id=school.id)),
            school_id=school.id,
        ),
        RecipientList(
            code=f"ecole-parents-elus:{school.id}",
            label=_("Parents élus de %(school)s") % {"school": school.name},
            members=Person.objects.filter(_holders([Profile.ELECTED_PARENT], school_id=school.id)),
            school_id=school.id,
        ),
    ]
    rules = context.of(school.id)
    if (
        role.profile == Profile.DIRECTOR
        or (role.profile == Profile.TEACHER and rules.teachers_write_school_families)
        or (role.profile == Profile.ELECTED_PARENT and rules.representatives_write_families)
    ):
        found.append(_school_families(school, access.year))
    return found


def _school_families(school: School, year: int) -> RecipientList:
    return RecipientList(
        code=f"ecole-familles:{school.id}",
        label=_("Toutes les familles de %(school)s") % {"school": school.name},
        members=Person.objects.filter(_families_of_schools([school.id], year)),
        hidden=True,
        school_id=school.id,
        families=True,
    )


def _parent_lists(access: Access, context: _Context) -> list[RecipientList]:
    schools = {c.school_id: c.school for child in access.children for c in child.classes}
    return [
        RecipientList(
            code=f"ecole-parents-elus:{school.id}",
            label=_("Parents élus de %(school)s") % {"school": school.name},
            members=Person.objects.filter(_holders([Profile.ELECTED_PARENT], school_id=school.id)),
            school_id=school.id,
        )
        for school in schools.values()
        if context.of(school.id).parents_write_representatives
    ]


def _commune_lists(access: Access, context: _Context, school_ids: list[int]) -> list[RecipientList]:
    schools = School.objects.filter(id__in=[s for s in school_ids if context.of(s).commune_staff_write_families])
    return [_school_families(school, access.year) for school in schools.order_by("name")]


def _authority_lists(access: Access) -> list[RecipientList]:
    found = []
    structures = [
        ("circonscription", "school__circonscription_id", access.circonscription_ids, CIRCONSCRIPTION_PROFILES),
        ("departement", "school__circonscription__departement_id", access.departement_ids, DEPARTEMENT_PROFILES),
        ("academie", "school__circonscription__departement__academie_id", access.academie_ids, ACADEMIE_PROFILES),
    ]
    for kind, lookup, ids, profiles in structures:
        for role in access.roles:
            structure_id = getattr(role, f"{kind}_id")
            if role.profile not in profiles or structure_id not in ids:
                continue
            name = str(getattr(role, kind))
            found += [
                RecipientList(
                    code=f"{kind}-directeurs:{structure_id}",
                    label=_("Directeurs·trices d'école — %(structure)s") % {"structure": name},
                    members=Person.objects.filter(_holders([Profile.DIRECTOR], **{lookup: structure_id})),
                    hidden=True,
                ),
                RecipientList(
                    code=f"{kind}-enseignants:{structure_id}",
                    label=_("Enseignant·es — %(structure)s") % {"structure": name},
                    members=Person.objects.filter(_holders(SCHOOL_STAFF, **{lookup: structure_id})),
                    hidden=True,
                ),
            ]
    return found
