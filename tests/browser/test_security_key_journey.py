"""A commune's referent protects the account with a security key and signs in with it, in
Chromium with a virtual authenticator (the DevTools WebAuthn domain stands for a USB key)."""

import re

import pytest
from playwright.sync_api import expect

from preau.directory.factories import TEST_PASSWORD, CommuneFactory, person_with_role
from preau.directory.models import Profile
from preau.sso.models import SecurityKey

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_password(page, person) -> None:
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(person.username)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_referent_adds_a_security_key_then_signs_in_with_it(page, live_server, check_accessibility):
    # WebAuthn binds keys to a domain: an IP address cannot be one.
    assert "localhost" in live_server.url
    referent = person_with_role(Profile.CITY_REFERENT, CommuneFactory(name="Lannemezan"))
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    sign_in_with_password(page, referent)
    page.goto("/compte/")
    expect(page.get_by_text("Non activée")).to_be_visible()
    page.get_by_role("link", name="Activer la double authentification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification")
    check_accessibility(page)
    page.get_by_label("Nom de la clé").fill("Clé bleue")
    page.get_by_role("button", name="Ajouter une clé de sécurité").click()
    expect(page.get_by_role("cell", name="Clé bleue", exact=True)).to_be_visible()
    assert SecurityKey.objects.get().person == referent
    check_accessibility(page)

    page.context.clear_cookies()
    sign_in_with_password(page, referent)
    expect(page).to_have_url(re.compile(r"/sso/double-authentification/code/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de connexion")
    check_accessibility(page)
    page.get_by_role("button", name="Utiliser ma clé de sécurité").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/compte/")
    expect(page.get_by_text("Activée : une clé de sécurité.")).to_be_visible()
    assert SecurityKey.objects.get().last_used_at is not None
