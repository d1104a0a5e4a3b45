"""The audiences services tell: the active pupils of a class or a school, and their guardians."""

import pytest

from preau.directory.factories import enrol, make_school
from preau.directory.models import GuardianLink, Person
from preau.directory.queries import enrolled_pupil_ids, guardian_ids_of

pytestmark = pytest.mark.django_db


def test_a_departed_pupils_family_is_no_longer_told():
    built = make_school(classes=2, pupils=2, parents_per_pupil=2)
    first, second = built.classes
    staying, leaving = built.pupils[first.pk]
    Person.objects.filter(pk=leaving.pk).update(is_active=False)
    assert enrolled_pupil_ids(school_class_id=first.pk) == [staying.pk]
    assert sorted(enrolled_pupil_ids(school_class__school_id=built.school.pk)) == sorted(
        [staying.pk, *(pupil.pk for pupil in built.pupils[second.pk])]
    )
    assert guardian_ids_of([staying.pk]) == sorted(parent.pk for parent in built.parents[staying.pk])


def test_a_guardian_of_two_pupils_is_counted_once():
    built = make_school(classes=1, pupils=1)
    school_class = built.classes[0]
    elder = built.pupils[school_class.pk][0]
    mother = built.parents[elder.pk][0]
    younger, _parents = enrol(school_class, guardians=0)
    GuardianLink.objects.create(guardian=mother, child=younger, relationship=GuardianLink.Relationship.MOTHER)
    assert guardian_ids_of([elder.pk, younger.pk]) == [mother.pk]
