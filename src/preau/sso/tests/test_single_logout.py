"""Single logout: Préau's sign-out ends the IdP's session (SAML LogoutRequest, OIDC end
session) and the partners' (front-channel); the IdP's own logout ends Préau's session, even
from a frame without the cookie. FrEduUrlRetour is followed to allowed hosts only."""

import re

import pytest
import requests
from django.test import Client
from saml2 import BINDING_HTTP_REDIRECT

from preau.directory.factories import TEST_PASSWORD, make_school

from .conftest import configure_oidc, educonnect_claims, oidc_sign_in, text
from .peers import forged, path_and_query, query_of

pytestmark = pytest.mark.django_db
CLAIMS = educonnect_claims("{AAF}16|x|G100")


def next_hop(page) -> str:
    return re.search(r'content="\d;url=([^"]+)"', text(page)).group(1)


@pytest.fixture
def educonnect(toulouse, oidc_peer, family):
    return configure_oidc(toulouse, oidc_peer, kind="educonnect", slug="educonnect-toulouse")


def test_signing_out_ends_the_oidc_providers_session_too(educonnect, oidc_peer):
    client = Client()
    oidc_sign_in(client, educonnect, oidc_peer, CLAIMS)
    out = client.post("/deconnexion/")
    assert out["Location"] == "/sso/deconnexion/"
    assert "_auth_user_id" not in client.session
    page = client.get("/sso/deconnexion/")
    url = next_hop(page)
    assert url.startswith(f"{oidc_peer.issuer}/logout?") and "id_token_hint=" in url
    back = requests.get(url, allow_redirects=False, timeout=10)
    assert oidc_peer.ended_sessions[0]["post_logout_redirect_uri"] == "http://testserver/sso/deconnexion/fin/"
    assert client.get(path_and_query(back.headers["Location"]))["Location"] == "/connexion/"


def test_fredu_url_retour_is_followed_to_allowed_hosts_only(educonnect, oidc_peer, settings):
    educonnect.end_session_endpoint = ""
    educonnect.save()
    for retour, expected in (
        ("https://educonnect.education.gouv.fr/idp/retour", "https://educonnect.education.gouv.fr/idp/retour"),
        ("https://phishing.example.com/", "/connexion/"),
    ):
        client = Client()
        oidc_sign_in(client, educonnect, oidc_peer, {**CLAIMS, "FrEduUrlRetour": retour})
        client.post("/deconnexion/")
        assert next_hop(client.get("/sso/deconnexion/")) == expected


def test_the_providers_front_channel_logout_ends_the_session_without_the_cookie(educonnect, oidc_peer):
    oidc_peer.id_token_claims = {"sid": "session-ec-1"}
    client = Client()
    oidc_sign_in(client, educonnect, oidc_peer, CLAIMS)
    assert client.get("/").status_code == 200
    frame = Client().get(f"/sso/{educonnect.slug}/oidc/deconnexion/?iss={oidc_peer.issuer}&sid=session-ec-1")
    assert frame.status_code == 200 and "X-Frame-Options" not in frame
    assert client.get("/")["Location"].startswith("/connexion/")


def test_a_local_session_signs_out_as_before():
    built = make_school(classes=1, pupils=1)
    client = Client()
    client.post("/connexion/", {"username": built.director.username, "password": TEST_PASSWORD})
    assert client.post("/deconnexion/")["Location"] == "/connexion/"


