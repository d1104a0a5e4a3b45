"""Every notification says which child it is about, and which school when a family has several."""

import pytest

from preau.core.notices import announce
from preau.directory.factories import PersonFactory, SchoolClassFactory, make_school, person_with_role
from preau.directory.models import Enrolment, GuardianLink, Profile
from preau.notifications.families import concerns_for
from preau.notifications.models import Entry

from .conftest import URGENT_KIND

pytestmark = pytest.mark.django_db


def child_of(parent, school_class, first_name: str):
    pupil = person_with_role(Profile.PUPIL, school_class.school, first_name=first_name)
    Enrolment.objects.create(pupil=pupil, school_class=school_class)
    GuardianLink.objects.create(guardian=parent, child=pupil, relationship=GuardianLink.Relationship.MOTHER)
    return pupil


@pytest.fixture
def family(db):
    """Sophie: Léa in CE1 A and Hugo in CM2 of the same school; a teacher of CE1 A."""
    built = make_school(classes=0)
    ce1 = SchoolClassFactory(school=built.school, name="CE1 A")
    cm2 = SchoolClassFactory(school=built.school, name="CM2")
    sophie = PersonFactory(first_name="Sophie")
    lea, hugo = child_of(sophie, ce1, "Léa"), child_of(sophie, cm2, "Hugo")
    return {"school": built.school, "sophie": sophie, "lea": lea, "hugo": hugo, "ce1": ce1}


def test_a_parent_of_two_children_reads_which_one_each_entry_is_about(family, django_capture_on_commit_callbacks):
    sophie, lea, hugo = family["sophie"], family["lea"], family["hugo"]
    with django_capture_on_commit_callbacks(execute=True):
        announce(URGENT_KIND.code, [sophie.pk], title="Nouveau mot à signer", url="/m/1/", pupil_ids=[lea.pk])
        announce(URGENT_KIND.code, [sophie.pk], title="Photos de classe", url="/m/2/", pupil_ids=[lea.pk, hugo.pk])
    titles = [entry.full_title for entry in Entry.objects.filter(person=sophie).order_by("id")]
    assert titles == [
        "Léa — CE1 A : Nouveau mot à signer",
        "Hugo — CM2 · Léa — CE1 A : Photos de classe",
    ]


def test_the_school_is_named_when_the_children_are_in_several_schools(family):
    sophie, lea = family["sophie"], family["lea"]
    other_school = make_school(classes=0).school
    other_school.name = "École Marinoni"
    other_school.save()
    emma = child_of(sophie, SchoolClassFactory(school=other_school, name="GS"), "Emma")
    concerns = concerns_for([sophie.pk], [lea.pk, emma.pk])
    assert concerns == {sophie.pk: f"Emma — GS, École Marinoni · Léa — CE1 A, {family['school'].name}"}


def test_only_parents_of_the_pupils_concerned_get_a_child_named(family, django_capture_on_commit_callbacks):
    sophie, lea = family["sophie"], family["lea"]
    teacher = person_with_role(Profile.TEACHER, family["school"])
    other_parent = PersonFactory()
    child_of(other_parent, family["ce1"], "Nina")
    with django_capture_on_commit_callbacks(execute=True):
        announce(
            URGENT_KIND.code, [sophie.pk, teacher.pk, other_parent.pk], title="Sortie", url="/s/", pupil_ids=[lea.pk]
        )
    concerns = dict(Entry.objects.values_list("person_id", "concerns"))
    assert concerns == {sophie.pk: "Léa — CE1 A", teacher.pk: "", other_parent.pk: ""}


def test_a_child_without_a_class_this_year_is_named_alone(family):
    sophie = family["sophie"]
    toddler = PersonFactory(first_name="Jules")
    GuardianLink.objects.create(guardian=sophie, child=toddler, relationship=GuardianLink.Relationship.MOTHER)
    assert concerns_for([sophie.pk], [toddler.pk]) == {sophie.pk: "Jules"}


def test_naming_the_children_costs_two_queries_for_any_number_of_families(db, django_assert_num_queries):
    built = make_school(classes=2, pupils=10, parents_per_pupil=2)
    parents = [parent.pk for parents in built.parents.values() for parent in parents]
    pupils = [pupil.pk for pupils in built.pupils.values() for pupil in pupils]
    with django_assert_num_queries(2):
        concerns = concerns_for(parents, pupils)
    assert len(concerns) == 40
    assert all(" — Classe " in label for label in concerns.values())
