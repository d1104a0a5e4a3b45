import pytest
from django.test import Client

from preau.directory.factories import TEST_PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db


def signed_in_client(username: str) -> Client:
    client = Client()
    client.post("/connexion/", {"username": username, "password": TEST_PASSWORD})
    return client


def test_sign_out_ends_the_session():
    PersonFactory(username="paul.parent")
    client = signed_in_client("paul.parent")
    response = client.post("/deconnexion/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_sign_out_is_a_post_only():
    PersonFactory(username="paul.parent")
    client = signed_in_client("paul.parent")
    assert client.get("/deconnexion/").status_code == 405
    assert client.get("/").status_code == 200


def test_sign_out_everywhere_ends_the_sessions_on_other_devices():
    PersonFactory(username="paul.parent")
    phone = signed_in_client("paul.parent")
    laptop = signed_in_client("paul.parent")
    assert phone.get("/").status_code == 200
    laptop.post("/deconnexion/partout/")
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302


def test_sessions_are_kept_in_the_database_so_they_survive_a_restart():
    from django.contrib.sessions.models import Session

    PersonFactory(username="paul.parent")
    client = signed_in_client("paul.parent")
    assert Session.objects.filter(session_key=client.session.session_key).exists()
