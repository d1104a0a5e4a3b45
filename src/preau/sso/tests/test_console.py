"""The académie administrators' console: configure providers, register partners; scoped to
their académie, secrets never shown again, bounded queries whatever the number of entries."""

import pytest
from django.test import Client

from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.factories import AcademieFactory, person_with_role
from preau.directory.models import Profile
from preau.sso import admin_actions
from preau.sso.crypto import decrypt
from preau.sso.models import IdentityProvider, PartnerService

from .conftest import text
from .peers import SamlIdP

pytestmark = pytest.mark.django_db


@pytest.fixture
def academie(db):
    return AcademieFactory(code="16")


@pytest.fixture
def admin(academie):
    return person_with_role(Profile.ACADEMIE_ADMIN, academie)


def browser(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


OIDC_FORM = {
    "kind": "educonnect",
    "protocol": "oidc",
    "slug": "educonnect-toulouse",
    "label": "ÉduConnect",
    "is_active": "on",
    "issuer": "https://educonnect.example.test/idp",
    "authorization_endpoint": "https://educonnect.example.test/idp/profile/oidc/authorize",
    "token_endpoint": "https://educonnect.example.test/idp/profile/oidc/token",
    "userinfo_endpoint": "https://educonnect.example.test/idp/profile/oidc/userinfo",
    "jwks_uri": "https://educonnect.example.test/idp/profile/oidc/keyset.jwk",
    "client_id": "preau-toulouse",
    "client_secret": "un-secret-fourni-par-educonnect",
    "scopes": "openid profile",
}


def test_an_admin_configures_educonnect_and_the_secret_stays_encrypted(admin, academie):
    client = browser(admin)
    response = client.post("/sso/console/fournisseurs/ajouter/", {**OIDC_FORM, "academie": academie.pk})
    assert response.status_code == 302, text(response)
    provider = IdentityProvider.objects.get()
    assert provider.client_secret_encrypted and "un-secret" not in provider.client_secret_encrypted
    assert decrypt(provider.client_secret_encrypted) == "un-secret-fourni-par-educonnect"
    edit = client.get(f"/sso/console/fournisseurs/{provider.pk}/")
    assert "un-secret-fourni-par-educonnect" not in edit.content.decode()
    # An empty secret keeps the stored one.
    client.post(
        f"/sso/console/fournisseurs/{provider.pk}/",
        {**OIDC_FORM, "academie": academie.pk, "client_secret": "", "label": "ÉduConnect (familles)"},
    )
    provider.refresh_from_db()
    assert (
        provider.label == "ÉduConnect (familles)"
        and decrypt(provider.client_secret_encrypted) == "un-secret-fourni-par-educonnect"
    )
    entry = AuditEntry.objects.filter(action="sso.provider_saved").first()
    assert "secret-fourni" not in str(entry.details)


def test_missing_oidc_fields_and_bad_saml_metadata_are_refused(admin, academie):
    client = browser(admin)
    response = client.post(
        "/sso/console/fournisseurs/ajouter/", {**OIDC_FORM, "academie": academie.pk, "token_endpoint": ""}
    )
    assert response.status_code == 400 and "token_endpoint" in text(response)
    saml = {**OIDC_FORM, "protocol": "saml", "academie": academie.pk, "idp_metadata": "<pas du XML"}
    assert "pas du XML valide" in text(client.post("/sso/console/fournisseurs/ajouter/", saml))
    entity = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&e;">'
        "<IDPSSODescriptor/></EntityDescriptor>"
    )
    response = client.post("/sso/console/fournisseurs/ajouter/", {**saml, "idp_metadata": entity})
    assert response.status_code == 400 and "root:" not in text(response)
    assert not IdentityProvider.objects.exists()


def test_saml_metadata_gives_the_entity_id(admin, academie, tmp_path):
    idp = SamlIdP(tmp_path, sp_metadata=[])
    provider = admin_actions.save_provider(
        admin,
        None,
        academie=academie,
        kind="agents",
        protocol="saml",
        slug="agents",
        label="Agents",
        idp_metadata=idp.metadata(),
    )
    assert provider.idp_entity_id == idp.entity_id


