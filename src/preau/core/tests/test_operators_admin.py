import pytest

from preau.directory.factories import PersonFactory, make_school

pytestmark = pytest.mark.django_db


def test_operators_reach_the_admin(client_for):
    operator = PersonFactory(is_staff=True, is_superuser=True)
    client = client_for(operator)
    for page in (
        "/exploitation/",
        "/exploitation/directory/person/",
        "/exploitation/directory/school/",
        "/exploitation/core/auditentry/",
        "/exploitation/feeder/importrun/",
    ):
        assert client.get(page).status_code == 200, page


def test_nobody_else_reaches_the_admin(client_for):
    built = make_school(classes=1, pupils=1)
    response = client_for(built.director).get("/exploitation/")
    assert response.status_code == 302 and "/exploitation/login/" in response["Location"]


def test_the_admin_login_goes_through_preau_sign_in(client):
    response = client.get("/exploitation/login/?next=/exploitation/")
    assert response.status_code == 302 and response["Location"] == "/connexion/?next=/exploitation/"
