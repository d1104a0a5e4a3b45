"""Préau as identity provider for the partners an académie registered: a pysaml2 SP, an Authlib
OpenID client (code + PKCE) and a python-cas client, each talking to Préau for real. Only an
opaque identifier by default, the rest only where the registration allows it, always journaled."""

import base64
import re

import pytest
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from cas import CASClientV3
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet
from requests import Session
from saml2 import BINDING_HTTP_REDIRECT

from preau.core.models import AuditEntry
from preau.directory.factories import make_school, person_with_role
from preau.directory.models import Profile
from preau.sso import admin_actions, cas
from preau.sso.crypto import opaque_identifier

from .conftest import text
from .peers import SamlSP, forged, path_and_query, query_of, through_django

pytestmark = pytest.mark.django_db
REDIRECT_URI = "https://visio.example.test/retour"


@pytest.fixture
def built():
    return make_school(classes=1, pupils=1)


@pytest.fixture
def academie(built):
    return built.school.circonscription.departement.academie


@pytest.fixture
def admin(academie):
    return person_with_role(Profile.ACADEMIE_ADMIN, academie)


@pytest.fixture
def teacher(built):
    return built.teachers[0]


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def posted_fields(page) -> tuple[str, dict[str, str]]:
    body = page.content.decode()
    action = re.search(r'<form method="post" action="([^"]+)" id="envoi"', body).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body))
    return action, fields


# --- SAML 2 ------------------------------------------------------------------------------------


@pytest.fixture
def saml_partner(tmp_path, admin, academie):
    idp_metadata = Client().get("/sso/saml/idp/metadonnees/").content.decode()
    sp = SamlSP(tmp_path, idp_metadata=idp_metadata)
    partner, _secret = admin_actions.save_partner(
        admin,
        None,
        academie=academie,
        name="Médiathèque",
        protocol="saml",
        released_attributes=["profile", "uai"],
        sp_metadata=sp.metadata(),
    )
    return partner, sp


def test_preau_publishes_its_idp_metadata_at_a_stable_address():
    metadata = Client().get("/sso/saml/idp/metadonnees/").content.decode()
    assert 'entityID="http://testserver/sso/saml/idp/metadonnees/"' in metadata
    assert "IDPSSODescriptor" in metadata and "http://testserver/sso/saml/idp/sso/" in metadata


def test_a_saml_partner_receives_a_signed_assertion_with_only_what_it_may(saml_partner, teacher, built):
    partner, sp = saml_partner
    url, request_id = sp.authn_request_url("http://testserver/sso/saml/idp/metadonnees/")
    browser = signed_in(teacher)
    assert browser.get(path_and_query(url))["Location"] == "/sso/saml/idp/sso/suite/"
    page = browser.get("/sso/saml/idp/sso/suite/")
    action, fields = posted_fields(page)
    assert action == sp.acs and fields["RelayState"] == "retour"
    assert "form-action 'self' https://partenaire.example.test" in page["Content-Security-Policy"]
    assertion = sp.read_response(fields["SAMLResponse"], request_id)
    assert assertion.name_id.text == opaque_identifier(partner.pairwise_salt, teacher.pk)
    assert assertion.ava == {"ENTPersonProfils": ["National_ENS"], "ENTPersonUAI": [built.school.uai]}
    entry = AuditEntry.objects.get(action="sso.attributes_released")
    assert entry.details == {"protocol": "saml", "attributes": ["identifier", "profiles", "uais"]}
    assert "rsa-sha256" in base64.b64decode(fields["SAMLResponse"]).decode()


def test_the_opaque_identifier_differs_from_one_partner_to_another(saml_partner, teacher, admin, academie, tmp_path):
    partner, _sp = saml_partner
    other, _secret = admin_actions.save_partner(
        admin,
        None,
        academie=academie,
        name="Portail",
        protocol="cas",
        released_attributes=[],
        service_url="https://portail.example.test/",
    )
    assert opaque_identifier(partner.pairwise_salt, teacher.pk) != opaque_identifier(other.pairwise_salt, teacher.pk)
    assert opaque_identifier(partner.pairwise_salt, teacher.pk) == opaque_identifier(partner.pairwise_salt, teacher.pk)


IDP_SLO = "http://testserver/sso/saml/idp/slo/"
IDP_ENTITY = "http://testserver/sso/saml/idp/metadonnees/"


def test_a_partners_signed_logout_request_ends_the_session_and_is_answered(saml_partner, teacher):
    partner, sp = saml_partner
    browser = signed_in(teacher)
    url = sp.logout_request_url(IDP_SLO, IDP_ENTITY, opaque_identifier(partner.pairwise_salt, teacher.pk))
    assert browser.get(path_and_query(url))["Location"] == "/sso/deconnexion/"
    assert "_auth_user_id" not in browser.session
    page = browser.get("/sso/deconnexion/")
    assert "https://partenaire.example.test/slo?SAMLResponse=" in text(page)


