import pytest
from django.urls import reverse

from preau.directory.factories import SchoolFactory, make_school, person_with_role
from preau.directory.models import Profile

pytestmark = pytest.mark.django_db


def test_director_of_one_school_goes_straight_to_its_console(client_for, school):
    response = client_for(school.director).get(reverse("directory:my_schools"))
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:school_console", args=[school.school.uai])


def test_ien_with_several_schools_gets_the_list(client_for, school, django_assert_max_num_queries):
    circonscription = school.school.circonscription
    second = SchoolFactory(circonscription=circonscription, commune=school.school.commune)
    ien = person_with_role(Profile.IEN, circonscription)
    client = client_for(ien)
    with django_assert_max_num_queries(num=10):
        response = client.get(reverse("directory:my_schools"))
    assert response.status_code == 200
    page = response.content.decode()
    assert school.school.name in page
    assert second.name in page
    assert reverse("directory:school_console", args=[second.uai]) in page


def test_school_list_searches_by_uai(client_for, school):
    circonscription = school.school.circonscription
    second = SchoolFactory(circonscription=circonscription, commune=school.school.commune)
    ien = person_with_role(Profile.IEN, circonscription)
    response = client_for(ien).get(reverse("directory:my_schools"), {"q": second.uai})
    page = response.content.decode()
    assert second.name in page
    assert school.school.name not in page


def test_teacher_lists_own_classes_with_links(client_for, school, django_assert_max_num_queries):
    teacher = school.teachers[0]
    client = client_for(teacher)
    with django_assert_max_num_queries(num=10):
        response = client.get(reverse("directory:my_classes"))
    assert response.status_code == 200
    page = response.content.decode()
    own, other = school.classes
    assert reverse("directory:class_detail", args=[school.school.uai, own.id]) in page
    assert reverse("directory:class_detail", args=[school.school.uai, other.id]) not in page


def test_portal_shows_the_directory_tiles_to_those_they_serve(client_for, school):
    academie = school.school.circonscription.departement.academie
    admin = person_with_role(Profile.ACADEMIE_ADMIN, academie)
    admin_page = client_for(admin).get("/").content.decode()
    assert reverse("directory:academie_console") in admin_page
    assert reverse("directory:audit_log") in admin_page
    assert reverse("directory:my_schools") in admin_page
    teacher_page = client_for(school.teachers[0]).get("/").content.decode()
    assert reverse("directory:my_classes") in teacher_page
    assert reverse("directory:my_schools") not in teacher_page
    assert reverse("directory:audit_log") not in teacher_page
    director_page = client_for(school.director).get("/").content.decode()
    assert reverse("directory:my_schools") in director_page
    parent = school.parents[school.pupils[school.classes[0].id][0].id][0]
    parent_page = client_for(parent).get("/").content.decode()
    assert "/annuaire/" not in parent_page


def test_my_schools_query_count_does_not_grow(client_for, django_assert_max_num_queries):
    built = make_school(classes=1, pupils=1)
    circonscription = built.school.circonscription
    ien = person_with_role(Profile.IEN, circonscription)
    client = client_for(ien)
    for _ in range(60):
        SchoolFactory(circonscription=circonscription, commune=built.school.commune)
    with django_assert_max_num_queries(num=10):
        response = client.get(reverse("directory:my_schools"))
    assert "Page suivante" in response.content.decode()
