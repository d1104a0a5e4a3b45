"""One journey per profile of the demo académie: sign in, accept the charte, see the portal
with what the profile must see (and not what it must not), sign out. axe-core checks every
page on the way."""

import re

import pytest
from playwright.sync_api import expect

from preau.demo.data import DEMO_LOGIN_BY_PROFILE, load_demo
from preau.directory.models import Person, Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def other_pupil_first_name() -> str:
    """A pupil of the demo parent's school who is none of the parent's children."""
    parent = Person.objects.get(username=DEMO_LOGIN_BY_PROFILE[Profile.PARENT].username)
    own = set(parent.child_links.values_list("child__first_name", flat=True))
    return (
        Person.objects.filter(enrolments__school_class__school__uai="0651067G")
        .exclude(first_name__in=own)
        .values_list("first_name", flat=True)
        .first()
    )


# Profile → (text the portal must show, text it must not show).
JOURNEYS = {
    Profile.PUPIL: ("E.P.PU Bourtoulets", "E.P.PU Las Moulias"),
    Profile.PARENT: ("Hugo", other_pupil_first_name),
    Profile.TEACHER: ("E.P.PU Bourtoulets", "directeur·trice d'école"),
    Profile.DIRECTOR: ("directeur·trice d'école", "administrateur·trice académique"),
    Profile.CITY_REFERENT: ("Lannemezan", "Rodez"),
    Profile.ACADEMIE_ADMIN: ("Académie de Toulouse", "Académie de Nice"),
}


@pytest.mark.parametrize("profile", list(JOURNEYS))
def test_journey_of_each_profile(profile, page, check_accessibility):
    load_demo()
    login = DEMO_LOGIN_BY_PROFILE[profile]
    must_see, must_not_see = (text() if callable(text) else text for text in JOURNEYS[profile])

    page.goto("/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter à Préau")
    check_accessibility(page)
    page.get_by_label("Identifiant").fill(login.username)
    page.get_by_label("Mot de passe").fill(login.password)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(re.compile(r"/charte/"))
    check_accessibility(page)
    # The DSFR draws the box on the label, as a person sees it: click the label.
    page.locator("label[for=accept]").click()
    expect(page.locator("#accept")).to_be_checked()
    page.get_by_role("button", name="J'accepte la charte").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {login.first_name} !")
    check_accessibility(page)
    main = page.locator("main")
    expect(main).to_contain_text(must_see)
    expect(main).not_to_contain_text(must_not_see)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/connexion/"))
    expect(page.get_by_text("Vous êtes déconnecté·e")).to_be_visible()
    check_accessibility(page)
