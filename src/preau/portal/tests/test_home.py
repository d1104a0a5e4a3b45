import pytest

from preau.directory.factories import make_school

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_parent_sees_own_child_and_not_another_family(client_for, school, django_assert_max_num_queries):
    first_class, second_class = school.classes
    own_child = school.pupils[first_class.id][0]
    other_child = school.pupils[second_class.id][0]
    parent = school.parents[own_child.id][0]
    client = client_for(parent)
    with django_assert_max_num_queries(num=12):
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert own_child.first_name in page
    assert first_class.name in page
    assert other_child.first_name not in page


def test_portal_query_count_does_not_grow_with_the_school(client_for, django_assert_max_num_queries):
    small = make_school(classes=1, pupils=2)
    large = make_school(classes=8, pupils=25)
    for built in (small, large):
        client = client_for(built.director)
        with django_assert_max_num_queries(num=10):
            assert client.get("/").status_code == 200