def test_one_provider_per_kind_and_academie(admin, academie):
    client = browser(admin)
    client.post("/sso/console/fournisseurs/ajouter/", {**OIDC_FORM, "academie": academie.pk})
    again = client.post("/sso/console/fournisseurs/ajouter/", {**OIDC_FORM, "academie": academie.pk, "slug": "autre"})
    assert again.status_code == 400 and "déjà un fournisseur de ce type" in text(again)


def test_another_academies_admin_can_neither_see_nor_change(admin, academie):
    provider = admin_actions.save_provider(
        admin,
        None,
        academie=academie,
        client_secret="s",
        **{k: v for k, v in OIDC_FORM.items() if k not in ("client_secret",)} | {"is_active": True},
    )
    outsider = person_with_role(Profile.ACADEMIE_ADMIN, AcademieFactory())
    client = browser(outsider)
    assert client.get(f"/sso/console/fournisseurs/{provider.pk}/").status_code == 404
    assert client.post(f"/sso/console/fournisseurs/{provider.pk}/supprimer/").status_code == 404
    forged = client.post("/sso/console/fournisseurs/ajouter/", {**OIDC_FORM, "academie": academie.pk, "slug": "x"})
    assert forged.status_code == 400 and IdentityProvider.objects.count() == 1
    with pytest.raises(NotAllowed):
        admin_actions.delete_provider(outsider, provider)


def test_registering_an_oidc_client_shows_its_secret_once(admin, academie):
    client = browser(admin)
    response = client.post(
        "/sso/console/partenaires/ajouter/oidc/",
        {
            "academie": academie.pk,
            "name": "Visio",
            "is_active": "on",
            "release_name": "on",
            "redirect_uris": "https://visio.example.test/retour",
        },
    )
    assert response.status_code == 200
    partner = PartnerService.objects.get()
    secret = response.content.decode().split('id="client-secret">')[1].split("<")[0]
    assert partner.application.client_secret != secret  # stored hashed
    assert partner.released_attributes == ["name"]
    assert secret not in client.get(f"/sso/console/partenaires/{partner.pk}/").content.decode()
    renewed = client.post(f"/sso/console/partenaires/{partner.pk}/secret/")
    assert 'id="client-secret"' in renewed.content.decode()
    assert AuditEntry.objects.filter(action="sso.partner_secret_renewed").exists()


def test_a_partner_is_registered_without_attributes_by_default(admin, academie):
    partner, _ = admin_actions.save_partner(
        admin,
        None,
        academie=academie,
        name="Portail",
        protocol="cas",
        released_attributes=[],
        service_url="https://p.example.test/",
    )
    assert partner.released_attributes == []
    with pytest.raises(DomainError):
        admin_actions.save_partner(
            admin,
            None,
            academie=academie,
            name="X",
            protocol="cas",
            released_attributes=["email"],
            service_url="https://p.example.test/",
        )


def test_the_console_costs_the_same_with_many_entries(admin, academie, django_assert_max_num_queries):
    client = browser(admin)
    for size in (1, 15):
        for index in range(size):
            admin_actions.save_partner(
                admin,
                None,
                academie=academie,
                name=f"Service {size}-{index}",
                protocol="cas",
                released_attributes=["uai"],
                service_url=f"https://s{size}-{index}.example.test/",
            )
        with django_assert_max_num_queries(11):
            response = client.get("/sso/console/")
        assert response.status_code == 200
        assert f"Service {size}-0" in response.content.decode()
    api = client.get("/sso/api/partenaires/").json()["partenaires"]
    assert len(api) == 16 and api[0]["attributs"] == ["uai"]


def test_delete_a_partner_and_its_client(admin, academie):
    partner, _ = admin_actions.save_partner(
        admin,
        None,
        academie=academie,
        name="Visio",
        protocol="oidc",
        released_attributes=[],
        redirect_uris="https://v.example.test/r",
    )
    browser(admin).post(f"/sso/console/partenaires/{partner.pk}/supprimer/")
    assert not PartnerService.objects.exists()
    from oauth2_provider.models import Application

    assert not Application.objects.exists()