def test_saml_sign_out_sends_a_signed_logout_request_and_the_idp_can_end_the_session(toulouse, saml_idp_for, family):
    provider, idp = saml_idp_for(toulouse, kind="educonnect", slug="educonnect-saml")
    client = Client()
    url = client.get(f"/sso/{provider.slug}/connexion/")["Location"]
    client.post(
        f"/sso/{provider.slug}/saml/acs/",
        {
            "SAMLResponse": idp.answer(
                url, {"FrEduCtRefId": ["{AAF}16|x|G100"], "sn": ["Martin"], "givenName": ["Sophie"]}
            )
        },
    )
    assert client.get("/").status_code == 200
    session_index = client.session["preau_sso"]["session_index"]

    # The IdP signs the person out first: a signed LogoutRequest, from a browser without the cookie.
    logout_url = idp.logout_request_url(
        f"http://testserver/sso/{provider.slug}/saml/slo/",
        f"http://testserver/sso/{provider.slug}/saml/metadonnees/",
        "sujet-persistant-1",
        session_index,
    )
    answer = Client().get(path_and_query(logout_url))
    assert answer.status_code == 302 and answer["Location"].startswith(f"{idp.base_url}/slo?SAMLResponse=")
    assert client.get("/")["Location"].startswith("/connexion/")

    # Préau signs out first: the IdP receives a LogoutRequest it can verify.
    again = Client()
    url = again.get(f"/sso/{provider.slug}/connexion/")["Location"]
    again.post(
        f"/sso/{provider.slug}/saml/acs/",
        {
            "SAMLResponse": idp.answer(
                url, {"FrEduCtRefId": ["{AAF}16|x|G100"], "sn": ["Martin"], "givenName": ["Sophie"]}
            )
        },
    )
    again.post("/deconnexion/")
    hop = next_hop(again.get("/sso/deconnexion/"))
    assert hop.startswith(f"{idp.base_url}/slo?SAMLRequest=")
    params = query_of(hop)
    request = idp.server.parse_logout_request(
        params["SAMLRequest"], BINDING_HTTP_REDIRECT, sigalg=params["SigAlg"], signature=params["Signature"]
    )
    assert request.message.name_id.text == "sujet-persistant-1"


def test_a_signed_logout_request_for_someone_else_leaves_this_browser_signed_in(toulouse, saml_idp_for, family):
    provider, idp = saml_idp_for(toulouse, kind="educonnect", slug="educonnect-saml")
    client = Client()
    url = client.get(f"/sso/{provider.slug}/connexion/")["Location"]
    client.post(
        f"/sso/{provider.slug}/saml/acs/",
        {
            "SAMLResponse": idp.answer(
                url, {"FrEduCtRefId": ["{AAF}16|x|G100"], "sn": ["Martin"], "givenName": ["Sophie"]}
            )
        },
    )
    # A genuine request, captured from another person's sign-out, replayed in this browser.
    elsewhere = idp.logout_request_url(
        f"http://testserver/sso/{provider.slug}/saml/slo/",
        f"http://testserver/sso/{provider.slug}/saml/metadonnees/",
        "sujet-persistant-2",
        "session-de-quelqu-un-d-autre",
    )
    answer = client.get(path_and_query(elsewhere))
    assert answer.status_code == 302
    assert client.get("/").status_code == 200


def test_an_unsigned_logout_request_is_ignored(toulouse, saml_idp_for):
    provider, _idp = saml_idp_for(toulouse, kind="educonnect", slug="educonnect-saml")
    response = Client().get(f"/sso/{provider.slug}/saml/slo/?SAMLRequest=abc")
    assert response.status_code == 400
    assert "non signée" in text(response)


def test_a_logout_request_with_a_forged_signature_ends_nothing(toulouse, saml_idp_for, family):
    provider, idp = saml_idp_for(toulouse, kind="educonnect", slug="educonnect-saml")
    client = Client()
    url = client.get(f"/sso/{provider.slug}/connexion/")["Location"]
    client.post(
        f"/sso/{provider.slug}/saml/acs/",
        {
            "SAMLResponse": idp.answer(
                url, {"FrEduCtRefId": ["{AAF}16|x|G100"], "sn": ["Martin"], "givenName": ["Sophie"]}
            )
        },
    )
    logout_url = idp.logout_request_url(
        f"http://testserver/sso/{provider.slug}/saml/slo/",
        f"http://testserver/sso/{provider.slug}/saml/metadonnees/",
        "sujet-persistant-1",
        client.session["preau_sso"]["session_index"],
    )
    refused = client.get(forged(logout_url))
    assert refused.status_code == 400 and "invalide" in text(refused)
    assert client.get("/").status_code == 200
