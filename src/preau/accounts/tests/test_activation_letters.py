"""Printing the activation letters of a class's parents (and one parent's new letter)."""

import io

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone
from pypdf import PdfReader

from preau.accounts.actions import issue_activation_letters
from preau.accounts.models import ActivationCode
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.factories import add_role, make_school, person_with_role
from preau.directory.models import Profile

pytestmark = pytest.mark.django_db


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def letters_url(school_class) -> str:
    return f"/classes/{school_class.pk}/lettres-activation.pdf"


def test_director_prints_one_page_per_parent_with_login_code_and_address(school, client_for, settings):
    settings.PREAU_SITE_URL = "https://ent.example.fr"
    first_class = school.classes[0]
    pupils = school.pupils[first_class.id]
    response = client_for(school.director).post(letters_url(first_class))
    assert response.status_code == 200
    pages = pdf_pages(response)
    parents = [school.parents[p.id][0] for p in pupils]
    assert len(pages) == len(parents) == 3
    for parent in parents:
        page = next(text for text in pages if parent.username in text)
        assert school.school.name in page
        assert "https://ent.example.fr/activation/" in page
        child = next(p for p in pupils if parent in school.parents[p.id])
        assert child.first_name in page and first_class.name in page
    assert ActivationCode.objects.filter(person__in=parents, used_at=None, revoked_at=None).count() == 3
    entries = AuditEntry.objects.filter(action="accounts.activation_letter_issued")
    assert entries.count() == 3 and all(entry.target_id.isdigit() for entry in entries)
    assert {entry.subject_id for entry in entries} == {parent.pk for parent in parents}


def test_printed_code_is_the_one_stored_hashed_and_expires_after_the_set_days(school, settings):
    settings.PREAU_ACTIVATION_DAYS = 30
    letters = issue_activation_letters(school.director, school.classes[0])
    letter = letters[0]
    assert len(letter.code) == 14 and letter.code.count("-") == 2
    stored = ActivationCode.objects.get(person=letter.parent)
    assert stored.code_hash.startswith("argon2") and letter.code not in stored.code_hash
    assert check_password(letter.code, stored.code_hash)
    assert abs((stored.expires_at - timezone.now()).days - 30) <= 1


def test_a_new_letter_revokes_the_previous_unused_code(school):
    first_class = school.classes[0]
    issue_activation_letters(school.director, first_class)
    issue_activation_letters(school.director, first_class)
    parent = school.parents[school.pupils[first_class.id][0].id][0]
    codes = ActivationCode.objects.filter(person=parent).order_by("created_at")
    assert [c.revoked_at is not None for c in codes] == [True, False]


def test_activated_parents_get_no_letter_unless_asked(school):
    first_class = school.classes[0]
    activated = school.parents[school.pupils[first_class.id][0].id][0]
    activated.activated_at = timezone.now()
    activated.save()
    letters = issue_activation_letters(school.director, first_class)
    assert activated not in [letter.parent for letter in letters] and len(letters) == 2
    letters = issue_activation_letters(school.director, first_class, include_activated=True)
    assert activated in [letter.parent for letter in letters]


def test_nothing_to_print_says_so_and_creates_nothing(school, client_for):
    first_class = school.classes[0]
    for pupil in school.pupils[first_class.id]:
        for parent in school.parents[pupil.id]:
            parent.activated_at = timezone.now()
            parent.save()
    with pytest.raises(DomainError):
        issue_activation_letters(school.director, first_class)
    response = client_for(school.director).post(letters_url(first_class), follow=True)
    assert "ont déjà activé leur compte" in response.content.decode()
    assert not ActivationCode.objects.exists()


def test_a_parent_with_two_children_gets_one_letter_naming_both():
    built = make_school(classes=2, pupils=1, parents_per_pupil=2)
    first, second = built.classes
    parent = built.parents[built.pupils[first.id][0].id][0]
    other_child = built.pupils[second.id][0]
    from preau.directory.models import GuardianLink

    GuardianLink.objects.create(guardian=parent, child=other_child, relationship="mere")
    letters = issue_activation_letters(built.director, first)
    assert len(letters) == 2
    letter = next(letter for letter in letters if letter.parent == parent)
    assert sorted(letter.children) == sorted(
        [(built.pupils[first.id][0].first_name, first.name), (other_child.first_name, second.name)]
    )


def test_academie_administrator_may_print_letters(school):
    academie = school.school.circonscription.departement.academie
    admin = person_with_role(Profile.ACADEMIE_ADMIN, academie)
    assert len(issue_activation_letters(admin, school.classes[0])) == 3


@pytest.mark.parametrize("who", ["teacher", "other_director", "parent", "pupil"])
def test_others_are_refused_with_403_and_nothing_is_created(school, client_for, who):
    first_class = school.classes[0]
    pupil = school.pupils[first_class.id][0]
    actor = {
        "teacher": school.teachers[0],
        "other_director": make_school(classes=0).director,
        "parent": school.parents[pupil.id][0],
        "pupil": pupil,
    }[who]
    with pytest.raises(NotAllowed):
        issue_activation_letters(actor, first_class)
    assert client_for(actor).post(letters_url(first_class)).status_code == 403
    assert client_for(actor).get(f"/classes/{first_class.pk}/activation/").status_code == 403
    assert not ActivationCode.objects.exists()


def test_letters_are_not_printed_by_get(school, client_for):
    response = client_for(school.director).get(letters_url(school.classes[0]))
    assert response.status_code == 405
    assert not ActivationCode.objects.exists()


def test_parents_page_shows_each_parent_state_with_bounded_queries(client_for, django_assert_max_num_queries):
    for pupils in (3, 30):
        built = make_school(classes=1, pupils=pupils, parents_per_pupil=2)
        school_class = built.classes[0]
        issue_activation_letters(built.director, school_class)
        client = client_for(built.director)
        with django_assert_max_num_queries(num=12):
            response = client.get(f"/classes/{school_class.pk}/activation/")
        assert response.status_code == 200
        page = response.content.decode()
        some_parent = built.parents[built.pupils[school_class.id][-1].id][1]
        assert some_parent.username in page and "valable jusqu" in page


def test_director_prints_a_new_letter_for_one_parent(school, client_for):
    first_class = school.classes[0]
    parent = school.parents[school.pupils[first_class.id][0].id][0]
    issue_activation_letters(school.director, first_class)
    response = client_for(school.director).post(f"/parents/{parent.pk}/nouvelle-lettre/")
    assert response.status_code == 200
    pages = pdf_pages(response)
    assert len(pages) == 1 and parent.username in pages[0]
    codes = ActivationCode.objects.filter(person=parent)
    assert codes.count() == 2 and codes.filter(revoked_at=None).count() == 1


@pytest.mark.parametrize("who", ["teacher", "other_director", "other_parent"])
def test_only_a_director_of_the_child_prints_a_parents_new_letter(school, client_for, who):
    first_class = school.classes[0]
    parent = school.parents[school.pupils[first_class.id][0].id][0]
    actor = {
        "teacher": school.teachers[0],
        "other_director": make_school(classes=0).director,
        "other_parent": school.parents[school.pupils[first_class.id][1].id][0],
    }[who]
    assert client_for(actor).post(f"/parents/{parent.pk}/nouvelle-lettre/").status_code == 403
    assert not ActivationCode.objects.exists()


def test_teacher_who_is_also_director_elsewhere_cannot_print_here(school):
    other = make_school(classes=0)
    add_role(other.director, Profile.TEACHER, school.school)
    with pytest.raises(NotAllowed):
        issue_activation_letters(other.director, school.classes[0])
