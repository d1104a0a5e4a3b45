"""Factories for the directory, `make_school()` that builds a whole school in one call, and the
world of the policy matrices (`policy_world()`, `world_person()`)."""

from dataclasses import dataclass, field

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser

from .models import (
    Academie,
    Circonscription,
    Commune,
    Departement,
    Enrolment,
    GuardianLink,
    Person,
    Profile,
    RegionAcademique,
    Role,
    School,
    SchoolClass,
    Teaching,
    current_school_year,
)
from .validators import UAI_LETTERS, luhn_is_valid

# One hash for every factory-made person: tests sign in with "motdepasse-de-test".
TEST_PASSWORD = "motdepasse-de-test"
_TEST_PASSWORD_HASH = None


def test_password_hash() -> str:
    global _TEST_PASSWORD_HASH
    if _TEST_PASSWORD_HASH is None:
        _TEST_PASSWORD_HASH = make_password(TEST_PASSWORD)
    return _TEST_PASSWORD_HASH


def valid_uai(number: int) -> str:
    digits = f"{number:07d}"
    return digits + UAI_LETTERS[int(digits) % 23]


def valid_siret(number: int) -> str:
    base = f"{number:013d}"
    return next(base + str(d) for d in range(10) if luhn_is_valid(base + str(d)))


