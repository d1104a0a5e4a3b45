"""The class tablet: a pupil taps their first name, then their three pictures."""

import pytest
from django.test import Client

from preau.accounts.card_actions import issue_login_card
from preau.accounts.pictures import PICTURES
from preau.core.models import AuditEntry
from preau.directory.factories import make_school

pytestmark = pytest.mark.django_db

TABLET = "/connexion/classe/"


@pytest.fixture
def tablet(school, client_for):
    """A device on which the first class's teacher opened the class sign-in, then signed out."""
    school_class = school.classes[0]
    teacher_client = client_for(school.teachers[0])
    response = teacher_client.post(f"/classes/{school_class.pk}/tablette/")
    assert response.status_code == 302 and response["Location"] == TABLET
    device = Client()
    device.cookies["preau_classe"] = response.cookies["preau_classe"].value
    return device


def tap(device, pupil, pictures):
    response = None
    picked = []
    for picture in pictures:
        response = device.post(TABLET, {"eleve": pupil.pk, "images": ",".join(picked), "image": picture})
        picked.append(picture)
    return response


def wrong_code(right):
    return [key for key in PICTURES if key not in right][:3]


def test_without_the_cookie_the_page_says_to_ask_the_teacher(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(num=0):
        response = client.get(TABLET)
    assert response.status_code == 200
    assert "Demande à ton enseignant·e" in response.content.decode()


def test_a_forged_cookie_is_ignored(client, school):
    client.cookies["preau_classe"] = str(school.classes[0].pk)
    assert "Demande à ton enseignant·e" in client.get(TABLET).content.decode()


def test_opening_the_tablet_signs_the_teacher_out_of_the_device(school, client_for):
    teacher_client = client_for(school.teachers[0])
    response = teacher_client.post(f"/classes/{school.classes[0].pk}/tablette/", follow=True)
    assert "_auth_user_id" not in teacher_client.session
    page = response.content.decode()
    assert "Vous êtes déconnecté·e" in page and "qui es-tu" in page


def test_tablet_lists_the_first_names_of_the_class_only(tablet, school, django_assert_max_num_queries):
    first, second = school.classes
    with django_assert_max_num_queries(num=2):
        page = tablet.get(TABLET).content.decode()
    for pupil in school.pupils[first.id]:
        assert f"?eleve={pupil.pk}" in page and pupil.first_name in page
    for pupil in school.pupils[second.id]:
        assert pupil.first_name not in page
    assert AuditEntry.objects.filter(action="accounts.class_tablet_opened").count() == 1


def test_tapping_a_name_shows_the_nine_pictures(tablet, school):
    pupil = school.pupils[school.classes[0].id][0]
    page = tablet.get(f"{TABLET}?eleve={pupil.pk}").content.decode()
    for picture in PICTURES.values():
        assert f'value="{picture.key}"' in page and str(picture.label) in page
    assert page.count("<svg") == 9


def test_the_right_three_pictures_sign_the_pupil_in(tablet, school):
    school_class = school.classes[0]
    pupil = school.pupils[school_class.id][0]
    card = issue_login_card(school.teachers[0], pupil, school_class)
    response = tap(tablet, pupil, card.pictures[:2])
    assert response.status_code == 200 and "_auth_user_id" not in tablet.session
    response = tap(tablet, pupil, card.pictures)
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(tablet.session["_auth_user_id"]) == pupil.pk
    assert AuditEntry.objects.filter(action="accounts.signed_in", subject=pupil, details__method="picture").exists()


def test_wrong_pictures_say_so_and_sign_no_one_in(tablet, school):
    school_class = school.classes[0]
    pupil = school.pupils[school_class.id][0]
    card = issue_login_card(school.teachers[0], pupil, school_class)
    response = tap(tablet, pupil, wrong_code(card.pictures))
    assert response.status_code == 400
    assert "Ce ne sont pas tes images" in response.content.decode()
    assert "_auth_user_id" not in tablet.session
    pupil.refresh_from_db()
    assert pupil.failed_logins == 1


def test_after_five_wrong_codes_the_pupil_waits(tablet, school):
    school_class = school.classes[0]
    pupil = school.pupils[school_class.id][0]
    card = issue_login_card(school.teachers[0], pupil, school_class)
    for _ in range(5):
        tap(tablet, pupil, wrong_code(card.pictures))
    response = tap(tablet, pupil, card.pictures)
    assert response.status_code == 400
    assert "temporairement bloqué" in response.content.decode()
    assert "_auth_user_id" not in tablet.session


def test_a_revoked_card_pictures_no_longer_work(tablet, school):
    school_class = school.classes[0]
    pupil = school.pupils[school_class.id][0]
    old = issue_login_card(school.teachers[0], pupil, school_class)
    new = issue_login_card(school.teachers[0], pupil, school_class)
    if list(old.pictures) != list(new.pictures):
        assert tap(tablet, pupil, old.pictures).status_code == 400
    assert tap(tablet, pupil, new.pictures).status_code == 302


def test_a_pupil_of_another_class_cannot_sign_in_on_this_tablet(tablet, school):
    other_class = school.classes[1]
    pupil = school.pupils[other_class.id][0]
    card = issue_login_card(school.teachers[1], pupil, other_class)
    response = tap(tablet, pupil, card.pictures)
    assert "_auth_user_id" not in tablet.session
    assert response.status_code == 200  # the pupil is not in the list: back to the names


def test_tablet_page_query_count_does_not_grow_with_the_class(client_for, django_assert_max_num_queries):
    for size in (3, 30):
        built = make_school(classes=1, pupils=size)
        response = client_for(built.teachers[0]).post(f"/classes/{built.classes[0].pk}/tablette/")
        device = Client()
        device.cookies["preau_classe"] = response.cookies["preau_classe"].value
        with django_assert_max_num_queries(num=2):
            assert device.get(TABLET).status_code == 200


def test_closing_the_tablet_forgets_the_class(tablet):
    tablet.post(f"{TABLET}fermer/")
    assert "Demande à ton enseignant·e" in tablet.get(TABLET).content.decode()


def test_wrong_codes_on_one_tablet_are_limited_whatever_the_pupil(tablet, school, settings):
    settings.PREAU_LOGIN_ATTEMPTS_PER_ADDRESS = 3
    school_class = school.classes[0]
    pupils = school.pupils[school_class.id]
    cards = [issue_login_card(school.teachers[0], pupil, school_class) for pupil in pupils]
    for pupil, card in zip(pupils, cards, strict=True):
        tap(tablet, pupil, wrong_code(card.pictures))
    response = tap(tablet, pupils[0], cards[0].pictures)
    assert response.status_code == 400 and "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in tablet.session


def test_signing_out_on_the_tablet_comes_back_to_the_names(tablet, school):
    school_class = school.classes[0]
    pupil = school.pupils[school_class.id][0]
    card = issue_login_card(school.teachers[0], pupil, school_class)
    tap(tablet, pupil, card.pictures)
    response = tablet.post("/deconnexion/")
    assert response.status_code == 302 and response["Location"] == TABLET
    assert "_auth_user_id" not in tablet.session
