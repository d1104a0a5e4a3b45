"""Fixtures of the single sign-on tests: académies with their AAF codes, families as the feed
makes them, identity providers configured through the console's action, and the real peers."""

import datetime

import pytest
import requests
from django.conf import settings
from django.test import Client

from preau.directory.factories import AcademieFactory, make_school, person_with_role
from preau.directory.models import Person, Profile
from preau.sso import admin_actions
from preau.sso.models import IdentityProvider

from .peers import OidcProvider, SamlIdP, path_and_query


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PREAU_SITE_URL = "http://testserver"
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": "http://testserver"}


@pytest.fixture
def toulouse(db):
    return AcademieFactory(code="16", name="Académie de Toulouse")


@pytest.fixture
def montpellier(db):
    return AcademieFactory(code="11", name="Académie de Montpellier")


def as_aaf(person: Person, academie, jointure: str, category: str, **fields) -> Person:
    """Give a factory-made person the identity the AAF feed gives."""
    for name, value in {
        "academie": academie,
        "external_id": jointure,
        "external_category": category,
        "source": "aaf",
        **fields,
    }.items():
        setattr(person, name, value)
    person.save()
    return person


@pytest.fixture
def family(toulouse):
    """A guardian of the Toulouse feed (jointure G100) with one child, Léa, born 3 May 2017."""
    built = make_school(classes=1, pupils=1, parents_per_pupil=1)
    pupil = built.pupils[built.classes[0].id][0]
    guardian = built.parents[pupil.id][0]
    as_aaf(pupil, toulouse, "E100", "Eleve", first_name="Léa", last_name="Martin", birth_date=datetime.date(2017, 5, 3))
    as_aaf(guardian, toulouse, "G100", "PersRelEleve", first_name="Sophie", last_name="Martin")
    return {"built": built, "guardian": guardian, "pupil": pupil}


def second_child_in(academie, guardian_jointure: str, *, first_name: str, born: datetime.date, last_name="Martin"):
    """Another school of another académie: a child and their guardian's own record there."""
    built = make_school(classes=1, pupils=1, parents_per_pupil=1)
    pupil = built.pupils[built.classes[0].id][0]
    guardian = built.parents[pupil.id][0]
    as_aaf(
        pupil, academie, f"E-{guardian_jointure}", "Eleve", first_name=first_name, last_name=last_name, birth_date=born
    )
    as_aaf(guardian, academie, guardian_jointure, "PersRelEleve", first_name="Sophie", last_name=last_name)
    return guardian, pupil


def admin_of(academie) -> Person:
    return person_with_role(Profile.ACADEMIE_ADMIN, academie)


@pytest.fixture
def oidc_peer():
    provider = OidcProvider()
    yield provider
    provider.stop()


def configure_oidc(
    academie, peer: OidcProvider, *, kind: str, slug: str, allows_pupils: bool = False
) -> IdentityProvider:
    endpoints = peer.endpoints()
    provider = admin_actions.save_provider(
        admin_of(academie),
        None,
        academie=academie,
        client_secret=peer.client.secret,
        kind=kind,
        protocol="oidc",
        slug=slug,
        label="ÉduConnect" if kind == "educonnect" else "Identité académique",
        is_active=True,
        allows_pupils=allows_pupils,
        client_id=peer.client.client_id,
        scopes="openid profile email",
        **endpoints,
    )
    peer.client.redirect_uris.append(f"{settings.PREAU_SITE_URL}/sso/{slug}/oidc/retour/")
    return provider


def oidc_sign_in(client: Client, provider: IdentityProvider, peer: OidcProvider, claims: dict, *, next_url: str = ""):
    """The whole code flow: Préau → the OP (real HTTP) → Préau's callback; the callback's answer."""
    peer.next_user = claims
    start = client.get(f"/sso/{provider.slug}/connexion/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content
    authorized = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert authorized.status_code == 302, authorized.text
    return client.get(path_and_query(authorized.headers["Location"]))


def educonnect_claims(
    *refids: str,
    sub: str = "ec-sophie",
    given_name: str = "Sophie",
    family_name: str = "Martin",
    affiliation: str = "resp1d",
) -> dict:
    return {
        "sub": sub,
        "given_name": given_name,
        "family_name": family_name,
        "FrEduCtRefId": list(refids),
        "FrEduCtPersonAffiliation": affiliation,
    }


@pytest.fixture
def saml_idp_for(tmp_path):
    """A pysaml2 IdP that trusts the SP metadata Préau publishes for `provider` (fetched over the
    test client), and the provider configured with the IdP's metadata."""

    def build(academie, *, kind: str, slug: str, client: Client | None = None) -> tuple[IdentityProvider, SamlIdP]:
        idp = SamlIdP(tmp_path, sp_metadata=[])
        provider = admin_actions.save_provider(
            admin_of(academie),
            None,
            academie=academie,
            kind=kind,
            protocol="saml",
            slug=slug,
            label="ÉduConnect" if kind == "educonnect" else "Identité académique",
            is_active=True,
            allows_pupils=False,
            idp_metadata=idp.metadata(),
        )
        sp_metadata = (client or Client()).get(f"/sso/{slug}/saml/metadonnees/").content.decode()
        idp = SamlIdP(tmp_path, sp_metadata=[sp_metadata])
        provider.idp_metadata = idp.metadata()
        provider.save()
        return provider, idp

    return build


def text(response) -> str:
    """A page's text as a person reads it (HTML entities decoded)."""
    import html

    return html.unescape(response.content.decode())
