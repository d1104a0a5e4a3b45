import pytest
from django.urls import reverse

from preau.core.models import AuditEntry
from preau.directory.factories import (
    AcademieFactory,
    CirconscriptionFactory,
    CommuneFactory,
    DepartementFactory,
    PersonFactory,
    SchoolFactory,
    person_with_role,
    valid_siret,
    valid_uai,
)
from preau.directory.models import Circonscription, Commune, Profile, Role, School

pytestmark = pytest.mark.django_db

CONSOLE = reverse("directory:academie_console")


@pytest.fixture
def toulouse(db):
    academie = AcademieFactory(name="Toulouse")
    departement = DepartementFactory(academie=academie, name="Hautes-Pyrénées")
    circonscription = CirconscriptionFactory(departement=departement, name="Lannemezan")
    commune = CommuneFactory(departement=departement, name="Lannemezan")
    school = SchoolFactory(circonscription=circonscription, commune=commune, name="École Jean Jaurès")
    admin = person_with_role(Profile.ACADEMIE_ADMIN, academie)
    return {
        "academie": academie,
        "departement": departement,
        "circonscription": circonscription,
        "commune": commune,
        "school": school,
        "admin": admin,
    }


@pytest.fixture
def montpellier(db):
    academie = AcademieFactory(name="Montpellier")
    departement = DepartementFactory(academie=academie, name="Pyrénées-Orientales")
    circonscription = CirconscriptionFactory(departement=departement, name="Céret")
    commune = CommuneFactory(departement=departement, name="Le Boulou")
    school = SchoolFactory(circonscription=circonscription, commune=commune, name="École du Boulou")
    return {
        "academie": academie,
        "departement": departement,
        "circonscription": circonscription,
        "commune": commune,
        "school": school,
    }


def school_data(place, **overrides):
    data = {
        "uai": valid_uai(651067),
        "name": "École neuve",
        "kind": School.Kind.ELEMENTAIRE,
        "sector": School.Sector.PUBLIC,
        "circonscription": place["circonscription"].id,
        "commune": place["commune"].id,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_admin_sees_structures_schools_communes_and_admins(
    client_for, toulouse, montpellier, django_assert_max_num_queries
):
    client = client_for(toulouse["admin"])
    with django_assert_max_num_queries(num=14):
        response = client.get(CONSOLE)
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Hautes-Pyrénées",
        "Lannemezan",
        "École Jean Jaurès",
        toulouse["commune"].siret,
        toulouse["admin"].username,
    ):
        assert text in page
    assert "École du Boulou" not in page
    assert montpellier["commune"].siret not in page


def test_admin_may_not_open_another_academie(client_for, toulouse, montpellier):
    response = client_for(toulouse["admin"]).get(CONSOLE, {"academie": montpellier["academie"].id})
    assert response.status_code == 404


def test_people_without_an_academie_role_are_refused(client_for, toulouse):
    director = person_with_role(Profile.DIRECTOR, toulouse["school"])
    dsden = person_with_role(Profile.DSDEN_ADMIN, toulouse["departement"])
    for person in (director, dsden):
        assert client_for(person).get(CONSOLE).status_code == 403


def test_schools_are_paginated_and_searchable(client_for, toulouse, django_assert_max_num_queries):
    for _ in range(55):
        SchoolFactory(circonscription=toulouse["circonscription"], commune=toulouse["commune"])
    client = client_for(toulouse["admin"])
    with django_assert_max_num_queries(num=14):
        response = client.get(CONSOLE)
    page = response.content.decode()
    assert "56 écoles" in page
    assert "Page suivante" in page
    found = client.get(CONSOLE, {"q": toulouse["school"].uai}).content.decode()
    assert "1 école" in found
    assert "École Jean Jaurès" in found


def test_admin_creates_a_school_and_it_is_journaled(client_for, toulouse):
    url = reverse("directory:school_create", args=[toulouse["academie"].id])
    response = client_for(toulouse["admin"]).post(url, school_data(toulouse, uai="0651067g"))
    assert response.status_code == 302
    school = School.objects.get(uai="0651067G")
    entry = AuditEntry.objects.get(action="directory.school_created")
    assert entry.school_id == school.id
    assert entry.academie_id == toulouse["academie"].id


def test_wrong_uai_check_letter_is_explained(client_for, toulouse):
    url = reverse("directory:school_create", args=[toulouse["academie"].id])
    response = client_for(toulouse["admin"]).post(url, school_data(toulouse, uai="0651067H"))
    assert response.status_code == 400
    assert "devrait être « G »" in response.content.decode()
    assert not School.objects.filter(uai="0651067H").exists()


