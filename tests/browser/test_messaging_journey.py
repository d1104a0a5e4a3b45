"""The issue's journey of the messagerie, in a real browser, axe-core on every page.

A teacher writes to the parents of "CE1 A" (a list of 24 families, hidden from each other);
a mother reads it on her phone (390×844) and replies; the teacher sees her answer and the
read receipt "Lu par 1 parent sur 24".
"""

import pytest
from playwright.sync_api import expect

from preau.directory.factories import make_school
from preau.directory.models import Person, SchoolClass
from preau.messaging.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_a_teacher_writes_to_the_class_parents_a_mother_answers_from_her_phone(
    page, check_accessibility, sign_in_with_password, sign_out
):
    built = make_school(classes=1, pupils=24)
    ce1 = built.classes[0]
    SchoolClass.objects.filter(pk=ce1.pk).update(name="CE1 A")
    teacher = built.teachers[0]
    Person.objects.filter(pk=teacher.pk).update(first_name="Julien", last_name="Abadie")
    lea = built.pupils[ce1.id][0]
    mother = built.parents[lea.pk][0]
    other_mother = built.parents[built.pupils[ce1.id][1].pk][0]
    Person.objects.filter(pk=mother.pk).update(first_name="Sophie", last_name="Fourcade")
    teacher.refresh_from_db()
    mother.refresh_from_db()

    # The teacher writes to the list "Parents de CE1 A".
    sign_in_with_password(teacher)
    page.get_by_role("link", name="Messagerie").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messagerie — Reçus")
    check_accessibility(page)
    page.get_by_role("link", name="Écrire un message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Écrire un message")
    check_accessibility(page)
    page.locator("label", has_text="Parents de CE1 A").click()
    expect(page.get_by_label("Parents de CE1 A")).to_be_checked()
    page.get_by_label("Objet").fill("Sortie au musée mardi")
    page.get_by_role("textbox", name="Message").fill(
        "Bonjour, la classe visite le musée mardi. Prévoir un pique-nique."
    )
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.get_by_text("Message envoyé à 24 destinataires.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sortie au musée mardi")
    expect(page.locator("main")).to_contain_text("Lu par 0 parent sur 24")
    check_accessibility(page)
    sign_out()

    # The mother reads it on her phone and replies.
    page.set_viewport_size(PHONE)
    sign_in_with_password(mother)
    page.goto("/messagerie/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Messagerie — Reçus")
    expect(page.locator("main")).to_contain_text("Non lu")
    check_accessibility(page)
    page.get_by_role("link", name="Sortie au musée mardi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sortie au musée mardi")
    main = page.locator("main")
    expect(main).to_contain_text("Parents de CE1 A")
    expect(main).not_to_contain_text(other_mother.last_name.upper())  # families never see each other
    check_accessibility(page)
    page.get_by_role("link", name="Répondre", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Répondre")
    expect(page.get_by_label("Julien ABADIE")).to_be_checked()
    expect(page.get_by_label("Objet")).to_have_value("Re : Sortie au musée mardi")
    check_accessibility(page)
    page.get_by_role("textbox", name="Message").fill("Merci ! Léa sera là, je peux accompagner.")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.get_by_text("Message envoyé à 1 destinataire.")).to_be_visible()
    check_accessibility(page)
    page.set_viewport_size(DESKTOP)
    sign_out()

    # The teacher finds the answer and the read receipt.
    sign_in_with_password(teacher)
    page.goto("/messagerie/")
    expect(page.locator("main")).to_contain_text("Re : Sortie au musée mardi")
    check_accessibility(page)
    page.get_by_role("link", name="Re : Sortie au musée mardi").click()
    main = page.locator("main")
    expect(main).to_contain_text("Merci ! Léa sera là")
    expect(main).to_contain_text("Lu par 1 parent sur 24")
    check_accessibility(page)
    page.get_by_role("link", name="Voir qui l'a lu").click()
    expect(page.locator("main")).to_contain_text("Sophie FOURCADE")
    check_accessibility(page)
    assert Message.objects.filter(sent_at__isnull=False).count() == 2
