"""Forgotten passwords: adults by e-mail; a teacher for a pupil."""

import re

import pytest
from django.test import Client

from preau.accounts.actions import reset_pupil_password
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.factories import TEST_PASSWORD, PersonFactory, make_school

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Une-autre-phrase-2026"


def test_reset_page_is_public(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(num=0):
        response = client.get("/mot-de-passe-oublie/")
    assert response.status_code == 200 and 'name="email"' in response.content.decode()


def test_known_address_receives_a_link_that_sets_a_new_password(client, mailoutbox, settings):
    settings.PREAU_SITE_URL = "https://ent.example.fr"
    person = PersonFactory(email="parent@example.fr")
    other_device = Client()
    other_device.force_login(person)
    response = client.post("/mot-de-passe-oublie/", {"email": "Parent@Example.fr"})
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/envoye/"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["parent@example.fr"]
    link = re.search(r"https://ent\.example\.fr(/mot-de-passe-oublie/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and 'name="new_password1"' in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/termine/"
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.password_reset_by_email", subject=person).exists()
    assert AuditEntry.objects.filter(action="accounts.password_reset_requested", subject=person).exists()
    # Other sessions end; the link cannot serve twice.
    assert other_device.get("/").status_code == 302
    assert "plus valable" in client.get(link, follow=True).content.decode()


def test_unknown_address_gets_the_same_answer_and_no_mail(client, mailoutbox):
    PersonFactory(email="parent@example.fr")
    response = client.post("/mot-de-passe-oublie/", {"email": "inconnu@example.fr"})
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/envoye/"
    assert mailoutbox == []


def test_done_and_complete_pages_are_public(client):
    assert client.get("/mot-de-passe-oublie/envoye/").status_code == 200
    assert client.get("/mot-de-passe-oublie/termine/").status_code == 200


def test_teacher_gives_a_pupil_a_provisional_password_shown_once(school, client_for):
    school_class = school.classes[0]
    pupil = school.pupils[school_class.id][0]
    pupil_device = client_for(pupil)
    response = client_for(school.teachers[0]).post(f"/eleves/{pupil.pk}/reinitialiser/", {"class_id": school_class.pk})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = re.search(r'<strong class="fr-text--lead">([^<]+)</strong>', response.content.decode()).group(1)
    pupil.refresh_from_db()
    assert pupil.check_password(password) and pupil.must_change_password
    assert pupil_device.get("/").status_code == 302  # the pupil's sessions ended
    entry = AuditEntry.objects.get(action="accounts.pupil_password_reset", subject=pupil)
    assert password not in str(entry.details)
    client = Client()
    client.post("/connexion/", {"username": pupil.username, "password": password})
    assert client.get("/").url == "/compte/mot-de-passe/"


def test_director_may_reset_a_pupil_password(school):
    school_class = school.classes[0]
    pupil = school.pupils[school_class.id][0]
    password = reset_pupil_password(school.director, pupil, school_class)
    assert len(password) >= 8


def test_pupil_of_another_class_is_refused(school):
    first, second = school.classes
    with pytest.raises(DomainError):
        reset_pupil_password(school.teachers[0], school.pupils[second.id][0], first)


@pytest.mark.parametrize("who", ["teacher_of_other_class", "other_director", "parent", "pupil"])
def test_others_cannot_reset_a_pupil_password(school, client_for, who):
    first = school.classes[0]
    pupil, classmate = school.pupils[first.id][:2]
    actor = {
        "teacher_of_other_class": school.teachers[1],
        "other_director": make_school(classes=0).director,
        "parent": school.parents[pupil.id][0],
        "pupil": classmate,
    }[who]
    with pytest.raises(NotAllowed):
        reset_pupil_password(actor, pupil, first)
    response = client_for(actor).post(f"/eleves/{pupil.pk}/reinitialiser/", {"class_id": first.pk})
    assert response.status_code == 403
    pupil.refresh_from_db()
    assert pupil.check_password(TEST_PASSWORD) and not pupil.must_change_password


def test_reset_requests_are_limited_per_address(client, mailoutbox, settings):
    settings.PREAU_LOGIN_ATTEMPTS_PER_ADDRESS = 2
    PersonFactory(email="parent@example.fr")
    for _ in range(2):
        client.post("/mot-de-passe-oublie/", {"email": "parent@example.fr"})
    response = client.post("/mot-de-passe-oublie/", {"email": "parent@example.fr"})
    assert response.status_code == 200 and "Trop de tentatives" in response.content.decode()
    assert len(mailoutbox) == 2
