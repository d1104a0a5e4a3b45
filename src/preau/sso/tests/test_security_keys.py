"""Security keys (WebAuthn) as the second factor of local sign-ins, against a software FIDO2
authenticator (`authenticator.py`) answering exactly as a browser would: enrolment, sign-in,
replays, foreign origins, foreign and cloned keys, and the administrators' minimum."""

import json
import time

import pytest
from django.test import Client

from preau.core.models import AuditEntry
from preau.directory.factories import (
    TEST_PASSWORD,
    AcademieFactory,
    CommuneFactory,
    SchoolFactory,
    person_with_role,
)
from preau.directory.models import Profile
from preau.sso import security_keys
from preau.sso.models import SecurityKey

from .authenticator import Authenticator as SoftwareAuthenticator

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
OPTIONS = "/sso/double-authentification/cles/options/"
ADD = "/sso/double-authentification/cles/ajouter/"
CHALLENGE = "/sso/double-authentification/cles/defi/"
VERIFY = "/sso/double-authentification/cles/verifier/"


def Authenticator(origin: str = ORIGIN) -> SoftwareAuthenticator:  # noqa: N802  (reads as the class)
    return SoftwareAuthenticator(origin)


def post_json(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def sign_in(person) -> Client:
    client = Client()
    response = client.post("/connexion/", {"username": person.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def add_key(client: Client, authenticator: Authenticator, name: str = "Clé bleue"):
    options = post_json(client, OPTIONS)
    assert options.status_code == 200, options.content
    return post_json(client, ADD, {"credential": authenticator.create(options.json()), "name": name})


def enrolled(person) -> tuple[Client, Authenticator]:
    authenticator = Authenticator()
    client = sign_in(person)
    assert add_key(client, authenticator).status_code == 200
    return client, authenticator


def answer_challenge(client: Client, authenticator: Authenticator):
    options = post_json(client, CHALLENGE)
    assert options.status_code == 200, options.content
    credential = authenticator.get(options.json())
    return credential, post_json(client, VERIFY, {"credential": credential})


@pytest.fixture
def referent():
    return person_with_role(Profile.CITY_REFERENT, CommuneFactory())


@pytest.fixture
def academie_admin(settings):
    settings.PREAU_SSO_TOTP_REQUIRED_FOR_ADMINS = True
    return person_with_role(Profile.ACADEMIE_ADMIN, AcademieFactory())


def test_an_adult_adds_a_key_named_as_they_wish(referent, django_assert_max_num_queries):
    client = sign_in(referent)
    with django_assert_max_num_queries(14):
        page = client.get("/sso/double-authentification/")
    assert "Ajouter une clé de sécurité" in page.content.decode()
    options = post_json(client, OPTIONS).json()
    assert options["rp"]["id"] == "testserver" and options["user"]["name"] == referent.username
    added = post_json(client, ADD, {"credential": Authenticator().create(options), "name": "  Clé   bleue "})
    assert added.status_code == 200 and added.json()["redirect"] == "/sso/double-authentification/"
    key = SecurityKey.objects.get(person=referent)
    assert key.name == "Clé bleue" and key.sign_count == 0 and bytes(key.public_key)
    assert AuditEntry.objects.filter(action="sso.key_added", subject=referent).exists()
    listed = client.get("/sso/double-authentification/").content.decode()
    assert "Clé bleue" in listed and "Retirer la clé Clé bleue" in listed


def test_the_same_key_is_not_registered_twice_and_an_answer_for_another_site_is_refused(referent):
    client, authenticator = enrolled(referent)
    options = post_json(client, OPTIONS).json()
    assert [item["id"] for item in options["excludeCredentials"]] == [SecurityKey.objects.get().credential_id]
    phishing = post_json(client, OPTIONS).json()
    refused = post_json(client, ADD, {"credential": Authenticator("https://preau.example.com").create(phishing)})
    assert refused.status_code == 400 and "n'a pas pu être vérifiée" in refused.json()["error"]
    # No challenge given (or already spent): refused, nothing kept.
    late = post_json(client, ADD, {"credential": authenticator.create(options)})
    assert late.status_code == 400 and "expiré" in late.json()["error"]
    assert SecurityKey.objects.count() == 1


def test_with_a_key_the_password_alone_opens_nothing_and_the_key_does(referent):
    _client, authenticator = enrolled(referent)
    client = sign_in(referent)
    blocked = client.get("/messagerie/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/sso/double-authentification/code/")
    page = client.get("/sso/double-authentification/code/").content.decode()
    assert "Utiliser ma clé de sécurité" in page and "Code à 6 chiffres" not in page
    _credential, verified = answer_challenge(client, authenticator)
    assert verified.status_code == 200 and verified.json()["redirect"] == "/"
    assert client.get("/messagerie/").status_code == 200
    key = SecurityKey.objects.get()
    assert key.sign_count == 1 and key.last_used_at is not None
    assert AuditEntry.objects.filter(action="sso.key_verified", subject=referent).exists()


def test_a_replayed_answer_a_foreign_key_and_a_cloned_key_are_refused(referent):
    _client, authenticator = enrolled(referent)
    other = person_with_role(Profile.CITY_REFERENT, CommuneFactory())
    _other_client, stranger = enrolled(other)

    client = sign_in(referent)
    credential, verified = answer_challenge(client, authenticator)
    assert verified.status_code == 200
    # The same answer again, in a new sign-in: its challenge was spent.
    again = sign_in(referent)
    post_json(again, CHALLENGE)
    replayed = post_json(again, VERIFY, {"credential": credential})
    assert replayed.status_code == 400 and "pas été reconnue" in replayed.json()["error"]
    # Another person's key answers this person's challenge: refused.
    assert answer_challenge(again, stranger)[1].status_code == 400
    # A copy of the key, whose counter went back: refused.
    authenticator.sign_count = 0
    cloned = answer_challenge(again, authenticator)[1]
    assert cloned.status_code == 400
    assert again.get("/messagerie/").status_code == 302
    assert AuditEntry.objects.filter(action="sso.key_failed", subject=referent).count() == 3


def test_failures_count_like_sign_ins(referent, settings):
    _client, authenticator = enrolled(referent)
    client = sign_in(referent)
    genuine = authenticator.origin
    authenticator.origin = "https://preau.example.com"
    settings.PREAU_LOGIN_ATTEMPTS_PER_ADDRESS = 3
    for _ in range(3):
        assert answer_challenge(client, authenticator)[1].status_code == 400
    authenticator.origin = genuine
    # Even the right key now waits: the account's failures are over the limit.
    locked = answer_challenge(client, authenticator)[1]
    assert locked.status_code == 400 and "Trop" in locked.json()["error"]


def test_a_session_that_owes_its_second_factor_adds_nothing(referent):
    _client, authenticator = enrolled(referent)
    client = sign_in(referent)
    assert client.get("/sso/double-authentification/").status_code == 302
    refused = post_json(client, OPTIONS)
    assert refused.status_code == 403
    assert client.post("/sso/double-authentification/", {"action": "start"}).status_code == 302
    assert SecurityKey.objects.count() == 1


def test_a_challenge_expires(referent, monkeypatch):
    _client, authenticator = enrolled(referent)
    client = sign_in(referent)
    options = post_json(client, CHALLENGE).json()
    later = time.time() + security_keys.CHALLENGE_SECONDS + 1
    monkeypatch.setattr(security_keys.time, "time", lambda: later)
    expired = post_json(client, VERIFY, {"credential": authenticator.get(options)})
    assert expired.status_code == 400


def test_malformed_answers_get_a_french_message_and_change_nothing(referent):
    client, _authenticator = enrolled(referent)
    post_json(client, OPTIONS)
    for body in (b"not json", b"[1, 2]"):
        response = client.post(ADD, body, content_type="application/json")
        assert response.status_code == 400 and "illisible" in response.json()["error"]
    post_json(client, OPTIONS)
    garbage = post_json(client, ADD, {"credential": {"id": "abc", "rawId": "abc", "response": {}}})
    assert garbage.status_code == 400 and "n'a pas pu être vérifiée" in garbage.json()["error"]
    assert SecurityKey.objects.count() == 1
    assert client.get(OPTIONS).status_code == 405


def test_pupils_have_no_keys_and_nothing_to_verify_is_said_so():
    school = SchoolFactory()
    pupil = person_with_role(Profile.PUPIL, school)
    client = sign_in(pupil)
    refused = post_json(client, OPTIONS)
    assert refused.status_code == 403 and "carte" in refused.json()["error"]
    assert post_json(client, CHALLENGE).status_code == 400
    assert "Double authentification" not in client.get("/compte/").content.decode()


def test_an_administrator_must_add_a_factor_and_keeps_one(academie_admin):
    client = sign_in(academie_admin)
    assert client.get("/").status_code == 302
    page = client.get("/sso/double-authentification/").content.decode()
    assert "ajoutez une application d'authentification ou une clé de sécurité" in page
    assert add_key(client, Authenticator()).status_code == 200
    assert client.get("/").status_code == 200
    key = SecurityKey.objects.get()
    kept = client.post("/sso/double-authentification/", {"action": "remove_key", "key": key.pk})
    assert kept.status_code == 400 and "Les administrateurs doivent garder une clé" in kept.content.decode()
    assert SecurityKey.objects.filter(pk=key.pk).exists()
    # With a second key the first may go.
    assert add_key(client, Authenticator(), name="Téléphone").status_code == 200
    removed = client.post("/sso/double-authentification/", {"action": "remove_key", "key": key.pk})
    assert removed.status_code == 302 and not SecurityKey.objects.filter(pk=key.pk).exists()
    assert AuditEntry.objects.filter(action="sso.key_removed", subject=academie_admin).exists()


def test_one_removes_only_ones_own_keys(referent):
    _client, _authenticator = enrolled(referent)
    other = person_with_role(Profile.CITY_REFERENT, CommuneFactory())
    client = sign_in(other)
    response = client.post(
        "/sso/double-authentification/", {"action": "remove_key", "key": SecurityKey.objects.get().pk}
    )
    assert response.status_code == 400 and "Cette clé n&#x27;existe plus." in response.content.decode()
    assert SecurityKey.objects.count() == 1


def test_my_account_tells_the_state_of_the_second_factor(referent, django_assert_max_num_queries):
    client = sign_in(referent)
    with django_assert_max_num_queries(10):
        page = client.get("/compte/").content.decode()
    assert "Non activée" in page and "Activer la double authentification" in page
    add_key(client, Authenticator())
    page = client.get("/compte/").content.decode()
    assert "Activée : une clé de sécurité." in page and "Gérer la double authentification" in page
