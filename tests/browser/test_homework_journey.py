"""The issue's journey of the cahier de textes, in a real browser, axe-core on every page.

A teacher gives a work to do to "CE1 A"; a mother of two children (Léa in CE1 A, Hugo in
another class) finds it for Léa only; Léa finds it in "Mes devoirs", in large type, with the
button that reads it aloud.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from preau.directory.factories import make_school
from preau.directory.models import GuardianLink, Person, SchoolClass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_work_from_the_teacher_reaches_the_right_child_and_is_read_aloud(
    page, check_accessibility, sign_in_with_password, sign_out
):
    built = make_school(classes=2, pupils=3)
    ce1, cm2 = built.classes
    SchoolClass.objects.filter(pk=ce1.pk).update(name="CE1 A", levels="CE1")
    SchoolClass.objects.filter(pk=cm2.pk).update(name="CM2 B", levels="CM2")
    teacher = built.teachers[0]
    Person.objects.filter(pk=teacher.pk).update(first_name="Julien", last_name="Abadie")
    lea, hugo = built.pupils[ce1.id][0], built.pupils[cm2.id][0]
    Person.objects.filter(pk=lea.pk).update(first_name="Léa")
    Person.objects.filter(pk=hugo.pk).update(first_name="Hugo")
    mother = built.parents[lea.pk][0]
    Person.objects.filter(pk=mother.pk).update(first_name="Sophie", last_name="Fourcade")
    GuardianLink.objects.create(guardian=mother, child=hugo, relationship=GuardianLink.Relationship.MOTHER)
    for person in (teacher, lea, mother):
        person.refresh_from_db()
    errors: list[str] = []
    # Errors thrown by this app's scripts (the DSFR's own are not this journey's business).
    page.on(
        "pageerror", lambda error: errors.append(str(error)) if "/static/homework/" in (error.stack or "") else None
    )
    today = timezone.localdate()

    # The teacher gives the work to CE1 A.
    sign_in_with_password(teacher)
    page.get_by_role("link", name="Cahier de textes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cahier de textes")
    check_accessibility(page)
    page.get_by_role("link", name="Nouveau travail à faire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau travail à faire")
    check_accessibility(page)
    expect(page.get_by_label("CE1 A", exact=True)).to_be_checked()  # the teacher's only class
    expect(page.get_by_label("Donné le")).to_have_value(today.isoformat())
    page.get_by_label("Pour le").fill((today + datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Matière").select_option("francais")
    page.get_by_role("textbox", name="Titre", exact=True).fill("Lire la page 12")
    page.get_by_role("textbox", name="Consignes").fill("Lire la page 12 du livre de lecture à voix haute.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Publié.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lire la page 12")
    expect(page.locator("main")).to_contain_text("CE1 A")
    check_accessibility(page)
    page.get_by_role("link", name="CE1 A").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cahier de textes — CE1 A")
    expect(page.locator("main")).to_contain_text("Lire la page 12")
    check_accessibility(page)
    sign_out()

    # The mother sees it for Léa, not for Hugo.
    sign_in_with_password(mother)
    page.goto(f"/cahier-de-textes/a-faire/?enfant={hugo.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les devoirs de Hugo")
    expect(page.locator("main")).not_to_contain_text("Lire la page 12")
    check_accessibility(page)
    page.get_by_role("link", name="Léa", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les devoirs de Léa")
    expect(page.locator("main")).to_contain_text("Lire la page 12")
    check_accessibility(page)
    sign_out()

    # Léa finds it in "Mes devoirs", with the button that reads it aloud.
    sign_in_with_password(lea)
    page.locator("main").get_by_role("link", name="Mes devoirs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes devoirs")
    main = page.locator("main")
    expect(main).to_contain_text("Lire la page 12 du livre de lecture à voix haute.")
    listen = page.get_by_role("button", name="Écouter : Lire la page 12")
    expect(listen).to_be_visible()
    font_size = main.locator(".preau-homework-item").first.evaluate("node => getComputedStyle(node).fontSize")
    assert float(font_size.removesuffix("px")) >= 22  # large type for young readers
    check_accessibility(page)
    listen.click()  # speaks with the browser's French voice, or stays silent where there is none
    expect(listen).to_have_attribute("aria-pressed", re.compile(r"true|false"))
    assert not errors, errors
