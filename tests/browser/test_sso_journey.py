"""Single sign-on journeys in a real browser, one per inbound provider, against real peers on
threads: ÉduConnect in OpenID Connect (Authlib's server components) for a mother whose first
match must be confirmed, and the académie's agents' IdP in SAML 2 (pysaml2) for a director of
two schools. axe-core runs on every Préau page on the way."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from preau.accounts.models import CharteVersion
from preau.directory.factories import AcademieFactory, SchoolFactory, add_role, make_school, person_with_role
from preau.directory.models import Profile
from preau.sso import admin_actions
from preau.sso.tests.peers import OidcProvider, SamlIdPSite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(settings, live_server):
    settings.PREAU_SITE_URL = live_server.url
    settings.PREAU_SSO_URL_RETOUR_HOSTS = [".education.gouv.fr"]
    return live_server.url


def aaf(person, academie, jointure, category, **fields):
    for name, value in {"academie": academie, "external_id": jointure, "external_category": category, **fields}.items():
        setattr(person, name, value)
    person.save()
    return person


def test_a_mother_signs_in_with_educonnect_confirms_once_and_signs_out_everywhere(page, site, check_accessibility):
    toulouse = AcademieFactory(code="16", name="Académie de Toulouse")
    built = make_school(classes=1, pupils=1)
    lea = aaf(
        built.pupils[built.classes[0].id][0],
        toulouse,
        "E1",
        "Eleve",
        first_name="Léa",
        last_name="Fourcade",
        birth_date=datetime.date(2017, 5, 3),
    )
    mother = aaf(built.parents[lea.pk][0], toulouse, "G1", "PersRelEleve", first_name="Sophie", last_name="Fourcade")
    CharteVersion.objects.create(
        version=1, title="Charte de Préau", body="Respect et bienveillance.", published_at=timezone.now()
    )
    op = OidcProvider()
    op.interactive = True
    try:
        admin_actions.save_provider(
            person_with_role(Profile.ACADEMIE_ADMIN, toulouse),
            None,
            academie=toulouse,
            client_secret=op.client.secret,
            kind="educonnect",
            protocol="oidc",
            slug="educonnect-toulouse",
            label="ÉduConnect",
            is_active=True,
            client_id=op.client.client_id,
            scopes="openid profile",
            **op.endpoints(),
        )
        op.client.redirect_uris.append(f"{site}/sso/educonnect-toulouse/oidc/retour/")
        # ÉduConnect knows her under her married name: the match must be confirmed.
        op.next_user = {
            "sub": "ec-sophie",
            "given_name": "Sophie",
            "family_name": "Fourcade-Roux",
            "FrEduCtRefId": ["{AAF}16|x|G1"],
            "FrEduCtPersonAffiliation": "resp1d",
        }

        page.goto("/connexion/")
        check_accessibility(page)
        page.get_by_role("link", name="parent", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("ÉduConnect de test")
        page.get_by_role("button", name="Valider").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer qui vous êtes")
        check_accessibility(page)
        page.get_by_label("Prénom").fill("Léa")
        page.get_by_label("Date de naissance").fill("04/05/2017")
        page.get_by_role("button", name="Confirmer").click()
        expect(page.get_by_text("ne correspondent à aucun de vos enfants")).to_be_visible()
        page.get_by_label("Date de naissance").fill("03/05/2017")
        page.get_by_role("button", name="Confirmer").click()

        # The same path as a password: the charte first.
        expect(page).to_have_url(re.compile(r"/charte/accepter/"))
        page.locator("label[for=accept]").click()
        page.get_by_role("button", name="J'accepte la charte").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Sophie !")
        expect(page.locator("main")).to_contain_text("Léa")
        check_accessibility(page)

        page.get_by_role("button", name="Se déconnecter").click()
        expect(page).to_have_url(re.compile(r"/connexion/"))
        assert op.ended_sessions and op.ended_sessions[0]["id_token_hint"]
        assert Client().get("/").status_code == 302
        # The next time, no question: the link was made.
        page.get_by_role("link", name="parent", exact=True).click()
        page.get_by_role("button", name="Valider").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Sophie !")
        assert mother.federated_links.count() == 1
    finally:
        op.stop()


def test_a_director_of_two_schools_signs_in_with_the_academie_idp(page, site, check_accessibility, tmp_path):
    toulouse = AcademieFactory(code="16", name="Académie de Toulouse")
    first = SchoolFactory(name="École des Bourtoulets", circonscription__departement__academie=toulouse)
    second = SchoolFactory(name="École Jean Jaurès", circonscription__departement__academie=toulouse)
    director = person_with_role(Profile.TEACHER, first, first_name="Isabelle", last_name="Dupuy")
    add_role(director, Profile.DIRECTOR, second)
    aaf(director, toulouse, "P1", "PersEducNat", email="isabelle.dupuy@ac-toulouse.fr")
    idp = SamlIdPSite(tmp_path)
    try:
        admin = person_with_role(Profile.ACADEMIE_ADMIN, toulouse)
        provider = admin_actions.save_provider(
            admin,
            None,
            academie=toulouse,
            kind="agents",
            protocol="saml",
            slug="agents-toulouse",
            label="Identité académique",
            is_active=True,
            idp_metadata=idp.trust(""),
        )
        # Préau's SP metadata, as the académie hands it to its IdP, which then trusts it.
        sp_metadata = Client().get("/sso/agents-toulouse/saml/metadonnees/").content.decode()
        provider.idp_metadata = idp.trust(sp_metadata)
        provider.save()
        idp.attributes = {
            "mail": ["Isabelle.Dupuy@ac-toulouse.fr"],
            "sn": ["Dupuy"],
            "givenName": ["Isabelle"],
            "FrEduRne": [f"{second.uai}$UAJ$PU$N$T3$ECOLE"],
        }

        page.goto("/connexion/")
        page.get_by_role("link", name="personnel de l'Éducation nationale").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Identité académique de test")
        page.get_by_role("button", name="Continuer vers Préau").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Mon école")
        check_accessibility(page)
        # The school FrEduRne names is offered first.
        expect(page.get_by_role("radio").first).to_have_attribute("value", str(second.pk))
        page.get_by_role("button", name="Continuer").click()
        expect(page).to_have_url(re.compile(rf"/annuaire/ecole/{second.uai}/"))
        check_accessibility(page)

        page.get_by_role("button", name="Se déconnecter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Déconnecté de l'identité académique")
        assert "SAMLRequest=" in idp.logouts[0] and "Signature=" in idp.logouts[0]
    finally:
        idp.stop()