def test_signing_out_of_preau_sends_the_saml_partner_a_signed_logout_request(saml_partner, teacher):
    partner, sp = saml_partner
    url, _request_id = sp.authn_request_url(IDP_ENTITY)
    browser = signed_in(teacher)
    browser.get(path_and_query(url))
    browser.get("/sso/saml/idp/sso/suite/")
    assert browser.post("/deconnexion/")["Location"] == "/sso/deconnexion/"
    frame = re.search(r'<iframe class="fr-hidden" src="([^"]+)"', text(browser.get("/sso/deconnexion/"))).group(1)
    assert frame.startswith("https://partenaire.example.test/slo?SAMLRequest=")
    params = query_of(frame)
    request = sp.client.parse_logout_request(
        params["SAMLRequest"], BINDING_HTTP_REDIRECT, sigalg=params["SigAlg"], signature=params["Signature"]
    )
    assert request.message.name_id.text == opaque_identifier(partner.pairwise_salt, teacher.pk)


def test_a_forged_or_misdirected_partner_logout_request_ends_nothing(saml_partner, teacher, built):
    partner, sp = saml_partner
    browser = signed_in(teacher)
    url = sp.logout_request_url(IDP_SLO, IDP_ENTITY, opaque_identifier(partner.pairwise_salt, teacher.pk))
    refused = browser.get(forged(url))
    assert refused.status_code == 400 and "invalide" in text(refused)
    # Signed, but for someone else than the person of this browser: only the answer goes back.
    other = sp.logout_request_url(IDP_SLO, IDP_ENTITY, opaque_identifier(partner.pairwise_salt, built.director.pk))
    assert browser.get(path_and_query(other))["Location"].startswith("https://partenaire.example.test/slo?")
    assert browser.session["_auth_user_id"] == str(teacher.pk)


def test_an_unregistered_sp_is_refused(tmp_path, teacher):
    idp_metadata = Client().get("/sso/saml/idp/metadonnees/").content.decode()
    stranger = SamlSP(tmp_path, idp_metadata=idp_metadata, entity_id="https://inconnu.example.test/sp")
    url, _ = stranger.authn_request_url("http://testserver/sso/saml/idp/metadonnees/")
    response = signed_in(teacher).get(path_and_query(url))
    assert response.status_code == 400
    assert "Ce service n'est pas inscrit auprès de Préau" in text(response)


def test_people_of_another_academie_are_refused(saml_partner):
    partner, sp = saml_partner
    outsider = make_school(classes=1, pupils=1).teachers[0]
    url, _ = sp.authn_request_url("http://testserver/sso/saml/idp/metadonnees/")
    browser = signed_in(outsider)
    browser.get(path_and_query(url))
    response = browser.get("/sso/saml/idp/sso/suite/")
    assert response.status_code == 403
    assert "réservé aux écoles de l'académie" in text(response)
    assert not AuditEntry.objects.filter(action="sso.attributes_released").exists()


def test_an_anonymous_visitor_signs_in_first_then_goes_on(saml_partner):
    _partner, sp = saml_partner
    url, _ = sp.authn_request_url("http://testserver/sso/saml/idp/metadonnees/")
    browser = Client()
    assert browser.get(path_and_query(url))["Location"] == "/sso/saml/idp/sso/suite/"
    assert browser.get("/sso/saml/idp/sso/suite/")["Location"].startswith("/connexion/?next=/sso/saml/idp/sso/suite/")


# --- OpenID Connect ------------------------------------------------------------------------------


@pytest.fixture
def oidc_partner(admin, academie):
    partner, secret = admin_actions.save_partner(
        admin,
        None,
        academie=academie,
        name="Visio",
        protocol="oidc",
        released_attributes=["name"],
        redirect_uris=REDIRECT_URI,
    )
    return partner, secret


def oauth_client(partner, secret, scope="openid profile") -> OAuth2Session:
    session = OAuth2Session(
        partner.application.client_id, secret, scope=scope, redirect_uri=REDIRECT_URI, code_challenge_method="S256"
    )
    return through_django(session, Client())


def authorize(browser: Client, oauth: OAuth2Session, verifier: str, nonce: str = "nonce-1"):
    url, _state = oauth.create_authorization_url(
        "http://testserver/sso/oidc/authorize/", code_verifier=verifier, nonce=nonce
    )
    return url, browser.get(path_and_query(url))


