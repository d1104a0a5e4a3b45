"""Settings: answering hours, a class's rule, a school's and an académie's rules, suspensions."""

import datetime
import html

import pytest

from preau.core.models import AuditEntry
from preau.directory.factories import SchoolClassFactory, SchoolFactory, add_role
from preau.directory.models import Profile, Teaching
from preau.messaging import rules
from preau.messaging.models import AnsweringHours, ClassRule, CommunicationRules, Suspension

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_teacher_sets_their_answering_hours(world, client_for, django_assert_max_num_queries):
    client = client_for(world["teacher"])
    with django_assert_max_num_queries(14):
        assert client.get("/messagerie/reglages/").status_code == 200
    response = client.post(
        "/messagerie/reglages/", {"days": ["1", "2", "4", "5"], "start": "08:30", "end": "17:00", "note": ""}
    )
    assert response.status_code == 302
    hours = AnsweringHours.objects.get(person=world["teacher"])
    assert (hours.days, hours.start, hours.end) == ("1245", datetime.time(8, 30), datetime.time(17))
    page = client.get("/messagerie/reglages/").content.decode()
    assert "Je réponds le lundi, le mardi, le jeudi et le vendredi, 8 h 30 – 17 h." in page
    refused = client.post("/messagerie/reglages/", {"days": ["1"], "start": "18:00", "end": "08:00"})
    assert refused.status_code == 200 and "L'heure de fin doit suivre" in _text(refused)
    client.post("/messagerie/reglages/horaires/effacer/")
    assert not AnsweringHours.objects.exists()


def test_a_teacher_lets_their_class_write_to_each_other(world, client_for):
    url = f"/messagerie/reglages/classe/{world.school_class.pk}/"
    client_for(world["teacher"]).post(url, {"pupils_write_classmates": "on"})
    assert ClassRule.objects.get(school_class=world.school_class).pupils_write_classmates
    assert rules.may_write(world["pupil"], world["classmate"])
    assert client_for(world["other_teacher"]).post(url, {"pupils_write_classmates": "on"}).status_code == 404
    client_for(world["teacher"]).post(url, {})
    assert not ClassRule.objects.get(school_class=world.school_class).pupils_write_classmates


def test_the_director_sets_and_resets_the_schools_rules(world, client_for, django_assert_max_num_queries):
    url = f"/messagerie/regles/ecole/{world.school.pk}/"
    client = client_for(world["director"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert "suit les règles de l'académie" in _text(response)
    assert response.context["form"]["parents_write_representatives"].value() is True
    client.post(url, {"intent": "save", "parents_write_families": "on", "pupils_write_teachers": "on"})
    row = CommunicationRules.objects.get(school=world.school)
    assert row.parents_write_families and not row.parents_write_representatives and row.updated_by == world["director"]
    assert AuditEntry.objects.filter(action="messaging.rules_changed", school_id=world.school.pk).exists()
    client.post(url, {"intent": "reset"})
    assert not CommunicationRules.objects.filter(school=world.school).exists()
    assert client_for(world["other_director"]).post(url, {"intent": "save"}).status_code == 403


def test_an_academie_administrator_sets_the_academies_rules(world, client_for):
    url = f"/messagerie/regles/academie/{world.academie.pk}/"
    client_for(world["academie_admin"]).post(url, {"intent": "save", "representatives_write_families": "on"})
    row = CommunicationRules.objects.get(academie=world.academie)
    assert row.representatives_write_families and not row.pupils_write_teachers
    assert rules.rules_for_school(world.school).representatives_write_families
    assert client_for(world["director"]).post(url, {"intent": "save"}).status_code == 403


def test_the_director_suspends_and_gives_back_the_right_to_write(world, client_for, django_assert_max_num_queries):
    client = client_for(world["director"])
    with django_assert_max_num_queries(12):
        response = client.get("/messagerie/suspensions/", {"q": "Fourcade"})
    assert set(response.context["found"]) == {world["parent"], world["pupil"]}
    assert world["other_parent"] not in response.context["found"]
    form = client.get(f"/messagerie/suspensions/nouvelle/{world['parent'].pk}/")
    assert form.status_code == 200
    client.post(
        f"/messagerie/suspensions/nouvelle/{world['parent'].pk}/",
        {"school": world.school.pk, "reason": "Messages insultants"},
    )
    suspension = Suspension.objects.get()
    assert suspension.person == world["parent"] and suspension.created_by == world["director"]
    assert "Messages insultants" in client.get("/messagerie/suspensions/").content.decode()
    refused = client.post(
        f"/messagerie/suspensions/nouvelle/{world['other_parent'].pk}/", {"school": world.school.pk, "reason": "x"}
    )
    assert "n'appartient pas à votre école" in _text(refused)
    assert (
        client_for(world["other_director"]).post(f"/messagerie/suspensions/{suspension.pk}/lever/").status_code == 302
    )
    suspension.refresh_from_db()
    assert suspension.is_active  # another school's director lifts nothing
    client.post(f"/messagerie/suspensions/{suspension.pk}/lever/")
    suspension.refresh_from_db()
    assert not suspension.is_active and suspension.lifted_by == world["director"]


def test_the_settings_page_costs_the_same_for_one_class_or_five_in_five_schools(
    world, client_for, django_assert_max_num_queries
):
    teacher = world["teacher"]
    client = client_for(teacher)
    with django_assert_max_num_queries(10):
        client.get("/messagerie/reglages/")
    strict_school = None
    for _ in range(4):
        school = SchoolFactory(circonscription=world.school.circonscription, commune=world.commune)
        add_role(teacher, Profile.TEACHER, school)
        Teaching.objects.create(teacher=teacher, school_class=SchoolClassFactory(school=school))
        strict_school = school
    CommunicationRules.objects.create(school=strict_school, pupils_write_classmates=False)
    with django_assert_max_num_queries(10):
        response = client.get("/messagerie/reglages/")
    allows = {c.school_id: c.school_allows for c in response.context["classes"]}
    assert len(allows) == 5
    assert allows[strict_school.pk] is False and allows[world.school.pk] is True
