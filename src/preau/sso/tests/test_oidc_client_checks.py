"""Préau as OpenID Connect client refuses every doubtful answer, with a message that says why."""

import time

import pytest
import requests
from django.test import Client
from joserfc.jwk import RSAKey

from preau.sso.models import FederatedLink

from .conftest import configure_oidc, educonnect_claims, oidc_sign_in, text
from .peers import path_and_query

pytestmark = pytest.mark.django_db
CLAIMS = educonnect_claims("{AAF}16|x|G100")


@pytest.fixture
def educonnect(toulouse, oidc_peer, family):
    return configure_oidc(toulouse, oidc_peer, kind="educonnect", slug="educonnect-toulouse")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"aud": ["un-autre-service"]}, "n'est pas destiné à Préau"),
        ({"iss": "https://usurpateur.example.test"}, "ne vient pas du fournisseur attendu"),
        ({"exp": int(time.time()) - 3600}, "a expiré"),
        ({"nonce": "un-autre-nonce"}, "n'est pas destiné à Préau"),
    ],
)
def test_id_tokens_that_are_not_for_this_sign_in_are_refused(educonnect, oidc_peer, overrides, message):
    oidc_peer.id_token_claims = overrides
    client = Client()
    response = oidc_sign_in(client, educonnect, oidc_peer, CLAIMS)
    assert response.status_code == 400
    assert message in text(response)
    assert "_auth_user_id" not in client.session and not FederatedLink.objects.exists()


def test_an_id_token_signed_by_another_key_is_refused(educonnect, oidc_peer):
    oidc_peer.signing_key = RSAKey.generate_key(2048, parameters={"kid": "cle-1"})
    response = oidc_sign_in(Client(), educonnect, oidc_peer, CLAIMS)
    assert response.status_code == 400
    assert "La signature du jeton d'identité est invalide" in text(response)


def test_userinfo_about_someone_else_is_refused(educonnect, oidc_peer):
    oidc_peer.userinfo_overrides = {"sub": "quelqu-un-d-autre"}
    response = oidc_sign_in(Client(), educonnect, oidc_peer, CLAIMS)
    assert "ne concernent pas la personne authentifiée" in text(response)


def test_a_callback_without_its_sign_in_or_replayed_is_refused(educonnect, oidc_peer):
    client = Client()
    oidc_peer.next_user = CLAIMS
    start = client.get(f"/sso/{educonnect.slug}/connexion/")
    callback = path_and_query(requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"])
    # Another browser, which never started this sign-in, cannot use it.
    stranger = Client().get(callback)
    assert stranger.status_code == 400
    assert "ne correspond à aucune connexion en cours" in text(stranger)
    assert client.get(callback).status_code == 302
    # The same answer twice: the first use spent it.
    replayed = client.get(callback)
    assert replayed.status_code == 400
    assert "ne correspond à aucune connexion en cours" in text(replayed)
    assert FederatedLink.objects.count() == 1


def test_an_error_of_the_provider_is_shown_and_counted(educonnect):
    client = Client()
    client.get(f"/sso/{educonnect.slug}/connexion/")
    state = client.session["preau_sso_flow"]["state"]
    response = client.get(f"/sso/{educonnect.slug}/oidc/retour/?error=access_denied&state={state}")
    assert response.status_code == 400
    assert "n'a pas authentifié la personne (access_denied)" in text(response)


def test_callbacks_are_limited_per_address(educonnect, settings):
    settings.PREAU_LOGIN_ATTEMPTS_PER_ADDRESS = 3
    client = Client()
    for _ in range(3):
        client.get(f"/sso/{educonnect.slug}/oidc/retour/?code=x&state=y")
    response = client.get(f"/sso/{educonnect.slug}/oidc/retour/?code=x&state=y")
    assert "Trop de tentatives de connexion depuis cette adresse" in text(response)


def test_an_unknown_or_inactive_provider_is_not_found(educonnect):
    educonnect.is_active = False
    educonnect.save()
    assert Client().get(f"/sso/{educonnect.slug}/connexion/").status_code == 404
    assert Client().get("/sso/inconnu/connexion/").status_code == 404