def test_discovery_and_keys_are_published():
    discovery = Client().get("/.well-known/openid-configuration").json()
    assert discovery["issuer"] == "http://testserver"
    assert discovery["authorization_endpoint"].endswith("/sso/oidc/authorize/")
    assert "S256" in discovery.get("code_challenge_methods_supported", ["S256"])
    keys = Client().get("/sso/oidc/jwks/").json()["keys"]
    assert keys and keys[0]["kty"] == "RSA"


def test_code_and_pkce_with_consent_then_claims_as_registered(oidc_partner, teacher):
    partner, secret = oidc_partner
    oauth = oauth_client(partner, secret)
    browser = signed_in(teacher)
    verifier = generate_token(48)
    url, consent = authorize(browser, oauth, verifier)
    assert consent.status_code == 200
    assert "Autoriser « Visio »" in text(consent) and "Vos nom et prénom" in text(consent)
    form = {**query_of(url), "allow": "Authorize"}
    answered = browser.post("/sso/oidc/authorize/", form)
    back = re.search(r'id="continuer" href="([^"]+)"', text(answered)).group(1)
    assert back.startswith(REDIRECT_URI + "?code=")
    token = oauth.fetch_token("http://testserver/sso/oidc/token/", authorization_response=back, code_verifier=verifier)
    keys = KeySet.import_key_set(Client().get("/sso/oidc/jwks/").json())
    claims = jwt.decode(token["id_token"], keys).claims
    registry = jwt.JWTClaimsRegistry(
        iss={"value": "http://testserver"}, aud={"value": partner.application.client_id}, nonce={"value": "nonce-1"}
    )
    registry.validate(claims)
    identifier = opaque_identifier(partner.pairwise_salt, teacher.pk)
    assert claims["sub"] == identifier and claims["family_name"] == teacher.last_name
    userinfo = oauth.get("http://testserver/sso/oidc/userinfo/").json()
    assert userinfo == {
        "sub": identifier,
        "given_name": teacher.first_name,
        "family_name": teacher.last_name,
        "name": f"{teacher.first_name} {teacher.last_name}",
    }
    assert AuditEntry.objects.filter(action="sso.attributes_released", details__protocol="oidc").exists()
    # Consent once: the next authorization goes straight back.
    _again_url, again = authorize(browser, oauth, generate_token(48), nonce="nonce-2")
    assert 'id="continuer"' in text(again) and "Autoriser « Visio »" not in text(again)


def test_a_client_may_not_ask_more_than_its_registration(oidc_partner, teacher):
    partner, secret = oidc_partner
    oauth = oauth_client(partner, secret, scope="openid profile preau_classes")
    _url, response = authorize(signed_in(teacher), oauth, generate_token(48))
    assert "error=invalid_scope" in text(response)
    assert "code=" not in text(response)


def test_pkce_is_required(oidc_partner, teacher):
    partner, _secret = oidc_partner
    response = signed_in(teacher).get(
        f"/sso/oidc/authorize/?response_type=code&client_id={partner.application.client_id}&redirect_uri={REDIRECT_URI}&scope=openid"
    )
    assert "error=invalid_request&error_description=Code+challenge+required" in text(response)


def test_an_unregistered_client_and_outsiders_are_refused(oidc_partner):
    partner, secret = oidc_partner
    outsider = make_school(classes=1, pupils=1).teachers[0]
    _url, response = authorize(signed_in(outsider), oauth_client(partner, secret), generate_token(48))
    assert response.status_code == 403
    partner.is_active = False
    partner.save()
    _url, response = authorize(signed_in(outsider), oauth_client(partner, secret), generate_token(48))
    assert response.status_code == 403 and "n'est pas inscrit" in text(response)


def test_a_wrong_secret_gets_no_token(oidc_partner, teacher):
    partner, _secret = oidc_partner
    oauth = oauth_client(partner, "mauvais-secret")
    browser = signed_in(teacher)
    verifier = generate_token(48)
    url, _consent = authorize(browser, oauth, verifier)
    answered = browser.post("/sso/oidc/authorize/", {**query_of(url), "allow": "Authorize"})
    back = re.search(r'id="continuer" href="([^"]+)"', text(answered)).group(1)
    with pytest.raises(Exception, match="invalid_client"):
        oauth.fetch_token("http://testserver/sso/oidc/token/", authorization_response=back, code_verifier=verifier)


# --- CAS 3 ----------------------------------------------------------------------------------------

SERVICE = "https://portail.example.test/cas/retour"


@pytest.fixture
def cas_partner(admin, academie):
    partner, _secret = admin_actions.save_partner(
        admin,
        None,
        academie=academie,
        name="Portail de la commune",
        protocol="cas",
        released_attributes=["classes"],
        service_url="https://portail.example.test/",
    )
    return partner


def cas_client() -> CASClientV3:
    session = through_django(Session(), Client())
    return CASClientV3(service_url=SERVICE, server_url="http://testserver/sso/cas/", session=session)


