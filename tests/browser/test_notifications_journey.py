"""A parent's notifications, in a real browser: the demo's notices on the home page (delivered
when the demo commits, with no worker running), the timeline, then the preferences where a
kind of notification goes to the daily digest; a director sets the school's quiet hours.
axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from preau.core.notices import kinds
from preau.demo.data import DEMO_LOGIN_BY_PROFILE, load_demo
from preau.directory.models import Person, Profile
from preau.notifications.models import EmailMode, Entry, Preference, QuietHours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_reads_a_notification_and_chooses_the_daily_digest(page, check_accessibility):
    load_demo()
    login = DEMO_LOGIN_BY_PROFILE[Profile.PARENT]
    parent = Person.objects.get(username=login.username)
    latest = Entry.objects.filter(person=parent).first()
    assert latest is not None, "the demo's notices reach the demo parent without a worker"

    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(login.username)
    page.get_by_label("Mot de passe").fill(login.password)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("label[for=accept]").click()
    page.get_by_role("button", name="J'accepte la charte").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {login.first_name} !")
    block = page.locator("section", has=page.get_by_role("heading", name="Dernières notifications"))
    expect(block.get_by_role("link", name=latest.title).first).to_be_visible()
    check_accessibility(page)

    block.get_by_role("link", name="Toutes mes notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    expect(page.locator("main")).to_contain_text(latest.full_title)
    check_accessibility(page)

    page.get_by_role("link", name="Choisir comment être prévenu·e").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes préférences de notification")
    # push.js ran (CSP allowed it): this browser may be subscribed.
    expect(page.get_by_text("Les notifications ne sont pas activées sur cet appareil.")).to_be_visible()
    expect(page.get_by_role("button", name="Activer sur cet appareil")).to_be_visible()
    expect(page.get_by_role("button", name="Désactiver sur cet appareil")).to_be_hidden()
    check_accessibility(page)
    rows = page.locator("tbody tr").filter(has=page.locator("select"))
    row = next(rows.nth(i) for i in range(rows.count()) if rows.nth(i).locator("select").input_value() != "resume")
    kind_label = row.locator("th").inner_text()
    row.locator("select").select_option(label="Résumé quotidien")
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.get_by_text("Vos préférences de notification sont enregistrées.")).to_be_visible()
    row = page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=kind_label, exact=True))
    expect(row.locator("select")).to_have_value(EmailMode.DIGEST)
    check_accessibility(page)
    code = next(kind.code for kind in kinds() if kind.label == kind_label)
    assert Preference.objects.get(person=parent, kind=code).email == EmailMode.DIGEST

    page.get_by_role("link", name="Mes notifications").last.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))


def test_a_director_sets_the_schools_quiet_hours(page, check_accessibility):
    load_demo()
    login = DEMO_LOGIN_BY_PROFILE[Profile.DIRECTOR]
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(login.username)
    page.get_by_label("Mot de passe").fill(login.password)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("label[for=accept]").click()
    page.get_by_role("button", name="J'accepte la charte").click()

    page.goto("/notifications/preferences/")
    page.get_by_role("link", name="Régler les heures calmes de mon école").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Heures calmes — E.P.PU Bourtoulets")
    check_accessibility(page)
    page.get_by_label("Début des heures calmes, le soir").fill("20:00")
    page.locator("label[for=jour-2]").click()  # Wednesdays, with no school in many communes
    page.get_by_role("button", name="Enregistrer les heures calmes").click()
    expect(page.get_by_text("Les heures calmes de l'école sont enregistrées.")).to_be_visible()
    expect(page.get_by_label("Début des heures calmes, le soir")).to_have_value("20:00")
    expect(page.locator("#jour-2")).to_be_checked()
    check_accessibility(page)
    quiet_hours = QuietHours.objects.get(school__uai="0651067G")
    assert quiet_hours.evening.hour == 20 and quiet_hours.quiet_days == [2, 5, 6]
