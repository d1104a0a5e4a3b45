"""Holidays come from the official calendars, for the zone of the person's académie."""

import datetime

import pytest

from preau.agenda.queries import agenda_items, holiday_zones
from preau.agenda.school_holidays import holidays_between
from preau.directory.factories import (
    AcademieFactory,
    CirconscriptionFactory,
    DepartementFactory,
    SchoolFactory,
    make_school,
)

from .conftest import make_person

D = datetime.date


def _school_holidays(zone, start, end):
    return [(h.name, h.starts_on, h.ends_on) for h in holidays_between([zone], start, end) if not h.is_public]


@pytest.mark.parametrize("zone", ["A", "B", "C"])
def test_toussaint_and_noel_2025_are_the_same_for_every_zone(zone):
    assert _school_holidays(zone, D(2025, 10, 1), D(2026, 1, 10)) == [
        ("Vacances de la Toussaint", D(2025, 10, 18), D(2025, 11, 2)),
        ("Vacances de Noël", D(2025, 12, 20), D(2026, 1, 4)),
    ]


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [("A", D(2026, 2, 7), D(2026, 2, 22)), ("B", D(2026, 2, 14), D(2026, 3, 1)), ("C", D(2026, 2, 21), D(2026, 3, 8))],
)
def test_winter_holidays_2026_follow_the_zone(zone, start, end):
    assert _school_holidays(zone, D(2026, 2, 1), D(2026, 3, 15)) == [("Vacances d'hiver", start, end)]


def test_public_holidays_are_named_in_french():
    public = [(h.name, h.starts_on) for h in holidays_between([], D(2025, 11, 1), D(2025, 12, 31))]
    assert public == [("Toussaint", D(2025, 11, 1)), ("Armistice", D(2025, 11, 11)), ("Noël", D(2025, 12, 25))]


def test_each_person_gets_the_zone_of_their_academie(world):
    parent = make_person("parent", world)
    assert holiday_zones(parent) == {"C"}
    assert holiday_zones(make_person("city_referent", world)) == {"C"}
    assert holiday_zones(make_person("other_academie_admin", world)) == {"A"}
    titles = [i.title for i in agenda_items(parent, start=D(2026, 2, 1), end=D(2026, 3, 15)) if i.kind == "vacances"]
    assert titles == ["Vacances d'hiver"]
    assert holiday_zones(make_person("operator", world)) == set()


def test_a_family_across_two_zones_sees_both_with_their_zone(world, client_for):
    parent = make_person("parent", world)
    academie_a = AcademieFactory(name="Académie Z", holiday_zone="A")
    school = SchoolFactory(circonscription=CirconscriptionFactory(departement=DepartementFactory(academie=academie_a)))
    built = make_school(school=school, classes=1, pupils=1, parents_per_pupil=0)
    from preau.directory.models import GuardianLink

    GuardianLink.objects.create(guardian=parent, child=built.pupils[built.classes[0].pk][0], relationship="pere")
    parent = type(parent).objects.get(pk=parent.pk)
    winter = [i for i in agenda_items(parent, start=D(2026, 2, 1), end=D(2026, 3, 15)) if i.kind == "vacances"]
    assert [i.title for i in winter] == ["Vacances d'hiver (Zone A)", "Vacances d'hiver (Zone C)"]
