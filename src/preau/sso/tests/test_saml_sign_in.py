"""ÉduConnect and the agents' IdP in SAML 2, against a real pysaml2 IdP with its own keys:
the right answer signs in, every doubtful one is refused with a clear message."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from preau.core.errors import DomainError
from preau.core.models import AuditEntry
from preau.directory.factories import SchoolFactory, person_with_role
from preau.directory.models import Profile
from preau.sso.actions import SESSION_KEY, consume_assertion
from preau.sso.models import FederatedLink

from .conftest import text
from .peers import SamlSP, encode

pytestmark = pytest.mark.django_db
REFID = "FrEduCtRefId"


@pytest.fixture
def educonnect(toulouse, saml_idp_for, family):
    return saml_idp_for(toulouse, kind="educonnect", slug="educonnect-saml")


def start(client: Client, provider) -> str:
    response = client.get(f"/sso/{provider.slug}/connexion/")
    assert response.status_code == 302
    return response["Location"]


def post_answer(client: Client, provider, saml_response: str):
    return client.post(f"/sso/{provider.slug}/saml/acs/", {"SAMLResponse": saml_response})


def sophie(**extra) -> dict[str, list[str]]:
    return {REFID: ["{AAF}16|x|G100"], "sn": ["Martin"], "givenName": ["Sophie"], **extra}


def test_preau_publishes_its_sp_metadata_with_its_acs_and_certificate(educonnect):
    provider, _idp = educonnect
    metadata = text(Client().get(f"/sso/{provider.slug}/saml/metadonnees/"))
    assert 'entityID="http://testserver/sso/educonnect-saml/saml/metadonnees/"' in metadata
    assert "http://testserver/sso/educonnect-saml/saml/acs/" in metadata
    assert "X509Certificate" in metadata


def test_a_signed_answer_signs_the_guardian_in(educonnect, family):
    provider, idp = educonnect
    client = Client()
    url = start(client, provider)
    assert "Signature=" in url and "SigAlg=" in url  # Préau signs its AuthnRequest (SHA-256)
    response = post_answer(client, provider, idp.answer(url, sophie(), name_id="nameid-sophie"))
    assert response.status_code == 302, text(response)
    assert int(client.session["_auth_user_id"]) == family["guardian"].pk
    assert FederatedLink.objects.get().subject == "nameid-sophie"
    assert client.session[SESSION_KEY]["session_index"]  # kept for single logout


def test_the_educonnect_oids_are_read_too(educonnect, family):
    provider, idp = educonnect
    client = Client()
    url = start(client, provider)
    attributes = {
        REFID: ["{AAF}16|x|G100"],
        "urn:oid:1.3.6.1.4.1.20326.10.999.1.57": ["ct-id-1"],
        "urn:oid:1.3.6.1.4.1.20326.10.999.1.7": ["resp1d"],
        "urn:oid:1.3.6.1.4.1.20326.10.999.1.5": ["https://educonnect.education.gouv.fr/retour"],
        "sn": ["Martin"],
        "givenName": ["Sophie"],
    }
    assert post_answer(client, provider, idp.answer(url, attributes)).status_code == 302
    assert FederatedLink.objects.get().subject == "ct-id-1"
    assert client.session[SESSION_KEY]["url_retour"] == "https://educonnect.education.gouv.fr/retour"


def test_a_response_signed_only_at_the_response_level_is_accepted(educonnect, family):
    provider, idp = educonnect
    client = Client()
    url = start(client, provider)
    response = post_answer(client, provider, idp.answer(url, sophie(), sign_assertion=False))
    assert response.status_code == 302


def test_an_unsigned_answer_is_refused(educonnect):
    provider, idp = educonnect
    client = Client()
    url = start(client, provider)
    response = post_answer(client, provider, idp.answer(url, sophie(), sign_response=False, sign_assertion=False))
    assert response.status_code == 400
    assert "n'est pas signée, ou sa signature est invalide" in text(response)
    assert "_auth_user_id" not in client.session


def test_a_tampered_answer_is_refused(educonnect):
    provider, idp = educonnect
    client = Client()
    url = start(client, provider)
    xml = idp.response_xml(url, sophie()).replace("G100", "G999")
    response = post_answer(client, provider, encode(xml))
    assert "signature est invalide" in text(response)


def test_an_answer_meant_for_another_service_is_refused(educonnect, tmp_path):
    provider, idp = educonnect
    other = SamlSP(tmp_path, idp_metadata=idp.metadata(), entity_id="https://autre-service.example.test/sp")
    idp.server.metadata.load("inline", other.metadata())
    client = Client()
    url = start(client, provider)
    response = post_answer(
        client, provider, idp.answer(url, sophie(), audience="https://autre-service.example.test/sp")
    )
    assert response.status_code == 400
    assert "destinée à un autre service que Préau" in text(response)


def test_an_expired_answer_is_refused(educonnect, monkeypatch):
    import saml2.assertion
    import saml2.time_util

    provider, idp = educonnect
    client = Client()
    url = start(client, provider)
    monkeypatch.setattr(saml2.assertion, "in_a_while", lambda **kw: saml2.time_util.in_a_while(minutes=-10))
    response = post_answer(client, provider, idp.answer(url, sophie()))
    assert response.status_code == 400
    assert "a expiré ou n'est pas encore valable" in text(response)


def test_a_replayed_answer_is_refused(educonnect, family):
    provider, idp = educonnect
    client = Client()
    url = start(client, provider)
    answer = idp.answer(url, sophie())
    assert post_answer(client, provider, answer).status_code == 302
    # The same assertion again, even in a session that asks again.
    client.get(f"/sso/{provider.slug}/connexion/")
    replay = post_answer(client, provider, answer)
    assert replay.status_code == 400
    assert "ne répond à aucune demande de connexion en cours" in text(replay)


def test_an_assertion_id_serves_once_whatever_the_session(educonnect):
    provider, _idp = educonnect
    expires = timezone.now() + datetime.timedelta(minutes=5)
    consume_assertion(provider, "id-assertion-1", expires)
    with pytest.raises(DomainError, match="déjà été utilisée"):
        consume_assertion(provider, "id-assertion-1", expires)


def test_an_unsolicited_answer_is_refused(educonnect):
    provider, idp = educonnect
    url = start(Client(), provider)
    stranger = Client()
    stranger.get(f"/sso/{provider.slug}/connexion/")  # its own session, with its own request
    response = post_answer(stranger, provider, idp.answer(url, sophie()))
    assert "ne répond à aucune demande de connexion en cours" in text(response)


@pytest.mark.parametrize("variant", ["two_assertions", "evil_outside_signed"])
def test_xml_signature_wrapping_is_refused(educonnect, family, variant):
    provider, idp = educonnect
    client = Client()
    url = start(client, provider)
    xml = idp.response_xml(url, sophie(), sign_response=False, sign_assertion=True)
    assertion = re.search(r"<ns\d:Assertion .*?</ns\d:Assertion>", xml, flags=re.S).group(0)
    evil = re.sub(r"<ds:Signature.*?</ds:Signature>", "", assertion, flags=re.S)
    evil = evil.replace("G100", "G999").replace('ID="', 'ID="evil-', 1)
    if variant == "two_assertions":
        wrapped = xml.replace(assertion, evil + assertion)
    else:
        # The signed original hidden inside the evil assertion, which comes first.
        closing = re.search(r"</ns\d:Subject>", evil).group(0)
        wrapped = xml.replace(assertion, evil.replace(closing, closing + assertion, 1))
    response = post_answer(client, provider, encode(wrapped))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="sso.sign_in_refused").exists()


def test_without_its_cookie_the_answer_is_posted_again_from_preau(educonnect):
    provider, idp = educonnect
    client = Client()
    url = start(client, provider)
    cross_site = Client()  # the browser's Lax cookie does not come with the IdP's POST
    page = cross_site.post(
        f"/sso/{provider.slug}/saml/acs/", {"SAMLResponse": idp.answer(url, sophie()), "RelayState": "r"}
    )
    assert page.status_code == 200
    body = text(page)
    assert 'action="/sso/educonnect-saml/saml/acs/?resent=1"' in body and 'name="SAMLResponse"' in body


def test_an_agent_signs_in_with_the_academie_mail(toulouse, saml_idp_for):
    provider, idp = saml_idp_for(toulouse, kind="agents", slug="agents-saml")
    teacher = person_with_role(Profile.DIRECTOR, SchoolFactory())
    teacher.academie, teacher.email, teacher.external_category = toulouse, "julie.roux@ac-toulouse.fr", "PersEducNat"
    teacher.save()
    client = Client()
    url = start(client, provider)
    response = post_answer(client, provider, idp.answer(url, {"mail": ["Julie.Roux@ac-toulouse.fr"], "sn": ["Roux"]}))
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == teacher.pk
