"""TOTP for local sign-ins: optional for adults, required for administrators when the setting
says so; the session reaches nothing (the charte included) before the code. Session lifetime
per profile."""

import time

import pyotp
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from preau.accounts.models import CharteVersion
from preau.core.models import AuditEntry
from preau.directory.factories import (
    TEST_PASSWORD,
    CommuneFactory,
    PersonFactory,
    SchoolFactory,
    add_role,
    person_with_role,
)
from preau.directory.models import Profile
from preau.sso import totp
from preau.sso.crypto import decrypt
from preau.sso.models import TotpDevice

pytestmark = pytest.mark.django_db


def sign_in(person) -> Client:
    client = Client()
    response = client.post("/connexion/", {"username": person.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def code_for(person, *, offset: int = 0) -> str:
    device = TotpDevice.objects.get(person=person)
    return pyotp.TOTP(decrypt(device.secret_encrypted)).at(time.time() + offset)


def enrol(person) -> Client:
    client = sign_in(person)
    client.post("/sso/double-authentification/", {"action": "start"})
    response = client.post("/sso/double-authentification/", {"action": "confirm", "code": code_for(person)})
    assert response.status_code == 302
    return client


@pytest.fixture
def referent():
    return person_with_role(Profile.CITY_REFERENT, CommuneFactory())


def test_an_adult_adds_an_application_with_a_first_code(referent, django_assert_max_num_queries):
    client = sign_in(referent)
    with django_assert_max_num_queries(12):
        page = client.get("/sso/double-authentification/")
    assert "Ajouter une application d'authentification" in page.content.decode()
    started = client.post("/sso/double-authentification/", {"action": "start"})
    body = started.content.decode()
    assert "data:image/svg+xml" in body and 'id="cle"' in body
    wrong = client.post("/sso/double-authentification/", {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400 and TotpDevice.objects.get().confirmed_at is None
    client.post("/sso/double-authentification/", {"action": "confirm", "code": code_for(referent)})
    assert TotpDevice.objects.get().confirmed_at is not None
    assert AuditEntry.objects.filter(action="sso.totp_enrolled", subject=referent).exists()


def test_with_an_application_the_password_alone_opens_nothing(referent):
    enrol(referent)
    client = sign_in(referent)
    for path in ("/", "/annuaire/mes-ecoles/", "/sso/console/", "/messagerie/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/sso/double-authentification/code/")
    assert client.post("/sso/double-authentification/code/", {"code": "123456"}).status_code == 400
    # A code already used once (the enrolment's) is refused: replay.
    spent = client.post("/sso/double-authentification/code/", {"code": code_for(referent)})
    assert spent.status_code == 400
    response = client.post("/sso/double-authentification/code/", {"code": code_for(referent, offset=30), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_password_alone_cannot_replace_the_password(referent):
    enrol(referent)
    client = sign_in(referent)
    response = client.post(
        "/compte/mot-de-passe/",
        {"new_password1": "Un-autre-mot-de-passe-42", "new_password2": "Un-autre-mot-de-passe-42"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/sso/double-authentification/code/")
    referent.refresh_from_db()
    assert referent.check_password(TEST_PASSWORD)


def test_a_provisional_password_is_replaced_before_the_code(referent):
    enrol(referent)
    referent.must_change_password = True
    referent.save(update_fields=["must_change_password"])
    client = sign_in(referent)
    assert client.get("/compte/mot-de-passe/").status_code == 200


def test_codes_are_limited_per_account(referent, settings):
    settings.PREAU_LOGIN_ATTEMPTS_PER_ADDRESS = 3
    enrol(referent)
    client = sign_in(referent)
    for _ in range(3):
        client.post("/sso/double-authentification/code/", {"code": "111111"})
    response = client.post("/sso/double-authentification/code/", {"code": code_for(referent, offset=30)})
    assert "Trop de tentatives" in response.content.decode()


def test_wrong_codes_lock_the_account_like_wrong_passwords(referent, settings):
    settings.PREAU_LOGIN_FAILURES_BEFORE_DELAY = 3
    enrol(referent)
    client = sign_in(referent)
    for _ in range(3):
        client.post("/sso/double-authentification/code/", {"code": "111111"})
    assert AuditEntry.objects.filter(action="accounts.login_failed", subject_id=referent.pk).count() == 3
    locked = client.post("/sso/double-authentification/code/", {"code": code_for(referent, offset=30)})
    assert "temporairement bloqué" in locked.content.decode()
    # From another address too, and the password alone no longer opens a session.
    assert (
        Client(REMOTE_ADDR="192.0.2.7")
        .post("/connexion/", {"username": referent.username, "password": TEST_PASSWORD})
        .status_code
        == 400
    )
    referent.refresh_from_db()
    referent.locked_until = timezone.now()
    referent.save(update_fields=["locked_until"])
    response = client.post("/sso/double-authentification/code/", {"code": code_for(referent, offset=30), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    referent.refresh_from_db()
    assert referent.failed_logins == 0 and referent.locked_until is None


def test_administrators_must_add_one_when_required(settings):
    settings.PREAU_SSO_TOTP_REQUIRED_FOR_ADMINS = True
    admin = person_with_role(Profile.ACADEMIE_ADMIN, SchoolFactory().circonscription.departement.academie)
    client = sign_in(admin)
    response = client.get("/")
    assert response["Location"].startswith("/sso/double-authentification/?next=")
    page = client.get(response["Location"])
    assert "Votre profil d'administrateur demande un second facteur" in page.content.decode()
    client.post("/sso/double-authentification/", {"action": "start"})
    client.post("/sso/double-authentification/", {"action": "confirm", "code": code_for(admin)})
    assert client.get("/").status_code == 200
    # And may not remove it.
    refused = client.post("/sso/double-authentification/", {"action": "remove", "code": code_for(admin, offset=30)})
    assert "Les administrateurs doivent garder une application" in refused.content.decode()
    assert TotpDevice.objects.filter(person=admin).exists()


def test_not_required_by_default_in_embedded_mode(settings):
    assert settings.PREAU_SSO_TOTP_REQUIRED_FOR_ADMINS is False
    admin = person_with_role(Profile.ACADEMIE_ADMIN, SchoolFactory().circonscription.departement.academie)
    assert sign_in(admin).get("/").status_code == 200


def test_an_adult_may_remove_theirs_with_a_code(referent):
    client = enrol(referent)
    client.post("/sso/double-authentification/", {"action": "remove", "code": code_for(referent, offset=30)})
    assert not TotpDevice.objects.exists()


def test_pupils_have_no_application(school):
    pupil = school.pupils[school.classes[0].id][0]
    with pytest.raises(Exception, match="carte"):
        totp.start_enrolment(pupil)


@pytest.mark.parametrize(
    ("profile", "hours"),
    [(Profile.PUPIL, 8), (Profile.TEACHER, 12), (Profile.ACADEMIE_ADMIN, 4)],
)
def test_the_session_lasts_per_profile(profile, hours):
    school = SchoolFactory()
    structure = {
        Profile.PUPIL: school,
        Profile.TEACHER: school,
        Profile.ACADEMIE_ADMIN: school.circonscription.departement.academie,
    }[profile]
    person = person_with_role(profile, structure)
    client = sign_in(person)
    assert client.session.get_expiry_age() == hours * 3600


def test_the_shortest_lifetime_wins_and_people_without_profile_get_the_default(settings):
    school = SchoolFactory()
    person = person_with_role(Profile.TEACHER, school)
    add_role(person, Profile.DSDEN_ADMIN, school.circonscription.departement)
    assert sign_in(person).session.get_expiry_age() == 4 * 3600
    assert sign_in(PersonFactory()).session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_the_charte_and_the_code_do_not_loop(referent):
    CharteVersion.objects.create(version=1, title="Charte", body="Texte", published_at=timezone.now())
    enrolling = sign_in(referent)
    enrolling.post("/charte/accepter/", {"accept": "oui", "charte": CharteVersion.objects.get().pk})
    enrolling.post("/sso/double-authentification/", {"action": "start"})
    enrolling.post("/sso/double-authentification/", {"action": "confirm", "code": code_for(referent)})
    CharteVersion.objects.create(version=2, title="Charte", body="Nouveau texte", published_at=timezone.now())
    cache.clear()
    client = sign_in(referent)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/charte/accepter/")
    client.post("/charte/accepter/", {"accept": "oui", "charte": CharteVersion.objects.get(version=2).pk})
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sso/double-authentification/code/")
    client.post("/sso/double-authentification/code/", {"code": code_for(referent, offset=30)})
    assert client.get("/").status_code == 200
