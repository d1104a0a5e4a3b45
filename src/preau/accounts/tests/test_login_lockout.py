import pytest
from django.test import Client, override_settings
from django.utils import timezone

from preau.core.models import AuditEntry
from preau.directory.factories import TEST_PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str):
    return client.post("/connexion/", {"username": username, "password": password})


def test_login_page_has_the_username_and_password_fields(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(num=0):
        response = client.get("/connexion/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="username"' in page and 'name="password"' in page


def test_right_password_opens_a_session_and_journals_it(client):
    person = PersonFactory(username="marie.curie")
    response = post_login(client, "Marie.Curie", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.signed_in", subject=person).count() == 1


def test_wrong_password_says_so_in_french_and_opens_nothing(client):
    PersonFactory(username="marie.curie")
    response = post_login(client, "marie.curie", "pas-le-bon")
    assert response.status_code == 400
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    assert client.get("/").status_code == 302


def test_unknown_login_gets_the_same_message_as_a_wrong_password(client):
    response = post_login(client, "personne.inconnue", "quelconque")
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


@override_settings(PREAU_LOGIN_FAILURES_BEFORE_DELAY=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password(client):
    person = PersonFactory(username="marie.curie")
    for _ in range(3):
        post_login(client, "marie.curie", "mauvais")
    person.refresh_from_db()
    assert person.failed_logins == 3
    assert person.locked_until > timezone.now()
    response = post_login(client, "marie.curie", TEST_PASSWORD)
    assert response.status_code == 400
    assert "temporairement bloqué" in response.content.decode()
    assert client.get("/").status_code == 302


def test_success_resets_the_failure_count(client):
    person = PersonFactory(username="marie.curie")
    post_login(client, "marie.curie", "mauvais")
    post_login(client, "marie.curie", TEST_PASSWORD)
    person.refresh_from_db()
    assert person.failed_logins == 0


@override_settings(PREAU_LOGIN_ATTEMPTS_PER_ADDRESS=4)
def test_one_address_trying_many_logins_is_slowed_down(client):
    for index in range(4):
        post_login(client, f"inconnu.{index}", "x")
    response = post_login(client, "encore.un", "x")
    assert "Trop de tentatives de connexion depuis cette adresse" in response.content.decode()


def test_disabled_account_cannot_sign_in(client):
    PersonFactory(username="parti", is_active=False)
    response = post_login(client, "parti", TEST_PASSWORD)
    assert response.status_code == 400


def test_login_redirects_only_to_local_addresses(client):
    PersonFactory(username="marie.curie")
    response = client.post(
        "/connexion/", {"username": "marie.curie", "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_forged_form_without_csrf_token_is_refused():
    PersonFactory(username="marie.curie")
    client = Client(enforce_csrf_checks=True)
    response = post_login(client, "marie.curie", TEST_PASSWORD)
    assert response.status_code == 403


@override_settings(PREAU_LOGIN_ATTEMPTS_PER_ADDRESS=4)
def test_a_whole_school_signing_in_from_one_address_is_never_limited():
    for index in range(6):
        PersonFactory(username=f"enseignant.{index}")
    for index in range(6):
        client = Client()
        assert post_login(client, f"enseignant.{index}", TEST_PASSWORD).status_code == 302
