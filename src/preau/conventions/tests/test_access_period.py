"""During the three months of access, people of uncovered schools read and export, never write."""

import pytest

from preau.conventions.middleware import is_read_only
from preau.directory.factories import add_role, make_school
from preau.directory.models import GuardianLink, Person, Profile, School

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(seeds):
    """Bourtoulets, whose coverage has ended (the daily run turned it inactive)."""
    built = make_school(classes=1, pupils=1, school=seeds.lannemezan_schools[0])
    School.objects.filter(pk=built.school.pk).update(is_active=False)
    return built


def test_the_people_of_an_uncovered_school_read_but_cannot_write(ended, client_for):
    pupil = ended.pupils[ended.classes[0].id][0]
    for person in (ended.director, ended.teachers[0], pupil, ended.parents[pupil.id][0]):
        client = client_for(person)
        assert client.get("/").status_code == 200
        refused = client.post("/", {"anything": "1"})
        assert refused.status_code == 403
        assert "Accès en lecture seule" in refused.content.decode()
        # Signing out stays possible.
        assert client.post("/deconnexion/").status_code == 302


def test_covered_schools_and_other_roles_are_not_concerned(ended, seeds, client_for):
    director = ended.director
    assert is_read_only(director)
    add_role(director, Profile.DIRECTOR, seeds.lannemezan_schools[1])  # also directs a covered school
    assert not is_read_only(Person.objects.get(pk=director.pk))  # a fresh request
    assert not is_read_only(seeds.referent)  # commune staff are never concerned
    other = make_school(classes=1, pupils=1, school=seeds.rodez_schools[0])
    assert not is_read_only(other.director)
    assert client_for(other.director).post("/", {}).status_code != 403


def test_a_parent_with_a_child_in_a_covered_school_keeps_writing(ended, seeds):
    pupil = ended.pupils[ended.classes[0].id][0]
    parent = ended.parents[pupil.id][0]
    assert is_read_only(parent)
    other = make_school(classes=1, pupils=1, school=seeds.rodez_schools[0])
    GuardianLink.objects.create(
        guardian=parent, child=other.pupils[other.classes[0].id][0], relationship=GuardianLink.Relationship.MOTHER
    )
    assert not is_read_only(Person.objects.get(pk=parent.pk))
