"""A pupil signs in by scanning the QR code of their card."""

import pytest
from django.test import Client, override_settings

from preau.accounts.card_actions import issue_login_card
from preau.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(school):
    school_class = school.classes[0]
    return issue_login_card(school.teachers[0], school.pupils[school_class.id][0], school_class)


def card_path(token: str) -> str:
    return f"/connexion/carte/{token}/"


def test_scanning_shows_a_confirmation_and_signs_no_one_in(client, issued, django_assert_max_num_queries):
    with django_assert_max_num_queries(num=2):
        response = client.get(card_path(issued.token))
    assert response.status_code == 200
    assert f"Bonjour {issued.pupil.first_name} !" in response.content.decode()
    assert "C'est moi" in response.content.decode()
    assert client.get("/").status_code == 302
    assert issued.url.endswith(card_path(issued.token))


def test_its_me_signs_the_pupil_in_without_hashing(client, issued, django_assert_max_num_queries):
    client.get(card_path(issued.token))
    response = client.post(card_path(issued.token))
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == issued.pupil.pk
    assert AuditEntry.objects.filter(action="accounts.signed_in", subject=issued.pupil, details__method="card").exists()
    issued.card.refresh_from_db()
    assert issued.card.last_used_at is not None


def test_card_sign_in_never_hashes_a_password(issued, monkeypatch):
    # The argon2 library (the outside world, not our code) must not be called on this path.
    import argon2

    def refuse(*args, **kwargs):
        raise AssertionError("hashing on the card path")

    monkeypatch.setattr(argon2.low_level, "hash_secret", refuse)
    monkeypatch.setattr(argon2.PasswordHasher, "verify", refuse)
    assert Client().post(card_path(issued.token)).status_code == 302


def test_old_card_after_a_reprint_says_so_and_changes_nothing(client, school, issued):
    issue_login_card(school.teachers[0], issued.pupil, issued.school_class)
    for response in (client.get(card_path(issued.token)), client.post(card_path(issued.token))):
        assert response.status_code == 400
        assert "Cette carte n&#x27;est plus valable : demande une nouvelle carte à ton enseignant·e." in (
            response.content.decode()
        )
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action="accounts.signed_in").exists()


def test_unknown_token_says_so(client, issued):
    response = client.post(card_path("pas-une-carte"))
    assert response.status_code == 400
    assert "Cette carte n&#x27;est pas reconnue" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(PREAU_LOGIN_ATTEMPTS_PER_ADDRESS=3)
def test_failures_from_one_address_are_limited_but_good_cards_are_not(client, school, issued):
    for _ in range(3):
        client.post(card_path(issued.token))
        client.post("/deconnexion/")
    for _ in range(3):
        client.get(card_path("inconnue"))
    response = client.post(card_path(issued.token))
    assert response.status_code == 400
    assert "Trop de tentatives" in response.content.decode()
