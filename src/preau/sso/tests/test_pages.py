"""The sign-in pages of single sign-on: the WAYF and the questions of a first match, light and
of constant cost."""

import pytest
from django.test import Client

from preau.directory.factories import AcademieFactory, SchoolFactory, person_with_role
from preau.directory.models import Profile
from preau.sso.models import IdentityProvider

from .conftest import text

pytestmark = pytest.mark.django_db


def provider(academie, kind="educonnect", **fields) -> IdentityProvider:
    return IdentityProvider.objects.create(
        academie=academie, kind=kind, protocol="oidc", slug=f"{kind}-{academie.code}", label="ÉduConnect", **fields
    )


def test_the_sign_in_page_offers_the_wayf_beside_the_local_login(django_assert_max_num_queries):
    client = Client()
    with django_assert_max_num_queries(0):
        page = text(client.get("/connexion/?next=/agenda/"))
    assert "Je suis :" in page
    for label in ("parent", "élève", "personnel de l'Éducation nationale", "personnel de la commune"):
        assert f">{label}</a>" in page
    assert 'href="/sso/je-suis/parent/?next=/agenda/"' in page
    assert 'name="username"' in page


def test_with_one_provider_the_wayf_goes_straight_to_it(db):
    provider(AcademieFactory(code="16"))
    response = Client().get("/sso/je-suis/parent/?next=/agenda/")
    assert response["Location"] == "/sso/educonnect-16/connexion/?next=/agenda/"


def test_with_several_academies_the_person_chooses_at_constant_cost(django_assert_max_num_queries):
    client = Client()
    for count in (2, 12):
        for _ in range(count - IdentityProvider.objects.count()):
            provider(AcademieFactory())
        with django_assert_max_num_queries(1):
            page = text(client.get("/sso/je-suis/parent/"))
        assert page.count('href="/sso/educonnect-') == count


def test_pupils_are_sent_to_their_cards_unless_educonnect_is_open_to_them(db):
    academie = AcademieFactory(code="16")
    provider(academie)
    page = text(Client().get("/sso/je-suis/eleve/"))
    assert "carte de connexion" in page
    provider(AcademieFactory(code="11"), allows_pupils=True)
    assert Client().get("/sso/je-suis/eleve/")["Location"] == "/sso/educonnect-11/connexion/?next="


def test_commune_staff_use_the_local_login_and_unknown_choices_are_not_found(db):
    assert Client().get("/sso/je-suis/commune/")["Location"] == "/connexion/#id_username"
    assert Client().get("/sso/je-suis/directeur/").status_code == 404


def test_no_question_waiting_says_so(db):
    for path in ("/sso/premiere-connexion/", "/sso/choix-du-compte/"):
        response = Client().get(path)
        assert response.status_code == 400
        assert "Aucune connexion en attente" in text(response)


def test_signed_out_page_without_anything_to_end_goes_to_the_sign_in_page(db):
    assert Client().get("/sso/deconnexion/")["Location"] == "/connexion/"


def test_the_school_choice_page_costs_the_same_for_2_or_20_schools(django_assert_max_num_queries):
    teacher = person_with_role(Profile.TEACHER, SchoolFactory())
    client = Client()
    client.force_login(teacher)
    for count in (2, 20):
        session = client.session
        session["preau_sso_schools"] = [SchoolFactory().pk for _ in range(count)]
        session.save()
        with django_assert_max_num_queries(7):
            response = client.get("/sso/choix-de-l-ecole/")
        assert response.status_code == 200 and text(response).count('name="ecole"') == count
