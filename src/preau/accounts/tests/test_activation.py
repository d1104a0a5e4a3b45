"""A parent activates their account with the code of their letter."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from preau.accounts.actions import issue_activation_letters
from preau.accounts.models import ActivationCode
from preau.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Une-phrase-de-passe-2026"


@pytest.fixture
def letter(school):
    return issue_activation_letters(school.director, school.classes[0])[0]


def activate(client, letter, **changes):
    data = {
        "username": letter.parent.username,
        "code": letter.code,
        "email": "parent@example.fr",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    } | changes
    return client.post("/activation/", data)


def assert_nothing_changed(letter, client):
    parent = letter.parent
    parent.refresh_from_db()
    assert parent.activated_at is None and parent.email == ""
    assert not parent.check_password(NEW_PASSWORD)
    assert not ActivationCode.objects.filter(person=parent, used_at__isnull=False).exists()
    assert client.get("/").status_code == 302


def test_activation_page_is_public_and_light(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(num=0):
        response = client.get("/activation/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="code"' in page and 'name="email"' in page and 'name="password2"' in page


def test_login_page_links_to_activation_and_password_reset(client):
    page = client.get("/connexion/").content.decode()
    assert 'href="/activation/"' in page and 'href="/mot-de-passe-oublie/"' in page


def test_right_code_sets_password_and_email_and_opens_a_session(client, letter):
    response = activate(client, letter, code=letter.code.lower().replace("-", " "))
    assert response.status_code == 302 and response["Location"] == "/"
    parent = letter.parent
    parent.refresh_from_db()
    assert parent.activated_at is not None and parent.email == "parent@example.fr"
    assert parent.check_password(NEW_PASSWORD)
    code = ActivationCode.objects.get(person=parent)
    assert code.used_at is not None
    assert AuditEntry.objects.filter(action="accounts.signed_in", subject=parent, details__method="activation").exists()
    assert AuditEntry.objects.filter(action="accounts.activated", subject=parent).exists()
    # The session is open: the next page is the portal (or the charte, when one is published).
    assert client.get("/").status_code == 200


def test_parent_then_signs_in_with_the_new_password(client, letter):
    activate(client, letter)
    client.post("/deconnexion/")
    response = client.post("/connexion/", {"username": letter.parent.username, "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_wrong_code_says_so_changes_nothing_and_counts_a_failure(client, letter):
    response = activate(client, letter, code="AAAA-BBBB-CCCC")
    assert response.status_code == 400
    assert "Identifiant ou code d&#x27;activation incorrect" in response.content.decode()
    assert_nothing_changed(letter, client)
    letter.parent.refresh_from_db()
    assert letter.parent.failed_logins == 1


def test_unknown_login_gets_the_same_message(client, letter):
    response = activate(client, letter, username="personne.inconnue")
    assert response.status_code == 400
    assert "Identifiant ou code d&#x27;activation incorrect" in response.content.decode()


def test_expired_code_says_when_it_expired_and_what_to_do(client, letter):
    expired = timezone.now() - datetime.timedelta(days=1)
    ActivationCode.objects.filter(person=letter.parent).update(expires_at=expired)
    response = activate(client, letter)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ce code d&#x27;activation a expiré le" in page
    assert "demandez une nouvelle lettre à l&#x27;école" in page
    assert_nothing_changed(letter, client)


def test_used_code_cannot_serve_twice(client, letter):
    activate(client, letter)
    other = client.__class__()
    response = activate(other, letter, password1="Autre-mot-de-passe-42", password2="Autre-mot-de-passe-42")
    assert response.status_code == 400
    assert "a déjà servi" in response.content.decode()
    letter.parent.refresh_from_db()
    assert letter.parent.check_password(NEW_PASSWORD)


def test_code_of_an_older_letter_is_refused_after_a_new_one(client, school, letter):
    issue_activation_letters(school.director, school.classes[0])
    response = activate(client, letter)
    assert response.status_code == 400
    assert "remplacé par une lettre plus récente" in response.content.decode()
    assert_nothing_changed(letter, client)


def test_parent_must_give_an_email(client, letter):
    response = activate(client, letter, email="")
    assert response.status_code == 400
    assert "Indiquez votre adresse électronique" in response.content.decode()
    assert_nothing_changed(letter, client)


def test_weak_or_mismatched_password_changes_nothing(client, letter):
    assert activate(client, letter, password1="1234", password2="1234").status_code == 400
    assert activate(client, letter, password2="pas-pareil-du-tout").status_code == 400
    assert_nothing_changed(letter, client)
    letter.parent.refresh_from_db()
    assert letter.parent.failed_logins == 0


@override_settings(PREAU_LOGIN_ATTEMPTS_PER_ADDRESS=3)
def test_attempts_are_limited_per_address(client, letter):
    for _ in range(3):
        activate(client, letter, code="AAAA-BBBB-CCCC")
    response = activate(client, letter)
    assert response.status_code == 400
    assert "Trop de tentatives" in response.content.decode()
    assert_nothing_changed(letter, client)


@override_settings(PREAU_LOGIN_FAILURES_BEFORE_DELAY=2)
def test_repeated_wrong_codes_lock_the_account(client, letter):
    for _ in range(2):
        activate(client, letter, code="AAAA-BBBB-CCCC")
    response = activate(client, letter)
    assert response.status_code == 400
    assert "temporairement bloqué" in response.content.decode()
    assert_nothing_changed(letter, client)
