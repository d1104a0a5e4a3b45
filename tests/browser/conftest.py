"""Browser journeys: Debian's chromium driven by Playwright against pytest-django's live server.

Playwright downloads no browser here: it launches /usr/bin/chromium (`make test` installs
it). A missing browser fails the run; it is never skipped in silence.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

CHROMIUM = Path(os.environ.get("PREAU_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core findings that fail a journey; "minor" and "moderate" ones are printed only.
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium est introuvable ({CHROMIUM}) : les tests de navigateur en ont besoin."
            " Installez-le avec `make test` ou `sudo apt-get install -y chromium`.",
            pytrace=False,
        )
    # Playwright's sync API keeps an event loop running in this thread while it is open; the
    # test's own ORM calls (loading the demo, reading what to expect) are still synchronous.
    # Set for this test only: `check --deploy` rightly refuses it anywhere else.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class AccessibilityChecker:
    """Runs axe-core on a page and fails on serious or critical violations."""

    def __init__(self) -> None:
        self.axe = Axe()

    def __call__(self, page) -> None:
        violations = self.axe.run(page).response["violations"]
        for violation in violations:
            targets = [node["target"] for node in violation["nodes"]]
            print(f"axe {violation['impact']}: {violation['id']} on {page.url}: {violation['help']} {targets}")
        blocking = [v["id"] for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core : violations graves sur {page.url} : {blocking}"


@pytest.fixture(scope="session")
def check_accessibility():
    return AccessibilityChecker()


@pytest.fixture
def sign_in(page, live_server):
    """Open the browser's session as `person` (as after the sign-in page, which has its own journey)."""

    def signed_in_as(person) -> None:
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(person)
        page.context.clear_cookies()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    return signed_in_as


@pytest.fixture
def sign_in_with_password(page, check_accessibility):
    """Sign `person` in through the sign-in page (checked with axe-core), as a person would, and
    wait for the portal's greeting."""

    def signed_in(person) -> None:
        from preau.directory.factories import TEST_PASSWORD

        page.goto("/connexion/")
        check_accessibility(page)
        page.get_by_label("Identifiant").fill(person.username)
        page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {person.first_name} !")

    return signed_in


@pytest.fixture
def sign_out(page):
    """Sign out with the header's button, back to the sign-in page."""

    def signed_out() -> None:
        page.get_by_role("button", name="Se déconnecter").click()
        expect(page).to_have_url(re.compile(r"/connexion/"))

    return signed_out
