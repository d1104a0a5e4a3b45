"""The issue's journey of the class chat, in a real browser, axe-core on every page.

A teacher opens the room of "CE1 A", sets its hours and writes; a pupil finds it on the room
list with an unread count, reads it and answers; the teacher removes the answer, and the
pupil then reads "message retiré par l'enseignant·e".

pytest-django's live server speaks WSGI, without WebSocket: this is the journey of a browser
whose socket does not connect, so every message goes through the page's form (the fallback
the page must keep working). The WebSocket path is tested with channels' communicator in
src/preau/chat/tests/test_consumer.py.
"""

import re

import pytest
from playwright.sync_api import expect

from preau.chat.models import Message
from preau.directory.factories import make_school
from preau.directory.models import Person, SchoolClass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_discussions(page, check_accessibility) -> None:
    page.get_by_role("link", name="Discussions").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discussions")
    check_accessibility(page)


def test_a_class_room_opened_written_read_and_moderated_through_the_form(
    page, check_accessibility, sign_in_with_password, sign_out, settings
):
    # Pupils read and write during school time only, and this journey runs at any hour: the
    # rule is lifted here; test_schedule.py checks it at fixed dates.
    settings.PREAU_CHAT_PUPILS_IN_SCHOOL_TIME_ONLY = False
    built = make_school(classes=1, pupils=3)
    ce1 = built.classes[0]
    SchoolClass.objects.filter(pk=ce1.pk).update(name="CE1 A")
    teacher, lea = built.teachers[0], built.pupils[ce1.id][0]
    Person.objects.filter(pk=teacher.pk).update(first_name="Julien", last_name="Abadie")
    Person.objects.filter(pk=lea.pk).update(first_name="Léa", last_name="Fourcade")
    teacher.refresh_from_db()
    lea.refresh_from_db()

    # The teacher opens the room, opens it all week and writes.
    sign_in_with_password(teacher)
    open_discussions(page, check_accessibility)
    page.get_by_role("button", name="Ouvrir le salon « CE1 A »", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CE1 A")
    expect(page.get_by_text("Le salon « CE1 A » est ouvert.")).to_be_visible()
    check_accessibility(page)
    for day in (3, 6, 7):  # Wednesday and the weekend, closed by default
        page.locator(f"label[for=reglages-jour-{day}]").click()
    page.get_by_label(re.compile(r"^Ouverture")).fill("00:00")
    page.get_by_label(re.compile(r"^Fermeture")).fill("23:59")
    page.get_by_role("button", name="Enregistrer les réglages").click()
    expect(page.get_by_text("Les réglages du salon sont enregistrés.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("lundi, mardi, mercredi, jeudi, vendredi, samedi, dimanche")
    page.get_by_label(re.compile(r"^Votre message")).fill("Bonjour les CE1 ! Qui a vu un oiseau ce matin ?")
    page.get_by_role("button", name="Envoyer").click()
    log = page.get_by_role("log")
    expect(log).to_contain_text("Bonjour les CE1 ! Qui a vu un oiseau ce matin ?")
    expect(log).to_contain_text("Julien ABADIE")
    check_accessibility(page)
    sign_out()

    # Léa sees one unread message, reads it and answers.
    sign_in_with_password(lea)
    open_discussions(page, check_accessibility)
    expect(page.locator("main")).to_contain_text("1 non lu")
    page.get_by_role("link", name="CE1 A").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CE1 A")
    expect(page.get_by_role("log")).to_contain_text("Qui a vu un oiseau ce matin ?")
    expect(page.get_by_role("button", name=re.compile(r"^Retirer"))).to_have_count(0)
    check_accessibility(page)
    page.get_by_label(re.compile(r"^Votre message")).fill("Moi, une mésange bleue !")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("log")).to_contain_text("Moi, une mésange bleue !")
    page.goto("/discussions/")
    expect(page.locator("main")).not_to_contain_text("non lu")
    sign_out()

    # The teacher removes Léa's answer.
    answer = Message.objects.get(text="Moi, une mésange bleue !")
    sign_in_with_password(teacher)
    open_discussions(page, check_accessibility)
    expect(page.locator("main")).to_contain_text("1 non lu")
    page.get_by_role("link", name="CE1 A").click()
    page.locator(f"#message-{answer.pk}").get_by_role("button", name=re.compile(r"^Retirer")).click()
    expect(page.get_by_text("Le message est retiré.")).to_be_visible()
    expect(page.locator(f"#message-{answer.pk}")).to_contain_text("Message retiré par l'enseignant·e")
    check_accessibility(page)
    sign_out()

    # Léa reads the mention, not the text.
    sign_in_with_password(lea)
    page.goto(f"/discussions/{answer.room_id}/")
    expect(page.locator(f"#message-{answer.pk}")).to_have_text(re.compile(r"Message retiré par l'enseignant·e"))
    expect(page.get_by_role("log")).not_to_contain_text("mésange")
    check_accessibility(page)
