import pytest
from django.urls import reverse

from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.actions import NewClass, roll_over_school_year
from preau.directory.factories import make_school, person_with_role
from preau.directory.forms import LEAVES
from preau.directory.models import Enrolment, Person, Profile, SchoolClass, current_school_year

pytestmark = pytest.mark.django_db

YEAR = current_school_year()


@pytest.fixture
def last_year_school(db):
    """A school whose classes are last year's: the rentrée of this year is to be done."""
    return make_school(classes=2, pupils=3, year=YEAR - 1)


def test_rollover_opens_new_classes_and_keeps_last_year_as_history(last_year_school):
    built = last_year_school
    first, second = built.classes
    moving = built.pupils[first.id]
    leaving = built.pupils[second.id][0]
    staying = built.pupils[second.id][1:]
    password_before = moving[0].password
    created = roll_over_school_year(
        built.director,
        built.school,
        YEAR,
        classes=[
            NewClass(name="CE2 A", levels="ce2", teacher_ids=[built.teachers[0].id], pupil_ids=[p.id for p in moving]),
            NewClass(
                name="CM1", levels="CM1, CM2", teacher_ids=[built.teachers[1].id], pupil_ids=[p.id for p in staying]
            ),
        ],
    )
    assert [c.name for c in created] == ["CE2 A", "CM1"]
    assert created[1].levels == "CM1 CM2"
    assert SchoolClass.objects.filter(school=built.school, year=YEAR - 1).count() == 2
    assert Enrolment.objects.filter(school_class__year=YEAR - 1).count() == 6
    assert set(created[0].pupils.all()) == set(moving)
    assert list(created[0].teachers.all()) == [built.teachers[0]]
    assert not Enrolment.objects.filter(pupil=leaving, school_class__year=YEAR).exists()
    kept = Person.objects.get(pk=moving[0].pk)
    assert kept.is_active and kept.password == password_before
    assert Person.objects.get(pk=leaving.pk).is_active
    entry = AuditEntry.objects.get(action="directory.school_year_rolled_over")
    assert entry.school_id == built.school.id
    assert entry.details["pupils"] == 5


def test_rollover_refuses_a_second_time(last_year_school):
    built = last_year_school
    roll_over_school_year(built.director, built.school, YEAR, classes=[NewClass("CP", "CP")])
    with pytest.raises(DomainError):
        roll_over_school_year(built.director, built.school, YEAR, classes=[NewClass("CE1", "CE1")])


def test_rollover_refuses_unknown_levels_and_changes_nothing(last_year_school):
    built = last_year_school
    with pytest.raises(DomainError) as error:
        roll_over_school_year(
            built.director, built.school, YEAR, classes=[NewClass("CP", "CP"), NewClass("Grands", "6EME")]
        )
    assert "6EME" in error.value.message
    assert not SchoolClass.objects.filter(year=YEAR).exists()


def test_rollover_refuses_pupils_of_another_school(last_year_school):
    built = last_year_school
    stranger = make_school(classes=1, pupils=1, year=YEAR - 1)
    pupil = next(iter(stranger.pupils.values()))[0]
    with pytest.raises(DomainError):
        roll_over_school_year(built.director, built.school, YEAR, classes=[NewClass("CP", "CP", pupil_ids=[pupil.id])])


def test_teachers_and_ien_may_not_prepare_the_rentree(last_year_school):
    built = last_year_school
    ien = person_with_role(Profile.IEN, built.school.circonscription)
    for person in (built.teachers[0], ien):
        with pytest.raises(NotAllowed):
            roll_over_school_year(person, built.school, YEAR, classes=[NewClass("CP", "CP")])


def test_academie_admin_may_prepare_the_rentree(last_year_school):
    built = last_year_school
    admin = person_with_role(Profile.ACADEMIE_ADMIN, built.school.circonscription.departement.academie)
    assert roll_over_school_year(admin, built.school, YEAR, classes=[NewClass("CP", "CP")])


def test_rollover_page_moves_pupils_as_the_director_says(client_for, last_year_school, django_assert_max_num_queries):
    built = last_year_school
    first, second = built.classes
    url = reverse("directory:school_rollover", args=[built.school.uai])
    client = client_for(built.director)
    with django_assert_max_num_queries(num=15):
        page = client.get(url)
    assert page.status_code == 200
    assert built.pupils[first.id][0].first_name in page.content.decode()
    data = {
        f"name_{first.id}": "CE2",
        f"levels_{first.id}": "CE2",
        f"teachers_{first.id}": [built.teachers[0].id],
        f"name_{second.id}": "",
        f"levels_{second.id}": "",
        "name_new1": "CM1 bis",
        "levels_new1": "CM1",
        "teachers_new1": [built.teachers[1].id],
        "name_new2": "",
        "levels_new2": "",
    }
    for pupil in built.pupils[first.id]:
        data[f"pupil_{pupil.id}"] = str(first.id)
    for pupil in built.pupils[second.id]:
        data[f"pupil_{pupil.id}"] = "new1"
    data[f"pupil_{built.pupils[second.id][0].id}"] = LEAVES
    response = client.post(url, data)
    assert response.status_code == 302
    new_classes = {c.name: c for c in SchoolClass.objects.filter(school=built.school, year=YEAR)}
    assert set(new_classes) == {"CE2", "CM1 bis"}
    assert new_classes["CE2"].pupils.count() == 3
    assert new_classes["CM1 bis"].pupils.count() == 2


def test_rollover_page_shows_a_pupil_sent_to_a_class_without_a_name(client_for, last_year_school):
    built = last_year_school
    first, second = built.classes
    data = {f"name_{first.id}": "CE2", f"levels_{first.id}": "CE2", f"name_{second.id}": "", f"levels_{second.id}": ""}
    for school_class in (first, second):
        for pupil in built.pupils[school_class.id]:
            data[f"pupil_{pupil.id}"] = str(school_class.id)
    url = reverse("directory:school_rollover", args=[built.school.uai])
    response = client_for(built.director).post(url, data)
    assert response.status_code == 400
    assert "qui n&#x27;a pas de nom" in response.content.decode()
    assert not SchoolClass.objects.filter(year=YEAR).exists()


def test_rollover_page_shows_the_levels_error_in_french(client_for, last_year_school):
    built = last_year_school
    first, second = built.classes
    data = {f"name_{first.id}": "CE2", f"levels_{first.id}": "CE7", f"name_{second.id}": "", f"levels_{second.id}": ""}
    for pupil in built.pupils[first.id] + built.pupils[second.id]:
        data[f"pupil_{pupil.id}"] = LEAVES
    url = reverse("directory:school_rollover", args=[built.school.uai])
    response = client_for(built.director).post(url, data)
    assert response.status_code == 400
    assert "Niveaux inconnus" in response.content.decode()


def test_rollover_page_query_count_does_not_grow(client_for, django_assert_max_num_queries):
    for classes, pupils in ((1, 2), (6, 25)):
        built = make_school(classes=classes, pupils=pupils, year=YEAR - 1)
        client = client_for(built.director)
        with django_assert_max_num_queries(num=15):
            response = client.get(reverse("directory:school_rollover", args=[built.school.uai]))
        assert response.status_code == 200