def test_duplicate_uai_is_refused_in_french(client_for, toulouse):
    url = reverse("directory:school_create", args=[toulouse["academie"].id])
    response = client_for(toulouse["admin"]).post(url, school_data(toulouse, uai=toulouse["school"].uai))
    assert response.status_code == 400
    assert "déjà celui d&#x27;une autre école" in response.content.decode()
    assert School.objects.count() == 1


def test_admin_may_not_place_a_school_in_another_academie(client_for, toulouse, montpellier):
    url = reverse("directory:school_create", args=[toulouse["academie"].id])
    response = client_for(toulouse["admin"]).post(url, school_data(montpellier))
    assert response.status_code == 400
    assert not School.objects.filter(name="École neuve").exists()


def test_admin_edits_own_school_but_not_another_academies(client_for, toulouse, montpellier):
    client = client_for(toulouse["admin"])
    own = reverse("directory:school_edit", args=[toulouse["school"].id])
    response = client.post(
        own, school_data(toulouse, uai=toulouse["school"].uai, name="École Jaurès", kind=toulouse["school"].kind)
    )
    assert response.status_code == 302
    toulouse["school"].refresh_from_db()
    assert toulouse["school"].name == "École Jaurès"
    assert AuditEntry.objects.get(action="directory.school_updated").details["fields"] == ["name"]
    other = reverse("directory:school_edit", args=[montpellier["school"].id])
    assert client.get(other).status_code == 404
    assert client.post(other, school_data(montpellier, uai=montpellier["school"].uai)).status_code == 404
    other_create = reverse("directory:school_create", args=[montpellier["academie"].id])
    assert client.get(other_create).status_code == 404


def test_admin_creates_and_edits_a_commune_with_a_valid_siret(client_for, toulouse):
    client = client_for(toulouse["admin"])
    url = reverse("directory:commune_create", args=[toulouse["academie"].id])
    siret = valid_siret(2165025830001)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    response = client.post(url, {"name": "Capvern", "departement": toulouse["departement"].id, "siret": spaced})
    assert response.status_code == 302
    commune = Commune.objects.get(siret=siret)
    edit = reverse("directory:commune_edit", args=[commune.id])
    response = client.post(
        edit, {"name": "Capvern-les-Bains", "departement": toulouse["departement"].id, "siret": siret}
    )
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.name == "Capvern-les-Bains"
    assert (
        AuditEntry.objects.filter(action__startswith="directory.commune_", academie_id=toulouse["academie"].id).count()
        == 2
    )


def test_invalid_siret_is_explained(client_for, toulouse):
    url = reverse("directory:commune_create", args=[toulouse["academie"].id])
    siret = valid_siret(2165025830001)
    wrong = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    response = client_for(toulouse["admin"]).post(
        url, {"name": "Capvern", "departement": toulouse["departement"].id, "siret": wrong}
    )
    assert response.status_code == 400
    assert "clé de contrôle" in response.content.decode()


def test_admin_creates_a_circonscription_once(client_for, toulouse):
    client = client_for(toulouse["admin"])
    url = reverse("directory:circonscription_create", args=[toulouse["academie"].id])
    data = {"departement": toulouse["departement"].id, "name": "Tarbes 1", "code": "T1"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 400
    assert "a déjà une circonscription" in response.content.decode()
    assert Circonscription.objects.filter(name="Tarbes 1").count() == 1


def test_admin_gives_the_admin_role_to_an_existing_person(client_for, toulouse):
    colleague = PersonFactory(username="m.dupont")
    url = reverse("directory:administrator_add", args=[toulouse["academie"].id])
    response = client_for(toulouse["admin"]).post(url, {"username": "M.Dupont"})
    assert response.status_code == 302
    assert Role.objects.filter(person=colleague, profile=Profile.ACADEMIE_ADMIN, academie=toulouse["academie"]).exists()
    entry = AuditEntry.objects.get(action="directory.academie_admin_added")
    assert entry.subject == colleague


def test_admin_creates_a_new_administrator_without_password(client_for, toulouse):
    url = reverse("directory:administrator_add", args=[toulouse["academie"].id])
    client = client_for(toulouse["admin"])
    response = client.post(url, {"username": "nouvelle.admin"})
    assert response.status_code == 400
    assert "indiquez aussi son prénom et son nom" in response.content.decode()
    response = client.post(url, {"username": "nouvelle.admin", "first_name": "Anne", "last_name": "Martin"})
    assert response.status_code == 302
    role = Role.objects.get(person__username="nouvelle.admin")
    assert role.academie == toulouse["academie"]
    assert not role.person.has_usable_password()


def test_operator_uses_every_academies_console(client_for, toulouse, montpellier):
    operator = PersonFactory(is_superuser=True, is_staff=True)
    client = client_for(operator)
    response = client.get(CONSOLE, {"academie": montpellier["academie"].id})
    assert response.status_code == 200
    assert "École du Boulou" in response.content.decode()
