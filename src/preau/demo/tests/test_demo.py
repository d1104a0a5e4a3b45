import contextlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client

from preau.accounts.models import CharteVersion
from preau.demo.data import DEMO_LOGINS, SCHOOLS
from preau.directory.models import (
    Commune,
    Enrolment,
    GuardianLink,
    Person,
    Profile,
    RegionAcademique,
    School,
    SchoolClass,
    current_school_year,
)
from preau.directory.queries import access_of
from preau.directory.validators import validate_siret, validate_uai

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_demo_creates_the_seeds_schools_with_valid_codes():
    run("load_demo")
    uais = set(School.objects.values_list("uai", flat=True))
    assert uais == {row[1] for row in SCHOOLS}
    assert {"0651067G", "0120612A", "0121071Z", "0660713S", "0110422Z", "0061594A"} <= uais
    for uai in uais:
        validate_uai(uai)
    for siret in Commune.objects.values_list("siret", flat=True):
        validate_siret(siret)
    assert School.objects.get(uai="0121071Z").sector == School.Sector.PRIVATE
    assert School.objects.get(uai="0120611Z").kind == School.Kind.MATERNELLE


def test_load_demo_fills_every_school_with_classes_of_this_year():
    run("load_demo")
    classes = SchoolClass.objects.annotate(
        n_pupils=Count("enrolments", distinct=True), n_teachers=Count("teachings", distinct=True)
    )
    assert {c.year for c in classes} == {current_school_year()}
    assert all(2 <= n <= 5 for n in School.objects.annotate(n=Count("classes")).values_list("n", flat=True))
    assert [c for c in classes if not (12 <= c.n_pupils <= 22 and c.n_teachers == 1)] == []
    assert not SchoolClass.objects.filter(school__kind=School.Kind.MATERNELLE, levels__contains="C").exists()
    pupils = Enrolment.objects.count()
    guardians = GuardianLink.objects.values("guardian").distinct().count()
    assert 1.3 < guardians / pupils < 1.9
    assert not GuardianLink.objects.filter(parental_authority=False).exists()


def test_every_demo_login_signs_in_with_its_password():
    run("load_demo")
    for login in DEMO_LOGINS:
        client = Client()
        response = client.post("/connexion/", {"username": login.username, "password": login.password})
        assert response.status_code == 302, login.username
        person = Person.objects.get(username=login.username)
        assert client.session["_auth_user_id"] == str(person.pk)
        assert person.is_activated


def test_every_demo_login_holds_its_profile():
    run("load_demo")
    for login in DEMO_LOGINS:
        access = access_of(Person.objects.get(username=login.username))
        assert login.profile in access.profiles, login.username


def test_demo_parent_has_the_demo_pupil_and_a_second_child_in_another_class():
    run("load_demo")
    parent = Person.objects.get(username="sophie.fourcade")
    children = access_of(parent).children
    assert {child.person.username for child in children} >= {"lea.fourcade"}
    assert len(children) == 2
    assert len({c.classes[0].id for c in children}) == 2
    teacher = Person.objects.get(username="julien.abadie")
    assert [c.levels for c in access_of(teacher).taught_classes] == ["CE1"]
    pupil = Person.objects.get(username="lea.fourcade")
    assert access_of(pupil).own_classes == access_of(teacher).taught_classes


def test_a_demo_family_has_children_in_two_schools():
    run("load_demo")
    per_guardian = (
        GuardianLink.objects.values("guardian")
        .annotate(schools=Count("child__enrolments__school_class__school", distinct=True))
        .filter(schools__gte=2)
    )
    assert per_guardian.exists()


def test_load_demo_publishes_the_default_charte():
    run("load_demo")
    charte = CharteVersion.objects.get()
    assert charte.academie is None and charte.version == 1
    assert "droit à l'image" in charte.body.lower()


def test_a_second_load_demo_changes_nothing():
    run("load_demo")
    counts = (RegionAcademique.objects.count(), Person.objects.count(), GuardianLink.objects.count())
    output = run("load_demo")
    assert "existe déjà" in output
    assert (RegionAcademique.objects.count(), Person.objects.count(), GuardianLink.objects.count()) == counts


class _Undo(Exception):
    pass


def test_load_demo_is_reproducible():
    # The first académie is rolled back whole (the services' content with it) before the second.
    with contextlib.suppress(_Undo), transaction.atomic():
        run("load_demo")
        first = list(Person.objects.order_by("username").values_list("username", "first_name", "birth_date"))
        raise _Undo
    assert not RegionAcademique.objects.exists()
    run("load_demo")
    again = list(Person.objects.order_by("username").values_list("username", "first_name", "birth_date"))
    assert again == first


def test_demo_logins_prints_a_table_of_every_profile():
    output = run("demo_logins")
    for login in DEMO_LOGINS:
        assert login.username in output and login.password in output


def test_demo_logins_json_lists_profile_username_password_and_name():
    data = json.loads(run("demo_logins", "--json"))
    assert [set(row) for row in data] == [{"profile", "username", "password", "name"}] * len(DEMO_LOGINS)
    profiles = {row["profile"] for row in data}
    assert {
        Profile.PUPIL,
        Profile.PARENT,
        Profile.TEACHER,
        Profile.DIRECTOR,
        Profile.CITY_REFERENT,
        Profile.ACADEMIE_ADMIN,
    } <= profiles
    assert all(len(row["password"]) >= 10 for row in data)


def test_generate_academie_builds_full_schools():
    output = run("generate_academie", "--schools", "3", "--seed", "7")
    assert "3/3 écoles" in output
    schools = School.objects.annotate(n=Count("classes"))
    assert schools.count() == 3
    for school in schools:
        validate_uai(school.uai)
        assert school.n >= 2
        assert school.roles.filter(profile=Profile.DIRECTOR).count() == 1
    pupils = Enrolment.objects.count()
    assert 20 * SchoolClass.objects.count() <= pupils <= 28 * SchoolClass.objects.count()
    guardians = GuardianLink.objects.values("guardian").distinct().count()
    assert 1.3 < guardians / pupils < 1.9


def test_generate_academie_adds_to_the_demo_without_clashing():
    run("load_demo")
    run("generate_academie", "--schools", "2", "--seed", "1")
    run("generate_academie", "--schools", "2", "--seed", "1")
    assert School.objects.count() == len(SCHOOLS) + 4
