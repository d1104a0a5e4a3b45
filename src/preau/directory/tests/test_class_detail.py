import pytest
from django.urls import reverse
from django.utils import timezone

from preau.core.models import AuditEntry
from preau.directory.factories import make_school, person_with_role
from preau.directory.models import Profile

pytestmark = pytest.mark.django_db


def class_url(built, school_class) -> str:
    return reverse("directory:class_detail", args=[built.school.uai, school_class.id])


def test_director_sees_pupils_guardians_and_account_states(client_for, school, django_assert_max_num_queries):
    school_class = school.classes[0]
    pupils = school.pupils[school_class.id]
    activated_parent = school.parents[pupils[0].id][0]
    activated_parent.activated_at = timezone.now()
    activated_parent.save()
    detached_pupil = pupils[1]
    detached_pupil.detached_at = timezone.now()
    detached_pupil.save()
    client = client_for(school.director)
    with django_assert_max_num_queries(num=12):
        response = client.get(class_url(school, school_class))
    assert response.status_code == 200
    page = response.content.decode()
    for pupil in pupils:
        assert pupil.first_name in page
        assert school.parents[pupil.id][0].full_name in page
    assert "pas encore activé" in page
    assert ">activé<" in page
    assert ">détaché<" in page
    other_class_pupil = school.pupils[school.classes[1].id][0]
    assert other_class_pupil.first_name not in page


def test_opening_a_class_page_is_journaled_with_its_school(client_for, school):
    school_class = school.classes[0]
    client_for(school.director).get(class_url(school, school_class))
    entry = AuditEntry.objects.get(action="directory.class_viewed")
    assert entry.actor == school.director
    assert entry.target_id == str(school_class.id)
    assert entry.school_id == school.school.id
    assert entry.academie_id == school.school.circonscription.departement.academie_id


def test_teacher_sees_own_class_but_not_another(client_for, school):
    own_class, other_class = school.classes
    teacher = school.teachers[0]
    client = client_for(teacher)
    assert client.get(class_url(school, own_class)).status_code == 200
    assert client.get(class_url(school, other_class)).status_code == 403


def test_parent_of_a_pupil_may_not_read_the_class_list(client_for, school):
    school_class = school.classes[0]
    parent = school.parents[school.pupils[school_class.id][0].id][0]
    assert client_for(parent).get(class_url(school, school_class)).status_code == 403
    assert not AuditEntry.objects.filter(action="directory.class_viewed").exists()


def test_class_of_another_school_under_this_uai_is_not_found(client_for, school):
    other = make_school(classes=1, pupils=1)
    url = reverse("directory:class_detail", args=[school.school.uai, other.classes[0].id])
    assert client_for(school.director).get(url).status_code == 404


def test_ien_reads_the_class_without_the_account_buttons(client_for, school):
    ien = person_with_role(Profile.IEN, school.school.circonscription)
    response = client_for(ien).get(class_url(school, school.classes[0]))
    assert response.status_code == 200
    assert "Nouveau mot de passe" not in response.content.decode()


def test_class_page_query_count_does_not_grow_with_the_class(client_for, django_assert_max_num_queries):
    for built in (make_school(classes=1, pupils=2), make_school(classes=1, pupils=30, parents_per_pupil=2)):
        client = client_for(built.director)
        with django_assert_max_num_queries(num=12):
            assert client.get(class_url(built, built.classes[0])).status_code == 200


def test_teacher_gets_the_account_buttons_of_own_class(client_for, school):
    school_class = school.classes[0]
    pupil = school.pupils[school_class.id][0]
    page = client_for(school.teachers[0]).get(class_url(school, school_class)).content.decode()
    assert reverse("accounts:class_login_cards", args=[school_class.id]) in page
    assert reverse("accounts:reset_pupil_password", args=[pupil.id]) in page
    assert f'name="class_id" value="{school_class.id}"' in page
    # Parents' letters and access are the director's business, not the teacher's.
    assert reverse("accounts:class_activation_letters_pdf", args=[school_class.id]) not in page
    assert reverse("accounts:reset_parent_access", args=[school.parents[pupil.id][0].id]) not in page


def test_director_may_reset_a_parents_access_from_the_class_page(client_for, school):
    school_class = school.classes[0]
    parent = school.parents[school.pupils[school_class.id][0].id][0]
    page = client_for(school.director).get(class_url(school, school_class)).content.decode()
    assert reverse("accounts:reset_parent_access", args=[parent.id]) in page
