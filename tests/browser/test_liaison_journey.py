"""The issue's journey of the cahier de liaison, in a real browser, axe-core on every page.

A teacher writes a note to sign to the families of "CE1 A" (24 pupils); a mother of two
children (Léa in CE1 A, Hugo in another class) finds it in Léa's notebook only and signs it;
the teacher then sees "1 sur 24".
"""

import re

import pytest
from playwright.sync_api import expect

from preau.directory.factories import make_school
from preau.directory.models import GuardianLink, Person, SchoolClass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_note_to_sign_from_the_class_to_one_family_and_back(
    page, check_accessibility, sign_in_with_password, sign_out
):
    built = make_school(classes=2, pupils=24)
    ce1, cm2 = built.classes
    SchoolClass.objects.filter(pk=ce1.pk).update(name="CE1 A")
    SchoolClass.objects.filter(pk=cm2.pk).update(name="CM2 B")
    teacher = built.teachers[0]
    Person.objects.filter(pk=teacher.pk).update(first_name="Julien", last_name="Abadie")
    lea, hugo = built.pupils[ce1.id][0], built.pupils[cm2.id][0]
    Person.objects.filter(pk=lea.pk).update(first_name="Léa")
    Person.objects.filter(pk=hugo.pk).update(first_name="Hugo")
    mother = built.parents[lea.pk][0]
    Person.objects.filter(pk=mother.pk).update(first_name="Sophie", last_name="Fourcade")
    GuardianLink.objects.create(guardian=mother, child=hugo, relationship=GuardianLink.Relationship.MOTHER)
    teacher.refresh_from_db()
    mother.refresh_from_db()

    # The teacher writes the note.
    sign_in_with_password(teacher)
    page.get_by_role("link", name="Cahier de liaison").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mots aux familles")
    check_accessibility(page)
    page.get_by_role("link", name="Écrire un mot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Écrire un mot aux familles")
    check_accessibility(page)
    page.get_by_text("Classe CE1 A", exact=True).click()
    page.get_by_label("Titre").fill("Sortie au musée")
    page.get_by_role("textbox", name="Texte du mot").fill("Mardi, la classe visite le musée. Prévoir un pique-nique.")
    page.get_by_text("Demander une signature aux familles").click()
    page.get_by_role("button", name="Envoyer le mot").click()
    expect(page.get_by_text("Le mot est envoyé aux familles.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sortie au musée")
    expect(page.locator("main")).to_contain_text("0 sur 24")
    check_accessibility(page)
    sign_out()

    # The mother finds it in Léa's notebook, not in Hugo's, and signs.
    sign_in_with_password(mother)
    page.goto(f"/cahier-de-liaison/?enfant={hugo.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cahier de liaison de Hugo")
    expect(page.locator("main")).not_to_contain_text("Sortie au musée")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile(r"^Léa")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cahier de liaison de Léa")
    expect(page.locator("main")).to_contain_text("À signer")
    check_accessibility(page)
    page.get_by_role("link", name="Sortie au musée").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sortie au musée")
    check_accessibility(page)
    page.get_by_role("button", name="Signer pour Léa").click()
    expect(page.get_by_text("Merci, votre signature est enregistrée.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Signé pour Léa par Sophie FOURCADE le")
    expect(page.get_by_role("button", name="Signer pour Léa")).to_have_count(0)
    check_accessibility(page)
    sign_out()

    # The teacher sees one signature out of 24.
    sign_in_with_password(teacher)
    page.goto("/cahier-de-liaison/mots/")
    expect(page.locator("main")).to_contain_text("1 sur 24")
    page.get_by_role("link", name="Sortie au musée").click()
    expect(page.locator("main")).to_contain_text("1 sur 24")
    expect(page.get_by_role("row", name=re.compile("Léa")).first).to_contain_text("Signé par Sophie FOURCADE")
    check_accessibility(page)
