import pytest
from django.urls import reverse
from django.utils import timezone

from preau.directory.factories import make_school, person_with_role
from preau.directory.models import Profile

pytestmark = pytest.mark.django_db


def console_url(school) -> str:
    return reverse("directory:school_console", args=[school.uai])


def test_director_sees_classes_with_teachers_pupils_and_activated_parents(
    client_for, school, django_assert_max_num_queries
):
    first_class = school.classes[0]
    first_parent = school.parents[school.pupils[first_class.id][0].id][0]
    first_parent.activated_at = timezone.now()
    first_parent.save()
    client = client_for(school.director)
    with django_assert_max_num_queries(num=12):
        response = client.get(console_url(school.school))
    assert response.status_code == 200
    page = response.content.decode()
    assert school.school.uai in page
    assert first_class.name in page
    assert school.teachers[0].full_name in page
    assert "<td>1 / 3</td>" in page
    assert "<td>0 / 3</td>" in page
    assert reverse("directory:class_detail", args=[school.school.uai, first_class.id]) in page
    assert reverse("directory:school_rollover", args=[school.school.uai]) in page


def test_ien_of_the_circonscription_reads_the_console_without_the_rentree(client_for, school):
    ien = person_with_role(Profile.IEN, school.school.circonscription)
    response = client_for(ien).get(console_url(school.school))
    assert response.status_code == 200
    assert reverse("directory:school_rollover", args=[school.school.uai]) not in response.content.decode()


def test_lowercase_uai_opens_the_same_console(client_for, school):
    response = client_for(school.director).get(
        console_url(school.school).replace(school.school.uai, school.school.uai.lower())
    )
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["teacher", "parent", "pupil", "other_director"])
def test_people_who_do_not_oversee_the_school_are_refused(client_for, school, who):
    other = make_school(classes=1, pupils=1)
    first_class = school.classes[0]
    pupil = school.pupils[first_class.id][0]
    person = {
        "teacher": school.teachers[0],
        "parent": school.parents[pupil.id][0],
        "pupil": pupil,
        "other_director": other.director,
    }[who]
    assert client_for(person).get(console_url(school.school)).status_code == 403


def test_unknown_uai_is_not_found(client_for, school):
    response = client_for(school.director).get(reverse("directory:school_console", args=["0000000A"]))
    assert response.status_code == 404


def test_console_query_count_does_not_grow_with_the_school(client_for, django_assert_max_num_queries):
    for built in (make_school(classes=1, pupils=2), make_school(classes=6, pupils=25, parents_per_pupil=2)):
        client = client_for(built.director)
        with django_assert_max_num_queries(num=12):
            assert client.get(console_url(built.school)).status_code == 200