def _short_code(prefix: str, n: int, width: int) -> str:
    """A code as short as the real ones ("31", "2A", "971"), never one of them (the prefix), and
    distinct for the next 36**(width-1) draws: a whole test run draws thousands and the column is
    short (PostgreSQL refuses what SQLite would store)."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    code = ""
    for _ in range(width - len(prefix)):
        n, rest = divmod(n, 36)
        code = digits[rest] + code
    return prefix + code


class RegionAcademiqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionAcademique
        django_get_or_create = ("name",)

    name = "Occitanie"


class AcademieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Academie

    region = factory.SubFactory(RegionAcademiqueFactory)
    name = factory.Sequence(lambda n: f"Académie {n}")
    code = factory.Sequence(lambda n: _short_code("Z", n, 4))
    holiday_zone = Academie.Zone.C


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement

    academie = factory.SubFactory(AcademieFactory)
    code = factory.Sequence(lambda n: _short_code("X", n, 3))
    name = factory.Sequence(lambda n: f"Département {n}")


class CirconscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circonscription

    departement = factory.SubFactory(DepartementFactory)
    name = factory.Sequence(lambda n: f"Circonscription {n}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    departement = factory.SubFactory(DepartementFactory)
    name = factory.Sequence(lambda n: f"Commune {n}")
    siret = factory.Sequence(lambda n: valid_siret(2165000000000 + n))


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    uai = factory.Sequence(lambda n: valid_uai(990000 + n))
    name = factory.Sequence(lambda n: f"École {n}")
    kind = School.Kind.PRIMAIRE
    circonscription = factory.SubFactory(CirconscriptionFactory)
    commune = factory.SubFactory(CommuneFactory, departement=factory.SelfAttribute("..circonscription.departement"))


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    year = factory.LazyFunction(current_school_year)
    name = factory.Sequence(lambda n: f"CE1 {n}")
    levels = "CE1"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    username = factory.Sequence(lambda n: f"personne.{n}")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.LazyFunction(test_password_hash)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    person = factory.SubFactory(PersonFactory)
    profile = Profile.TEACHER


def person_with_role(profile: str, structure, **person_fields) -> Person:
    """A person holding `profile` in `structure` (school, commune, circonscription…)."""
    person = PersonFactory(**person_fields)
    add_role(person, profile, structure)
    return person


def add_role(person: Person, profile: str, structure) -> Role:
    field_name = {
        School: "school",
        Commune: "commune",
        Circonscription: "circonscription",
        Departement: "departement",
        Academie: "academie",
    }[type(structure)]
    return Role.objects.create(person=person, profile=profile, **{field_name: structure})


@dataclass
class BuiltSchool:
    school: School
    director: Person
    classes: list[SchoolClass] = field(default_factory=list)
    teachers: list[Person] = field(default_factory=list)
    pupils: dict[int, list[Person]] = field(default_factory=dict)  # class id → pupils
    parents: dict[int, list[Person]] = field(default_factory=dict)  # pupil id → guardians


def make_school(
    *,
    classes: int = 1,
    pupils: int = 3,
    parents_per_pupil: int = 1,
    school=None,
    year: int | None = None,
    **school_fields,
) -> BuiltSchool:
    """A school with a director, `classes` classes each with a teacher, pupils and parents."""
    school = school or SchoolFactory(**school_fields)
    year = year or current_school_year()
    director = person_with_role(Profile.DIRECTOR, school)
    add_role(director, Profile.TEACHER, school)
    built = BuiltSchool(school=school, director=director)
    for index in range(classes):
        school_class = SchoolClassFactory(school=school, year=year, name=f"Classe {index + 1}")
        teacher = person_with_role(Profile.TEACHER, school)
        Teaching.objects.create(teacher=teacher, school_class=school_class)
        built.classes.append(school_class)
        built.teachers.append(teacher)
        built.pupils[school_class.id] = []
        for _ in range(pupils):
            pupil, parents = enrol(school_class, guardians=parents_per_pupil)
            built.pupils[school_class.id].append(pupil)
            built.parents[pupil.id] = parents
    return built


def enrol(school_class: SchoolClass, *, guardians: int = 1, **pupil_fields) -> tuple[Person, list[Person]]:
    """A pupil of `school_class` (with `pupil_fields`) and their `guardians` (mother first, then father)."""
    pupil = person_with_role(Profile.PUPIL, school_class.school, **pupil_fields)
    Enrolment.objects.create(pupil=pupil, school_class=school_class)
    parents = []
    for rank in range(guardians):
        parent = PersonFactory()
        relationship = GuardianLink.Relationship.MOTHER if rank == 0 else GuardianLink.Relationship.FATHER
        GuardianLink.objects.create(guardian=parent, child=pupil, relationship=relationship)
        parents.append(parent)
    return pupil, parents


# --- The world of the policy matrices ---------------------------------------------------------
# A policy matrix checks a rule for every profile, one row a person. `policy_world()` builds the
# structures they live in, `world_person()` the person of a row; an app's conftest adds its own
# rows and objects and hands the other rows to `world_person()`.

# The rows every matrix shares: name → (profile, key in the world of the structure of the role).
WORLD_ROLES = {
    "director": (Profile.DIRECTOR, "school"),
    "colleague": (Profile.TEACHER, "school"),
    "elected_parent": (Profile.ELECTED_PARENT, "school"),
    "city_referent": (Profile.CITY_REFERENT, "commune"),
    "city_contributor": (Profile.CITY_CONTRIBUTOR, "commune"),
    "periscolaire": (Profile.PERISCOLAIRE, "commune"),
    "advisor": (Profile.ADVISOR, "circonscription"),
    "erun": (Profile.ERUN, "circonscription"),
    "ien": (Profile.IEN, "circonscription"),
    "dsden_admin": (Profile.DSDEN_ADMIN, "departement"),
    "academie_admin": (Profile.ACADEMIE_ADMIN, "academie"),
    "other_academie_admin": (Profile.ACADEMIE_ADMIN, "other_academie"),
    "other_school_director": (Profile.DIRECTOR, "other_school"),
    "other_school_teacher": (Profile.TEACHER, "other_school"),
    "other_city_referent": (Profile.CITY_REFERENT, "other_commune"),
}
# Who teaches which class: row → key in the world of the class, or NEW_CLASS for a class of their
# own, made for them in the school of their role. The others teach nothing.
NEW_CLASS = "new class"
WORLD_TEACHING = {"teacher": "class", "other_school_teacher": "other_class"}
# The rows of a family: row → key in the world of the child's class. "pupil" is the child (without
# guardian); any other row is the mother of a new child of that class.
WORLD_FAMILIES = {"pupil": "class", "parent": "class", "other_school_parent": "other_class"}
# Every row `world_person()` makes with the tables above.
WORLD_PEOPLE = ["pupil", "parent", "teacher", *WORLD_ROLES, "other_school_parent", "operator", "anonymous"]


def policy_world(
    *,
    classes: dict[str, str] | None = None,
    other_school_classes: dict[str, str] | None = None,
    teacher: dict | None = None,
    academie: dict | None = None,
    other_academie: dict | None = None,
) -> dict:
    """The structures of a policy matrix, by key:

        academie "Académie A" ─ departement ─ circonscription ─ school S1, in commune "Commune 1"
                              └ other_departement ─ other_circonscription ─ other_school S2,
                                in other_commune "Commune 2"
        other_academie "Académie B", empty

    `classes` (key → name) are S1's classes, {"class": "K1"} by default; `other_school_classes` S2's,
    {"other_class": "K2"} by default. `academie` and `other_academie` are fields of the two académies
    (e.g. {"holiday_zone": "A"}). With `teacher` (person fields, {} for any), the world has a
    "teacher" of S1 who teaches w["class"]; without, `world_person("teacher", w)` makes a new one.
    """
    academie_a = AcademieFactory(name="Académie A", **(academie or {}))
    departements = [DepartementFactory(academie=academie_a) for _ in range(2)]
    circonscriptions = [CirconscriptionFactory(departement=d) for d in departements]
    communes = [CommuneFactory(departement=d, name=f"Commune {i + 1}") for i, d in enumerate(departements)]
    schools = [SchoolFactory(circonscription=c, commune=m) for c, m in zip(circonscriptions, communes, strict=True)]
    w = {
        "academie": academie_a,
        "departement": departements[0],
        "other_departement": departements[1],
        "circonscription": circonscriptions[0],
        "other_circonscription": circonscriptions[1],
        "commune": communes[0],
        "other_commune": communes[1],
        "school": schools[0],
        "other_school": schools[1],
    }
    s1_classes = {"class": "K1"} if classes is None else classes
    s2_classes = {"other_class": "K2"} if other_school_classes is None else other_school_classes
    for school, named in ((schools[0], s1_classes), (schools[1], s2_classes)):
        for key, name in named.items():
            w[key] = SchoolClassFactory(school=school, name=name)
    w["other_academie"] = AcademieFactory(name="Académie B", **(other_academie or {}))
    if teacher is not None:
        w["teacher"] = person_with_role(Profile.TEACHER, w["school"], **teacher)
        Teaching.objects.create(teacher=w["teacher"], school_class=w["class"])
    return w


def world_person(
    name: str,
    w: dict,
    *,
    roles: dict[str, tuple[str, str]] = WORLD_ROLES,
    teaching: dict[str, str] = WORLD_TEACHING,
    families: dict[str, str] = WORLD_FAMILIES,
):
    """The person of row `name` in the world `w` of `policy_world()`:

    - "teacher": w["teacher"] if the world has one, else a new teacher of S1 (unless `roles` says
      otherwise) who teaches the class `teaching` gives;
    - a row of `roles`: a new person with that role, who teaches the class `teaching` gives, if any;
    - a row of `families`: a new pupil of that class ("pupil"), or the mother of one (other rows);
    - "operator": a superuser without profile; "anonymous": an AnonymousUser.
    """
    if name == "teacher" and "teacher" in w:
        return w["teacher"]
    if name in roles or name == "teacher":
        profile, structure = roles.get(name, (Profile.TEACHER, "school"))
        person = person_with_role(profile, w[structure])
        if name in teaching:
            taught = teaching[name]
            school_class = SchoolClassFactory(school=w[structure]) if taught == NEW_CLASS else w[taught]
            Teaching.objects.create(teacher=person, school_class=school_class)
        return person
    if name in families:
        pupil, parents = enrol(w[families[name]], guardians=0 if name == "pupil" else 1)
        return pupil if name == "pupil" else parents[0]
    if name == "operator":
        return PersonFactory(is_superuser=True, is_staff=True)
    assert name == "anonymous", f"no row {name!r} in this policy world"
    return AnonymousUser()
