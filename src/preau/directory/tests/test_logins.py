import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from preau.directory.factories import PersonFactory
from preau.directory.logins import unique_username
from preau.directory.models import Person

pytestmark = pytest.mark.django_db


def test_a_login_differing_only_by_case_is_refused_with_a_french_message():
    PersonFactory(username="marie.curie")
    twin = Person(username="Marie.Curie", first_name="Marie", last_name="Curie")
    with pytest.raises(ValidationError) as error:
        twin.validate_constraints()
    assert "Cet identifiant est déjà celui d'un autre compte." in str(error.value)


def test_the_database_refuses_a_duplicate_login_whatever_writes_it():
    PersonFactory(username="marie.curie")
    with pytest.raises(IntegrityError):
        Person.objects.create(username="MARIE.CURIE", first_name="Marie", last_name="Curie")


def test_new_logins_are_plain_ascii_and_numbered_when_taken():
    taken = {"lea.martin"}
    assert unique_username("Léa", "Martin", taken) == "lea.martin2"
    assert unique_username("Jean-Albert", "Bessière", taken) == "jean-albert.bessiere"
    assert unique_username("", "", taken) == "x.x"
    assert {"lea.martin2", "jean-albert.bessiere", "x.x"} <= taken


def test_naming_an_existing_login_in_another_case_gives_the_role_to_that_person():
    from preau.directory.actions import add_academie_admin
    from preau.directory.factories import AcademieFactory, person_with_role
    from preau.directory.models import Profile

    academie = AcademieFactory()
    admin = person_with_role(Profile.ACADEMIE_ADMIN, academie)
    existing = PersonFactory(username="marie.curie")
    added = add_academie_admin(admin, academie, username="MARIE.Curie", first_name="Marie", last_name="Curie")
    assert added == existing
    assert Person.objects.filter(username__iexact="marie.curie").count() == 1
