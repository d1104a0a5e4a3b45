"""Factories for the directory, and `make_school()` that builds a whole school in one call."""

from dataclasses import dataclass, field

import factory
from django.contrib.auth.hashers import make_password

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
            pupil = person_with_role(Profile.PUPIL, school)
            Enrolment.objects.create(pupil=pupil, school_class=school_class)
            built.pupils[school_class.id].append(pupil)
            built.parents[pupil.id] = []
            for rank in range(parents_per_pupil):
                parent = PersonFactory()
                GuardianLink.objects.create(
                    guardian=parent,
                    child=pupil,
                    relationship=GuardianLink.Relationship.MOTHER if rank == 0 else GuardianLink.Relationship.FATHER,
                )
                built.parents[pupil.id].append(parent)
    return built
