"""A teacher plans a session in the cahier journal, reports it to the cahier de textes and adds
a class outing to the agenda; a parent of the class finds the outing in their agenda. axe-core
checks every page on the way."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from preau.demo.data import DEMO_LOGIN_BY_PROFILE, load_demo
from preau.directory.models import Profile, SchoolClass, current_school_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, check_accessibility, profile) -> None:
    login = DEMO_LOGIN_BY_PROFILE[profile]
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(login.username)
    page.get_by_label("Mot de passe").fill(login.password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/charte/"))
    page.locator("label[for=accept]").click()
    page.get_by_role("button", name="J'accepte la charte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {login.first_name} !")


def test_a_teacher_plans_reports_and_announces_an_outing_that_a_parent_sees(page, check_accessibility):
    load_demo()
    today = timezone.localdate()
    sign_in(page, check_accessibility, Profile.TEACHER)

    # The cahier journal of the day.
    page.get_by_role("link", name="Cahier journal").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cahier journal")
    check_accessibility(page)
    page.get_by_role("link", name="Ajouter une séance").click()
    check_accessibility(page)
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Début").fill("16:00")
    page.get_by_label("Fin", exact=False).first.fill("16:30")
    page.get_by_label("Discipline").select_option("mathematiques")
    page.get_by_label("Intitulé de la séance").fill("Problèmes : la monnaie")
    page.get_by_label("Objectifs").fill("Rendre la monnaie sur 10 euros")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La séance est ajoutée à votre cahier journal.")).to_be_visible()
    session = page.locator("article", has_text="Problèmes : la monnaie")
    expect(session).to_be_visible()
    check_accessibility(page)

    # Reported to the class's cahier de textes in one step.
    session.get_by_role("button", name=re.compile("Reporter dans le cahier de textes")).click()
    expect(page.get_by_text("La séance est reportée dans le cahier de textes de la classe.")).to_be_visible()
    session = page.locator("article", has_text="Problèmes : la monnaie")
    session.get_by_role("link", name="Voir dans le cahier de textes").click()
    expect(page.locator("main")).to_contain_text("Problèmes : la monnaie")

    # A class outing in the agenda.
    page.goto("/agenda/")
    check_accessibility(page)
    page.get_by_role("link", name="Ajouter un événement").click()
    check_accessibility(page)
    ce1 = SchoolClass.objects.get(school__uai="0651067G", levels="CE1", year=current_school_year())
    page.get_by_label("Agenda").select_option(f"classe:{ce1.pk}")
    page.get_by_label("Titre").fill("Sortie au cinéma")
    page.get_by_label("Catégorie").select_option("sortie")
    page.locator("label[for=id_all_day]").click()  # a timed outing: the hours appear
    expect(page.get_by_label("Heure de début")).to_be_visible()
    page.get_by_label("Premier jour").fill(today.isoformat())
    page.get_by_label("Heure de début").fill("09:30")
    page.get_by_label("Heure de fin").fill("11:30")
    page.get_by_label("Lieu").fill("Cinéma Le Régent")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sortie au cinéma")
    check_accessibility(page)
    page.get_by_role("button", name="Se déconnecter").click()

    # The parent of a CE1 pupil finds it in their agenda.
    sign_in(page, check_accessibility, Profile.PARENT)
    page.get_by_role("link", name="Agenda", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda")
    outing = page.get_by_role("link", name="Sortie au cinéma")
    expect(outing).to_be_visible()
    check_accessibility(page)
    outing.click()
    expect(page.locator("main")).to_contain_text("Cinéma Le Régent")
    expect(page.get_by_role("link", name="Modifier")).to_have_count(0)
    check_accessibility(page)

    # And subscribes their phone to it.
    page.goto("/agenda/")
    page.get_by_role("link", name="Dans mon téléphone").click()
    check_accessibility(page)
    page.get_by_role("button", name="Créer mon adresse").click()
    address = page.get_by_label("Adresse d'abonnement (à garder pour vous)")
    expect(address).to_have_value(re.compile(r"/agenda/ical/.+\.ics$"))
    check_accessibility(page)
