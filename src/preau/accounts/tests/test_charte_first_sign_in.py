import pytest
from django.utils import timezone

from preau.accounts.models import CharteAcceptance, CharteVersion
from preau.directory.factories import AcademieFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def charte():
    return CharteVersion.objects.create(
        version=1, title="Charte d'utilisation", body="Respecter les autres.", published_at=timezone.now()
    )


def test_first_visit_asks_for_the_charte_before_the_portal(client_for, charte):
    client = client_for(PersonFactory())
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/charte/accepter/")


def test_accepting_the_charte_opens_the_portal_and_is_recorded(client_for, charte):
    person = PersonFactory()
    client = client_for(person)
    response = client.post("/charte/accepter/?next=/", {"accept": "oui", "charte": charte.pk, "next": "/"})
    assert response.status_code == 302
    assert CharteAcceptance.objects.filter(person=person, charte=charte).exists()
    assert client.get("/").status_code == 200


def test_unticked_box_says_what_to_do_and_records_nothing(client_for, charte):
    person = PersonFactory()
    response = client_for(person).post("/charte/accepter/", {"charte": charte.pk})
    assert response.status_code == 400
    assert "Cochez la case" in response.content.decode()
    assert not CharteAcceptance.objects.exists()


def test_a_new_version_must_be_accepted_again(client_for, charte):
    person = PersonFactory()
    CharteAcceptance.objects.create(person=person, charte=charte)
    CharteVersion.objects.create(version=2, title="Charte v2", body="Nouveau.", published_at=timezone.now())
    response = client_for(person).get("/")
    assert response["Location"].startswith("/charte/accepter/")


def test_an_academie_publishes_its_own_charte_for_its_people(client_for, charte):
    academie = AcademieFactory()
    own = CharteVersion.objects.create(
        academie=academie,
        version=1,
        title="Charte de l'académie",
        body="Texte propre.",
        published_at=timezone.now(),
    )
    person = PersonFactory(academie=academie)
    client = client_for(person)
    page = client.get("/charte/accepter/").content.decode()
    assert "Charte de l&#x27;académie" in page
    client.post("/charte/accepter/", {"accept": "oui", "charte": own.pk})
    assert client.get("/").status_code == 200


def test_temporary_password_must_be_replaced_after_the_charte(client_for, charte):
    person = PersonFactory(must_change_password=True)
    CharteAcceptance.objects.create(person=person, charte=charte)
    client = client_for(person)
    assert client.get("/")["Location"] == "/compte/mot-de-passe/"
    response = client.post(
        "/compte/mot-de-passe/",
        {"new_password1": "Un-vrai-mot-de-passe-2026", "new_password2": "Un-vrai-mot-de-passe-2026"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.must_change_password
    assert client.get("/").status_code == 200


def test_too_simple_password_is_refused_with_a_french_reason(client_for, charte):
    person = PersonFactory(must_change_password=True)
    CharteAcceptance.objects.create(person=person, charte=charte)
    response = client_for(person).post(
        "/compte/mot-de-passe/", {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.must_change_password