def ticket_from(page) -> str:
    return query_of(re.search(r'id="continuer" href="([^"]+)"', text(page)).group(1))["ticket"]


def test_cas_login_then_service_validate_with_a_cas_client(cas_partner, teacher, built):
    browser = signed_in(teacher)
    page = browser.get(f"/sso/cas/login?service={SERVICE}")
    ticket = ticket_from(page)
    assert ticket.startswith("ST-")
    user, attributes, _pgtiou = cas_client().verify_ticket(ticket)
    assert user == opaque_identifier(cas_partner.pairwise_salt, teacher.pk)
    assert attributes["ENTPersonClasses"] == f"{built.school.uai}${built.classes[0].name}"
    # Used once.
    assert cas_client().verify_ticket(ticket)[0] is None


def test_a_cas_ticket_expires_and_serves_one_service(cas_partner, teacher, settings):
    browser = signed_in(teacher)
    ticket = ticket_from(browser.get(f"/sso/cas/login?service={SERVICE}"))
    other = CASClientV3(
        service_url="https://portail.example.test/autre",
        server_url="http://testserver/sso/cas/",
        session=through_django(Session(), Client()),
    )
    assert other.verify_ticket(ticket)[0] is None
    settings.PREAU_SSO_CAS_TICKET_SECONDS = -1
    late = ticket_from(browser.get(f"/sso/cas/login?service={SERVICE}"))
    response = Client().get(f"/sso/cas/p3/serviceValidate?service={SERVICE}&ticket={late}")
    assert 'code="INVALID_TICKET"' in response.content.decode() and "expiré" in response.content.decode()


def test_cas_refuses_unregistered_services_and_asks_anonymous_visitors_to_sign_in(cas_partner):
    assert Client().get("/sso/cas/login?service=https://ailleurs.example.test/").status_code == 400
    response = Client().get(f"/sso/cas/login?service={SERVICE}")
    assert response["Location"].startswith("/connexion/?next=")
    gateway = Client().get(f"/sso/cas/login?service={SERVICE}&gateway=true")
    assert SERVICE in text(gateway) and "ticket=" not in text(gateway)


@pytest.mark.parametrize(
    ("service", "served"),
    [
        ("https://portail.example.test", True),
        ("https://portail.example.test/cas/retour?x=1", True),
        ("https://portail.example.test.evil.test/", False),
        ("https://portail.example.test@evil.test/", False),
        ("https://portail.example.test:8443/", False),
        ("http://portail.example.test/", False),
    ],
)
def test_a_cas_address_serves_its_own_site_only(service, served):
    assert cas.serves("https://portail.example.test", service) is served


def test_a_cas_address_with_a_path_serves_that_path_by_whole_segments():
    assert cas.serves("https://portail.example.test/app", "https://portail.example.test/app/retour")
    assert not cas.serves("https://portail.example.test/app", "https://portail.example.test/application")


def test_a_lookalike_host_gets_no_ticket_nor_a_logout_redirect(admin, academie, teacher):
    admin_actions.save_partner(
        admin,
        None,
        academie=academie,
        name="Portail sans barre finale",
        protocol="cas",
        released_attributes=["name"],
        service_url="https://portail.example.test",
    )
    browser = signed_in(teacher)
    refused = browser.get("/sso/cas/login?service=https://portail.example.test.evil.test/vol")
    assert refused.status_code == 400 and "ticket=" not in text(refused)
    browser.get("/sso/cas/logout?service=https://portail.example.test.evil.test/vol")
    assert "evil.test" not in text(browser.get("/sso/deconnexion/"))


def test_cas_logout_ends_the_session_and_returns_to_a_registered_service(cas_partner, teacher):
    browser = signed_in(teacher)
    browser.get(f"/sso/cas/login?service={SERVICE}")
    assert browser.get(f"/sso/cas/logout?service={SERVICE}")["Location"] == "/sso/deconnexion/"
    page = browser.get("/sso/deconnexion/")
    assert SERVICE in text(page)
    assert "_auth_user_id" not in browser.session


def test_a_request_posted_from_the_partners_site_is_posted_again_with_the_cookie(saml_partner, teacher):
    _partner, sp = saml_partner
    url, _ = sp.authn_request_url("http://testserver/sso/saml/idp/metadonnees/")
    params = query_of(url)
    cross_site = Client()  # no cookie: a cross-site POST
    page = cross_site.post("/sso/saml/idp/sso/", {"SAMLRequest": params["SAMLRequest"], "RelayState": "r"})
    assert page.status_code == 200 and "preau_session" not in page.cookies
    action, fields = posted_fields(page)
    assert action == "/sso/saml/idp/sso/?resent=1" and fields["RelayState"] == "r"
